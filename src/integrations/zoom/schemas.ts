import { z } from 'zod';

/** Zoom OAuth bodies (reference: shared/reference/zoom-api.md) and Contact Center bodies (Zoom's OpenAPI document). */

export const ZoomTokenResponse = z.object({
  access_token: z.string().min(1),
  token_type: z.string(),
  expires_in: z.number().positive(),
  scope: z.string().optional().default(''),
  api_url: z.string().optional(),
});

export const ZoomOAuthError = z.object({
  reason: z.string().optional(),
  error: z.string().optional(),
  code: z.number().optional(),
  message: z.string().optional(),
});

export const ZoomApiError = z.union([
  z.object({ code: z.number(), message: z.string().optional() }),
  // Since mid-2024 /contact_center/users answers an expired token with this shape.
  z.object({ status: z.literal(false), errorCode: z.number() }),
]);

export const ZoomPage = z.object({
  next_page_token: z.string().optional().default(''),
  page_size: z.number().optional(),
  total_records: z.number().optional(),
});

/**
 * The Contact Center bodies as Zoom documents them (vendor-contracts/zoom-contact-center.openapi.json):
 * only documented fields, with their documented types. test/integration/zoom-conformance.test.ts
 * holds each field read here to the document.
 */
export const ZccUser = z.object({
  user_id: z.string(),
  display_name: z.string().optional(),
  user_email: z.string().optional(),
  role_name: z.string().optional(),
  user_access: z.enum(['active', 'inactive']).optional(),
});
export type ZccUser = z.infer<typeof ZccUser>;

export const ZccQueue = z.object({
  cc_queue_id: z.string(),
  queue_name: z.string().optional(),
  channel: z.string().optional(),
});
export type ZccQueue = z.infer<typeof ZccQueue>;

/** A queue in `GET /contact_center/queues` (the single-queue answer documents no `agents_count`). */
export const ZccQueueListItem = ZccQueue.extend({ agents_count: z.number().int().optional() });

export const ZccAgent = z.object({
  user_id: z.string(),
  display_name: z.string().optional(),
  user_email: z.string().optional(),
});
export type ZccAgent = z.infer<typeof ZccAgent>;

/** The fields every one of Zoom's three entry-point shapes (in a flow, a flow's list, the account's list) documents. */
export const ZccEntryPoint = z.object({
  entry_id: z.string(),
  entry_number: z.string().optional(),
});
export type ZccEntryPoint = z.infer<typeof ZccEntryPoint>;

export const ZccFlow = z.object({
  flow_id: z.string(),
  flow_name: z.string(),
  channel: z.string().optional(),
  status: z.enum(['draft', 'published', 'archived', 'debugging']).or(z.string()),
  entry_points: z.array(ZccEntryPoint).optional().default([]),
  flow_versions: z.array(z.object({ flow_version: z.number().int(), flow_version_status: z.string().optional() })).optional(),
});
export type ZccFlow = z.infer<typeof ZccFlow>;

/** An engagement as `GET /contact_center/engagements` lists it (no events; `flow_version` is a string there). */
export const ZccEngagementSummary = z.object({
  engagement_id: z.string(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  direction: z.string().optional(),
  channels: z.array(z.object({ channel: z.string().optional() }).passthrough()).optional(),
  consumers: z.array(z.object({ consumer_number: z.string().optional() }).passthrough()).optional(),
  flows: z.array(z.object({ flow_id: z.string(), flow_version: z.string().optional() })).optional(),
  queues: z.array(z.object({ cc_queue_id: z.string().optional() }).passthrough()).optional(),
  agents: z.array(z.object({ user_id: z.string().optional() }).passthrough()).optional(),
});
export type ZccEngagementSummary = z.infer<typeof ZccEngagementSummary>;

/** One engagement by id, with its events. */
export const ZccEngagement = ZccEngagementSummary.extend({
  events: z.array(z.object({ event_type: z.string() }).passthrough()).optional(),
});
export type ZccEngagement = z.infer<typeof ZccEngagement>;

/**
 * An engagement's events (`GET /contact_center/engagements/{id}/events`): `event_content` is a
 * JSON string whose keys depend on the event (Zoom's KB lists them).
 */
export const ZccEngagementEvents = z.object({
  engagement_id: z.string().optional(),
  events: z
    .array(z.object({ start_time: z.string().optional(), event_name: z.string().optional(), event_content: z.string().optional() }))
    .optional()
    .default([]),
});
export type ZccEngagementEvents = z.infer<typeof ZccEngagementEvents>;

export const UsersPage = ZoomPage.extend({ users: z.array(ZccUser).default([]) });
export const QueuesPage = ZoomPage.extend({ queues: z.array(ZccQueueListItem).default([]) });
export const AgentsPage = ZoomPage.extend({ agents: z.array(ZccAgent).default([]) });
export const FlowsPage = ZoomPage.extend({ flows: z.array(ZccFlow).default([]) });
export const EntryPointsPage = ZoomPage.extend({ entry_points: z.array(ZccEntryPoint).default([]) });
export const EngagementsPage = ZoomPage.extend({ engagements: z.array(ZccEngagementSummary).default([]) });
/** `GET /contact_center/flows/{flowId}/entry_points` is not paged: one body with every entry point. */
export const FlowEntryPoints = z.object({ entry_points: z.array(ZccEntryPoint).default([]) });
