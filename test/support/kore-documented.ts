/**
 * What Kore.ai documents about the public APIs our client calls, as data. Kore.ai publishes no
 * OpenAPI document: `../shared/reference/kore-api.md` and `kore-api-more.md` collect what its docs
 * say, each fact with a source key. Every fact below carries that key (`doc`: Kore's own pages,
 * `obs`: Kore's public QA code, S10), or is marked `assumed` where the notes say UNCONFIRMED or
 * nothing; the why says what we chose. test/support/kore-contract.ts checks the simulator and the
 * client against it (test/integration/kore-conformance.test.ts), and docs/simulators.md names the
 * same keys per route.
 *
 * It lives beside the tests on purpose: the simulator must never import it, or a simulator that
 * strays would be checked against itself. It is our transcription of prose, not a vendor file, so
 * it does not belong in vendor-contracts/ (which holds vendors' own documents byte for byte).
 */

export type Source = { kind: 'doc'; key: string; where: string } | { kind: 'obs'; key: string; where: string } | { kind: 'assumed'; why: string };

/**
 * Kore's own documentation page: kore-api.md's `[doc Sn]`, or kore-api-more.md's `[D <page>]`
 * (a page under Koredotcom/docs-v2 `ai-for-service/`, e.g. `D apis/automation/upload-file.mdx`).
 */
const doc = (key: string, where: string): Source => ({ kind: 'doc', key, where });
/** Kore's public QA tests (kore-api.md `[obs S10]`). */
const obs = (key: string, where: string): Source => ({ kind: 'obs', key, where });
/** Not documented (UNCONFIRMED in the notes, or not there at all): our choice, said why. */
const assumed = (why: string): Source => ({ kind: 'assumed', why });

// ---------------------------------------------------------------------------------------------
// Auth

export const KORE_AUTH = {
  header: { value: 'auth', source: doc('S1', 'kore-api.md 1: the JWT goes in the header `auth`, not `Authorization`') },
  alg: { value: 'HS256', source: doc('S1', 'kore-api.md 1: header alg HS256; only HS256 for API-scope apps [S11]') },
  appIdClaim: { value: 'appId', source: doc('S1', 'kore-api.md 1: payload {sub, appId: <Client ID>}, appId case-sensitive') },
  subClaim: { value: 'sub', source: doc('S1', 'kore-api.md 1: payload {sub: <any>, ...}') },
  maxTtlSeconds: {
    value: 3600,
    source: assumed('kore-api.md 1: exp optional; public code uses iat+3600 [obs]; SDK tokens with jti expire <= 1 h [S12], for API tokens UNCONFIRMED'),
  },
  scopeChangeNeedsPublish: { value: true, source: doc('S1', 'kore-api.md 1: "Scope changes need a publish" [doc S1,S8]') },
} as const;

// ---------------------------------------------------------------------------------------------
// Error answers: status and `errors[0]` of `{"errors":[{"msg","code"}]}` (kore-api.md 1 [obs S10])

export interface DocumentedError {
  status: number;
  msg: string | RegExp;
  code: number;
  /** Headers the answer carries (name -> what the value must look like). */
  headers?: Record<string, RegExp>;
  source: Source;
  /** Where the status (not the message) has its own, weaker source. */
  statusSource?: Source;
}

export const ERROR_BODY = {
  shape: '{"errors":[{"msg":string,"code":number}]}',
  source: obs('S10', 'kore-api.md 1: error body {"errors":[{"msg","code"}]}'),
} as const;

