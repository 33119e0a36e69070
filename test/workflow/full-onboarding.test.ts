import { startHarness, type Harness } from '../support/onboarding';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

it('walks the whole catalogue to completed with the people script', async () => {
  const tenant = await h.start();
  const p = await h.completeAll(tenant);
  expect(p.steps.filter((s) => s.state !== 'done').map((s) => [s.id, s.state, s.lastError])).toEqual([]);
  expect(p.status).toBe('completed');
  expect(p.percent).toBe(100);
});
