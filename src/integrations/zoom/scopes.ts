/**
 * Zoom Contact Center endpoints we call, each with the scopes that would be accepted (a classic
 * "macro" scope or a granular one: either works) and its rate-limit label. Zoom's 4711 error lists
 * the same pairs; the simulator enforces this table.
 */
export type RateLabel = 'LIGHT' | 'MEDIUM' | 'HEAVY';

export interface ZoomEndpoint {
  scopes: readonly [macro: string, granular: string];
  label: RateLabel;
}

const cc = (macro: string, granular: string, label: RateLabel): ZoomEndpoint => ({
  scopes: [`contact_center_${macro}:admin`, `contact_center:${granular}:admin`],
  label,
});

export const ZOOM_ENDPOINTS = {
  listUsers: cc('user:read', 'read:list_users', 'MEDIUM'),
  getUser: cc('user:read', 'read:list_users', 'LIGHT'),
  listQueues: cc('queue:read', 'read:list_queues', 'MEDIUM'),
  getQueue: cc('queue:read', 'read:queue', 'LIGHT'),
  listQueueAgents: cc('queue:read', 'read:list_queue_agents', 'MEDIUM'),
  listFlows: cc('flow:read', 'read:list_flows', 'MEDIUM'),
  getFlow: cc('flow:read', 'read:flow', 'LIGHT'),
  listFlowEntryPoints: cc('flow:read', 'read:flow', 'MEDIUM'),
  listAccountEntryPoints: cc('flow:read', 'read:list_flows', 'MEDIUM'),
  publishFlow: cc('flow:write', 'update:flow', 'LIGHT'),
  listEngagements: cc('report:read', 'read:list_engagements', 'MEDIUM'),
  getEngagement: cc('report:read', 'read:engagement', 'LIGHT'),
  listEngagementRecordings: cc('recording:read', 'read:list_recordings', 'MEDIUM'),
  listNumbers: {
    scopes: ['number_management_numbers:read:admin', 'number_management:read:list_numbers:admin'],
    label: 'MEDIUM',
  },
} as const satisfies Record<string, ZoomEndpoint>;

export type ZoomOperation = keyof typeof ZOOM_ENDPOINTS;

/** The macro scopes a read-only verification app needs, for instructions and the simulator's seed. */
export const ZOOM_VERIFY_SCOPES = [
  'contact_center_user:read:admin',
  'contact_center_queue:read:admin',
  'contact_center_flow:read:admin',
  'contact_center_report:read:admin',
] as const;