export const KORE_ERRORS = {
  /** A missing API scope is a 401, not a 403. */
  scopeMissing: { status: 401, msg: 'Permission denied. Scope is incorrect!', code: 4002, source: obs('S10', 'kore-api.md 1: scope missing: 401, not 403') },
  /** No auth header, or a bad signature. */
  invalidCredentials: { status: 401, msg: 'Invalid SDK credentials', code: 4002, source: obs('S10', 'kore-api.md 1: no auth header, or bad signature') },
  /** An unknown appId: Kore's QA tests do not show it; the notes group it with a bad signature. */
  unknownApp: {
    status: 401,
    msg: 'Invalid SDK credentials',
    code: 4002,
    source: assumed('kore-api.md simulator table groups an unknown appId with a bad signature; S10 does not show it'),
  },
  /** The auth value is not a JWT. */
  notAJwt: { status: 401, msg: 'Invalid JWT token', code: 4002, source: obs('S10', 'kore-api.md 1: auth value not a JWT') },
  /** A JWT signed with another algorithm (only HS256 is accepted [S11]; the answer is not shown anywhere). */
  wrongAlg: { status: 401, msg: 'Invalid JWT token', code: 4002, source: assumed('S11 says only HS256 is accepted; the answer to another alg is UNCONFIRMED') },
  /** An expired JWT (kore-api.md: "expired: sim choice"). */
  expired: { status: 401, msg: 'Invalid JWT token', code: 4002, source: assumed('kore-api.md simulator table: expired is a sim choice') },
  /** A bot id the app does not own, or no such bot. */
  invalidStreamId: { status: 400, msg: 'Invalid StreamId', code: 400, source: obs('S10', 'kore-api.md 1: bad bot id: 400 "Invalid StreamId"') },
  /** Missing body fields. */
  validation: { status: 412, msg: 'Validation errors/ Invalid arguments', code: 412, source: obs('S10', 'kore-api.md 1: missing body fields: 412') },
  /** The wrong verb on a known path. */
  methodNotAllowed: { status: 405, msg: 'Method Not Allowed', code: 405, source: obs('S10', 'kore-api.md 1: wrong verb: 405') },
  /**
   * Over the rate limit: the message is documented (older pages; newer ones say "You've exceeded
   * the per-minute/hourly rate limit..."); the 429 status and `Retry-After` are UNCONFIRMED.
   */
  rateLimited: {
    status: 429,
    msg: /Rate limit for this API has been reached\. Please try again after some time\.|You've exceeded the (per-minute|hourly) rate limit/,
    code: 429,
    headers: { 'retry-after': /^\d+$/ },
    source: doc('S7', 'kore-api.md 8: "Rate limit for this API has been reached. Please try again after some time."'),
    statusSource: assumed('kore-api.md 8: HTTP status 429 and Retry-After UNCONFIRMED; the simulator answers 429 with Retry-After in seconds'),
  },
  /** An unknown session (conversationDetails, summariser). */
  sessionNotFound: {
    status: 404,
    msg: 'Session not found',
    code: 404,
    source: assumed('kore-api.md 3: the unknown-session response is UNCONFIRMED; sim choice'),
  },
} as const satisfies Record<string, DocumentedError>;
export type KoreErrorName = keyof typeof KORE_ERRORS;

// ---------------------------------------------------------------------------------------------
// Rate limits (kore-api.md 8 [doc S7]; kore-api-more.md 1)

export interface RateClass {
  /** What one window counts by. */
  per: 'bot' | 'request id' | 'account';
  windows: ReadonlyArray<{ calls: number; windowMs: number }>;
  source: Source;
}

export const RATE_CLASSES = {
  /** Analytics and definition APIs: messages, sessions, details, summary, export, publish. */
  analytics: {
    per: 'bot',
    windows: [
      { calls: 60, windowMs: 60_000 },
      { calls: 1800, windowMs: 3_600_000 },
    ],
    source: doc('S7', 'kore-api.md 8: analytics and definition APIs 60/min and 1800/h per bot, rolling windows'),
  },
  /** Status APIs (publish status): per request id; no hourly window is documented for them. */
  status: { per: 'request id', windows: [{ calls: 60, windowMs: 60_000 }], source: doc('S7', 'kore-api.md 8: status APIs 60/min per request id') },
  /** Admin APIs (get bots). */
  admin: { per: 'account', windows: [{ calls: 60, windowMs: 60_000 }], source: doc('S7', 'kore-api.md 8: admin APIs 60/min per account') },
} as const satisfies Record<string, RateClass>;
export type RateClassName = keyof typeof RATE_CLASSES;

// ---------------------------------------------------------------------------------------------
// Bodies

export type FieldType = 'string' | 'number' | 'boolean' | 'object' | 'array';

/** A documented field: its type, and for objects/arrays what is inside. */
export interface Field {
  type: FieldType;
  fields?: Record<string, Field>;
  items?: Field;
  enum?: readonly string[];
  /** Present in every answer (the docs' samples and tables always show it); other fields may be absent. */
  always?: boolean;
}

const str: Field = { type: 'string' };
const num: Field = { type: 'number' };
const bool: Field = { type: 'boolean' };
const obj = (fields: Record<string, Field>, always = false): Field => ({ type: 'object', fields, always });
const arr = (items: Field, always = false): Field => ({ type: 'array', items, always });
const always = (f: Field): Field => ({ ...f, always: true });

const components = arr(obj({ cT: str, data: obj({ text: str }) }));
const channels = arr(obj({ type: str }));

