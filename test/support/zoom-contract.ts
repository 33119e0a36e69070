import Ajv from 'ajv';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { z } from 'zod';
import * as S from '../../src/integrations/zoom/schemas';
import { ZOOM_ENDPOINTS, type ZoomEndpoint, type ZoomOperation } from '../../src/integrations/zoom/scopes';

/**
 * The conformance checker: holds our Zoom client, its zod schemas and the Zoom simulator to Zoom's
 * published Contact Center OpenAPI document (vendor-contracts/). Each check is a plain function that
 * throws a ContractViolation naming the path of every problem (`/flows/0/flow_version`,
 * `/query/page_size`, `/x-granular-scopes`), so the mutation test can call them directly.
 */

export const CONTRACT_FILE = path.join(__dirname, '../../vendor-contracts/zoom-contact-center.openapi.json');

type Json = Record<string, any>;
export type Contract = { paths: Record<string, Record<string, Json>> };

let cached: Contract | undefined;
export function loadContract(): Contract {
  cached ??= JSON.parse(readFileSync(CONTRACT_FILE, 'utf8')) as Contract;
  return cached;
}

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

/** Every Contact Center operation our client calls: where the document has it, and the zod schema the client reads its 200 with. */
export const CLIENT_OPERATIONS = {
  listUsers: { method: 'get', path: '/contact_center/users', operationId: 'users', read: S.UsersPage },
  listQueues: { method: 'get', path: '/contact_center/queues', operationId: 'listQueues', read: S.QueuesPage },
  getQueue: { method: 'get', path: '/contact_center/queues/{queueId}', operationId: 'getAQueue', read: S.ZccQueue },
  listQueueAgents: { method: 'get', path: '/contact_center/queues/{queueId}/agents', operationId: 'getQueueAgents', read: S.AgentsPage },
  listFlows: { method: 'get', path: '/contact_center/flows', operationId: 'listFlows', read: S.FlowsPage },
  getFlow: { method: 'get', path: '/contact_center/flows/{flowId}', operationId: 'getAFlow', read: S.ZccFlow },
  listFlowEntryPoints: { method: 'get', path: '/contact_center/flows/{flowId}/entry_points', operationId: 'ListFlowEntryPoints', read: S.FlowEntryPoints },
  listAccountEntryPoints: { method: 'get', path: '/contact_center/flows_entry_points', operationId: 'ListentryPoints', read: S.EntryPointsPage },
  listEngagements: { method: 'get', path: '/contact_center/engagements', operationId: 'listEngagements', read: S.EngagementsPage },
  getEngagement: { method: 'get', path: '/contact_center/engagements/{engagementId}', operationId: 'getEngagement', read: S.ZccEngagement },
  getEngagementEvents: {
    method: 'get',
    path: '/contact_center/engagements/{engagementId}/events',
    operationId: 'getEngagementEvents',
    read: S.ZccEngagementEvents,
  },
} as const satisfies Partial<Record<ZoomOperation, { method: string; path: string; operationId: string; read: z.ZodType }>>;
export type ClientOperation = keyof typeof CLIENT_OPERATIONS;

/** Operations in the scope table that the simulator serves but the client does not call yet: their scopes are still Zoom's. */
export const SIM_ONLY_OPERATIONS = {
  getUser: { method: 'get', path: '/contact_center/users/{userId}', operationId: 'userGet' },
  publishFlow: { method: 'put', path: '/contact_center/flows/{flowId}/publish', operationId: 'PublishFlow' },
  listEngagementRecordings: { method: 'get', path: '/contact_center/engagements/{engagementId}/recordings', operationId: 'listEngagementRecordings' },
} as const;

/** Every operation of the scope table that the Contact Center document covers (`listNumbers` is Number Management's). */
export const DOCUMENTED_OPERATIONS: Record<string, { method: string; path: string; operationId: string }> = { ...CLIENT_OPERATIONS, ...SIM_ONLY_OPERATIONS };

export function documentedOperation(doc: Contract, op: string): Json {
  const where = DOCUMENTED_OPERATIONS[op];
  const o = where && doc.paths[where.path]?.[where.method];
  if (!o) throw new ContractViolation(op, [{ path: `/paths/${where?.path}/${where?.method}`, message: 'is not in the document' }]);
  if (o.operationId !== where.operationId) fail(op, [{ path: '/operationId', message: `is ${o.operationId}, expected ${where.operationId}` }]);
  return o;
}

// ---------------------------------------------------------------------------------------------
// Responses

const clone = <T>(v: T): T => JSON.parse(JSON.stringify(v)) as T;
const zdef = (s: z.ZodType): Json => (s as any)._zod.def;

