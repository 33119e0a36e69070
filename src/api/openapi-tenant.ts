import { TenantFile } from '../domain/tenant';
import { SECRET_FIELDS } from '../secret-store';
import { schema, type Json } from './openapi-parts';

/** What the API's rules for a tenant depend on (the deployment's settings). */
export interface TenantDocOptions {
  /** ONBOARD_ALLOW_LOCAL_WEBHOOKS: http and local hosts allowed for the notify webhook. */
  allowLocalWebhooks?: boolean;
}

/** A reference (`env:`, `file:`, `store:`) is the operator's (`onboard start`); through the API a secret is given inline. */
const SECRET_REF = '^(?:env:[A-Za-z_][A-Za-z0-9_]*|file:.+|store:[a-z0-9-]+/[A-Za-z0-9._-]+)$';

/**
 * What a notify webhook URL must be at the start and on an amendment (src/integrations/outbound-url.ts):
 * https (http too with ONBOARD_ALLOW_LOCAL_WEBHOOKS), no credentials, and without that setting a
 * public host: a name of two labels or more whose last is no local suffix (an IP literal the code
 * judges by its range; the pattern takes names only).
 */
function webhookPattern(o: TenantDocOptions): string {
  const tail = String.raw`(?::(?:[1-9]\d{0,3}|[1-5]\d{4}|6[0-4]\d{3}|65[0-4]\d\d|655[0-2]\d|6553[0-5]))?(?:[/?#][^\s]*)?$`;
  if (o.allowLocalWebhooks) return String.raw`^https?://[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)*` + tail;
  // The local suffixes of src/integrations/outbound-url.ts (NON_PUBLIC_NAME_SUFFIXES), refused as the last label.
  const local = 'localhost|local|test|invalid|example|onion|alt|arpa|internal|corp|home|mail|lan|intranet|private|localdomain|svc';
  return String.raw`^https://(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?!(?:${local})(?![a-z0-9-]))[a-z](?:[a-z0-9-]*[a-z0-9])?` + tail;
}

/** The tenant file as the API takes it (POST /api/v1/onboardings). */
export function tenantFileSchema(o: TenantDocOptions): Json {
  const s = schema(TenantFile);
  const at = (path: string[]) => path.reduce<Json>((node, k) => (node.properties as Record<string, Json>)[k]!, s);
  for (const field of SECRET_FIELDS) {
    const node = at(field.split('.'));
    // After the field's own help (its label's text in the dashboard's start form), what the API does with it.
    node.description = `${node.description ? `${node.description} ` : ''}The secret itself: the server keeps it in its store; it never appears in an answer or in history.`;
    node.not = { pattern: SECRET_REF };
  }
  // The owner's address is judged by its pattern (zod's email rule), not by a validator's idea of the `email` format.
  delete at(['contacts', 'owner']).format;
  const url = at(['contacts', 'notifyWebhookUrl']);
  // The code parses it as a WHATWG URL, which takes what RFC 3986's `uri` format does not (a non-ASCII path): the pattern says it instead.
  delete url.format;
  url.pattern = webhookPattern(o);
  url.description = [o.allowLocalWebhooks ? 'An http(s) URL.' : 'An https URL of a public host (no credentials in it).', url.description]
    .filter(Boolean)
    .join(' ');
  return s;
}

/**
 * The JSON merge patch of a tenant (PATCH .../tenant): each field of the tenant file, none required,
 * `null` for the optional ones (it removes them), no unknown field, at least one field. Whether the
 * patched tenant as a whole is valid (a step set to auto given what it needs, at most 20 SIP headers)
 * depends on the tenant it is applied to: the workflow answers that (422, or 409 for a field locked
 * or a patch that changes nothing).
 */
export function tenantPatchSchema(tenantFile: Json): Json {
  const patchOf = (node: Json): Json => {
    const { default: _default, required: _required, allOf: _allOf, $schema: _schema, ...rest } = node;
    if (rest.type !== 'object') return rest;
    const required = new Set((node.required as string[] | undefined) ?? []);
    const properties = Object.fromEntries(
      Object.entries((node.properties ?? {}) as Record<string, Json>).map(([k, v]) => {
        const patched = patchOf(v);
        return [k, required.has(k) && v.default === undefined ? patched : { anyOf: [patched, { type: 'null' }] }];
      }),
    );
    const ap = node.additionalProperties;
    return {
      ...rest,
      ...(node.properties ? { properties } : {}),
      additionalProperties: ap && typeof ap === 'object' ? { anyOf: [patchOf(ap as Json), { type: 'null' }] } : false,
    };
  };
  return { ...patchOf(tenantFile), minProperties: 1 };
}