/** A request parameter (body field or query parameter) with its documented limits. */
export interface Param {
  type: FieldType;
  items?: Param;
  /** An object's documented members (a member not listed is not documented). */
  fields?: Record<string, Param>;
  max?: number;
  maxItems?: number;
  enum?: readonly string[];
  /** The request is refused without it. */
  required?: boolean;
  /** yyyy-mm-dd or an ISO instant. */
  date?: boolean;
  /** Where the limit is stated. */
  source?: Source;
  /** How a request outside the limit is answered, when that differs from the endpoint's `refusal`. */
  refusal?: KoreErrorName;
}

export interface KoreEndpoint {
  /** The client's operation name (its errors' `operation`). */
  operation: string;
  method: 'GET' | 'POST';
  /** With Kore's `{botId}` / `{streamId}`; `paths` lists other documented spellings. */
  path: string;
  otherPaths?: string[];
  otherMethods?: Array<'GET' | 'POST'>;
  /** False for endpoints the simulator serves but our client does not call yet (publish). */
  clientCalls: boolean;
  source: Source;
  /** Which kind of Kore app may call it. */
  app: { kind: 'bot app' | 'admin app'; source: Source };
  /** The API scope as Kore's docs label it (Admin Console labels as `Group > Scope`); none: the docs say it needs no scope. */
  scope: { labels: string[]; source: Source };
  rate: RateClassName;
  /** `multipart`: a multipart/form-data body; its text parts, and each file part as `{filename, size}`. */
  request: { in: 'body' | 'query' | 'multipart'; params: Record<string, Param>; source: Source };
  /** How a request outside a documented limit is answered (Kore documents none: its validation 412 is assumed). */
  refusal: { error: KoreErrorName; source: Source };
  /** Further documented (or assumed) rules on the request as a whole. */
  rules?: Array<{ rule: 'date window under 7 days'; source: Source; refusal: { error: KoreErrorName; source: Source } }>;
  response: { body: Field; source: Source };
}

const REFUSAL_412 = {
  error: 'validation',
  source: assumed(
    'Kore documents the limits but not how it refuses a request outside them; its validation answer (412, [obs S10]) is assumed, never a silent cap',
  ),
} as const satisfies KoreEndpoint['refusal'];

const date: Param = { type: 'string', date: true };

