import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { AuditQuery, ListQuery, OnboardingNotFound, renderRecord, type Onboardings, type UpdateAnswer } from '../../app';
import { TenantFile } from '../../domain/tenant';
import { seesTenant, type Role } from '../auth';
import type { ApiMetrics } from '../metrics';
import { invalid, ProblemError } from '../problems';
import {
  AmendBody,
  CancelBody,
  CompleteBody,
  OffboardBody,
  ProgressQuery,
  RecordQuery,
  ReopenBody,
  RetryBody,
  SkipBody,
  StepParams,
  TenantIdParam,
} from '../schemas';

export interface RouteDeps {
  onboardings: Onboardings;
  metrics: ApiMetrics;
}

export function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: string): z.infer<S> {
  // No body is an empty one where the document makes the body optional; a JSON `null` is no object (schemathesis).
  const r = schema.safeParse(value === undefined ? {} : value);
  if (!r.success) throw invalid(part, r.error);
  return r.data;
}

export const who = (req: FastifyRequest) => req.principal!.name;
/** Every message from the API: `by` is the token's person (vouched for by the token), never a field of the body. */
export const caller = (req: FastifyRequest) => ({ by: who(req), via: 'api' as const, byVerified: true });

/**
 * The path's tenant, if the token may see it: to a token scoped to other tenants it is "not
 * found", word for word as an unknown tenant, so a scoped token learns nothing of the others.
 */
export function tenantOf<S extends typeof TenantIdParam | typeof StepParams>(req: FastifyRequest, schema: S): z.infer<S> {
  const params = parse(schema, req.params, 'path') as z.infer<S>;
  const { tenantId } = params as { tenantId: string };
  if (!seesTenant(req.principal!, tenantId))
    throw new OnboardingNotFound(`no onboarding for tenant ${tenantId}; start one with \`onboard start <tenant.json>\``);
  return params;
}

/**
 * Temporal answers an Update id it has seen with that Update's first answer, whatever is asked this
 * time, so an id a client already used for another action (or step) would come back as that
 * action's answer, in another shape. Such an answer is refused instead, naming the field.
 */
function firstAnswerFits(answer: { step: { id: string } | null; reopened?: unknown }, asked: { stepId?: string; reopens: boolean }, updateId?: string): void {
  if (!updateId) return;
  if ((answer.step?.id ?? undefined) === asked.stepId && Array.isArray(answer.reopened) === asked.reopens) return;
  throw new ProblemError(409, 'UpdateIdReused', `body.updateId: ${updateId} already answered another action of this onboarding; send a new id`, [
    { field: 'body.updateId', message: 'already answered another action of this onboarding' },
  ]);
}