/** Optional, default, nullable and the like: the schema underneath. */
function unwrap(s: z.ZodType): z.ZodType {
  let cur = s;
  for (;;) {
    const d = zdef(cur);
    if (['optional', 'default', 'prefault', 'nullable', 'readonly', 'catch', 'nonoptional'].includes(d.type)) cur = d.innerType;
    else if (d.type === 'pipe') cur = d.in;
    else return cur;
  }
}

function typeProblem(zs: z.ZodType, js: Json, at: string): Problem | undefined {
  const d = zdef(unwrap(zs));
  const docType: string | undefined = js.type;
  const is = (...t: string[]) => docType !== undefined && t.includes(docType);
  switch (d.type) {
    case 'string':
      return is('string') ? undefined : { path: at, message: `is read as a string; the document says ${docType}` };
    case 'number':
    case 'int':
      return is('integer', 'number') ? undefined : { path: at, message: `is read as a number; the document says ${docType}` };
    case 'boolean':
      return is('boolean') ? undefined : { path: at, message: `is read as a boolean; the document says ${docType}` };
    case 'enum': {
      if (!is('string')) return { path: at, message: `is read as an enum of strings; the document says ${docType}` };
      const extra = Object.values(d.entries as Record<string, string>).filter((v) => js.enum && !js.enum.includes(v));
      return extra.length ? { path: at, message: `is read with values the document does not list: ${extra.join(', ')}` } : undefined;
    }
    case 'union': {
      for (const o of d.options as z.ZodType[]) {
        const p = typeProblem(o, js, at);
        if (p) return { path: at, message: `is read as a union whose member ${zdef(unwrap(o)).type} does not fit: ${p.message}` };
      }
      return undefined;
    }
    case 'object':
      return is('object') ? undefined : { path: at, message: `is read as an object; the document says ${docType}` };
    case 'array':
      return is('array') ? undefined : { path: at, message: `is read as an array; the document says ${docType}` };
    default:
      return undefined;
  }
}

/**
 * The documented 200 schema made strict by what our zod schema reads: each field it reads must be
 * documented with a matching type, becomes required, and each object level it reads refuses
 * properties the document does not define. Problems in our zod schema throw.
 */
export function strictResponseSchema(doc: Contract, op: ClientOperation, read: z.ZodType = CLIENT_OPERATIONS[op].read): Json {
  const o = documentedOperation(doc, op);
  const documented = o.responses?.['200']?.content?.['application/json']?.schema as Json | undefined;
  if (!documented) throw new ContractViolation(op, [{ path: '/responses/200', message: 'documents no JSON body' }]);
  const problems: Problem[] = [];
  const tighten = (zs: z.ZodType, js: Json, at: string): void => {
    const p = typeProblem(zs, js, at || '/');
    if (p) return void problems.push(p);
    const d = zdef(unwrap(zs));
    if (d.type === 'array') return tighten(d.element, (js.items ??= {}), `${at}/items`);
    if (d.type !== 'object') return;
    const props = (js.properties ??= {}) as Record<string, Json>;
    const required = new Set<string>(js.required ?? []);
    for (const [key, child] of Object.entries(d.shape as Record<string, z.ZodType>)) {
      if (!props[key]) {
        problems.push({ path: `${at}/${key}`, message: 'is read by our schema but not defined by the document' });
        continue;
      }
      required.add(key);
      tighten(child, props[key], `${at}/${key}`);
    }
    js.required = [...required];
    js.additionalProperties = false;
  };
  const strict = clone(documented);
  tighten(read, strict, '');
  fail(`${op} (our zod schema)`, problems);
  return strict;
}

function makeAjv(): Ajv {
  const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
  ajv.addFormat('date-time', /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})$/);
  ajv.addFormat('date', /^\d{4}-\d{2}-\d{2}$/);
  ajv.addFormat('email', /^[^\s@]+@[^\s@]+\.[^\s@]+$/);
  ajv.addFormat('string', true);
  for (const f of ['int32', 'int64']) ajv.addFormat(f, { type: 'number', validate: Number.isInteger });
  return ajv;
}
const ajv = makeAjv();

/** A 200 body against the strict documented schema; throws naming each offending path (`/flows/0/flow_version`). */
export function checkResponse(doc: Contract, op: ClientOperation, body: unknown, read?: z.ZodType): void {
  const validate = ajv.compile(strictResponseSchema(doc, op, read));
  if (validate(body)) return;
  fail(
    `${op} 200 body`,
    (validate.errors ?? []).map((e) => ({
      path:
        e.keyword === 'required' || e.keyword === 'additionalProperties'
          ? `${e.instancePath}/${String(e.params.missingProperty ?? e.params.additionalProperty)}`
          : e.instancePath || '/',
      message: e.keyword === 'additionalProperties' ? 'is not defined by the document' : (e.message ?? e.keyword),
    })),
  );
}

