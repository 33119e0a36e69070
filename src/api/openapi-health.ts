import type { z } from 'zod';
import * as p from './openapi-parts';
import { EmptyBody, HealthEnableBody, HealthView } from './schemas';

/** The health-check operations of the OpenAPI document (routes in src/api/routes/health.ts). */
export function healthPaths(): Record<string, unknown> {
  const view = {
    '200': { description: "The tenant's health: status, each check's last result with the vendor's answer, trend, notices", content: p.json(HealthView) },
  };
  const none = 'no health checks run for the tenant (`NoHealthChecks`: none yet, as its onboarding is not complete, or stopped)';
  const action = (summary: string, req: z.ZodTypeAny, conflicts: string) => ({
    post: {
      summary,
      security: p.secured,
      ...p.role('engineer'),
      parameters: [p.tenantId],
      requestBody: { ...p.body(req), required: false },
      responses: { ...view, ...p.problems(400, 401, 403, 404), ...p.problemAs(409, conflicts) },
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
        responses: { ...view, ...p.problems(400, 401, 404), ...p.problemAs(409, `The tenant is known, but ${none}`) },
      },
    },
    '/api/v1/onboardings/{tenantId}/health/run': action(
      'Run every health check now; answers once they are done',
      EmptyBody,
      `The tenant is known, but ${none}, or stopped checks are closing (\`RunFinished\`)`,
    ),
    '/api/v1/onboardings/{tenantId}/health/enable': action(
      "Turn a completed onboarding's health checks on (starting them if none run), optionally at another cadence",
      HealthEnableBody,
      'The onboarding is not complete or was offboarded (`HealthConflict`), or stopped checks are closing (`RunFinished`)',
    ),
    '/api/v1/onboardings/{tenantId}/health/disable': action(
      'Pause the health checks (results, trend and notices are kept)',
      EmptyBody,
      `The tenant is known, but ${none}, or stopped checks are closing (\`RunFinished\`)`,
    ),
  };
}
