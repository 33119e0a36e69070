import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Fault injection for the simulators: per route, answer with a status (and Retry-After), add
 * latency, or drop the connection, for a number of requests or with a probability. Admin routes
 * under /__sim/ are never faulted, so a test can always clear what it set.
 */
export const FaultSpec = z.object({
  /** HTTP method to match; any when omitted. */
  method: z.string().toUpperCase().optional(),
  /** A route pattern as registered (`/api/public/bot/:botId/getSessions`), a path prefix, or `*`. */
  path: z.string().min(1),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Sets `Retry-After`: seconds (`"2"`) or a date (`"2025-08-23T00:00:00Z"`). */
  retryAfter: z.string().optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Destroy the socket without answering: the client sees "socket hang up". */
  drop: z.boolean().optional(),
  /**
   * Do the work, then destroy the socket instead of answering: the client sees "socket hang up"
   * although the vendor acted, so a retried call that is not idempotent does the work twice.
   */
  dropAnswer: z.boolean().optional(),
  /** Apply to this many matching requests, then retire; unlimited when omitted. */
  count: z.number().int().min(1).optional(),
  /** Apply to each matching request with this chance (fault storms). */
  probability: z.number().min(0).max(1).optional(),
  /**
   * Apply to at most this many requests of each client (a Kore.ai bot, a Zoom account): a storm
   * that cannot refuse one client more often than its retry policy allows.
   */
  countPerClient: z.number().int().min(1).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpec>;

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
  hits: number;
  perClient: Map<string, number>;
}

export class FaultInjector {
  #next = 1;
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): number {
    const id = this.#next++;
    this.#faults.push({ ...FaultSpec.parse(spec), id, remaining: spec.count ?? Infinity, hits: 0, perClient: new Map() });
    return id;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Array<FaultSpec & { id: number; hits: number; remaining: number | null }> {
    return this.#faults.map(({ perClient, ...f }) => ({
      ...f,
      remaining: Number.isFinite(f.remaining) ? f.remaining : null,
      byClient: Object.fromEntries(perClient),
    }));
  }

  /** The first live fault for this request, consumed by one. */
  take(method: string, routeUrl: string | undefined, rawPath: string, client = '?'): ActiveFault | undefined {
    for (const f of this.#faults) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method !== method) continue;
      if (!(f.path === '*' || f.path === routeUrl || rawPath.startsWith(f.path))) continue;
      const clientHits = f.perClient.get(client) ?? 0;
      if (f.countPerClient !== undefined && clientHits >= f.countPerClient) continue;
      if (f.probability !== undefined && Math.random() >= f.probability) continue;
      f.remaining -= 1;
      f.hits += 1;
      f.perClient.set(client, clientHits + 1);
      return f;
    }
    return undefined;
  }
}

/** One vendor call as the simulator saw it: when it arrived and was answered, from which client. */
export interface CallRecord {
  /** Arrival and answer times (ms since the epoch); `end` is unset while the call is in flight. */
  at: number;
  end?: number;
  method: string;
  route: string;
  /** 0 for a dropped connection. */
  status?: number;
  /** The Kore.ai bot or Zoom account the call was for, when the simulator can tell. */
  client?: string;
  retryAfter?: string;
}

const TIMELINE_LIMIT = 50_000;

/**
 * Counts of vendor calls by route and status: how tests prove a side effect happened once. The
 * timeline (the last 50,000 calls) shows when each call came, e.g. that a client waited as long as
 * a 429's Retry-After asked.
 */
export class CallLog {
  #counts = new Map<string, { count: number; statuses: Record<string, number> }>();
  #timeline: CallRecord[] = [];

  begin(rec: Omit<CallRecord, 'end' | 'status'>): CallRecord {
    const r: CallRecord = { ...rec };
    this.#timeline.push(r);
    if (this.#timeline.length > TIMELINE_LIMIT) this.#timeline.splice(0, this.#timeline.length - TIMELINE_LIMIT);
    return r;
  }

  timeline(): CallRecord[] {
    return this.#timeline.map((r) => ({ ...r }));
  }

  /** Calls that have arrived and not been answered yet. */
  inFlight(): number {
    return this.#timeline.reduce((n, r) => n + (r.end === undefined ? 1 : 0), 0);
  }

  record(method: string, route: string, status: number): void {
    const key = `${method} ${route}`;
    const entry = this.#counts.get(key) ?? { count: 0, statuses: {} };
    entry.count += 1;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    this.#counts.set(key, entry);
  }

  snapshot(): Record<string, { count: number; statuses: Record<string, number> }> {
    return Object.fromEntries(this.#counts);
  }

  count(method: string, route: string): number {
    return this.#counts.get(`${method} ${route}`)?.count ?? 0;
  }

  clear(): void {
    this.#counts.clear();
    this.#timeline = [];
  }
}

declare module 'fastify' {
  interface FastifyRequest {
    simCall?: CallRecord;
    /** A `dropAnswer` fault: the handler runs, the answer never leaves. */
    simDropAnswer?: boolean;
  }
}

export const ADMIN_PREFIX = '/__sim';

export function installFaultsAndCallLog(
  app: FastifyInstance,
  faults: FaultInjector,
  calls: CallLog,
  defaultBody: (status: number) => unknown,
  clientOf: (req: FastifyRequest) => string | undefined = () => undefined,
): void {
  app.decorateRequest('simCall', undefined);
  app.decorateRequest('simDropAnswer', undefined);
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url.startsWith(ADMIN_PREFIX)) return;
    const path = req.url.split('?')[0] ?? req.url;
    const client = clientOf(req);
    req.simCall = calls.begin({ at: Date.now(), method: req.method, route: req.routeOptions.url ?? path, client });
    const fault = faults.take(req.method, req.routeOptions.url, path, client);
    if (!fault) return;
    if (fault.latencyMs) {
      // Wait, but stop waiting if the client gives up, so closing the simulator never hangs on a timer.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.latencyMs);
        req.raw.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (req.raw.socket.destroyed) {
        Object.assign(req.simCall, { end: Date.now(), status: 0 });
        return reply.hijack();
      }
    }
    if (fault.dropAnswer) {
      req.simDropAnswer = true;
      return;
    }
    if (fault.drop) {
      calls.record(req.method, req.routeOptions.url ?? path, 0);
      Object.assign(req.simCall, { end: Date.now(), status: 0 });
      req.raw.socket.destroy();
      return reply.hijack();
    }
    if (fault.status !== undefined) {
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      for (const [k, v] of Object.entries(fault.headers ?? {})) reply.header(k, v);
      return reply.code(fault.status).send(fault.body ?? defaultBody(fault.status));
    }
    // latency only: fall through to the real handler
  });
  // The work is done (the handler ran); the answer is dropped on its way out.
  app.addHook('onSend', async (req, reply, payload) => {
    if (!req.simDropAnswer) return payload;
    calls.record(req.method, req.routeOptions.url ?? (req.url.split('?')[0] as string), 0);
    if (req.simCall) Object.assign(req.simCall, { end: Date.now(), status: 0 });
    req.simDropAnswer = false;
    req.raw.socket.destroy();
    return payload;
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.simCall?.status === 0) return;
    if (req.url.startsWith(ADMIN_PREFIX)) return;
    calls.record(req.method, req.routeOptions.url ?? (req.url.split('?')[0] as string), reply.statusCode);
    const retryAfter = reply.getHeader('retry-after');
    if (req.simCall)
      Object.assign(req.simCall, { end: Date.now(), status: reply.statusCode, ...(retryAfter === undefined ? {} : { retryAfter: String(retryAfter) }) });
  });
}
