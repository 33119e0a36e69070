import type { Json } from './openapi-parts';

/**
 * Fastify's JSON parser refuses (400) a body with an object that has an own `__proto__` key, or a
 * `constructor` object with a `prototype` key, at any depth (prototype poisoning). The request
 * bodies of the OpenAPI document say so: each object schema that takes keys it does not name
 * refuses those, and a value of any shape is `Json`, any JSON value under the same rule.
 */
export const JSON_REF = '#/components/schemas/Json';
const NO_PROTO = { not: { const: '__proto__' } };
const CONSTRUCTOR_PROTOTYPE = { required: ['constructor'], properties: { constructor: { type: 'object', required: ['prototype'] } } };

/** Any JSON value a body may hold (components.schemas.Json). */
export const SAFE_JSON: Json = {
  description: 'Any JSON value, except an object with a `__proto__` key or a `constructor` object with a `prototype` key (refused as prototype poisoning)',
  anyOf: [
    { type: ['string', 'number', 'boolean', 'null'] },
    { type: 'array', items: { $ref: JSON_REF } },
    { type: 'object', propertyNames: NO_PROTO, not: CONSTRUCTOR_PROTOTYPE, additionalProperties: { $ref: JSON_REF } },
  ],
};

const SCHEMA_KEYS = new Set(['$schema', 'description', 'default', 'examples', 'title']);
const isAnything = (s: Json) => Object.keys(s).every((k) => SCHEMA_KEYS.has(k));

/** A request body's schema with the parser's rule stated (in place; returns the schema, or a `Json` reference for "anything"). */
export function refuseProtoKeys(s: Json): Json {
  if (isAnything(s)) return { ...s, $ref: JSON_REF };
  for (const key of ['anyOf', 'oneOf', 'allOf'] as const) if (Array.isArray(s[key])) s[key] = (s[key] as Json[]).map(refuseProtoKeys);
  if (s.items && typeof s.items === 'object') s.items = refuseProtoKeys(s.items as Json);
  if (s.properties) for (const [k, v] of Object.entries(s.properties as Record<string, Json>)) (s.properties as Record<string, Json>)[k] = refuseProtoKeys(v);
  if (s.type === 'object' && s.additionalProperties !== false) {
    s.additionalProperties = s.additionalProperties === undefined ? { $ref: JSON_REF } : refuseProtoKeys(s.additionalProperties as Json);
    const names = (s.propertyNames ?? {}) as Json;
    if (JSON.stringify(names.not) !== JSON.stringify(NO_PROTO.not)) s.propertyNames = names.not ? { allOf: [names, NO_PROTO] } : { ...names, ...NO_PROTO };
    s.allOf = [...((s.allOf as Json[] | undefined) ?? []), { not: CONSTRUCTOR_PROTOTYPE }];
  }
  return s;
}

/** Every operation's JSON request body, with the rule stated (in place). */
export function refuseProtoKeysInBodies(paths: Record<string, Record<string, Json>>): void {
  for (const item of Object.values(paths))
    for (const op of Object.values(item)) {
      const media = ((op.requestBody as Json | undefined)?.content as Record<string, Json> | undefined)?.['application/json'];
      if (media?.schema) media.schema = refuseProtoKeys(media.schema as Json);
    }
}
