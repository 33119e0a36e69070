import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import { ListQuery, renderRecord, type Onboardings, type UpdateAnswer } from '../../app';
import { TenantFile } from '../../domain/tenant';
import type { Role } from '../auth';
import type { ApiMetrics } from '../metrics';
import { invalid } from '../problems';
import { AmendBody, CancelBody, CompleteBody, EmptyBody, RecordQuery, ReopenBody, SkipBody, StepParams, TenantIdParam } from '../schemas';

export interface RouteDeps {
  onboardings: Onboardings;
  metrics: ApiMetrics;
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalid(part, r.error);
  return r.data;
}

const who = (req: FastifyRequest) => req.principal!.name;

/** The onboarding resources, each a call of the application layer (src/app); `by` is the token's person. */
export function registerOnboardingRoutes(app: FastifyInstance, deps: RouteDeps, role: (r: Role) => { preHandler: preHandlerAsyncHookHandler }): void {
  const { onboardings, metrics } = deps;

  app.post('/api/v1/onboardings', role('engineer'), async (req, reply) => {
    // API callers (and the dashboard) give secrets inline or as store: references of the same
    // tenant; env: and file: references are an operator's feature (`onboard start`).
    const started = await onboardings.start(parse(TenantFile, req.body, 'body'), { secretRefs: 'caller' });
    req.log.info({ tenantId: started.tenantId, by: who(req) }, 'onboarding started');
    return reply.code(201).send({ tenantId: started.tenantId, workflowId: started.workflowId, runId: started.runId });
  });

  app.get('/api/v1/onboardings', role('viewer'), async (req) => onboardings.list(parse(ListQuery, req.query, 'query')));

  app.get('/api/v1/onboardings/:tenantId', role('viewer'), async (req) => onboardings.progress(parse(TenantIdParam, req.params, 'path').tenantId));

  // What a customer or change board signs: read-only, so a viewer may fetch it, like progress.
  app.get('/api/v1/onboardings/:tenantId/record', role('viewer'), async (req, reply) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    const { format } = parse(RecordQuery, req.query, 'query');
    const { body, contentType } = renderRecord(await onboardings.record(tenantId), format);
    return reply.type(contentType).send(body);
  });

  const stepAction = (action: 'complete' | 'retry' | 'skip', act: (tenantId: string, stepId: string, req: FastifyRequest) => Promise<UpdateAnswer>) =>
    app.post(`/api/v1/onboardings/:tenantId/steps/:stepId/${action}`, role('engineer'), async (req) => {
      const { tenantId, stepId } = parse(StepParams, req.params, 'path');
      const { step } = await act(tenantId, stepId, req);
      const progress = await onboardings.progress(tenantId);
      req.log.info({ tenantId, stepId, action, by: who(req), state: step.state }, 'step action');
      return { step, progress };
    });
  stepAction('complete', async (tenantId, stepId, req) => {
    const { evidence } = parse(CompleteBody, req.body, 'body');
    // The Update's answer holds the step's opening time, which the wait metric needs.
    const answer = await onboardings.complete(tenantId, { stepId, evidence, by: who(req) });
    metrics.observeCompletion(answer.step);
    return answer;
  });
  stepAction('retry', (tenantId, stepId, req) => {
    parse(EmptyBody, req.body, 'body');
    return onboardings.retry(tenantId, { stepId, by: who(req) });
  });
  stepAction('skip', (tenantId, stepId, req) => onboardings.skip(tenantId, { stepId, reason: parse(SkipBody, req.body, 'body').reason, by: who(req) }));

  app.post('/api/v1/onboardings/:tenantId/steps/:stepId/reopen', role('engineer'), async (req) => {
    const { tenantId, stepId } = parse(StepParams, req.params, 'path');
    const { reason } = parse(ReopenBody, req.body, 'body');
    const { step, reopened } = await onboardings.reopen(tenantId, { stepId, reason, by: who(req) });
    req.log.info({ tenantId, stepId, action: 'reopen', by: who(req), reopened }, 'step action');
    return { step, reopened, progress: await onboardings.progress(tenantId) };
  });

  app.patch('/api/v1/onboardings/:tenantId/tenant', role('engineer'), async (req) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    const { changes, reason } = parse(AmendBody, req.body, 'body');
    // As at the start: secrets inline (moved to the store) or store: references of this tenant.
    const { reopened } = await onboardings.amend(tenantId, { changes, reason, by: who(req) }, { secretRefs: 'caller' });
    req.log.info({ tenantId, action: 'amend', fields: Object.keys(changes), by: who(req), reopened }, 'tenant amended');
    return { reopened, progress: await onboardings.progress(tenantId) };
  });

  app.post('/api/v1/onboardings/:tenantId/cancel', role('engineer'), async (req) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    const { reason } = parse(CancelBody, req.body, 'body');
    await onboardings.cancel(tenantId, { reason, by: who(req) });
    return onboardings.progress(tenantId);
  });

  app.post('/api/v1/onboardings/:tenantId/offboard', role('engineer'), async (req) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    const { reason } = parse(CancelBody, req.body, 'body');
    const done = await onboardings.offboard(tenantId, { reason, by: who(req) });
    req.log.info({ tenantId, action: 'offboard', by: done.by, runStatus: done.runStatus, secretFilesDeleted: done.secretFilesDeleted }, 'tenant offboarded');
    return done;
  });
}
