import { AuditQuery, Offboarding, Progress, SignOffRecord } from '../app';
import { ListQuery } from '../temporal/list';
import { COUNTS_TTL_MS } from './metrics';
import { healthPaths } from './openapi-health';
import { body, json, output, problemAs, problems, progressEvent, queryParams, role, schema, secured, stepId, tenantId, type Json } from './openapi-parts';
import { refuseProtoKeysInBodies, SAFE_JSON } from './openapi-json';
import { stateTextRules } from './openapi-text';
import { tenantFileSchema, tenantPatchSchema, type TenantDocOptions } from './openapi-tenant';
import { MAX_PARAM_LENGTH, Problem } from './problems';
import { SESSION_HOURS } from './session';
import { MAX_EVENT_ID } from './routes/events';
import { stepPaths } from './openapi-steps';
import { MAX_FUTURE_SKEW_SECONDS, MAX_SKEW_SECONDS } from './routes/zoom-webhook';
import {
  AmendBody,
  AmendResult,
  AuditPage,
  CancelBody,
  OffboardBody,
  CodecAnswer,
  CodecBody,
  CompleteBody,
  Health,
  Me,
  OnboardingPage,
  ProgressQuery,
  RecordQuery,
  ReopenBody,
  ReopenResult,
  RetryBody,
  Session,
  SkipBody,
  Started,
  StepResult,
} from './schemas';
import type { z } from 'zod';

const sessionSecured = [{ bearer: [] }, { session: [] }];
const codecOp = (summary: string, needed: 'viewer' | 'engineer') => ({
  post: {
    summary,
    description:
      "Temporal's remote-codec protocol: a Payloads message in protobuf JSON, as the Web UI and `temporal --codec-endpoint` send it. " +
      "Any protobuf-JSON form is read: `payloads`, a payload's `metadata` or `data` absent or null mean empty (`{}` is no payloads); " +
      'bytes in standard or URL-safe base64, padded or not. The answer is canonical: every field present, standard padded base64.',
    security: sessionSecured,
    ...role(needed),
    requestBody: body(CodecBody),
    responses: { '200': { description: 'The payloads, same order', content: json(CodecAnswer) }, ...problems(400, 401, 403, 413, 422) },
  },
  options: {
    summary: 'CORS preflight for an origin in ONBOARD_CODEC_CORS_ORIGINS',
    parameters: [{ name: 'Origin', in: 'header', required: true, schema: { type: 'string' }, description: 'The Web UI origin asking' }],
    responses: { '204': { description: 'Allowed' }, ...problemAs(403, 'The origin is not in ONBOARD_CODEC_CORS_ORIGINS (`OriginNotAllowed`)') },
  },
});

const stepAction = (summary: string, req?: z.ZodTypeAny, res: z.ZodTypeAny = StepResult, bodyRequired = true) => ({
  post: {
    summary,
    security: secured,
    ...role('engineer'),
    parameters: [tenantId, stepId],
    ...(req ? { requestBody: { ...body(req), required: bodyRequired } } : {}),
    responses: { '200': { description: "The step and the run's progress", content: json(res) }, ...problems(400, 401, 403, 404, 409, 422) },
  },
});

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas the routes validate with, and from
 * the deployment's settings where a rule depends on them (the notify webhook's). A known path asked
 * with a method it does not have is a 405 with `Allow` (src/api/methods.ts), on every path.
 */
