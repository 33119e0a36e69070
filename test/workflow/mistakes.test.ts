import fs from 'node:fs';
import path from 'node:path';
import { ZOOM_VERIFY_SCOPES } from '../../src/integrations/zoom/scopes';
import { rehearseMistake } from '../../src/people/mistake-rehearsal';
import { MISTAKES, type MistakeScene } from '../../src/people/mistakes';
import { startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * Each mistake a person can make in this onboarding, played by the scripted people against the
 * causal simulated world: the run stops at the earliest step whose checks can see it, in the
 * state the catalogue says, with a diagnosis that names the value, console and step; after the
 * person fixes it as told, the run completes. The mistakes run concurrently on one worker.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

describe.each(MISTAKES.map((m) => [m.name, m] as const))('mistake %s', (_name, m) => {
  it.concurrent(
    `is caught at ${m.caught.step} (${m.caught.state}) with words that say what to fix, and the run completes after the fix`,
    async () => {
      const file = tenantFile();
      const r = await rehearseMistake({ onboardings: h.onboardings, consoles: h.consoles, tenant: file, mistake: m, by: 'pat@acme.example' });
      expect(r.caught).toMatchObject({ step: m.caught.step, state: m.caught.state });
      const scene = { tenant: { ...file, kore: { ...file.kore }, zoom: { ...file.zoom } }, memory: r.memory } as unknown as MistakeScene;
      expect(r.caught!.message).toContain(m.caught.says(scene));
      expect([r.progress.status, r.progress.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])]).toEqual(['completed', []]);
    },
    180_000,
  );
});

it('every mistake the issue names has a scene, each a distinct name', () => {
  const names = MISTAKES.map((m) => m.name);
  expect(new Set(names).size).toBe(names.length);
  expect(names).toEqual(
    expect.arrayContaining([
      'wrong-did',
      'wrong-domain',
      'wrong-did-in-sip-trunk',
      'connector-not-authorized',
      'wrong-client-id-in-connector',
      'app-not-published',
      'flow-not-attached',
      'zcc-flow-not-routed',
      'zcc-flow-not-published',
      'chat-history-not-mapped',
      'summary-off',
      'wrong-bot-id',
      'zoom-scope-missing',
    ]),
  );
});

it('with nothing granted in Kore.ai and people doing only what the instructions say, the run completes, and the vendors end set up as the guide says', async () => {
  const file = tenantFile();
  const noMistake = { name: 'none', summary: '', kind: 'console' as const, slips: () => ({}), caught: MISTAKES[0]!.caught, fix: async () => undefined };
  const before = h.sims.kore.world;
  const r = await rehearseMistake({ onboardings: h.onboardings, consoles: h.consoles, tenant: file, mistake: noMistake });
  expect(r.caught).toBeUndefined();
  expect(r.progress.status).toBe('completed');
  // Registered with no scope; the person mapped exactly the two the instructions ask for, in force after the publish.
  const app = before.apps.get(file.kore.clientId)!;
  expect([...app.scopes].sort()).toEqual(['Bot Sessions', 'Chat History']);
  expect([...app.pendingScopes]).toEqual([]);
  const setup = await h.consoles.koreBotSetup(file.kore.botId);
  expect(setup.live?.sipTrunks).toEqual([
    expect.objectContaining({ fqdn: r.memory.domain, did: r.memory.did, dnsResolve: 'srv', transport: 'tls', padCrypto: true, inbound: true, outbound: true }),
  ]);
  // The Zoom app was registered as the README's prerequisites describe it.
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  for (const scope of ZOOM_VERIFY_SCOPES) expect(readme).toContain(`\`${scope}\``);
  const byId = Object.fromEntries(r.progress.steps.map((s) => [s.id, s]));
  expect(byId['place-test-call']!.result).toMatchObject({ transferredToAgent: true, engagementMatchedBy: 'kore-session_id in the connector event' });
});

it("the README's table lists every mistake, with where it is caught", () => {
  const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
  const section = readme.slice(readme.indexOf('### Mistakes, rehearsed'));
  const rows = section
    .slice(0, section.indexOf('\n#', 5))
    .split('\n')
    .filter((l) => /^\| `[a-z-]+` \|/.test(l));
  expect(rows.map((l) => /^\| `([a-z-]+)` \|/.exec(l)![1])).toEqual(MISTAKES.map((m) => m.name));
  for (const m of MISTAKES) {
    const row = rows.find((l) => l.startsWith(`| \`${m.name}\` |`));
    expect(row).toContain(`| \`${m.caught.step}\``);
    expect(row).toContain(`| ${m.caught.state} |`);
  }
});
