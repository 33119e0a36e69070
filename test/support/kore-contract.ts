import type { z } from 'zod';
import * as S from '../../src/integrations/kore/schemas';
import {
  KORE_ENDPOINTS,
  KORE_ERRORS,
  RATE_CLASSES,
  type Field,
  type KoreEndpoint,
  type KoreEndpointName,
  type KoreErrorName,
  type Param,
  type RateClassName,
} from './kore-documented';

/**
 * The Kore.ai conformance checker: holds our Kore client, its zod schemas and the Kore simulator to
 * what Kore.ai documents (test/support/kore-documented.ts, sourced from kore-api.md and
 * kore-api-more.md). Each check is a plain function that throws a ContractViolation naming the path
 * of every problem (`/sessions/0/start_time`, `/body/limit`, `/status`), so the mutation test can
 * call them directly, as zoom-contract.ts does for Zoom's OpenAPI document.
 */

export interface Problem {
  path: string;
  message: string;
}

export class ContractViolation extends Error {
  constructor(
    readonly operation: string,
    readonly problems: Problem[],
  ) {
    super(`${operation}: ${problems.map((p) => `${p.path} ${p.message}`).join('; ')}`);
    this.name = 'ContractViolation';
  }
}

const fail = (operation: string, problems: Problem[]) => {
  if (problems.length) throw new ContractViolation(operation, problems);
};

/** The zod schema our client reads each 200 with (publish: not called by the client). */
export const CLIENT_READS: Partial<Record<KoreEndpointName, z.ZodType>> = {
  getSessions: S.GetSessionsResponse,
  conversationDetails: S.ConversationDetails,
  getMessages: S.GetMessagesResponse,
  getMessagesV2: S.GetMessagesResponse,
  conversationSummary: S.ConversationSummary,
  publishStatus: S.PublishStatus,
  getBots: S.GetBotsResponse,
  export: S.ExportJob,
  exportStatus: S.ExportStatus,
  uploadFile: S.UploadedFile,
  import: S.ImportJob,
  importStatus: S.ImportJob,
};

/** Route as Fastify registers it (`/api/public/bot/:botId/getSessions`) for each documented path. */
export const routeOf = (path: string) => path.replace(/\{(\w+)\}/g, ':$1');

export function endpointPaths(e: KoreEndpoint): string[] {
  return [e.path, ...(e.otherPaths ?? [])];
}

// ---------------------------------------------------------------------------------------------
// Responses

const jsonType = (v: unknown): string => (v === null ? 'null' : Array.isArray(v) ? 'array' : typeof v);

/**
 * A 200 body against the documented fields: fields documented as always there, and every field our
 * zod schema requires, must be present; every present field must have its documented type (and
 * value, where the docs list them); a field the docs do not define is refused.
 */
export function checkResponse(name: KoreEndpointName, body: unknown, read: z.ZodType | undefined = CLIENT_READS[name]): void {
  const documented = KORE_ENDPOINTS[name]!.response.body;
  const problems: Problem[] = [];
  const needed = read ? requiredByZod(read) : new Set<string>();
  const walk = (f: Field, v: unknown, at: string, shape: string): void => {
    const t = jsonType(v);
    if (t !== f.type) return void problems.push({ path: at || '/', message: `is ${t}; documented as ${f.type}` });
    if (f.enum && !f.enum.includes(v as string))
      problems.push({ path: at || '/', message: `is ${JSON.stringify(v)}; documented values: ${f.enum.join(', ')}` });
    if (f.type === 'array') (v as unknown[]).forEach((x, i) => walk(f.items ?? { type: jsonType(x) as Field['type'] }, x, `${at}/${i}`, `${shape}/*`));
    if (f.type !== 'object' || !f.fields) return;
    const o = v as Record<string, unknown>;
    for (const [k, child] of Object.entries(f.fields)) {
      if (o[k] === undefined && (child.always || needed.has(`${shape}/${k}`)))
        problems.push({ path: `${at}/${k}`, message: child.always ? 'is missing; the docs show it in every answer' : 'is missing; our client requires it' });
    }
    for (const [k, x] of Object.entries(o)) {
      const child = f.fields[k];
      if (!child) problems.push({ path: `${at}/${k}`, message: 'is not documented' });
      else walk(child, x, `${at}/${k}`, `${shape}/${k}`);
    }
  };
  walk(documented, body, '', '');
  fail(`${name} 200 body`, problems);
}

