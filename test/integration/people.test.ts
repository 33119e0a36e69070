import { publicTenant } from '../../src/domain/tenant';
import { playPeople, PeopleStuck, type PeopleEvent } from '../../src/people';
import { startHarness, type Harness } from '../support/onboarding';

/**
 * The one people driver, on a real run: its hook lets a person do something differently (here,
 * type the wrong flow name first), the run's refusal reaches the events, the person tries again,
 * and a person who never gets it right is given up on after maxTries with the run's finding.
 */
let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it('a person who first types the wrong attached flow is refused with the cross-check, corrects it, and the run completes', async () => {
  const tenant = await h.start();
  const events: PeopleEvent[] = [];
  let attempts = 0;
  const { progress } = await playPeople({
    desk: h.onboardings,
    consoles: h.consoles,
    tenant: publicTenant(tenant),
    by: 'pat@acme.example',
    pauseMs: () => 5,
    onEvent: (e) => events.push(e),
    person: async (step, script) => {
      const evidence = await script();
      if (step !== 'configure-sip-trunk' || attempts++ > 0) return evidence;
      return { ...evidence, attachedFlowName: 'Some Other Flow' };
    },
  });
  expect(progress.status).toBe('completed');
  expect(attempts).toBe(2);
  const rejected = events.filter((e) => e.state === 'rejected');
  expect(rejected).toEqual([
    expect.objectContaining({
      stepId: 'configure-sip-trunk',
      note: expect.stringContaining('evidence.attachedFlowName "Some Other Flow" is not the flow named in associate-experience-flow'),
    }),
  ]);
  // Every human step was acted on at least once, in an order the run allowed.
  const acted = events.filter((e) => e.state === 'acted').map((e) => e.stepId);
  expect(new Set(acted).size).toBe(12);
  expect(acted.indexOf('create-zoom-connector')).toBeLessThan(acted.indexOf('configure-sip-trunk'));
  expect(acted.at(-1)).toBe('place-test-call');
});

it('a person whose claim never holds is given up on after maxTries, with what the verifier found', async () => {
  const tenant = await h.start();
  const stuck = playPeople({
    desk: h.onboardings,
    consoles: h.consoles,
    tenant: publicTenant(tenant),
    parallel: false,
    maxTries: 2,
    person: async (step, script) => (step === 'route-zcc-flow-to-connector' ? { flowName: 'No Such Flow' } : script()),
  });
  await expect(stuck).rejects.toThrow(PeopleStuck);
  await expect(stuck).rejects.toThrow(/route-zcc-flow-to-connector was not verified after 2 tries: no ZCC flow is named "No Such Flow"/);
  const step = await h.step(tenant.tenantId, 'route-zcc-flow-to-connector');
  expect(step).toMatchObject({ state: 'open', attempts: 2 });
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test done', by: 't' });
});
