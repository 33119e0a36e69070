import type { Browser, Page } from 'playwright-core';
import type { Progress } from '../../src/app';
import { publicTenant } from '../../src/domain/tenant';
import { registerTenant } from '../../src/people';
import { ZOOM_VERIFY_SCOPES } from '../../src/integrations/zoom/scopes';
import { axeViolations, startDashboard, type Dashboard } from '../support/browser';
import { FAST, tenantFile, type Harness } from '../support/onboarding';

/**
 * The top of a run's page (issue 19 part 3) in Debian's chromium: "Needs you now" lists the steps
 * waiting on a person and keeps its filters through live updates; a banner names a step that needs
 * attention; a refused Retry takes the focus to its message; a completed run says what was verified
 * with the vendors' answers; Copy buttons are named by what they copy and copy the value alone.
 */
const ENGINEER = 'needs-engineer-token-0123456789';

let h: Harness;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('dashboard-needs-test', [{ name: 'Dana Dashboard', role: 'engineer', token: ENGINEER }]);
  ({ h, url, browser } = dash);
});
afterAll(() => dash?.stop());

async function signedIn(tenantId: string, width = 1200): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  await context.addInitScript((t) => (globalThis as any).sessionStorage.setItem('onboard-token', t), ENGINEER);
  const page = await context.newPage();
  await page.goto(`${url}/#/t/${tenantId}`);
  await page.getByRole('heading', { name: `Acme Corp (${tenantId})` }).waitFor();
  return page;
}

const WAITING = new Set(['open', 'waiting-for-human', 'needs-attention', 'awaiting-approval']);
const SIDE: Record<string, string> = { kore: 'Kore.ai', zoom: 'Zoom' };
/** The panel's items as shown: step id, button text, side, and whether the filters hide it. */
const panel = (page: Page) =>
  page.locator('#needs-list > li').evaluateAll((lis) =>
    lis.map((li: any) => ({
      id: li.dataset.step,
      title: li.querySelector('button').textContent,
      side: li.dataset.side,
      hidden: li.hidden,
      detail: li.textContent,
    })),
  );
