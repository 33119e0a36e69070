import { z } from 'zod';
import { Progress } from '../app';
import { StepParams, TenantIdParam } from './schemas';

/** The pieces the OpenAPI document (src/api/openapi.ts, openapi-health.ts) is written with, from the zod schemas the routes validate with. */
export type Json = Record<string, unknown>;

export const schema = (s: z.ZodTypeAny) => z.toJSONSchema(s, { io: 'input', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;
export const output = (s: z.ZodTypeAny) => z.toJSONSchema(s, { io: 'output', unrepresentable: 'any', target: 'draft-2020-12' }) as Json;

export const json = (s: z.ZodTypeAny) => ({ 'application/json': { schema: output(s) } });
export const body = (s: z.ZodTypeAny) => ({ required: true, content: { 'application/json': { schema: schema(s) } } });

const PROBLEM_TEXT: Record<number, string> = {
  400: 'Invalid request (per-field errors)',
  401: 'No or unknown bearer token',
  403: "The token's role may not do this",
  404: 'Unknown tenant (or step)',
  409: "Conflicts with the run's state (the workflow's refusal code is in `code`)",
  413: 'Body too large',
  422: 'Evidence or an amended tenant refused by the workflow, or evidence over the depth and size bounds (`EvidenceTooLarge`) (per-field errors)',
};
const problemContent = { 'application/problem+json': { schema: { $ref: '#/components/schemas/Problem' } } };
export const problems = (...statuses: number[]) =>
  Object.fromEntries(statuses.map((st) => [String(st), { description: PROBLEM_TEXT[st] ?? 'Problem', content: problemContent }]));
export const problemAs = (status: number, description: string) => ({ [String(status)]: { description, content: problemContent } });

/** The least role an operation needs (our extension; the routes' `role(...)` is the enforcement). */
export const role = (r: 'viewer' | 'engineer') => ({ 'x-required-role': r });
export const secured = [{ bearer: [] }];

/** Path parameters, with the patterns the routes check them against (a value outside one is a 400). */
const pathParam = (name: string, s: z.ZodTypeAny) => ({ name, in: 'path', required: true, schema: schema(s) });
export const tenantId = pathParam('tenantId', TenantIdParam.shape.tenantId);
export const stepId = pathParam('stepId', StepParams.shape.stepId);

/** An operation's query parameters, one per property of its query schema. */
export const queryParams = (q: z.ZodTypeAny) =>
  Object.entries((schema(q).properties ?? {}) as Record<string, Json>).map(([name, s]) => ({ name, in: 'query', required: false, schema: s }));

/**
 * One event of the progress stream, as a Server-Sent Events parser hands it over (before OpenAPI
 * 3.2's `itemSchema`, the media type's schema describes each event): `progress` with the run's last
 * change as its id and the progress document as its data, or a last `error` with a detail.
 */
export const progressEvent = (): Json => {
  const jsonData = (s: Json) => ({ type: 'string', contentMediaType: 'application/json', contentSchema: s });
  return {
    type: 'object',
    oneOf: [
      {
        properties: { event: { const: 'progress' }, id: { type: 'string', minLength: 1 }, data: jsonData(output(Progress)) },
        required: ['event', 'id', 'data'],
      },
      {
        properties: {
          event: { const: 'error' },
          data: jsonData({ type: 'object', properties: { detail: { type: 'string' } }, required: ['detail'] }),
        },
        required: ['event', 'data'],
      },
    ],
  };
};
