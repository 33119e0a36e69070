import { z } from 'zod';

/** Zoom OAuth and Contact Center bodies (reference: shared/reference/zoom-api.md). */

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

export const ZccUser = z.object({
  user_id: z.string(),
  display_name: z.string().optional(),
  user_email: z.string().optional(),
  role_name: z.string().optional(),
  user_access: z.string().optional(),
});
export type ZccUser = z.infer<typeof ZccUser>;

export const ZccQueue = z.object({
  cc_queue_id: z.string(),
  queue_name: z.string().optional(),
  channel: z.string().optional(),
  agents_count: z.number().optional(),
});
export type ZccQueue = z.infer<typeof ZccQueue>;

export const ZccAgent = z.object({
  user_id: z.string(),
  display_name: z.string().optional(),
  user_email: z.string().optional(),
});
export type ZccAgent = z.infer<typeof ZccAgent>;

export const ZccEntryPoint = z.object({
  entry_id: z.string(),
  entry_number: z.string().optional(),
  entry_language: z.string().optional(),
  entry_number_type: z.string().optional(),
});
export type ZccEntryPoint = z.infer<typeof ZccEntryPoint>;

export const ZccFlow = z.object({
  flow_id: z.string(),
  flow_name: z.string(),
  channel: z.string().optional(),
  status: z.enum(['draft', 'published', 'archived']).or(z.string()),
  entry_points: z.array(ZccEntryPoint).optional().default([]),
  flow_versions: z.array(z.object({ flow_version: z.union([z.string(), z.number()]), flow_version_status: z.string().optional() })).optional(),
});
export type ZccFlow = z.infer<typeof ZccFlow>;

export const ZccEngagement = z.object({
  engagement_id: z.string(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  direction: z.string().optional(),
  channel: z.string().optional(),
  consumers: z.array(z.object({ consumer_number: z.string().optional() }).passthrough()).optional(),
  flows: z.array(z.object({ flow_id: z.string(), flow_version: z.union([z.string(), z.number()]).optional() })).optional(),
  queues: z.array(z.object({ cc_queue_id: z.string().optional() }).passthrough()).optional(),
  agents: z.array(z.object({ user_id: z.string().optional() }).passthrough()).optional(),
  events: z.array(z.object({ event_type: z.string() }).passthrough()).optional(),
  transcript_url: z.string().optional(),
});
export type ZccEngagement = z.infer<typeof ZccEngagement>;

export const UsersPage = ZoomPage.extend({ users: z.array(ZccUser).default([]) });
export const QueuesPage = ZoomPage.extend({ queues: z.array(ZccQueue).default([]) });
export const AgentsPage = ZoomPage.extend({ agents: z.array(ZccAgent).default([]) });
export const FlowsPage = ZoomPage.extend({ flows: z.array(ZccFlow).default([]) });
export const EntryPointsPage = ZoomPage.extend({ entry_points: z.array(ZccEntryPoint).default([]) });
export const EngagementsPage = ZoomPage.extend({ engagements: z.array(ZccEngagement).default([]) });