/** The error codes the document names for a status, each with its text (`**Error Code:** \`3210\` <br> Channel ... is illegal.`). */
export function documentedErrorCodes(doc: Contract, op: string, status: number): Array<{ code: number; text: string }> {
  const text = String(documentedOperation(doc, op).responses?.[String(status)]?.description ?? '');
  return [...text.matchAll(/Error Code:\*\*\s*`(\d+)`\s*(?:<br>)?\s*([^*]*)/g)].map((m) => ({ code: Number(m[1]), text: m[2]!.trim() }));
}

/**
 * A refusal whose status the document describes: Zoom's `{code, message}`; with `param`, the code the
 * document names for that parameter (its text names it), else, without one, any code it names.
 */
export function checkErrorAnswer(doc: Contract, op: string, res: { status: number; body: unknown }, at: string, param?: string): void {
  const problems: Problem[] = [];
  const b = res.body as Json | undefined;
  if (!b || typeof b.code !== 'number' || typeof b.message !== 'string')
    problems.push({ path: at, message: `answered ${JSON.stringify(b)}, not Zoom's {code, message}` });
  const named = documentedErrorCodes(doc, op, res.status);
  const codes = (param === undefined ? named : named.filter((c) => new RegExp(`\\b${param}\\b`, 'i').test(c.text))).map((c) => c.code);
  if (codes.length && b && !codes.includes(b.code))
    problems.push({ path: `${at}/code`, message: `is ${b.code}; the document names ${codes.join(', ')} for ${res.status}` });
  fail(`${op} ${res.status} body`, problems);
}

// ---------------------------------------------------------------------------------------------
// Parameters

interface QueryParam {
  name: string;
  required: boolean;
  deprecated: boolean;
  schema: Json;
}

/** The operation's documented query parameters; a `page_size` without a stated maximum takes the one its 200 answer documents. */
export function documentedQuery(doc: Contract, op: string): QueryParam[] {
  const o = documentedOperation(doc, op);
  const answerPageSize = o.responses?.['200']?.content?.['application/json']?.schema?.properties?.page_size as Json | undefined;
  return ((o.parameters ?? []) as Json[])
    .filter((p) => p.in === 'query')
    .map((p) => {
      const schema = clone(p.schema ?? {});
      if (p.name === 'page_size') {
        schema.minimum ??= 1;
        if (schema.maximum === undefined && answerPageSize?.maximum !== undefined) schema.maximum = answerPageSize.maximum;
      }
      return { name: p.name, required: !!p.required, deprecated: !!p.deprecated, schema };
    });
}

const DATE_OR_INSTANT = /^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}:\d{2}Z)?$/;

function valueProblem(p: QueryParam, value: string, at: string): string | undefined {
  const s = p.schema;
  if (s.type === 'integer' || s.type === 'number') {
    if (!/^-?\d+(\.\d+)?$/.test(value) || (s.type === 'integer' && !Number.isInteger(Number(value)))) return `${value} is not an ${s.type}`;
    const n = Number(value);
    if (s.maximum !== undefined && n > s.maximum) return `${n} is over the documented maximum ${s.maximum}`;
    if (s.minimum !== undefined && n < s.minimum) return `${n} is under the documented minimum ${s.minimum}`;
  }
  if (s.enum && !s.enum.includes(value)) return `${value} is not one of ${s.enum.join(', ')}`;
  // Zoom types engagement windows `format: date` and describes `yyyy-mm-dd` or `yyyy-MM-dd'T'HH:mm:ss'Z'`.
  if (s.format === 'date' && !(DATE_OR_INSTANT.test(value) && !Number.isNaN(Date.parse(value)))) return `${value} is not yyyy-mm-dd or yyyy-MM-ddTHH:mm:ssZ`;
  if (s.format === 'date-time' && Number.isNaN(Date.parse(value))) return `${value} is not a date-time`;
  void at;
  return undefined;
}

/** A query our client sent: only documented, non-deprecated parameters, each within its documented limits, the required ones present. */
export function checkQuery(doc: Contract, op: string, query: Record<string, string | string[]>): void {
  const params = documentedQuery(doc, op);
  const problems: Problem[] = [];
  for (const [name, raw] of Object.entries(query)) {
    const p = params.find((x) => x.name === name);
    const at = `/query/${name}`;
    if (!p) problems.push({ path: at, message: 'is not a documented parameter of this operation' });
    else if (p.deprecated) problems.push({ path: at, message: 'is deprecated in the document' });
    else if (Array.isArray(raw) && p.schema.type !== 'array') problems.push({ path: at, message: 'is sent more than once' });
    else {
      const itemParam = p.schema.type === 'array' ? { ...p, schema: p.schema.items ?? {} } : p;
      for (const v of ([] as string[]).concat(raw)) {
        const why = valueProblem(itemParam, v, at);
        if (why) problems.push({ path: at, message: why });
      }
    }
  }
  for (const p of params) if (p.required && query[p.name] === undefined) problems.push({ path: `/query/${p.name}`, message: 'is required and missing' });
  fail(`${op} query`, problems);
}

