import { z } from 'zod';

/**
 * Kore.ai XO public API bodies (reference: shared/reference/kore-api.md). Responses are parsed
 * leniently (unknown keys dropped, most fields optional) because the docs show examples, not a
 * contract; what onboarding relies on is required.
 */

export const KoreErrorBody = z.object({
  errors: z.array(z.object({ msg: z.string().optional(), code: z.union([z.number(), z.string()]).optional() })).min(1),
});

const Component = z.object({
  cT: z.string().optional(),
  data: z.object({ text: z.unknown().optional() }).partial().optional(),
});

// ---- getSessions
export const GetSessionsRequest = z.object({
  skip: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).max(10_000).optional(),
  dateFrom: z.string().optional(),
  dateTo: z.string().optional(),
  userId: z.string().optional(),
  sessionId: z.array(z.string()).max(50).optional(),
  includeMeta: z.boolean().optional(),
});
export type GetSessionsRequest = z.infer<typeof GetSessionsRequest>;

export const KoreSession = z.object({
  sessionId: z.string(),
  botId: z.string().optional(),
  channel: z.string().optional(),
  userId: z.string().optional(),
  start_time: z.string().optional(),
  end_time: z.string().optional(),
  sessionStatus: z.string().optional(),
  containmentType: z.string().optional(),
  noOfMessagesExchanged: z.number().optional(),
});
export type KoreSession = z.infer<typeof KoreSession>;

export const GetSessionsResponse = z.object({
  total: z.number().optional(),
  moreAvailable: z.boolean().optional().default(false),
  sessions: z.array(KoreSession),
});
export type GetSessionsResponse = z.infer<typeof GetSessionsResponse>;

// ---- conversationDetails
export const ConversationDetailsRequest = z
  .object({
    sessionId: z.string().optional(),
    callId: z.string().optional(),
    conversationId: z.string().optional(),
    isSummaryRequired: z.boolean().optional(),
    lang: z.string().optional(),
    skip: z.number().int().min(0).optional(),
    limit: z.number().int().min(1).optional(),
  })
  .refine((r) => r.sessionId || r.callId || r.conversationId, 'one of sessionId, callId or conversationId is required');
export type ConversationDetailsRequest = z.infer<typeof ConversationDetailsRequest>;

export const ConversationSummary = z.object({
  ConversationSummary: z.string(),
  time: z.string().optional(),
});
export type ConversationSummary = z.infer<typeof ConversationSummary>;

export const ConversationDetails = z.object({
  conversationInfo: z.object({
    sessionId: z.string(),
    callId: z.string().optional(),
    userId: z.string().optional(),
    sessionStartTime: z.string().optional(),
    agentHandOffTime: z.string().optional(),
    currentTask: z.string().optional(),
  }),
  conversationFlow: z.array(z.object({ status: z.string().optional(), taskName: z.string().optional() })).default([]),
  conversationHistory: z
    .array(
      z.object({
        type: z.string().optional(),
        createdOn: z.string().optional(),
        components: z.array(Component).optional(),
        channels: z.array(z.object({ type: z.string().optional() })).optional(),
        lang: z.string().optional(),
      }),
    )
    .default([]),
  summary: ConversationSummary.optional(),
});
export type ConversationDetails = z.infer<typeof ConversationDetails>;

// ---- getMessages / getMessagesV2
export const GetMessagesRequest = z.object({
  userId: z.string().optional(),
  sessionId: z.array(z.string()).optional(),
  dateFrom: z.string().optional(),
  dateTo: z.string().optional(),
  skip: z.number().int().min(0).optional(),
  limit: z.number().int().min(1).optional(),
  forward: z.boolean().optional(),
});
export type GetMessagesRequest = z.infer<typeof GetMessagesRequest>;

export const KoreMessage = z.object({
  _id: z.string(),
  botId: z.string().optional(),
  type: z.string().optional(),
  status: z.string().optional(),
  createdOn: z.string().optional(),
  sessionId: z.string().optional(),
  chnl: z.string().optional(),
  components: z.array(Component).optional(),
});
export type KoreMessage = z.infer<typeof KoreMessage>;

export const GetMessagesResponse = z.object({
  total: z.number().optional(),
  moreAvailable: z.boolean().optional().default(false),
  messages: z.array(KoreMessage),
});
export type GetMessagesResponse = z.infer<typeof GetMessagesResponse>;

// ---- admin-app calls: publish status, bots
/** Publish's answer: one entry per resource (kore-api-more.md 8); a dialog's `result.state` may be `awaitingApproval`. */
export const PublishResult = z.array(
  z.object({
    resourceType: z.string(),
    status: z.string().optional(),
    result: z.object({ state: z.string().optional() }).passthrough().optional(),
  }),
);
export type PublishResult = z.infer<typeof PublishResult>;

/** Export, import and their status (kore-api-more.md 3, 4): jobs with Kore's `ber-`/`bir-` ids. */
export const ExportJob = z.object({ _id: z.string(), status: z.string() });
export const ExportStatus = z.object({ status: z.string(), downloadURL: z.string().optional(), fileId: z.string().optional() });
export const UploadedFile = z.object({ fileId: z.string() });
export const ImportJob = z.object({
  _id: z.string(),
  status: z.string(),
  statusLogs: z.array(z.object({ taskType: z.string().optional(), taskName: z.string().optional(), status: z.string().optional() })).optional(),
});
export type ExportStatus = z.infer<typeof ExportStatus>;
export type ImportJob = z.infer<typeof ImportJob>;
/**
 * Import options: every list named; an empty list imports nothing of that kind (omitting
 * `importOptions` imports everything). `AgentAssist` and `qualityAI` are documented lists too
 * (kore-api-more.md 4): the client names them empty unless asked, so they are never imported by default.
 */
export interface ImportOptions {
  nlpData: string[];
  tasks: string[];
  settings: string[];
  AgentAssist?: string[];
  qualityAI?: string[];
}

export const PublishStatus = z.object({
  jobType: z.string().optional(),
  status: z.enum(['successful', 'failed', 'inprogress']),
  percentageComplete: z.number().optional(),
  /** When the job was asked for (kore-api-more.md 8): a publish older than the step proves nothing about it. */
  requestedTime: z.string().optional(),
  /** One item per resource; any item not SUCCESS is what failed (kore-api-more.md 8: e.g. SIPTRUNK after SIP-number edits). */
  statusSummary: z.array(z.object({ resourceType: z.string().optional(), name: z.string().optional(), status: z.string().optional() })).optional(),
});
export type PublishStatus = z.infer<typeof PublishStatus>;

export const GetBotsResponse = z.object({
  total: z.number().optional(),
  availableMore: z.boolean().optional(),
  bots: z.array(z.object({ _id: z.string(), name: z.string().optional(), status: z.string().optional() })),
});
export type GetBotsResponse = z.infer<typeof GetBotsResponse>;