/** The onboarding resources, each a call of the application layer (src/app); `by` is the token's person. */
export function registerOnboardingRoutes(app: FastifyInstance, deps: RouteDeps, role: (r: Role) => { preHandler: preHandlerAsyncHookHandler }): void {
  const { onboardings, metrics } = deps;

  app.post('/api/v1/onboardings', role('engineer'), async (req, reply) => {
    // API callers (and the dashboard) give secrets inline or as store: references of the same
    // tenant; env: and file: references are an operator's feature (`onboard start`).
    const file = parse(TenantFile, req.body, 'body');
    if (!seesTenant(req.principal!, file.tenantId))
      throw new ProblemError(403, 'Forbidden', `${who(req)}'s token acts on tenants ${req.principal!.tenants!.join(', ')} only`, [
        { field: 'body.tenantId', message: 'is not a tenant of this token' },
      ]);
    const started = await onboardings.start(file, { secretRefs: 'caller', startedBy: caller(req) });
    req.log.info({ tenantId: started.tenantId, by: who(req) }, 'onboarding started');
    return reply.code(201).send({ tenantId: started.tenantId, workflowId: started.workflowId, runId: started.runId });
  });

  app.get('/api/v1/onboardings', role('viewer'), async (req) =>
    onboardings.list({ ...parse(ListQuery, req.query, 'query'), tenantIds: req.principal!.tenants }),
  );

  app.get('/api/v1/onboardings/:tenantId', role('viewer'), async (req) =>
    onboardings.progress(tenantOf(req, TenantIdParam).tenantId, { consistent: parse(ProgressQuery, req.query, 'query').consistent }),
  );

  // Read from the run's history, not by a query (src/app/audit.ts): works after the run ended and with no worker.
  app.get('/api/v1/onboardings/:tenantId/audit', role('viewer'), async (req) =>
    onboardings.audit(tenantOf(req, TenantIdParam).tenantId, parse(AuditQuery, req.query, 'query')),
  );

  // What a customer or change board signs: read-only, so a viewer may fetch it, like progress.
  app.get('/api/v1/onboardings/:tenantId/record', role('viewer'), async (req, reply) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const { format } = parse(RecordQuery, req.query, 'query');
    const { body, contentType } = renderRecord(await onboardings.record(tenantId), format);
    return reply.type(contentType).send(body);
  });

  const stepAction = (action: 'complete' | 'retry' | 'skip', act: (tenantId: string, stepId: string, req: FastifyRequest) => Promise<UpdateAnswer>) =>
    app.post(`/api/v1/onboardings/:tenantId/steps/:stepId/${action}`, role('engineer'), async (req) => {
      const { tenantId, stepId } = tenantOf(req, StepParams);
      const answer = await act(tenantId, stepId, req);
      firstAnswerFits(answer, { stepId, reopens: false }, (req.body as { updateId?: string } | undefined)?.updateId);
      const { step, run } = answer;
      // The Update's answer holds the step's opening time, which the wait metric needs.
      if (action === 'complete') metrics.observeCompletion(step);
      // The read model the run published with the Update's answer (same workflow task): no query.
      const progress = await onboardings.progress(tenantId);
      req.log.info({ tenantId, stepId, action, by: who(req), state: step.state }, 'step action');
      return { step, run, progress };
    });
  stepAction('complete', async (tenantId, stepId, req) => {
    const { evidence, updateId } = parse(CompleteBody, req.body, 'body');
    return onboardings.complete(tenantId, { stepId, evidence, ...caller(req) }, { updateId });
  });
  stepAction('retry', (tenantId, stepId, req) => {
    const { updateId } = parse(RetryBody, req.body, 'body');
    return onboardings.retry(tenantId, { stepId, ...caller(req) }, { updateId });
  });
  stepAction('skip', (tenantId, stepId, req) => {
    const { reason, updateId } = parse(SkipBody, req.body, 'body');
    return onboardings.skip(tenantId, { stepId, reason, ...caller(req) }, { updateId });
  });

  app.post('/api/v1/onboardings/:tenantId/steps/:stepId/reopen', role('engineer'), async (req) => {
    const { tenantId, stepId } = tenantOf(req, StepParams);
    const { reason, updateId } = parse(ReopenBody, req.body, 'body');
    const answer = await onboardings.reopen(tenantId, { stepId, reason, ...caller(req) }, { updateId });
    firstAnswerFits(answer, { stepId, reopens: true }, updateId);
    const { step, run, reopened } = answer;
    req.log.info({ tenantId, stepId, action: 'reopen', by: who(req), reopened }, 'step action');
    return { step, run, reopened, progress: await onboardings.progress(tenantId) };
  });

  app.patch('/api/v1/onboardings/:tenantId/tenant', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const { changes, reason, updateId } = parse(AmendBody, req.body, 'body');
    // As at the start: secrets inline (moved to the store) or store: references of this tenant.
    const answer = await onboardings.amend(tenantId, { changes, reason, ...caller(req) }, { secretRefs: 'caller', updateId });
    firstAnswerFits(answer, { reopens: true }, updateId);
    const { reopened } = answer;
    req.log.info({ tenantId, action: 'amend', fields: Object.keys(changes), by: who(req), reopened }, 'tenant amended');
    return { reopened, progress: await onboardings.progress(tenantId) };
  });

  app.post('/api/v1/onboardings/:tenantId/cancel', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const { reason, updateId } = parse(CancelBody, req.body, 'body');
    firstAnswerFits(await onboardings.cancel(tenantId, { reason, ...caller(req) }, { updateId }), { reopens: false }, updateId);
    return onboardings.progress(tenantId);
  });

  app.post('/api/v1/onboardings/:tenantId/offboard', role('engineer'), async (req) => {
    const { tenantId } = tenantOf(req, TenantIdParam);
    const { reason } = parse(OffboardBody, req.body, 'body');
    const done = await onboardings.offboard(tenantId, { reason, ...caller(req) });
    req.log.info({ tenantId, action: 'offboard', by: done.by, runStatus: done.runStatus, secretFilesDeleted: done.secretFilesDeleted }, 'tenant offboarded');
    return done;
  });
}
