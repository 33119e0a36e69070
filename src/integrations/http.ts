import { SpanKind, SpanStatusCode, trace } from '@opentelemetry/api';
import axios, { type AxiosInstance, type Method } from 'axios';
import type { z } from 'zod';
import { IntegrationError, type Vendor } from './errors';

/**
 * The HTTP plumbing both vendor clients share. axios never throws for an HTTP status here (each
 * vendor classifies its own error bodies), and a transport failure becomes a `Transient` error
 * built from scratch, so an AxiosError (whose config holds our auth headers) never escapes.
 */
export interface RawResponse {
  status: number;
  headers: Record<string, string | undefined>;
  data: unknown;
}

export interface HttpRequest {
  operation: string;
  method: Method;
  url: string;
  params?: Record<string, string | number | boolean | undefined>;
  data?: unknown;
  headers?: Record<string, string>;
  /** Another base URL for this request (Zoom's per-account API host from the token answer). */
  baseURL?: string;
}

/**
 * One vendor call as metrics see it: `status` is the HTTP status, or `transport_error` when no
 * answer came. The operation names an endpoint (`kore.getSessions`), never a URL with its ids.
 */
export interface VendorCall {
  vendor: Vendor;
  operation: string;
  status: string;
  seconds: number;
}
export type VendorCallObserver = (call: VendorCall) => void;

/** Who hears of each call an instance makes (the worker's metrics); kept beside the instance, not in its config, so it never travels with a request. */
const observers = new WeakMap<AxiosInstance, VendorCallObserver>();

export function createHttp(baseURL: string, timeoutMs: number, observe?: VendorCallObserver): AxiosInstance {
  const http = axios.create({
    baseURL,
    timeout: timeoutMs,
    validateStatus: () => true,
    // Redirects could carry our auth header to another host; the vendor APIs do not redirect.
    maxRedirects: 0,
    headers: { 'user-agent': 'kore-zcc-onboarding/0.1' },
    transitional: { clarifyTimeoutError: true },
  });
  if (observe) observers.set(http, observe);
  return http;
}

const TRANSIENT_CODES = new Set([
  'ECONNRESET',
  'ECONNREFUSED',
  'ECONNABORTED',
  'ETIMEDOUT',
  'EPIPE',
  'EAI_AGAIN',
  'ENOTFOUND',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ERR_SOCKET_CONNECTION_TIMEOUT',
]);

const tracer = trace.getTracer('kore-zcc-onboarding');

/**
 * One HTTP call to a vendor, in a client span of the active trace (a no-op while tracing is off).
 * The span names the vendor, the operation, the method, the host and the status: never the path
 * (it holds tenant ids), the query, a header or a body.
 */
export function send(http: AxiosInstance, vendor: Vendor, req: HttpRequest): Promise<RawResponse> {
  const host = hostOf(req.baseURL ?? http.defaults.baseURL, req.url);
  const attributes = { 'onboard.vendor': vendor, 'onboard.operation': req.operation, 'http.request.method': req.method.toUpperCase(), 'server.address': host };
  return tracer.startActiveSpan(`${vendor} ${req.operation}`, { kind: SpanKind.CLIENT, attributes }, async (span) => {
    const started = performance.now();
    let status = 'transport_error';
    try {
      const res = await sendOnce(http, vendor, req);
      status = String(res.status);
      span.setAttribute('http.response.status_code', res.status);
      if (res.status >= 400) span.setStatus({ code: SpanStatusCode.ERROR });
      return res;
    } catch (err) {
      // Only the taxonomy's words (a fixed description): the raw error could quote a URL or header.
      span.setStatus({ code: SpanStatusCode.ERROR, message: (err as Error).message });
      throw err;
    } finally {
      span.end();
      observers.get(http)?.({ vendor, operation: req.operation, status, seconds: (performance.now() - started) / 1000 });
    }
  });
}

/** The host a request goes to, for the span; undefined when the URL does not parse. */
function hostOf(base: string | undefined, url: string): string | undefined {
  try {
    return new URL(url, base).hostname;
  } catch {
    return undefined;
  }
}

async function sendOnce(http: AxiosInstance, vendor: Vendor, req: HttpRequest): Promise<RawResponse> {
  try {
    const res = await http.request({
      method: req.method,
      url: req.url,
      params: req.params,
      data: req.data,
      headers: req.headers,
      ...(req.baseURL ? { baseURL: req.baseURL } : {}),
    });
    const headers: Record<string, string | undefined> = {};
    for (const [k, v] of Object.entries(res.headers ?? {})) headers[k.toLowerCase()] = v == null ? undefined : String(v);
    return { status: res.status, headers, data: res.data };
  } catch (err) {
    throw transportError(err, vendor, req);
  }
}

function transportError(err: unknown, vendor: Vendor, req: HttpRequest): IntegrationError {
  const code = (err as { code?: string } | null)?.code;
  const rawMessage = (err as { message?: string } | null)?.message ?? '';
  // Only the code and a fixed description travel on; the raw message could quote a URL or header.
  const what =
    code === 'ETIMEDOUT' || code === 'ECONNABORTED'
      ? 'timed out'
      : /socket hang up/i.test(rawMessage) || code === 'ECONNRESET'
        ? 'connection reset (socket hang up)'
        : code === 'ECONNREFUSED'
          ? 'connection refused'
          : `transport error${code ? ` ${code}` : ''}`;
  // Any failure to get an answer (reset, timeout, DNS) may pass; an unknown code is logged as such.
  const described = code === undefined || TRANSIENT_CODES.has(code) ? what : `${what} (unclassified)`;
  return new IntegrationError('Transient', `${req.operation}: ${vendor} did not answer: ${described}; will retry`, {
    vendor,
    operation: req.operation,
    vendorCode: code,
  });
}

/** `Retry-After` as seconds or as a date (HTTP-date or the ISO-8601 instant Zoom sends). */
export function parseRetryAfter(value: string | undefined, now: number = Date.now()): number | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  if (trimmed === '') return undefined;
  if (/^\d+(\.\d+)?$/.test(trimmed)) return Math.round(Number(trimmed) * 1000);
  // Only real date shapes: an HTTP-date (has a weekday/month name) or an ISO-8601 instant.
  if (!/[A-Za-z]{3}/.test(trimmed) && !/^\d{4}-\d{2}-\d{2}T/.test(trimmed)) return undefined;
  const at = Date.parse(trimmed);
  if (Number.isNaN(at)) return undefined;
  return Math.max(0, at - now);
}

/** Parse a vendor response with zod; a mismatch names the first wrong path, never the values. */
export function parseBody<S extends z.ZodTypeAny>(schema: S, data: unknown, vendor: Vendor, operation: string, status: number): z.infer<S> {
  const parsed = schema.safeParse(data);
  if (parsed.success) return parsed.data;
  const first = parsed.error.issues[0];
  const where = first && first.path.length ? first.path.join('.') : '(body)';
  return unexpected(vendor, operation, status, `${where}: ${first?.message ?? 'did not match'}`);
}

function unexpected(vendor: Vendor, operation: string, status: number, why: string): never {
  throw new IntegrationError('UnexpectedResponse', `${operation}: ${vendor} answered ${status} with a body we do not understand (${why})`, {
    vendor,
    operation,
    status,
  });
}