export interface LimitProbe {
  param: string;
  /** A query that breaks the documented limit of `param` (and otherwise holds to the document). */
  query: Record<string, string>;
  breaks: string;
}

/** One query per documented limit (maximum, enum, format, required), each outside exactly that limit. */
export function limitProbes(doc: Contract, op: string): LimitProbe[] {
  const params = documentedQuery(doc, op).filter((p) => !p.deprecated);
  const base: Record<string, string> = {};
  for (const p of params) if (p.required) base[p.name] = String(p.schema.enum?.[0] ?? 'x');
  const probes: LimitProbe[] = [];
  for (const p of params) {
    const s = p.schema.type === 'array' ? (p.schema.items ?? {}) : p.schema;
    if (s.maximum !== undefined) probes.push({ param: p.name, query: { ...base, [p.name]: String(s.maximum + 1) }, breaks: `maximum ${s.maximum}` });
    if (s.enum) probes.push({ param: p.name, query: { ...base, [p.name]: 'not_documented' }, breaks: 'enum' });
    if (s.format === 'date') probes.push({ param: p.name, query: { ...base, from: '01/02/2026', to: '01/03/2026' }, breaks: 'format date' });
    if (p.required) {
      const { [p.name]: _drop, ...rest } = base;
      probes.push({ param: p.name, query: rest, breaks: 'required' });
    }
  }
  return probes;
}

/** The simulator's answer to a probe: refused as Zoom refuses it (400 `{code, message}`, the documented code when the document names one). */
export function checkRefusal(doc: Contract, op: string, probe: LimitProbe, res: { status: number; body: unknown }): void {
  const at = `/query/${probe.param}`;
  if (res.status !== 400)
    fail(`${op} ${probe.breaks}`, [{ path: at, message: `breaks the documented ${probe.breaks} but was answered ${res.status}, not 400` }]);
  checkErrorAnswer(doc, op, res, at, probe.param);
}

// ---------------------------------------------------------------------------------------------
// Scopes

/** Our scope table's pair for an operation against the document's `x-macro-scopes`, `x-granular-scopes` and `security`. */
export function checkScopes(doc: Contract, op: string, entry: ZoomEndpoint = ZOOM_ENDPOINTS[op as ZoomOperation]): void {
  const o = documentedOperation(doc, op);
  const ext = (o['x-extensions'] ?? o) as Json;
  const macro: string[] = ext['x-macro-scopes'] ?? [];
  const granular: string[] = ext['x-granular-scopes'] ?? [];
  const security: string[] = ((o.security ?? []) as Json[]).flatMap((s) => (s.openapi_oauth as string[] | undefined) ?? []);
  const [ourMacro, ourGranular] = entry.scopes;
  const problems: Problem[] = [];
  if (!(macro.length === 1 && macro[0] === ourMacro)) problems.push({ path: '/x-macro-scopes', message: `document: ${macro.join(', ')}; ours: ${ourMacro}` });
  if (!(granular.length === 1 && granular[0] === ourGranular))
    problems.push({ path: '/x-granular-scopes', message: `document: ${granular.join(', ')}; ours: ${ourGranular}` });
  if ([...security].sort().join(' ') !== [ourMacro, ourGranular].sort().join(' '))
    problems.push({ path: '/security', message: `document: ${security.join(', ')}; ours: ${ourMacro}, ${ourGranular}` });
  const label = /Rate Limit Label[^`]*`(\w+)`/.exec(String(o.description ?? ''))?.[1];
  if (label !== entry.label) problems.push({ path: '/description (Rate Limit Label)', message: `document: ${label}; ours: ${entry.label}` });
  if (entry.pageSizeMax !== undefined || documentedQuery(doc, op).some((p) => p.name === 'page_size')) {
    const documentedMax = documentedQuery(doc, op).find((p) => p.name === 'page_size')?.schema.maximum;
    if (documentedMax !== entry.pageSizeMax)
      problems.push({ path: '/parameters/page_size/maximum', message: `document: ${documentedMax}; ours: ${entry.pageSizeMax}` });
  }
  fail(`${op} scope table`, problems);
}