export function openApiDocument(o: TenantDocOptions = {}): Json {
  const listParams = queryParams(ListQuery);
  const tenant = tenantFileSchema(o);
  const amend = schema(AmendBody);
  (amend.properties as Record<string, Json>).changes = {
    ...tenantPatchSchema(tenant),
    description: ((amend.properties as Record<string, Json>).changes as Json).description,
  };
  // A copy: the post-processing below edits in place, and zod hands out the same meta objects to every call.
  const doc = structuredClone({
    openapi: '3.1.0',
    info: {
      title: 'kore-zcc-onboarding API',
      version: '1',
      description: "Start, follow and complete Kore.ai <-> Zoom Contact Center onboardings. Every change goes through the tenant workflow's own Updates.",
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A token from ONBOARD_API_TOKENS(_FILE); `onboard dev` prints a local one' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: 'onboard_session',
          description: `Set by POST /api/v1/session; accepted by /codec only (for the Temporal Web UI); lasts at most ${SESSION_HOURS} h; ended by DELETE /codec/session`,
        },
      },
      schemas: { Problem: output(Problem) },
    },
    paths: {
      '/api/v1/onboardings': {
        post: {
          summary: "Start a tenant's onboarding",
          security: secured,
          ...role('engineer'),
          requestBody: { required: true, content: { 'application/json': { schema: tenant } } },
          responses: { '201': { description: 'Started', content: json(Started) }, ...problems(400, 401, 403, 409, 413) },
        },
        get: {
          summary: 'List onboardings (Temporal visibility), paged',
          security: secured,
          ...role('viewer'),
          parameters: listParams,
          responses: { '200': { description: 'A page', content: json(OnboardingPage) }, ...problems(400, 401) },
        },
      },
      '/api/v1/onboardings/{tenantId}': {
        get: {
          summary:
            "A tenant's progress as the run last published it (its read model: a lookup, no replay), or with `consistent=true` the workflow's `progress` query; never holds a secret",
          security: secured,
          ...role('viewer'),
          parameters: [tenantId, ...queryParams(ProgressQuery)],
          responses: { '200': { description: 'Progress', content: json(Progress) }, ...problems(400, 401, 404) },
        },
      },
      '/api/v1/onboardings/{tenantId}/events': {
        get: {
          summary:
            "A tenant's progress as Server-Sent Events: one `progress` event (data: the progress document, id: the run's last change) at once and on each change, within a second; send `Last-Event-ID` on reconnect to get only what is newer. Authenticate with the bearer header (read it with fetch; EventSource cannot send it)",
          security: secured,
          ...role('viewer'),
          parameters: [tenantId, { name: 'Last-Event-ID', in: 'header', required: false, schema: { type: 'string', maxLength: MAX_EVENT_ID } }],
          responses: {
            '200': { description: 'An event stream; its schema is one event', content: { 'text/event-stream': { schema: progressEvent() } } },
            ...problems(400, 401, 404),
          },
        },
      },
      '/api/v1/onboardings/{tenantId}/record': {
        get: {
          summary:
            'The sign-off record a customer or change board signs: the tenant (no secret), each step with who, when, evidence (redacted as in progress) and duration, what the vendors answered, every reopen and amendment with its reason, durations per side',
          security: secured,
          ...role('viewer'),
          parameters: [tenantId, ...queryParams(RecordQuery)],
          responses: {
            '200': {
              description: 'The record: JSON (format=json, the default), Markdown (format=md) or a self-contained printable HTML page (format=html)',
              content: {
                'application/json': { schema: output(SignOffRecord) },
                'text/markdown': { schema: { type: 'string' } },
                'text/html': { schema: { type: 'string' } },
              },
            },
            ...problems(400, 401, 404),
          },
        },
      },
      '/api/v1/onboardings/{tenantId}/steps/{stepId}/complete': stepAction("Complete a human step with its evidence (who: the token's person)", CompleteBody),
      '/api/v1/onboardings/{tenantId}/audit': {
        get: {
          summary:
            "A tenant's audit trail, paged: every accepted action and refusal with who, when, through what and the evidence's digest (read from the run's history, not by a query)",
          security: secured,
          ...role('viewer'),
          parameters: [tenantId, ...queryParams(AuditQuery)],
          responses: { '200': { description: 'A page of entries, oldest first', content: json(AuditPage) }, ...problems(400, 401, 404) },
        },
      },
      '/api/v1/onboardings/{tenantId}/steps/{stepId}/retry': stepAction('Retry a step that needs attention', RetryBody, StepResult, false),
      '/api/v1/onboardings/{tenantId}/steps/{stepId}/skip': stepAction('Skip a skippable step, with a reason', SkipBody),
      '/api/v1/onboardings/{tenantId}/steps/{stepId}/reopen': stepAction(
        "Send a done or skipped step back (open, or run again) with every finished step that depends on it, each keeping its evidence as `previous` (who: the token's person)",
        ReopenBody,
        ReopenResult,
      ),
      '/api/v1/onboardings/{tenantId}/tenant': {
        patch: {
          summary:
            "Amend a running onboarding's tenant (a JSON merge patch, validated as a whole tenant); the finished steps that read a changed field go back, with their finished dependents (who: the token's person)",
          security: secured,
          ...role('engineer'),
          parameters: [tenantId],
          requestBody: { required: true, content: { 'application/json': { schema: amend } } },
          responses: {
            '200': { description: "The steps sent back and the run's progress", content: json(AmendResult) },
            ...problems(400, 401, 403, 404, 409, 413, 422),
          },
        },
      },
      '/api/v1/onboardings/{tenantId}/cancel': {
        post: {
          summary: "Cancel a tenant's onboarding",
          security: secured,
          ...role('engineer'),
          parameters: [tenantId],
          requestBody: body(CancelBody),
          responses: { '200': { description: 'The final progress', content: json(Progress) }, ...problems(400, 401, 403, 404, 409) },
        },
      },
      '/api/v1/onboardings/{tenantId}/offboard': {
        post: {
          summary:
            "Offboard a tenant: cancel its onboarding if it still runs, delete its stored secrets, and note who and why; its history, record and audit stay readable (who: the token's person)",
          security: secured,
          ...role('engineer'),
          parameters: [tenantId],
          requestBody: body(OffboardBody),
          responses: { '200': { description: 'What was done', content: json(Offboarding) }, ...problems(400, 401, 403, 404) },
        },
      },
      ...healthPaths(),
      ...stepPaths(),
      '/api/v1/me': {
        get: {
          summary: 'Who the token belongs to',
          security: secured,
          ...role('viewer'),
          responses: { '200': { description: 'The person', content: json(Me) }, ...problems(401) },
        },
      },
      '/api/v1/session': {
        post: {
          summary: "Sign in the browser for the Temporal Web UI's codec calls: sets an HttpOnly session cookie scoped to /codec",
          security: secured,
          ...role('viewer'),
          responses: { '200': { description: 'The person and how long the session lasts', content: json(Session) }, ...problems(401) },
        },
        delete: {
          summary: "Sign out everywhere: with the bearer token, ends every session of that token on the server; clears this browser's cookie",
          responses: { '204': { description: 'Signed out' } },
        },
      },
      '/codec/session': {
        delete: {
          summary:
            "Sign out this browser: ends the session in the cookie (sent only to /codec) on the server, and clears the cookie (the dashboard's Sign out)",
          responses: { '204': { description: 'Signed out' } },
        },
      },
      '/codec/decode': codecOp('Decrypt payloads for the Temporal Web UI or CLI (viewer role)', 'viewer'),
      '/codec/encode': codecOp('Encrypt payloads for the Temporal Web UI or CLI (engineer role)', 'engineer'),
      '/healthz': {
        get: {
          summary: 'Liveness, and whether Temporal answers',
          responses: { '200': { description: 'OK', content: json(Health) }, '503': { description: 'Temporal unreachable', content: json(Health) } },
        },
      },
      '/metrics': {
        get: {
          summary: 'Prometheus metrics',
          description:
            'Open unless ONBOARD_METRICS_TOKEN is set; then only a scrape with `Authorization: Bearer <ONBOARD_METRICS_TOKEN>` (API tokens do not count). ' +
            `Onboardings by status, and each live tenant's health checks (\`onboard_tenant_health{tenant,check}\`: 0 ok, 1 warning, 2 failing), are read from Temporal at most every ${COUNTS_TTL_MS / 1000} s.`,
          responses: {
            '200': { description: 'Text exposition format', content: { 'text/plain': { schema: { type: 'string' } } } },
            ...problemAs(401, 'ONBOARD_METRICS_TOKEN is set and the scrape did not send it'),
          },
        },
      },
      '/webhooks/zoom': {
        post: {
          summary: 'Zoom event subscription endpoint (x-zm-signature; URL validation; engagement events complete place-test-call)',
          description:
            `Each signed event is accepted once: x-zm-request-timestamp at most ${MAX_SKEW_SECONDS} s old (\`StaleTimestamp\`) and at most ${MAX_FUTURE_SKEW_SECONDS} s ahead (\`FutureTimestamp\`); ` +
            'the same timestamp and signature again within that window is a 409 `ReplayedEvent`.',
          responses: {
            '200': { description: 'URL validation answer' },
            '204': { description: 'Accepted' },
            ...problems(400, 401, 404),
            ...problemAs(409, 'The same signed event again (`ReplayedEvent`)'),
            ...problemAs(429, 'Too many events in the replay window (`WebhookBusy`); see Retry-After'),
          },
        },
      },
    },
  }) as Json & { components: { schemas: Json }; paths: Record<string, Record<string, Json>> };
  doc.components.schemas.Json = SAFE_JSON;
  // Every operation with a path parameter: a segment past the router's limit is refused before the route.
  for (const item of Object.values(doc.paths))
    for (const op of Object.values(item))
      if ((op.parameters as Array<{ in: string }> | undefined)?.some((p) => p.in === 'path'))
        Object.assign(op.responses as Json, problemAs(414, `A path segment longer than ${MAX_PARAM_LENGTH} characters`));
  // Every operation on onboardings reads or writes Temporal, which may not answer in time.
  for (const [p, item] of Object.entries(doc.paths))
    if (p.startsWith('/api/v1/onboardings'))
      for (const op of Object.values(item))
        Object.assign(
          op.responses as Json,
          problemAs(
            503,
            'Temporal, or the worker that must answer for the run (a consistent read, a step action), did not answer in time (`TemporalUnavailable`); see Retry-After',
          ),
        );
  refuseProtoKeysInBodies(doc.paths);
  return stateTextRules(doc);
}