const zdef = (s: z.ZodType): Record<string, any> => (s as any)._zod.def;
const OPTIONAL = new Set(['optional', 'default', 'prefault', 'catch']);
function unwrap(s: z.ZodType): { inner: z.ZodType; optional: boolean } {
  let cur = s;
  let optional = false;
  for (;;) {
    const d = zdef(cur);
    if (OPTIONAL.has(d.type)) optional = true;
    if ([...OPTIONAL, 'nullable', 'readonly', 'nonoptional'].includes(d.type)) cur = d.innerType;
    else if (d.type === 'pipe') cur = d.in;
    else return { inner: cur, optional };
  }
}

/** `/sessions/*\/sessionId`-style shapes of the fields our zod schema requires. */
function requiredByZod(s: z.ZodType, shape = '', out = new Set<string>()): Set<string> {
  const d = zdef(unwrap(s).inner);
  if (d.type === 'array') requiredByZod(d.element, `${shape}/*`, out);
  if (d.type === 'object')
    for (const [k, child] of Object.entries(d.shape as Record<string, z.ZodType>)) {
      if (!unwrap(child).optional) out.add(`${shape}/${k}`);
      requiredByZod(child, `${shape}/${k}`, out);
    }
  return out;
}

const ZOD_TO_FIELD: Record<string, Field['type'] | undefined> = {
  string: 'string',
  number: 'number',
  int: 'number',
  boolean: 'boolean',
  enum: 'string',
  object: 'object',
  array: 'array',
};

/** Our zod schema reads only fields the docs define, with the documented types (and only documented values). */
export function checkReads(name: KoreEndpointName, read: z.ZodType | undefined = CLIENT_READS[name]): void {
  if (!read) return;
  const problems: Problem[] = [];
  const walk = (zs: z.ZodType, f: Field, at: string): void => {
    const d = zdef(unwrap(zs).inner);
    if (d.type === 'union') return void (d.options as z.ZodType[]).forEach((o) => walk(o, f, at));
    const t = ZOD_TO_FIELD[d.type];
    if (t === undefined) return; // unknown / any: reads nothing in particular
    if (t !== f.type) return void problems.push({ path: at || '/', message: `is read as ${t}; documented as ${f.type}` });
    if (d.type === 'enum' && f.enum) {
      const extra = Object.values(d.entries as Record<string, string>).filter((v) => !f.enum!.includes(v));
      if (extra.length) problems.push({ path: at, message: `is read with values the docs do not list: ${extra.join(', ')}` });
    }
    if (d.type === 'array' && f.items) walk(d.element, f.items, `${at}/*`);
    if (d.type === 'object' && f.fields)
      for (const [k, child] of Object.entries(d.shape as Record<string, z.ZodType>)) {
        const doc = f.fields[k];
        if (!doc) problems.push({ path: `${at}/${k}`, message: 'is read by our schema but not documented' });
        else walk(child, doc, `${at}/${k}`);
      }
  };
  walk(read, KORE_ENDPOINTS[name]!.response.body, '');
  fail(`${name} (our zod schema)`, problems);
}

// ---------------------------------------------------------------------------------------------
// Errors

/** An error answer as Kore documents it: the status, `{"errors":[{"msg","code"}]}` with the documented msg and code, and its headers. */
export function checkError(error: KoreErrorName, res: { status: number; body: unknown; headers?: Record<string, unknown> }, at = ''): void {
  const e = KORE_ERRORS[error];
  const problems: Problem[] = [];
  if (res.status !== e.status) problems.push({ path: `${at}/status`, message: `is ${res.status}; documented ${e.status} for ${error}` });
  const b = res.body as { errors?: Array<Record<string, unknown>> } | undefined;
  const first = Array.isArray(b?.errors) && b.errors.length === 1 && b && Object.keys(b).length === 1 ? b.errors[0] : undefined;
  if (!first || typeof first.msg !== 'string' || typeof first.code !== 'number' || Object.keys(first).length !== 2)
    problems.push({ path: `${at}/body`, message: `is ${JSON.stringify(res.body)}, not Kore's {"errors":[{"msg","code"}]}` });
  else {
    const msgOk = typeof e.msg === 'string' ? first.msg === e.msg : e.msg.test(first.msg as string);
    if (!msgOk) problems.push({ path: `${at}/body/errors/0/msg`, message: `is ${JSON.stringify(first.msg)}; documented ${String(e.msg)}` });
    if (first.code !== e.code) problems.push({ path: `${at}/body/errors/0/code`, message: `is ${String(first.code)}; documented ${e.code}` });
  }
  for (const [h, pattern] of Object.entries('headers' in e ? e.headers : {})) {
    const v = res.headers?.[h];
    if (typeof v !== 'string' || !pattern.test(v))
      problems.push({ path: `${at}/headers/${h}`, message: `is ${JSON.stringify(v)}; expected ${String(pattern)}` });
  }
  fail(`${error} answer`, problems);
}

