import * as p from './openapi-parts';
import { StepCatalogue } from './routes/steps';

/** The step catalogue's operation in the OpenAPI document (route in src/api/routes/steps.ts). */
export function stepPaths(): Record<string, unknown> {
  return {
    '/api/v1/steps': {
      get: {
        summary: 'The step catalogue: each step with its evidence as a JSON Schema (labels, help, examples and formats from the step files), for forms',
        security: p.secured,
        ...p.role('viewer'),
        responses: { '200': { description: 'Every step a run may hold, current catalogue first', content: p.json(StepCatalogue) }, ...p.problems(401) },
      },
    },
  };
}
