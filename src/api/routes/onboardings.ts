import type { Client } from '@temporalio/client';
import type { FastifyInstance, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { z } from 'zod';
import type { Config } from '../../config';
import { DEFAULT_ONBOARDING_OPTIONS, type OnboardingOptions } from '../../domain/messages';
import type { Progress, StepProgress } from '../../domain/progress';
import { TenantFile } from '../../domain/tenant';
import { storeInlineSecrets } from '../../secret-store';
import { onboardingHandle, orNotFound, startOnboarding } from '../../temporal/client';
import { listOnboardings, ListQuery } from '../../temporal/list';
import { cancelUpdate, completeStepUpdate, progressQuery, retryStepUpdate, skipStepUpdate } from '../../../workflows/messages';
import type { Role } from '../auth';
import type { ApiMetrics } from '../metrics';
import { invalid, ProblemError } from '../problems';
import { tenantOutboundErrors } from '../../integrations/outbound-url';
import { CancelBody, CompleteBody, EmptyBody, SkipBody, StepParams, TenantIdParam } from '../schemas';

export interface RouteDeps {
  client: Client;
  config: Config;
  metrics: ApiMetrics;
  /** Task queue new onboardings go to (tests use their own). */
  taskQueue?: string;
  /** Run timings for new onboardings (tests shorten the summary poll). */
  onboardingOptions?: OnboardingOptions;
}

function parse<S extends z.ZodTypeAny>(schema: S, value: unknown, part: string): z.infer<S> {
  const r = schema.safeParse(value ?? {});
  if (!r.success) throw invalid(part, r.error);
  return r.data;
}

const who = (req: FastifyRequest) => req.principal!.name;

/** The onboarding resources. Every change goes through the workflow's own Updates. */
export function registerOnboardingRoutes(app: FastifyInstance, deps: RouteDeps, role: (r: Role) => { preHandler: preHandlerAsyncHookHandler }): void {
  const { client, config, metrics } = deps;

  app.post('/api/v1/onboardings', role('engineer'), async (req, reply) => {
    const file = parse(TenantFile, req.body, 'body');
    const outbound = tenantOutboundErrors(file, { allowLocal: config.outbound.allowLocalWebhooks }).map((e) => ({ ...e, field: `body.${e.field}` }));
    if (outbound.length) throw new ProblemError(400, 'InvalidInput', outbound.map((e) => `${e.field}: ${e.message}`).join('; '), outbound);
    const tenant = storeInlineSecrets(file, config.stateDir);
    const handle = await startOnboarding(client, { tenant, options: deps.onboardingOptions ?? DEFAULT_ONBOARDING_OPTIONS }, deps.taskQueue ?? config.temporal.taskQueue);
    req.log.info({ tenantId: tenant.tenantId, by: who(req) }, 'onboarding started');
    return reply.code(201).send({ tenantId: tenant.tenantId, workflowId: handle.workflowId, runId: handle.firstExecutionRunId });
  });

  app.get('/api/v1/onboardings', role('viewer'), async (req) => listOnboardings(client, parse(ListQuery, req.query, 'query')));

  app.get('/api/v1/onboardings/:tenantId', role('viewer'), async (req) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    return orNotFound(tenantId, () => onboardingHandle(client, tenantId).query(progressQuery));
  });

  const stepAction = (action: 'complete' | 'retry' | 'skip') =>
    app.post(`/api/v1/onboardings/:tenantId/steps/:stepId/${action}`, role('engineer'), async (req) => {
      const { tenantId, stepId } = parse(StepParams, req.params, 'path');
      const handle = onboardingHandle(client, tenantId);
      const by = who(req);
      let step: StepProgress;
      if (action === 'complete') {
        const { evidence } = parse(CompleteBody, req.body, 'body');
        // No progress query first (a third round trip to the workflow): the Update's answer has all the metric needs.
        step = await orNotFound(tenantId, () => handle.executeUpdate(completeStepUpdate, { args: [{ stepId, evidence, by }] }));
        metrics.observeCompletion(step);
      } else if (action === 'retry') {
        parse(EmptyBody, req.body, 'body');
        step = await orNotFound(tenantId, () => handle.executeUpdate(retryStepUpdate, { args: [{ stepId, by }] }));
      } else {
        const { reason } = parse(SkipBody, req.body, 'body');
        step = await orNotFound(tenantId, () => handle.executeUpdate(skipStepUpdate, { args: [{ stepId, reason, by }] }));
      }
      const progress: Progress = await handle.query(progressQuery);
      req.log.info({ tenantId, stepId, action, by, state: step.state }, 'step action');
      return { step, progress };
    });
  stepAction('complete');
  stepAction('retry');
  stepAction('skip');

  app.post('/api/v1/onboardings/:tenantId/cancel', role('engineer'), async (req) => {
    const { tenantId } = parse(TenantIdParam, req.params, 'path');
    const { reason } = parse(CancelBody, req.body, 'body');
    return orNotFound(tenantId, () => onboardingHandle(client, tenantId).executeUpdate(cancelUpdate, { args: [{ reason, by: who(req) }] }));
  });
}