// ---------------------------------------------------------------------------------------------
// Requests

export interface SentRequest {
  query: Record<string, unknown>;
  body: unknown;
}

const DATE = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2}))?$/;

function paramProblem(p: Param, v: unknown, fromQuery: boolean): string | undefined {
  let value = v;
  if (fromQuery && typeof v === 'string' && p.type === 'number') value = /^-?\d+(\.\d+)?$/.test(v) ? Number(v) : v;
  if (fromQuery && typeof v === 'string' && p.type === 'boolean') value = v === 'true' ? true : v === 'false' ? false : v;
  const t = jsonType(value);
  if (t !== p.type) return `is ${t}; documented as ${p.type}`;
  if (p.max !== undefined && (value as number) > p.max) return `${String(value)} is over the documented maximum ${p.max}`;
  if (p.maxItems !== undefined && (value as unknown[]).length > p.maxItems)
    return `has ${(value as unknown[]).length} items; the docs allow at most ${p.maxItems}`;
  if (p.enum && !p.enum.includes(value as string)) return `is ${JSON.stringify(value)}; documented values: ${p.enum.join(', ')}`;
  if (p.date && !(DATE.test(value as string) && !Number.isNaN(Date.parse(value as string)))) return `${String(value)} is not yyyy-mm-dd or an ISO instant`;
  if (p.items) for (const x of value as unknown[]) if (paramProblem(p.items, x, false)) return `has an item that ${paramProblem(p.items, x, false)}`;
  if (p.fields)
    for (const [k, x] of Object.entries(value as Record<string, unknown>)) {
      const member = p.fields[k];
      if (!member) return `has ${k}, which is not documented`;
      const why = paramProblem(member, x, false);
      if (why) return `has ${k} that ${why}`;
    }
  return undefined;
}

/** A request our client sent: only documented parameters, each within its documented type and limits, the required ones present, and the documented rules held. */
export function checkRequest(name: KoreEndpointName, sent: SentRequest): void {
  const e = KORE_ENDPOINTS[name]!;
  const fromQuery = e.request.in === 'query';
  // A multipart body is checked by its parts (text parts as strings, file parts as {filename, size}).
  const values = (fromQuery ? sent.query : (sent.body ?? {})) as Record<string, unknown>;
  const where = fromQuery ? 'query' : e.request.in;
  const problems: Problem[] = [];
  if (!fromQuery && Object.keys(sent.query).length)
    problems.push({ path: '/query', message: `sends ${Object.keys(sent.query).join(', ')}; the docs put this request's parameters in the body` });
  for (const [k, v] of Object.entries(values)) {
    const p = e.request.params[k];
    const why = p ? paramProblem(p, v, fromQuery) : 'is not a documented parameter';
    if (why) problems.push({ path: `/${where}/${k}`, message: why });
  }
  for (const [k, p] of Object.entries(e.request.params))
    if (p.required && values[k] === undefined) problems.push({ path: `/${where}/${k}`, message: 'is required and missing' });
  for (const r of e.rules ?? []) {
    const from = Date.parse(String(values.dateFrom ?? ''));
    const to = Date.parse(String(values.dateTo ?? ''));
    if (r.rule === 'date window under 7 days' && !Number.isNaN(from) && !Number.isNaN(to) && to - from >= 7 * 86_400_000)
      problems.push({ path: `/${where}/dateTo`, message: `is ${((to - from) / 86_400_000).toFixed(1)} days after dateFrom; the docs require under 7` });
  }
  fail(`${name} request`, problems);
}

export interface LimitProbe {
  param: string;
  /** A request that breaks exactly one documented limit of `param`. */
  request: SentRequest;
  breaks: string;
  refusal: KoreErrorName;
}

