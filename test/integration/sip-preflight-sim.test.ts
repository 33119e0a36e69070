import { MockActivityEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import type { StepActivityInput } from '../../src/domain/activity-contract';
import type { TenantInput } from '../../src/domain/tenant';
import { preflightSettings, runSipPreflight } from '../../src/integrations/sip/preflight';
import { createLogger } from '../../src/log';
import { onboard } from '../support/cli';
import { startHarness, type Harness } from '../support/onboarding';

/**
 * The simulated world answers the SIP preflight for its connector domains (src/sim/sip: DNS, TLS
 * with a test CA, SIP OPTIONS) with nothing asked outside the machine, and `onboard preflight`
 * runs it for a tenant's run or a domain, configured from the simulators' env alone.
 */
let h: Harness;
let env: NodeJS.ProcessEnv;
let domain: string;
let tenantId: string;
let tenant: TenantInput;

beforeAll(async () => {
  h = await startHarness();
  env = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir };
  tenant = await h.start();
  tenantId = tenant.tenantId;
  await h.until(tenantId, h.stepIs('create-zoom-connector', 'open'));
});
afterAll(async () => {
  await h?.onboardings.cancel(tenantId, { reason: 'test over', by: 'sam' }).catch(() => undefined);
  await h?.stop();
});

const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };

describe('the simulators answer the SIP preflight', () => {
  it('before the connector exists, `onboard preflight <tenant>` says what to do first (exit 1)', async () => {
    const r = await onboard(['preflight', tenantId], env);
    expect(r.code).toBe(1);
    expect(r.stderr.trim().split('\n').at(-1)).toBe(
      `onboard: ${tenantId} has no connector domain yet: create-zoom-connector is open; complete it first, or give the domain with --domain`,
    );
  });

  it("a connector's domain passes: SRV, the simulator CA's certificate naming the domain, SIP 200", async () => {
    await h.act(tenant, 'create-zoom-connector');
    const p = await h.until(tenantId, h.stepIs('create-zoom-connector', 'done'));
    domain = String(p.steps.find((s) => s.id === 'create-zoom-connector')!.evidence!.domain);
    expect(domain).toMatch(/^[0-9a-f]{8}\.kore-connector\.zoomcc\.sim$/);

    const r = await runSipPreflight(domain, preflightSettings(h.config.preflight));
    expect(r).toMatchObject({ verdict: 'ok', srv: `_sips._tcp.${domain}` });
    expect(r.targets).toEqual([
      expect.objectContaining({ target: 'sip.zoomcc.sim', port: h.sims.sip.sipPort, outcome: 'ok', sip: { status: 200, reason: 'OK' } }),
    ]);
    expect(r.targets[0]!.tls).toMatchObject({ names: 'domain', issuer: 'kore-zcc-onboarding simulator CA' });
  });

  it('its DNS knows only its own zone: unknown connector domains are NXDOMAIN, other names REFUSED', async () => {
    const settings = preflightSettings(h.config.preflight);
    await expect(runSipPreflight('gone1234.kore-connector.zoomcc.sim', settings)).resolves.toMatchObject({
      verdict: 'failed',
      problem: expect.stringContaining('no SRV record for _sips._tcp.gone1234.kore-connector.zoomcc.sim'),
    });
    await expect(runSipPreflight('zoom.us', settings)).resolves.toMatchObject({
      problem: 'the DNS server refused to answer for _sips._tcp.zoom.us (REFUSED)',
    });
  });

  it("the worker's activity, configured from the simulators' env, is done with the report", async () => {
    const activities = createActivities({ config: h.config, logger: createLogger({ name: 'test' }) });
    const input = {
      since: new Date().toISOString(),
      evidence: { 'create-zoom-connector': { domain } },
      results: {},
      skipped: [],
    } as unknown as StepActivityInput;
    const r = await new MockActivityEnvironment({}, { logger: quiet }).run(activities.sipPreflight, input);
    expect(r).toMatchObject({ status: 'done', result: { domain, verdict: 'ok', targets: [expect.objectContaining({ outcome: 'ok' })] } });
  });

  it('`onboard preflight <tenant>` reads the domain from the run: one line per target, the verdict, exit 0', async () => {
    const r = await onboard(['preflight', tenantId], env);
    expect([r.code, r.stdout.trim().split('\n')]).toEqual([
      0,
      [
        `SIP preflight of ${domain} (_sips._tcp.${domain})`,
        expect.stringMatching(
          new RegExp(
            `^  sip\\.zoomcc\\.sim:${h.sims.sip.sipPort} \\(127\\.0\\.0\\.1\\) priority 10 weight 100: ok: SIP 200 OK; TLSv1\\.3, certificate names the SIP domain, valid to \\d{4}-\\d\\d-\\d\\d$`,
          ),
        ),
        'verdict: ok (1 ok, 0 inconclusive, 0 failed of 1 SRV target)',
      ],
    ]);
    // Progress for the slow parts goes to stderr, so stdout stays the result.
    expect(r.stderr).toContain(`resolving _sips._tcp.${domain}`);
    expect(r.stderr).toContain('SIP OPTIONS ...');
  });

  it('`onboard preflight --domain` needs no run; a failed verdict exits 1, --json gives the report', async () => {
    const r = await onboard(['preflight', '--domain', 'gone1234.kore-connector.zoomcc.sim', '--json'], env);
    expect(r.code).toBe(1);
    expect(JSON.parse(r.stdout)).toMatchObject({ domain: 'gone1234.kore-connector.zoomcc.sim', verdict: 'failed', targets: [] });
    const both = await onboard(['preflight', tenantId, '--domain', domain], env);
    expect([both.code, both.stderr.trim()]).toEqual([2, 'onboard: give a tenant id or --domain <domain> (one of them)']);
  });
});
