import type { FastifyInstance, preHandlerAsyncHookHandler } from 'fastify';
import { z } from 'zod';
import { CURRENT_CATALOGUE_VERSION, stepsOfEveryCatalogue, type StepDefinition } from '../../domain/steps';
import type { Role } from '../auth';

/** One step of the catalogue as readers see it; a console step's evidence is a JSON Schema (its fields' titles, descriptions, examples). */
export const CatalogueStep = z.object({
  id: z.string(),
  title: z.string(),
  phase: z.string(),
  side: z.enum(['kore', 'zoom']),
  kind: z.enum(['auto', 'human']),
  skippable: z.boolean(),
  evidence: z.record(z.string(), z.unknown()).optional(),
});
export const StepCatalogue = z.object({ version: z.number(), steps: z.array(CatalogueStep) });
export type StepCatalogue = z.infer<typeof StepCatalogue>;

const evidenceSchema = (def: StepDefinition) =>
  def.kind === 'human'
    ? (z.toJSONSchema(def.evidence, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>)
    : undefined;

/**
 * Every step any run may hold: the current catalogue's, then those only older catalogues have (a
 * run keeps the catalogue it started with). Built once: the step files do not change while we run.
 */
export function stepCatalogue(): StepCatalogue {
  const seen = stepsOfEveryCatalogue();
  return {
    version: CURRENT_CATALOGUE_VERSION,
    steps: [...seen.values()].map((def) => ({
      id: def.id,
      title: def.title,
      phase: def.phase,
      side: def.side,
      kind: def.kind,
      skippable: def.skippable,
      ...(def.kind === 'human' ? { evidence: evidenceSchema(def) } : {}),
    })),
  };
}

/** `GET /api/v1/steps`: the step catalogue, for forms generated from the evidence schemas (the dashboard's). */
export function registerStepRoutes(app: FastifyInstance, role: (r: Role) => { preHandler: preHandlerAsyncHookHandler }): void {
  const catalogue = stepCatalogue();
  app.get('/api/v1/steps', role('viewer'), async () => catalogue);
}