/** One request per documented limit (maximum, item count, values, required, rule), each outside exactly that limit. */
export function limitProbes(name: KoreEndpointName, base: Record<string, unknown> = {}): LimitProbe[] {
  const e = KORE_ENDPOINTS[name]!;
  const put = (values: Record<string, unknown>): SentRequest => (e.request.in === 'query' ? { query: values, body: undefined } : { query: {}, body: values });
  const probes: LimitProbe[] = [];
  /** `values` with `value` at the member path `at` (objects along the way copied, made if absent). */
  const setAt = (values: Record<string, unknown>, at: string[], value: unknown): Record<string, unknown> => {
    const [head, ...rest] = at as [string, ...string[]];
    const inner = (values[head] ?? {}) as Record<string, unknown>;
    return { ...values, [head]: rest.length ? setAt(inner, rest, value) : value };
  };
  const walk = (params: Record<string, Param>, at: string[]): void => {
    for (const [k, p] of Object.entries(params)) {
      const path = [...at, k];
      const param = path.join('.');
      const refusal = p.refusal ?? e.refusal.error;
      const breaking = (value: unknown, breaks: string) => probes.push({ param, request: put(setAt(base, path, value)), breaks, refusal });
      if (p.max !== undefined) breaking(p.max + 1, `maximum ${p.max}`);
      if (p.maxItems !== undefined)
        breaking(
          Array.from({ length: p.maxItems + 1 }, (_, i) => `s-${i}`),
          `at most ${p.maxItems} items`,
        );
      if (p.enum) breaking('not-documented', `values ${p.enum.join('|')}`);
      if (p.items?.enum) breaking(['not-documented'], `item values ${p.items.enum.join('|')}`);
      if (p.required && at.length === 0) {
        const { [k]: _drop, ...rest } = base;
        probes.push({ param, request: put(rest), breaks: 'required', refusal });
      }
      if (p.fields) walk(p.fields, path);
    }
  };
  walk(e.request.params, []);
  for (const r of e.rules ?? []) {
    const to = Date.now();
    probes.push({
      param: 'dateTo',
      request: put({ ...base, dateFrom: new Date(to - 7 * 86_400_000).toISOString(), dateTo: new Date(to).toISOString() }),
      breaks: r.rule,
      refusal: r.refusal.error,
    });
  }
  return probes;
}

/** The simulator's answer to a probe: refused the documented way, never answered 200 with the value capped or ignored. */
export function checkRefusal(name: KoreEndpointName, probe: LimitProbe, res: { status: number; body: unknown; headers?: Record<string, unknown> }): void {
  const at = `/${KORE_ENDPOINTS[name]!.request.in}/${probe.param}`;
  if (res.status >= 200 && res.status < 300)
    fail(`${name} ${probe.breaks}`, [
      { path: at, message: `breaks the documented ${probe.breaks} but was answered ${res.status} (capped or ignored, not refused)` },
    ]);
  checkError(probe.refusal, res, at);
}

// ---------------------------------------------------------------------------------------------
// Scopes

/** Our scope name for an endpoint is one of the labels the docs give it, or that label's scope group (`Bot Publish` of `Bot Publish > Publish`). */
export function checkScope(name: KoreEndpointName, ours: string): void {
  const labels = KORE_ENDPOINTS[name]!.scope.labels;
  const ok = labels.some((l) => l === ours || l.split(' > ').includes(ours));
  fail(
    `${name} scope`,
    ok ? [] : [{ path: '/scope', message: `ours is ${JSON.stringify(ours)}; the docs say ${labels.map((l) => JSON.stringify(l)).join(' or ')}` }],
  );
}

// ---------------------------------------------------------------------------------------------
// Rate windows

export interface Answer {
  status: number;
  body: unknown;
  headers?: Record<string, unknown>;
}

/**
 * Answers to calls made inside one window of a rate class, in order: the documented number of calls
 * must all be answered (no 429 early), and the next one refused with the documented rate-limit answer.
 */
export function checkWindowFill(rate: RateClassName, windowIndex: number, answers: Answer[]): void {
  const w = RATE_CLASSES[rate].windows[windowIndex]!;
  const problems: Problem[] = [];
  const early = answers.slice(0, w.calls).findIndex((a) => a.status === 429);
  if (early >= 0)
    problems.push({ path: `/calls/${early}`, message: `refused as rate-limited after ${early} calls; documented ${w.calls} per ${w.windowMs / 1000} s` });
  const next = answers[w.calls];
  if (!next) problems.push({ path: `/calls/${w.calls}`, message: 'was not made' });
  else
    try {
      checkError('rateLimited', next, `/calls/${w.calls}`);
    } catch (err) {
      if (!(err instanceof ContractViolation)) throw err;
      problems.push(
        ...err.problems.map((p) => ({ ...p, message: `${p.message} (call ${w.calls + 1} in ${w.windowMs / 1000} s, over the documented ${w.calls})` })),
      );
    }
  fail(`${rate} rate window ${w.calls}/${w.windowMs / 1000}s`, problems);
}