const clipboard = (page: Page) => page.evaluate(() => (globalThis as any).navigator.clipboard.readText() as Promise<string>);
const serious = async (page: Page) => (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

/** Waits until the panel lists exactly the steps of the run's progress that wait on a person (fails with both, after 15 s). */
async function panelMatchesRun(page: Page, tenantId: string): Promise<Progress> {
  const deadline = Date.now() + 15_000;
  for (;;) {
    const p = await h.progress(tenantId);
    const want = p.steps.filter((s) => WAITING.has(s.state)).map((s) => ({ id: s.id, title: s.title, side: s.side }));
    const got = (await panel(page)).map(({ id, title, side }) => ({ id, title, side }));
    if (JSON.stringify(got) === JSON.stringify(want) && want.length) return p;
    if (Date.now() > deadline) expect(got).toEqual(want);
    await page.waitForTimeout(200);
  }
}

it('lists the steps waiting on a person, filters them by side and by whom they wait for through live updates, and names Copy buttons by their value', async () => {
  const tenant = await h.start(tenantFile());
  await h.until(tenant.tenantId, h.stepIs('create-zoom-connector', 'open', 'waiting-for-human'));
  const page = await signedIn(tenant.tenantId);
  const needs = page.getByRole('region', { name: 'Needs you now' });
  const p = await panelMatchesRun(page, tenant.tenantId);
  // Each item says its side and whom it waits for, and leads to its step.
  for (const item of await panel(page)) expect(item.detail).toContain(`${SIDE[item.side]} \u00b7 open for`);
  expect((await panel(page)).find((i) => i.id === 'create-zoom-connector')!.detail).toContain('waits for Zoom admin');
  await needs.getByRole('button', { name: 'Create the Kore.ai Assistant Connector in the Zoom Marketplace' }).click();
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('title-create-zoom-connector');
  expect(await page.locator('#needs-summary').textContent()).toBe(`${p.steps.filter((s) => WAITING.has(s.state)).length} steps wait on a person.`);

  // Zoom only: the Kore.ai steps are hidden, and the choice stays while the run moves on.
  const side = page.locator('#needs-side');
  await side.selectOption('zoom');
  await side.evaluate((el: any) => (el.dataset.mark = 'kept'));
  const shownIds = async () => (await panel(page)).filter((i) => !i.hidden).map((i) => i.id);
  const zoomWaiting = (q: Progress) => q.steps.filter((s) => WAITING.has(s.state) && s.side === 'zoom').map((s) => s.id);
  expect(await shownIds()).toEqual(zoomWaiting(p));
  expect((await panel(page)).some((i) => i.side === 'kore' && i.hidden)).toBe(true);

  // The connector's Copy buttons are named by what they copy, and copy the value alone.
  const connector = page.locator('#step-create-zoom-connector');
  const names = await connector.locator('ol button.copy').evaluateAll((bs) => bs.map((b: any) => b.getAttribute('aria-label')));
  expect(names).toEqual(['Copy Base URL', 'Copy Bot ID', 'Copy Client ID']);
  await connector.getByRole('button', { name: 'Copy Bot ID' }).click();
  await connector.getByRole('button', { name: 'Copied Bot ID' }).filter({ hasText: 'Copied' }).waitFor();
  expect(await clipboard(page)).toBe(tenant.kore.botId);

  // A live update: the connector step is done through the API; the panel changes, the filter holds.
  const done = await h.act(tenant, 'create-zoom-connector');
  await page.locator('#needs-list > li[data-step="route-zcc-flow-to-connector"]').waitFor();
  await page.locator('#needs-list > li[data-step="create-zoom-connector"]').waitFor({ state: 'detached' });
  const after = await panelMatchesRun(page, tenant.tenantId);
  expect(await side.evaluate((el: any) => [el.dataset.mark, el.value])).toEqual(['kept', 'zoom']);
  expect(await shownIds()).toEqual(zoomWaiting(after));
  expect(await shownIds()).toContain('route-zcc-flow-to-connector');

  // The route step's DID copies without the bracket that closes it in the sentence.
  const route = page.locator('#step-route-zcc-flow-to-connector');
  await route.getByRole('button', { name: 'Copy DID', exact: true }).click();
  await route.getByRole('button', { name: 'Copied DID', exact: true }).filter({ hasText: 'Copied' }).waitFor();
  expect(await clipboard(page)).toBe((done.evidence as { did: string }).did);

  // By whom it waits for: the choices are the values present; Kore.ai's admin with all sides shows the Kore.ai steps only.
  await side.selectOption('');
  const who = page.locator('#needs-who');
  expect(await who.locator('option').allTextContents()).toEqual(['Anyone', 'Kore.ai admin', 'Zoom admin']);
  await who.selectOption('Kore.ai admin');
  const kore = after.steps.filter((s) => WAITING.has(s.state) && s.side === 'kore').map((s) => s.id);
  expect(kore.length).toBeGreaterThan(0);
  expect(await shownIds()).toEqual(kore);
  expect(await page.locator('#needs-summary').textContent()).toMatch(
    new RegExp(`^${kore.length} of \\d+ steps waiting on a person shown; the filters hide \\d+\\.$`),
  );
  expect(await page.locator('.needs-banner [role=alert]').count()).toBe(0);
  expect(await serious(page)).toEqual([]);
  await page.context().close();

  // At 390 px the page with the panel does not scroll sideways.
  const phone = await signedIn(tenant.tenantId, 390);
  await phone.locator('#needs-list > li').first().waitFor();
  expect(await phone.evaluate(() => (globalThis as any).document.documentElement.scrollWidth)).toBeLessThanOrEqual(390);
  await phone.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('raises a banner for a step that needs attention, and a refused Retry takes the focus to why', async () => {
  // The Zoom app lacks the report scope: verify-zoom-access needs attention at once.
  const file = tenantFile();
  const shown = publicTenant(file);
  await registerTenant(
    h.consoles,
    shown,
    { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret },
    { zoomScopes: ZOOM_VERIFY_SCOPES.filter((s) => s !== 'contact_center_report:read:admin') },
  );
  const tenant = await h.start(file, FAST, false);
  await h.until(tenant.tenantId, h.stepIs('verify-zoom-access', 'needs-attention'));
  const page = await signedIn(tenant.tenantId);
  const banner = page.locator('.needs-banner [role=alert]');
  await banner.waitFor();
  expect(await banner.textContent()).toBe('Needs attention: Check the Zoom Server-to-Server app and its scopes.');
  const item = page.locator('#needs-list > li[data-step="verify-zoom-access"]');
  expect(await item.textContent()).toContain('Zoom \u00b7 needs attention \u00b7 waits for Engineer');
  expect(await serious(page)).toEqual([]);

  // The page stops hearing of changes (no stream, its polls held), so its Retry is clicked on a step fixed meanwhile.
  await page.route('**/events', (r) => r.abort());
  await page.reload();
  await page.locator('#step-verify-zoom-access').getByRole('button', { name: 'Retry' }).waitFor();
  const held: Array<() => Promise<void>> = [];
  await page.route(`**/api/v1/onboardings/${tenant.tenantId}`, (r) => void held.push(() => r.continue()));
  await h.consoles.addZoomScope(tenant.zoom.accountId, 'contact_center_report:read:admin');
  await h.onboardings.retry(tenant.tenantId, { stepId: 'verify-zoom-access', by: 'someone@acme.example' });
  await h.until(tenant.tenantId, h.stepIs('verify-zoom-access', 'done'));
  await page.locator('#step-verify-zoom-access').getByRole('button', { name: 'Retry' }).click();
  const why = page.locator('#retry-verify-zoom-access-error');
  await why.filter({ hasText: 'only a step that needs attention can be retried' }).waitFor();
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.id)).toBe('retry-verify-zoom-access-error');
  expect(await why.getAttribute('role')).toBe('alert');

  // Updates again: the banner goes with the step that needed attention.
  await page.unroute(`**/api/v1/onboardings/${tenant.tenantId}`);
  for (const go of held) await go();
  await page.locator('#step-verify-zoom-access .chip.state').filter({ hasText: 'done' }).waitFor();
  await banner.waitFor({ state: 'detached' });
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('says what a completed run verified: the vendors\u2019 answers, who did each step and when, and why a step was skipped', async () => {
  const tenant = await h.start(tenantFile());
  await h.until(tenant.tenantId, h.stepIs('accept-genai-policy', 'open', 'waiting-for-human'));
  await h.onboardings.skip(tenant.tenantId, { stepId: 'accept-genai-policy', reason: 'no summary wanted', by: 'dana@acme.example' });
  const p = await h.completeAll(tenant);
  expect(p.status).toBe('completed');
  const page = await signedIn(tenant.tenantId);
  const summary = page.getByRole('region', { name: 'Completed: what was verified' });
  await summary.waitFor();
  // Nothing waits on anyone now: the panel is gone.
  expect(await page.getByRole('region', { name: 'Needs you now' }).count()).toBe(0);
  const item = (id: string) => summary.locator(`li[data-step="${id}"]`);
  expect(await summary.locator('li.summary-step').evaluateAll((lis) => lis.map((li: any) => li.dataset.step))).toEqual(p.steps.map((s) => s.id));
  const step = (id: string) => p.steps.find((s) => s.id === id)!;
  // The proof end to end first, then the test call: what Zoom and Kore.ai answered.
  const [called, summarised] = [step('place-test-call').result!, step('verify-conversation-summary').result!];
  expect(await summary.locator('p.proof').textContent()).toBe(
    `End to end: the test call reached the bot (Kore.ai session ${called.sessionId}, ZCC engagement ${called.engagementId}); it was transferred to a ZCC agent; XO GPT summarised it: "${summarised.summaryExcerpt}".`,
  );
  const call = step('place-test-call');
  const callText = await item('place-test-call').textContent();
  expect(callText).toContain('Verified: what the vendor answered');
  expect(callText).toContain(`engagement id${call.result!.engagementId}`);
  expect(callText).toContain(`Zoom \u00b7 done by pat@acme.example at ${call.completedAt!.slice(0, 16).replace('T', ' ')}Z`);
  expect(await item('verify-conversation-summary').textContent()).toContain(`summary excerpt${step('verify-conversation-summary').result!.summaryExcerpt}`);
  expect(await item('verify-zoom-access').textContent()).toContain('done by the onboarding itself');
  // What a person handed in, under its label.
  expect(await item('create-zoom-connector').textContent()).toContain(`Connector DID Number${step('create-zoom-connector').evidence!.did}`);
  expect(await item('accept-genai-policy').textContent()).toContain('Reason: no summary wanted');
  expect(await item('accept-genai-policy').locator('.chip').textContent()).toBe('skipped');
  expect(await summary.locator('p').first().textContent()).toMatch(/: 16 steps done \(\d+ with a vendor's answer\), 1 skipped\.$/);
  expect(await serious(page)).toEqual([]);
  await page.context().close();
});