export const KORE_ENDPOINTS: Record<string, KoreEndpoint> = {
  getSessions: {
    operation: 'kore.getSessions',
    method: 'POST',
    path: '/api/public/bot/{botId}/getSessions',
    clientCalls: true,
    source: doc('S5', 'kore-api.md 5'),
    app: { kind: 'bot app', source: doc('S5', 'kore-api.md 1: Bot Sessions: getSessions') },
    scope: {
      labels: ['Bot Sessions', 'Bot Analytics > Bot Sessions'],
      source: doc('S5', 'kore-api.md 1 (scopes used here); S5 page: App Builder: Bot Sessions'),
    },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S5', 'kore-api.md 5: body skip, limit, dateFrom, dateTo, userId, tags, includeMeta, sessionType, sessionId[] (<=50)'),
      params: {
        skip: { type: 'number' },
        limit: { type: 'number' },
        dateFrom: date,
        dateTo: date,
        userId: { type: 'string' },
        tags: { type: 'object' },
        includeMeta: { type: 'boolean' },
        sessionType: { type: 'string' },
        sessionId: {
          type: 'array',
          items: { type: 'string' },
          maxItems: 50,
          source: doc('S5', 'kore-api.md 5: sessionId[] (<=50; other filters then ignored)'),
        },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc('S5', 'kore-api.md 5: {total, moreAvailable, sessions[...]}, newest first'),
      body: obj(
        {
          total: always(num),
          moreAvailable: always(bool),
          sessions: arr(
            obj({
              sessionId: always(str),
              botId: str,
              channel: str,
              userId: str,
              start_time: str,
              end_time: str,
              sessionStatus: str,
              containmentType: { type: 'string', enum: ['dropOff', 'selfService', 'agent'] },
              noOfMessagesExchanged: num,
              tags: obj({ sessionTags: arr(obj({ name: str, value: str })) }),
            }),
            true,
          ),
        },
        true,
      ),
    },
  },

  conversationDetails: {
    operation: 'kore.conversationDetails',
    method: 'POST',
    path: '/api/public/bot/{botId}/conversationDetails',
    clientCalls: true,
    source: doc('S2', 'kore-api.md 3'),
    app: { kind: 'bot app', source: doc('S2', 'kore-api.md 1: Chat History: conversationDetails') },
    scope: {
      labels: ['Chat History', 'Conversation History'],
      source: doc('S8', 'kore-api.md 1: Chat History (the ZCC guide [S8]); the API list says "Conversation History"'),
    },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S2', 'kore-api.md 3: body sessionId | callId | conversationId, isSummaryRequired, lang, skip/offset, limit'),
      params: {
        sessionId: { type: 'string' },
        callId: { type: 'string' },
        conversationId: { type: 'string' },
        isSummaryRequired: { type: 'boolean' },
        lang: { type: 'string' },
        skip: { type: 'number' },
        offset: { type: 'number' },
        limit: { type: 'number' },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc('S2', 'kore-api.md 3: conversationInfo, conversationFlow, conversationHistory, summary'),
      body: obj(
        {
          conversationInfo: obj(
            {
              sessionId: always(str),
              callId: str,
              userId: str,
              sessionStartTime: str,
              agentHandOffTime: str,
              userDetails: obj({ firstName: str, lastName: str, phoneNumber: str }),
              currentTask: str,
            },
            true,
          ),
          conversationFlow: arr(obj({ status: str, taskName: str }), true),
          conversationHistory: arr(
            obj({
              type: { type: 'string', enum: ['incoming', 'outgoing', 'ctrlmsg'] },
              createdOn: str,
              components,
              channels,
              lang: str,
              timestampValue: num,
            }),
            true,
          ),
          summary: obj({ ConversationSummary: always(str), time: str }),
        },
        true,
      ),
    },
  },

  getMessages: {
    operation: 'kore.getMessages',
    method: 'POST',
    otherMethods: ['GET'],
    path: '/api/public/bot/{botId}/getMessages',
    clientCalls: true,
    source: doc('S4', 'kore-api.md 4'),
    app: { kind: 'bot app', source: doc('S4', 'kore-api.md 1: Chat History: getMessages/V2') },
    scope: { labels: ['Chat History', 'Bot Analytics > Chat History'], source: doc('S4', 'kore-api.md 1; S4 page: App Builder: Chat History') },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S4', 'kore-api.md 4: POST body sessionId (array), userId, dateFrom, dateTo, skip, limit, forward, msgId+direction, includeTraceId'),
      params: {
        sessionId: { type: 'array', items: { type: 'string' } },
        userId: { type: 'string' },
        dateFrom: date,
        dateTo: date,
        skip: { type: 'number' },
        limit: { type: 'number', max: 100, source: doc('S4', 'kore-api.md 4: v1 returns <=100 msgs per call') },
        forward: { type: 'boolean' },
        msgId: { type: 'string' },
        direction: { type: 'number' },
        includeTraceId: { type: 'boolean' },
      },
    },
    refusal: REFUSAL_412,
    rules: [{ rule: 'date window under 7 days', source: doc('S4', 'kore-api.md 4: the date window must be <7 days'), refusal: REFUSAL_412 }],
    response: {
      source: doc('S4', 'kore-api.md 4: {total, moreAvailable, messages[...]}'),
      body: obj(
        {
          total: always(num),
          moreAvailable: always(bool),
          messages: arr(
            obj({
              _id: always(str),
              botId: str,
              type: { type: 'string', enum: ['incoming', 'outgoing'] },
              status: str,
              createdOn: str,
              timestampValue: num,
              sessionId: str,
              chnl: str,
              lang: str,
              components,
              channels,
            }),
            true,
          ),
        },
        true,
      ),
    },
  },

  getMessagesV2: {
    operation: 'kore.getMessagesV2',
    method: 'POST',
    otherMethods: ['GET'],
    path: '/api/public/bot/{botId}/getMessagesV2',
    clientCalls: true,
    source: doc('S4', 'kore-api.md 4'),
    app: { kind: 'bot app', source: doc('S4', 'kore-api.md 1: Chat History: getMessages/V2') },
    scope: { labels: ['Chat History', 'Bot Analytics > Chat History'], source: doc('S4', 'kore-api.md 1; S4 page: App Builder: Chat History') },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S4', 'kore-api.md 4: as getMessages'),
      params: {
        sessionId: { type: 'array', items: { type: 'string' } },
        userId: { type: 'string' },
        dateFrom: date,
        dateTo: date,
        skip: { type: 'number' },
        limit: { type: 'number', max: 10_000, source: doc('S4', 'kore-api.md 4: V2 returns <=10 000 per call') },
        forward: { type: 'boolean' },
        msgId: { type: 'string' },
        direction: { type: 'number' },
        includeTraceId: { type: 'boolean' },
      },
    },
    refusal: REFUSAL_412,
    rules: [{ rule: 'date window under 7 days', source: doc('S4', 'kore-api.md 4: the date window must be <7 days'), refusal: REFUSAL_412 }],
    response: {
      source: doc('S4', 'kore-api.md 4: as getMessages; V2 drops Alert/Action-task messages'),
      body: obj(
        {
          total: always(num),
          moreAvailable: always(bool),
          messages: arr(
            obj({
              _id: always(str),
              botId: str,
              type: { type: 'string', enum: ['incoming', 'outgoing'] },
              status: str,
              createdOn: str,
              timestampValue: num,
              sessionId: str,
              chnl: str,
              lang: str,
              components,
              channels,
            }),
            true,
          ),
        },
        true,
      ),
    },
  },

  conversationSummary: {
    operation: 'kore.conversationSummary',
    method: 'POST',
    path: '/api/public/streams/{streamId}/conversationSummary',
    clientCalls: true,
    source: doc('S3', 'kore-api.md 3 (stand-alone summariser)'),
    app: { kind: 'bot app', source: doc('S3', 'kore-api.md 1: Conversation Summary: summariser') },
    scope: { labels: ['Conversation Summary'], source: doc('S3', 'kore-api.md 1: Conversation Summary: summariser') },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S3', 'kore-api.md 3: {"lang":"en","inputMode":{"conversationId"}} or {"inputMode":{"transcript"}}; US only, English only'),
      params: {
        lang: { type: 'string', enum: ['en'], source: doc('S3', 'kore-api.md 3: documented as English only') },
        inputMode: { type: 'object', required: true, source: doc('S3', 'kore-api.md 3: inputMode.conversationId or inputMode.transcript') },
      },
    },
    refusal: REFUSAL_412,
    response: { source: doc('S3', 'kore-api.md 3: returns {ConversationSummary, time}'), body: obj({ ConversationSummary: always(str), time: str }, true) },
  },

  publish: {
    operation: 'kore.publish',
    method: 'POST',
    path: '/api/public/bot/{botId}/publish',
    clientCalls: true,
    source: doc('S6', 'kore-api.md 6; kore-api-more.md 8'),
    app: { kind: 'admin app', source: doc('S6', 'kore-api.md 1: Publish has no bot-level scope and needs an Admin Console app') },
    scope: { labels: ['Bot Publish > Publish'], source: doc('S6', 'kore-api.md 1: "Bot Publish > Publish"') },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc('S6', 'kore-api.md 6: body {"versionComment","initiateTraining"}'),
      params: { versionComment: { type: 'string' }, initiateTraining: { type: 'boolean' } },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc('S6', 'kore-api-more.md 8: an array of {resourceType, resourceId?, status:"SUCCESS", result}; result.state / result.modules'),
      body: arr(
        obj({
          resourceType: always(str),
          resourceId: str,
          status: always({ type: 'string', enum: ['SUCCESS'] }),
          result: always(obj({ state: str, modules: arr(str) })),
        }),
        true,
      ),
    },
  },

  publishStatus: {
    operation: 'kore.publishStatus',
    method: 'GET',
    path: '/api/public/bot/{botId}/publish/status',
    otherPaths: ['/api/1.1/public/bot/{botId}/publish/status'],
    clientCalls: true,
    source: doc('S6', 'kore-api.md 6 (the sample uses /api/1.1/public/...); kore-api-more.md 8'),
    app: { kind: 'admin app', source: doc('S6', 'kore-api.md 1: Publish Status needs an Admin Console app') },
    scope: {
      labels: ['Bot Publish > Publish Status', 'Bot Publish > Publish'],
      source: doc('S6', 'kore-api-more.md 8: status page "Bot Publish > Publish Status"; API list "Bot Publish > Publish"'),
    },
    rate: 'status',
    request: { in: 'query', source: doc('S6', 'kore-api.md 6: no parameters'), params: {} },
    refusal: REFUSAL_412,
    response: {
      source: doc('S6', 'kore-api.md 6; kore-api-more.md 8: {_id, action, jobType, countOfDockStatuses, percentageComplete, ..., status, statusSummary[]}'),
      body: obj(
        {
          _id: str,
          action: str,
          jobType: always({ type: 'string', enum: ['PUBLISH_BOT'] }),
          streamId: str,
          countOfDockStatuses: num,
          percentageComplete: always(num),
          requestedTime: str,
          initiatedOn: str,
          lastModifiedOn: str,
          status: always({ type: 'string', enum: ['successful', 'failed', 'inprogress'] }),
          statusSummary: arr(obj({ resourceId: str, resourceType: str, name: str, status: str }), true),
        },
        true,
      ),
    },
  },

  getBots: {
    operation: 'kore.getBots',
    method: 'GET',
    path: '/api/public/bots',
    clientCalls: true,
    source: doc('S6', 'kore-api.md 6'),
    app: { kind: 'admin app', source: doc('S6', 'kore-api.md 1: Get Bots needs an Admin Console app') },
    scope: { labels: ['Profile Management > Role Management'], source: doc('S6', 'kore-api.md 1: "Profile Management > Role Management"') },
    rate: 'admin',
    request: {
      in: 'query',
      source: doc('S6', 'kore-api.md 6: GET /api/public/bots?offset&limit<=50'),
      params: { offset: { type: 'number' }, limit: { type: 'number', max: 50, source: doc('S6', 'kore-api.md 6: limit<=50') } },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc(
        'S6',
        'kore-api.md 6: bots[{_id,name,status:"published"}]; total and availableMore in the Get Bots page sample (S6) and the notes\' simulator section',
      ),
      body: obj({ total: always(num), availableMore: always(bool), bots: arr(obj({ _id: always(str), name: str, status: str }), true) }, true),
    },
  },

  // Export, upload and import into an existing bot (kore-api-more.md 1, 3, 4; issue 15).

  export: {
    operation: 'kore.export',
    method: 'POST',
    path: '/api/public/bot/{botId}/export',
    clientCalls: true,
    source: doc('D apis/automation/bot-export.mdx', 'kore-api-more.md 3; kore-api.md 6 [doc S6]'),
    app: { kind: 'bot app', source: doc('D apis/automation/bot-export.mdx', 'kore-api-more.md 1: "Bot Export" (JWT app OK)') },
    scope: {
      labels: ['Bot Export', 'Bot Definition > Bot Export'],
      source: doc('D apis/automation/bot-export.mdx', 'kore-api-more.md 1: "Bot Export" ; "Bot Definition > Bot Export"'),
    },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc(
        'D apis/automation/bot-export.mdx',
        'kore-api-more.md 3: exportType, exportOptions{settings, tasks, nlpData, AgentAI|AgentAssist, options}, subTasks, allTasks',
      ),
      params: {
        exportType: { type: 'string', enum: ['latest', 'published'], source: doc('S6', 'kore-api.md 6: "exportType":"latest"|"published"') },
        exportOptions: {
          type: 'object',
          source: doc('D apis/automation/bot-export.mdx', 'kore-api-more.md 3: the exportOptions lists and their values'),
          fields: {
            settings: { type: 'array', items: { type: 'string', enum: ['botSettings', 'botVariables', 'ivrSettings', 'genAIandLLMSettings'] } },
            tasks: { type: 'array', items: { type: 'string', enum: ['botTask', 'knowledgeGraph', 'smallTalk'] } },
            nlpData: {
              type: 'array',
              items: {
                type: 'string',
                enum: ['utterances', 'patterns', 'traits', 'rules', 'concepts', 'synonyms', 'standardResponses', 'nlpSettings'],
              },
            },
            // One doc version says AgentAI, the other AgentAssist.
            AgentAI: { type: 'array', items: { type: 'string', enum: ['rules', 'playbooks', 'widgetSettings', 'layoutSettings'] } },
            AgentAssist: { type: 'array', items: { type: 'string', enum: ['rules', 'playbooks', 'widgetSettings', 'layoutSettings'] } },
            options: { type: 'object', fields: { botVariables: { type: 'object' } } },
          },
        },
        subTasks: {
          type: 'object',
          source: doc('D apis/automation/bot-export.mdx', 'kore-api-more.md 3: subTasks{dialogs[],alerts[],actions[],experienceFlows[]} of task names'),
          fields: {
            dialogs: { type: 'array', items: { type: 'string' } },
            alerts: { type: 'array', items: { type: 'string' } },
            actions: { type: 'array', items: { type: 'string' } },
            experienceFlows: { type: 'array', items: { type: 'string' } },
          },
        },
        allTasks: { type: 'boolean', source: assumed('kore-api-more.md 3 names allTasks (ignored when subTasks is given) but not its type: boolean assumed') },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc(
        'D apis/automation/bot-export.mdx',
        'kore-api-more.md 3: {_id:"ber-...", streamId, status:"pending", exportType, requestType:"Botexport", createdOn}',
      ),
      body: obj(
        { _id: always(str), streamId: str, status: always(str), exportType: str, requestType: { type: 'string', enum: ['Botexport'] }, createdOn: str },
        true,
      ),
    },
  },

  exportStatus: {
    operation: 'kore.exportStatus',
    method: 'GET',
    path: '/api/public/bot/{botId}/export/status',
    clientCalls: true,
    source: doc('D apis/automation/bot-export-status.mdx', 'kore-api-more.md 1, 3; no id in the path: the latest export (inferred there)'),
    app: { kind: 'bot app', source: doc('D apis/automation/bot-export-status.mdx', 'kore-api-more.md 1: "Bot Export" (JWT app OK)') },
    scope: {
      labels: ['Bot Export', 'Bot Definition > Bot Export'],
      source: doc('D apis/automation/bot-export-status.mdx', 'kore-api-more.md 1: "Bot Export" ; "Bot Definition > Bot Export"'),
    },
    rate: 'status',
    request: {
      in: 'body',
      source: doc('D apis/automation/bot-export-status.mdx', 'kore-api-more.md 3: the page makes exportType a body field of this GET'),
      params: {
        exportType: {
          type: 'string',
          source: assumed(
            'kore-api-more.md 3: the page marks exportType required in the body of this GET; we do not hold to "required" (a GET body is unusual; whether Kore refuses without it is UNCONFIRMED): the client sends none, the simulator answers the latest export',
          ),
        },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc(
        'D apis/automation/bot-export-status.mdx',
        'kore-api-more.md 3: {status:"success", downloadURL, fileId, fileSize (string), store.urlParams, botId}; the failure value is UNCONFIRMED, and a pending answer is not shown (the simulator gives {status:"pending", botId})',
      ),
      body: obj({ status: always(str), downloadURL: str, fileId: str, fileSize: str, store: obj({ urlParams: { type: 'object' } }), botId: str }, true),
    },
  },

  uploadFile: {
    operation: 'kore.uploadFile',
    method: 'POST',
    path: '/api/public/uploadfile',
    clientCalls: true,
    source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 1, 4.1: one file per call'),
    app: { kind: 'bot app', source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 1: any app made by the account admin') },
    scope: { labels: [], source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 1: no scope') },
    rate: 'analytics',
    request: {
      in: 'multipart',
      source: doc(
        'D apis/automation/upload-file.mdx',
        'kore-api-more.md 4.1: multipart file, fileContext=bulkImport, fileExtension (json for definition/config, js for functions)',
      ),
      params: {
        file: { type: 'object', required: true, source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 4.1: multipart `file`, one per call') },
        fileContext: {
          type: 'string',
          enum: ['bulkImport'],
          required: true,
          source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 4.1: fileContext=bulkImport'),
        },
        fileExtension: {
          type: 'string',
          enum: ['json', 'js'],
          required: true,
          source: doc('D apis/automation/upload-file.mdx', 'kore-api-more.md 4.1: fileExtension json (definition/config) or js (functions)'),
        },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: assumed('kore-api-more.md 4.1: the file-id response field is not shown; `fileId` is inferred there'),
      body: obj({ fileId: always(str) }, true),
    },
  },

  import: {
    operation: 'kore.import',
    method: 'POST',
    path: '/api/public/bot/{botId}/import',
    clientCalls: true,
    source: doc('D apis/automation/import-bot-into-an-existing-bot.mdx', 'kore-api-more.md 1, 4.2'),
    app: { kind: 'admin app', source: doc('D apis/automation/import-bot-into-an-existing-bot.mdx', 'kore-api-more.md 1: **Admin app only**') },
    scope: {
      labels: ['Bot Definition > Bot Import'],
      source: doc('D apis/automation/import-bot-into-an-existing-bot.mdx', 'kore-api-more.md 1: "Bot Definition > Bot Import"'),
    },
    rate: 'analytics',
    request: {
      in: 'body',
      source: doc(
        'D apis/automation/import-bot-into-an-existing-bot.mdx',
        'kore-api-more.md 4.2: botDefinition, configInfo (file ids, required), botFunctions[] (optional), importOptions',
      ),
      params: {
        botDefinition: {
          type: 'string',
          required: true,
          source: doc('D apis/automation/import-bot-into-an-existing-bot.mdx', 'kore-api-more.md 4.2: botDefinition file id, required'),
        },
        configInfo: {
          type: 'string',
          required: true,
          source: doc('D apis/automation/import-bot-into-an-existing-bot.mdx', 'kore-api-more.md 4.2: configInfo file id, required'),
        },
        botFunctions: { type: 'array', items: { type: 'string' } },
        importOptions: {
          type: 'object',
          source: doc(
            'D apis/automation/import-bot-into-an-existing-bot.mdx',
            'kore-api-more.md 4.2: marked Required, yet the default imports all (so not required here); its lists and values; no experienceFlows',
          ),
          fields: {
            nlpData: { type: 'array', items: { type: 'string' } },
            tasks: { type: 'array', items: { type: 'string', enum: ['smallTalk', 'knowledgeGraph', 'forms', 'botTask'] } },
            settings: { type: 'array', items: { type: 'string', enum: ['botSettings', 'botVariables', 'ivrSettings', 'genAIandLLMSettings'] } },
            AgentAssist: { type: 'array', items: { type: 'string', enum: ['rules', 'playbooks'] } },
            qualityAI: { type: 'array', items: { type: 'string', enum: ['taxonomy', 'connectors', 'autoQA'] } },
            storyBoardScenes: { type: 'object', fields: { includeComments: { type: 'boolean' } } },
            customDashboard: {
              type: 'boolean',
              source: assumed('kore-api-more.md 4.2 names customDashboard but not its type: boolean assumed'),
            },
            options: {
              type: 'object',
              fields: {
                utterances: { type: 'object', fields: { append: { type: 'boolean' }, replace: { type: 'boolean' } } },
                patterns: { type: 'object', fields: { append: { type: 'boolean' }, replace: { type: 'boolean' } } },
                botVariables: { type: 'object', fields: { ignore: { type: 'array' } } },
              },
            },
          },
        },
      },
    },
    refusal: REFUSAL_412,
    response: {
      source: doc(
        'D apis/automation/import-bot-into-an-existing-bot.mdx',
        'kore-api-more.md 4.2: {_id:"bir-...", status:"pending", statusLogs[{taskType,taskName,status}]}',
      ),
      body: obj({ _id: always(str), status: always(str), statusLogs: arr(obj({ taskType: str, taskName: str, status: str })) }, true),
    },
  },

  importStatus: {
    operation: 'kore.importStatus',
    method: 'GET',
    path: '/api/public/bot/import/status/{birId}',
    clientCalls: true,
    source: doc('D apis/automation/bot-import-status.mdx', 'kore-api-more.md 1, 4.3: no bot id in the path, the import request id'),
    app: { kind: 'admin app', source: doc('D apis/automation/bot-import-status.mdx', 'kore-api-more.md 1: Admin app') },
    scope: {
      labels: ['Bot Definition > Bot Import'],
      source: doc('D apis/automation/bot-import-status.mdx', 'kore-api-more.md 1: Admin app; same scope as import'),
    },
    rate: 'status',
    request: {
      in: 'query',
      source: doc('D apis/automation/bot-import-status.mdx', 'kore-api-more.md 4.3: the bir- id in the path; no parameters'),
      params: {},
    },
    refusal: REFUSAL_412,
    response: {
      source: doc(
        'D apis/automation/bot-import-status.mdx',
        'kore-api-more.md 4.3: poll until status "success"; statusLogs taskType values include importRequest, Bot Definition, BotFunctions, Dialog, Utterences, importBot (not a closed list)',
      ),
      body: obj({ _id: always(str), status: always(str), statusLogs: arr(obj({ taskType: str, taskName: str, status: str })) }, true),
    },
  },
};

export type KoreEndpointName = keyof typeof KORE_ENDPOINTS;

/** Every fact above with its source, for counting and for docs/simulators.md. */
export function allSources(): Array<{ fact: string; source: Source }> {
  const out: Array<{ fact: string; source: Source }> = [];
  for (const [k, v] of Object.entries(KORE_AUTH)) out.push({ fact: `auth.${k}`, source: v.source });
  out.push({ fact: 'error body', source: ERROR_BODY.source });
  for (const [k, v] of Object.entries(KORE_ERRORS)) {
    out.push({ fact: `error.${k}`, source: v.source });
    if ('statusSource' in v) out.push({ fact: `error.${k}.status`, source: v.statusSource });
  }
  for (const [k, v] of Object.entries(RATE_CLASSES)) out.push({ fact: `rate.${k}`, source: v.source });
  for (const [name, e] of Object.entries(KORE_ENDPOINTS)) {
    out.push({ fact: `${name}.path`, source: e.source }, { fact: `${name}.app`, source: e.app.source }, { fact: `${name}.scope`, source: e.scope.source });
    out.push({ fact: `${name}.request`, source: e.request.source }, { fact: `${name}.refusal`, source: e.refusal.source });
    out.push({ fact: `${name}.response`, source: e.response.source });
    const params = (at: string, ps: Record<string, Param>): void => {
      for (const [p, spec] of Object.entries(ps)) {
        if (spec.source) out.push({ fact: `${name}.request.${at}${p}`, source: spec.source });
        if (spec.fields) params(`${at}${p}.`, spec.fields);
      }
    };
    params('', e.request.params);
    for (const r of e.rules ?? []) out.push({ fact: `${name}.${r.rule}`, source: r.source });
  }
  return out;
}
