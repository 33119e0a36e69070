import axios from 'axios';
import { KoreClient } from '../../src/integrations/kore/client';
import { readSeed } from '../../src/sim/seed';
import { DEFAULT_SEED } from '../../src/cli/commands/sim';
import { onboard, onboardLongRunning } from '../support/cli';

const anyPorts = { ONBOARD_SIM_KORE_PORT: '0', ONBOARD_SIM_ZOOM_PORT: '0', ONBOARD_API_PORT: '0' };

describe('the onboard CLI', () => {
  it('--help lists the commands truthfully', async () => {
    const r = await onboard(['--help']);
    expect(r.code).toBe(0);
    for (const cmd of [
      'dev',
      'worker',
      'api',
      'start',
      'status',
      'list',
      'cancel',
      'offboard',
      'complete',
      'retry',
      'reopen',
      'skip',
      'amend',
      'export',
      'preflight',
      'rehearse',
      'sim',
      'temporal',
      'keys',
    ])
      expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
  });

  it('a wrong variable is one line naming it, exit 2', async () => {
    const r = await onboard(['sim'], { ONBOARD_SIM_ZOOM_PORT: 'seventy' });
    expect(r.code).toBe(2);
    expect(r.stderr.trim()).toBe('onboard: ONBOARD_SIM_ZOOM_PORT="seventy": expected an integer between 0 and 65535');
  });

  it('a wrong option is one line naming it', async () => {
    const r = await onboard(['sim', '--kore-port', 'x']);
    expect(r.code).not.toBe(0);
    expect(r.stderr).toContain('--kore-port "x": expected a port number 0-65535');
  });

  it('`temporal which` says which route finds the CLI', async () => {
    const r = await onboard(['temporal', 'which', '--json']);
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout)).toMatchObject({ route: 'cache', path: expect.stringContaining('temporal') });
  });

  it('`sim` serves the demo tenant on the printed URLs and stops on Ctrl-C', async () => {
    const { child, json, exited } = await onboardLongRunning(['sim', '--json'], anyPorts);
    try {
      expect(json.env.ONBOARD_KORE_BASE_URL).toBe(json.kore.baseUrl);
      const seed = readSeed(DEFAULT_SEED);
      const kore = new KoreClient({ baseUrl: json.kore.baseUrl, credentials: { clientId: seed.kore.clientId, clientSecret: seed.kore.clientSecret } });
      await expect(kore.listSessions(seed.kore.botId)).resolves.toMatchObject({ sessions: [] });
      const token = await axios.post(
        json.zoom.oauthUrl,
        new URLSearchParams({ grant_type: 'account_credentials', account_id: seed.zoom.accountId }).toString(),
        {
          auth: { username: seed.zoom.clientId, password: seed.zoom.clientSecret },
        },
      );
      expect(token.data.token_type).toBe('bearer');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('`keys rotate` adds a key (0600) that encrypts from then on; `keys list` shows ids only', async () => {
    const dir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'onboard-keys-'));
    const file = `${dir}/keys.json`;
    const first = JSON.parse((await onboard(['keys', 'rotate', '--json'], { ONBOARD_CODEC_KEYS_FILE: file })).stdout);
    const second = JSON.parse((await onboard(['keys', 'rotate', '--json'], { ONBOARD_CODEC_KEYS_FILE: file })).stdout);
    expect(second).toMatchObject({ file, count: 2 });
    expect(require('node:fs').statSync(file).mode & 0o777).toBe(0o600);
    const list = await onboard(['keys', 'list', '--json'], { ONBOARD_CODEC_KEYS_FILE: file });
    expect(JSON.parse(list.stdout)).toEqual({ ids: [first.id, second.id], current: second.id });
    const keys = JSON.parse(require('node:fs').readFileSync(file, 'utf8')) as Array<{ key: string }>;
    for (const k of keys) expect(list.stdout).not.toContain(k.key);
    const fromEnv = await onboard(['keys', 'rotate'], { ONBOARD_CODEC_KEYS: JSON.stringify(keys.map((k, i) => ({ id: `e${i}`, key: k.key }))) });
    expect(fromEnv.code).toBe(2);
    expect(fromEnv.stderr.trim()).toMatch(/^onboard: keys come from ONBOARD_CODEC_KEYS: add the new key to that variable instead/);
  });

  it('`dev` runs Temporal and the simulators together, and Ctrl-C stops all of it', async () => {
    // A fresh state dir and no configured keys, as on a new machine: dev makes the payload key.
    const stateDir = require('node:fs').mkdtempSync(require('node:path').join(require('node:os').tmpdir(), 'onboard-dev-'));
    const { child, json, exited } = await onboardLongRunning(['dev', '--port', '0', '--ui-port', '0', '--memory', '--json'], {
      ...anyPorts,
      TEMPORAL_ADDRESS: '',
      ONBOARD_CODEC_KEYS_FILE: '',
      ONBOARD_STATE_DIR: stateDir,
    });
    try {
      expect(json.payloadKeys).toEqual({ file: `${stateDir}/codec-keys.json`, created: true });
      // Dev takes plain (codec-less) input, as before, until its older runs are closed (docs/operations.md).
      expect(json.worker.refusePlainInput).toBe(false);
      expect(require('node:fs').statSync(json.payloadKeys.file).mode & 0o777).toBe(0o600);
      // The Web UI was started pointing at the API's codec, and the API lets the UI's origin in.
      const settings = await axios.get(`${json.temporal.uiUrl}/api/v1/settings`);
      expect(settings.data.Codec.Endpoint).toBe(json.api.codec);
      // ... and sends the browser's credentials there (the session cookie of a dashboard sign-in): nothing to set by hand.
      expect(settings.data.Codec.IncludeCredentials).toBe(true);
      // The dashboard links each run to that UI.
      const page = await axios.get(json.api.url);
      expect(page.data).toContain(`<meta name="temporal-run-url" content="${json.temporal.uiUrl}/namespaces/default/workflows/onboarding-{tenantId}" />`);
      const preflight = await axios.request({
        method: 'OPTIONS',
        url: `${json.api.codec}/decode`,
        headers: { origin: json.temporal.uiUrl, 'access-control-request-method': 'POST' },
        validateStatus: () => true,
      });
      expect(preflight.status).toBe(204);
      expect(preflight.headers['access-control-allow-origin']).toBe(json.temporal.uiUrl);
      expect(json.temporal.address).toMatch(/^127\.0\.0\.1:\d+$/);
      const ui = await axios.get(json.temporal.uiUrl, { validateStatus: () => true });
      expect(ui.status).toBe(200);
      const health = await axios.get(`${json.kore.baseUrl}/__sim/faults`);
      expect(health.status).toBe(200);
      // The API answers with the printed engineer token, and refuses without it.
      const token = JSON.parse(require('node:fs').readFileSync(json.api.tokenFile, 'utf8'))[0].token;
      const me = await axios.get(`${json.api.url}/api/v1/me`, { headers: { authorization: `Bearer ${token}` } });
      expect(me.data).toEqual({ name: 'local engineer', role: 'engineer' });
      expect((await axios.get(`${json.api.url}/api/v1/me`, { validateStatus: () => true })).status).toBe(401);
      expect((await axios.get(`${json.api.url}/healthz`)).data.temporal.reachable).toBe(true);

      // A rehearsal beside it runs on this stack (under fresh ids), so the dev API and Web UI show it.
      const stackFile = require('node:path').join(stateDir, 'dev-stack.json');
      expect(require('node:fs').statSync(stackFile).mode & 0o777).toBe(0o600);
      const rehearsal = await onboard(['rehearse', 'examples/tenant.example.json', '--json'], {
        ...anyPorts,
        TEMPORAL_ADDRESS: '',
        ONBOARD_STATE_DIR: stateDir,
      });
      expect(rehearsal.stderr).toBe('');
      expect(rehearsal.code).toBe(0);
      const rehearsed = JSON.parse(rehearsal.stdout) as { status: string; tenantId: string };
      expect(rehearsed).toMatchObject({ status: 'completed', tenantId: expect.stringMatching(/^acme-demo-r[0-9a-f]{6}$/) });
      const seen = await axios.get(`${json.api.url}/api/v1/onboardings/${rehearsed.tenantId}`, { headers: { authorization: `Bearer ${token}` } });
      expect(seen.data).toMatchObject({ tenantId: rehearsed.tenantId, status: 'completed' });
      // --private keeps to its own stack: the dev API never hears of it.
      const apart = await onboard(['rehearse', 'examples/tenant.example.json', '--json', '--private'], {
        ...anyPorts,
        TEMPORAL_ADDRESS: '',
        ONBOARD_STATE_DIR: stateDir,
      });
      expect(apart.code).toBe(0);
      expect(JSON.parse(apart.stdout).tenantId).toBe('acme-demo');
      const unseen = await axios.get(`${json.api.url}/api/v1/onboardings/acme-demo`, {
        headers: { authorization: `Bearer ${token}` },
        validateStatus: () => true,
      });
      expect(unseen.status).toBe(404);
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // The Temporal server went with it, and so did the file that told rehearsals about it.
    await expect(axios.get(json.temporal.uiUrl, { timeout: 2000 })).rejects.toThrow();
    expect(require('node:fs').existsSync(require('node:path').join(stateDir, 'dev-stack.json'))).toBe(false);
  });
});
