/**
 * Zoom Contact Center endpoints we call, each with the scopes that would be accepted (a classic
 * "macro" scope or a granular one: either works), its rate-limit label and, for a paged list, the
 * largest `page_size` Zoom documents. Scopes, labels and page sizes are Zoom's OpenAPI document's
 * (`x-macro-scopes`, `x-granular-scopes`, "Rate Limit Label", the `page_size` maximum;
 * test/integration/zoom-conformance.test.ts holds this table to it). Zoom's 4711 error lists the
 * same pairs; the simulator enforces this table.
 */
export type RateLabel = 'LIGHT' | 'MEDIUM' | 'HEAVY';

export interface ZoomEndpoint {
  scopes: readonly [macro: string, granular: string];
  label: RateLabel;
  /** A paged list: the largest `page_size` Zoom documents (a larger one is refused with 400 code 300). */
  pageSizeMax?: number;
}

const cc = (macro: string, granular: string, label: RateLabel, pageSizeMax?: number): ZoomEndpoint => ({
  scopes: [`contact_center_${macro}:admin`, `contact_center:${granular}:admin`],
  label,
  ...(pageSizeMax !== undefined ? { pageSizeMax } : {}),
});

export const ZOOM_ENDPOINTS = {
  listUsers: cc('user:read', 'read:list_users', 'MEDIUM', 300),
  getUser: cc('user:read', 'read:user', 'LIGHT'),
  listQueues: cc('queue:read', 'read:list_queues', 'MEDIUM', 300),
  getQueue: cc('queue:read', 'read:queue', 'LIGHT'),
  // The parameter states no maximum; the 200 answer documents `page_size` up to 100.
  listQueueAgents: cc('queue:read', 'read:list_queue_agents', 'MEDIUM', 100),
  listFlows: cc('flow:read', 'read:list_flows', 'MEDIUM', 100),
  getFlow: cc('flow:read', 'read:flow', 'LIGHT'),
  // Not paged: one answer with every entry point of the flow.
  listFlowEntryPoints: cc('flow:read', 'read:flow', 'MEDIUM'),
  listAccountEntryPoints: cc('flow:read', 'read:flow', 'MEDIUM', 300),
  publishFlow: cc('flow:write', 'update:flow', 'LIGHT'),
  listEngagements: cc('report:read', 'read:list_engagements', 'MEDIUM', 100),
  getEngagement: cc('report:read', 'read:engagement', 'LIGHT'),
  getEngagementEvents: cc('report:read', 'read:engagement', 'LIGHT'),
  listEngagementRecordings: cc('recording:read', 'read:list_recordings', 'MEDIUM', 300),
  // Not in the Contact Center document: as zoom-api.md describes it.
  listNumbers: {
    scopes: ['number_management_numbers:read:admin', 'number_management:read:list_numbers:admin'],
    label: 'MEDIUM',
    pageSizeMax: 200,
  },
} as const satisfies Record<string, ZoomEndpoint>;

/** The largest `page_size` Zoom documents for a paged list, or undefined for a call that is not paged. */
export function pageSizeMax(operation: ZoomOperation): number | undefined {
  return (ZOOM_ENDPOINTS[operation] as ZoomEndpoint).pageSizeMax;
}

export type ZoomOperation = keyof typeof ZOOM_ENDPOINTS;

/** The macro scopes a read-only verification app needs, for instructions and the simulator's seed. */
export const ZOOM_VERIFY_SCOPES = [
  'contact_center_user:read:admin',
  'contact_center_queue:read:admin',
  'contact_center_flow:read:admin',
  'contact_center_report:read:admin',
] as const;
