import type { z } from 'zod';
import { EmptyBody, HealthEnableBody, HealthView } from './schemas';

/** The pieces of src/api/openapi.ts an operation is written with. */
interface Parts {
  json: (s: z.ZodTypeAny) => Record<string, unknown>;
  body: (s: z.ZodTypeAny) => Record<string, unknown>;
  problems: (...statuses: number[]) => Record<string, unknown>;
  problemAs: (status: number, description: string) => Record<string, unknown>;
  role: (r: 'viewer' | 'engineer') => Record<string, string>;
  tenantId: Record<string, unknown>;
  secured: Array<Record<string, string[]>>;
}

/** The health-check operations of the OpenAPI document (routes in src/api/routes/health.ts). */
export function healthPaths(p: Parts): Record<string, unknown> {
  const view = {
    '200': { description: "The tenant's health: status, each check's last result with the vendor's answer, trend, notices", content: p.json(HealthView) },
  };
  const action = (summary: string, req: z.ZodTypeAny, ...statuses: number[]) => ({
    post: {
      summary,
      security: p.secured,
      ...p.role('engineer'),
      parameters: [p.tenantId],
      requestBody: { ...p.body(req), required: false },
      responses: {
        ...view,
        ...p.problems(400, 401, 403, ...statuses),
        ...p.problemAs(404, 'Unknown tenant, or no health checks run for it (`NoHealthChecks`)'),
      },
    },
  });
  return {
    '/api/v1/onboardings/{tenantId}/health': {
      get: {
        summary:
          "A live tenant's health checks (workflow tenant-health-<tenantId>, started when its onboarding completed): the last results (ok, warning or failing, with the vendor's answer), what is not checked and why, a trend and the notices sent",
        security: p.secured,
        ...p.role('viewer'),
        parameters: [p.tenantId],
        responses: { ...view, ...p.problems(401), ...p.problemAs(404, 'Unknown tenant, or no health checks run for it (`NoHealthChecks`)') },
      },
    },
    '/api/v1/onboardings/{tenantId}/health/run': action(
      'Run every health check now; answers once they are done (409 `RunFinished` while stopped checks close)',
      EmptyBody,
      409,
    ),
    '/api/v1/onboardings/{tenantId}/health/enable': action(
      "Turn a completed onboarding's health checks on (starting them if none run), optionally at another cadence; 409 `HealthConflict` while the onboarding is not complete or after an offboarding, `RunFinished` while stopped checks close",
      HealthEnableBody,
      409,
    ),
    '/api/v1/onboardings/{tenantId}/health/disable': action(
      'Pause the health checks (results, trend and notices are kept; 409 `RunFinished` while stopped checks close)',
      EmptyBody,
      409,
    ),
  };
}
