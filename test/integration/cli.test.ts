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
    for (const cmd of ['dev', 'worker', 'api', 'start', 'status', 'list', 'cancel', 'complete', 'retry', 'skip', 'rehearse', 'sim', 'temporal']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
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
      const token = await axios.post(json.zoom.oauthUrl, new URLSearchParams({ grant_type: 'account_credentials', account_id: seed.zoom.accountId }).toString(), {
        auth: { username: seed.zoom.clientId, password: seed.zoom.clientSecret },
      });
      expect(token.data.token_type).toBe('bearer');
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
  });

  it('`dev` runs Temporal and the simulators together, and Ctrl-C stops all of it', async () => {
    const { child, json, exited } = await onboardLongRunning(['dev', '--port', '0', '--ui-port', '0', '--memory', '--json'], { ...anyPorts, TEMPORAL_ADDRESS: '' });
    try {
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
    } finally {
      child.kill('SIGINT');
    }
    expect(await exited).toBe(0);
    // The Temporal server went with it.
    await expect(axios.get(json.temporal.uiUrl, { timeout: 2000 })).rejects.toThrow();
  });
});
