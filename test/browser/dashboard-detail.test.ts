import type { Browser, Page } from 'playwright-core';
import { catalogue, type HumanStepId } from '../../src/domain/steps';
import { axeViolations, startDashboard, type Dashboard } from '../support/browser';
import { tenantFile, type Harness } from '../support/onboarding';

/**
 * The tenant page in Debian's chromium (issue 19 parts 1, 2 and 4): live updates that change only
 * what changed, so typing, focus and selection survive; forms generated from the evidence schemas;
 * every error of a refusal at once with the values kept; skip and cancel with a reason.
 */
const ENGINEER = 'detail-engineer-token-0123456789';
const VIEWER = 'detail-viewer-token-0123456789';

let h: Harness;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('dashboard-detail-test', [
    { name: 'Dana Dashboard', role: 'engineer', token: ENGINEER },
    { name: 'Vic Viewer', role: 'viewer', token: VIEWER },
  ]);
  ({ h, url, browser } = dash);
});
afterAll(() => dash?.stop());

async function signedIn(tenantId: string, token = ENGINEER): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1200, height: 1000 } });
  await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: url });
  const page = await context.newPage();
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.goto(`${url}/#/t/${tenantId}`);
  await page.getByRole('heading', { name: `Acme Corp (${tenantId})` }).waitFor();
  return page;
}

const active = (page: Page) => page.evaluate(() => (globalThis as any).document.activeElement?.id as string);
const serious = async (page: Page) => (await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical');

it('keeps typed values, focus and selection through 10 s of live updates and a Copy click', async () => {
  const tenant = await h.start(tenantFile());
  const page = await signedIn(tenant.tenantId);
  const name = page.locator('#create-zoom-connector-connectorName');
  const domain = page.locator('#create-zoom-connector-domain');
  await name.waitFor({ timeout: 30_000 });
  await name.fill('Acme voice');
  await domain.fill('a1b2c3.kore-connector.zoomcc.example.com');
  // The same element stays (marked), with its selection, while the focus is in it.
  await domain.evaluate((el: any) => {
    el.dataset.mark = 'kept';
    el.focus();
    el.setSelectionRange(0, 6);
  });
  const started = Date.now();
  // Meanwhile the run moves on: two other steps are completed through the API, and the page shows it live.
  for (const step of ['enable-chat-history-scope', 'accept-genai-policy'] as HumanStepId[]) {
    await page.waitForTimeout(2000);
    await h.act(tenant, step);
    await page.locator(`#step-${step} .chip.state`).filter({ hasText: 'done' }).waitFor();
    expect(await active(page)).toBe('create-zoom-connector-domain');
  }
  await page.waitForTimeout(Math.max(0, 10_000 - (Date.now() - started)));
  expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
  expect(await domain.evaluate((el: any) => [el.dataset.mark, el.selectionStart, el.selectionEnd])).toEqual(['kept', 0, 6]);
  expect(await active(page)).toBe('create-zoom-connector-domain');

  // A Copy button in the instructions copies its value; what is typed stays.
  const connector = page.locator('#step-create-zoom-connector');
  const copy = connector.getByRole('button', { name: /^Copy / }).first();
  await copy.click();
  // Said on the button, and the value is on the clipboard.
  await connector
    .getByRole('button', { name: /^Copied / })
    .filter({ hasText: 'Copied' })
    .waitFor();
  expect(await page.evaluate(() => (globalThis as any).navigator.clipboard.readText())).toMatch(/^https:\/\//);
  await page.waitForTimeout(2500);
  expect(await name.inputValue()).toBe('Acme voice');
  expect(await domain.inputValue()).toBe('a1b2c3.kore-connector.zoomcc.example.com');
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('without the event stream, polls every 2 s and still keeps what is typed and focused', async () => {
  const tenant = await h.start(tenantFile());
  const page = await signedIn(tenant.tenantId);
  // The stream is refused from now on: the page falls back to reading progress every 2 s.
  await page.route('**/events', (route) => route.abort());
  await page.reload();
  const field = page.locator('#associate-experience-flow-experienceFlowName');
  await field.waitFor({ timeout: 30_000 });
  await field.fill('Acme voice support');
  await field.evaluate((el: any) => (el.dataset.mark = 'kept'));
  await h.act(tenant, 'enable-chat-history-scope');
  await page.locator('#step-enable-chat-history-scope .chip.state').filter({ hasText: 'done' }).waitFor({ timeout: 10_000 });
  expect(await field.evaluate((el: any) => [el.dataset.mark, el.value])).toEqual(['kept', 'Acme voice support']);
  expect(await active(page)).toBe('associate-experience-flow-experienceFlowName');
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('completes a step with the keyboard only, keeps the focus with it, and fills in what the run knows', async () => {
  const tenant = await h.start(tenantFile());
  const page = await signedIn(tenant.tenantId);
  await page.locator('#associate-experience-flow-experienceFlowName').waitFor({ timeout: 30_000 });
  // Tab from the top of the page reaches the field (the page is not redrawn under the person).
  await page.locator('a', { hasText: '< All onboardings' }).focus();
  let tabs = 0;
  while ((await active(page)) !== 'associate-experience-flow-experienceFlowName' && tabs < 80) {
    await page.keyboard.press('Tab');
    tabs++;
  }
  expect(await active(page)).toBe('associate-experience-flow-experienceFlowName');
  await page.keyboard.type('Acme voice support');
  await page.keyboard.press('Tab');
  expect(await page.evaluate(() => (globalThis as any).document.activeElement?.textContent)).toBe('Submit evidence');
  await page.keyboard.press('Enter');
  const flow = page.locator('#step-associate-experience-flow');
  await flow.getByRole('status').filter({ hasText: 'Attach the app to an Experience Flow: done.' }).waitFor();
  // The focus is on the step just done, and Tab goes on from there (its Copy and Reopen buttons), not from the top.
  expect(await active(page)).toBe('title-associate-experience-flow');
  const inStep = () => page.evaluate(() => Boolean((globalThis as any).document.activeElement?.closest('#step-associate-experience-flow')));
  await page.keyboard.press('Tab');
  expect(await inStep()).toBe(true);
  while ((await active(page)) !== 'reopen-toggle-associate-experience-flow' && (await inStep())) await page.keyboard.press('Tab');
  expect(await active(page)).toBe('reopen-toggle-associate-experience-flow');

  // Values the run knows are filled in: the flow just named, and the tenant's agent-transfer option (a select).
  const trunk = page.locator('#configure-sip-trunk-attachedFlowName');
  await h.act(tenant, 'create-zoom-connector');
  await trunk.waitFor({ timeout: 30_000 });
  expect(await trunk.inputValue()).toBe('Acme voice support');
  const option = page.locator('#configure-agent-transfer-option');
  expect(await option.evaluate((el: any) => el.tagName)).toBe('SELECT');
  expect(await option.inputValue()).toBe('agent-transfer-node');
  expect(await option.locator('option:checked').textContent()).toBe('Option A: Agent Transfer node (agent-transfer-node)');
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('shows every error of a refused submission at once beside its field, keeps the values, and axe finds nothing serious', async () => {
  const tenant = await h.start(tenantFile());
  const page = await signedIn(tenant.tenantId);
  const connector = page.locator('#step-create-zoom-connector');
  await connector.getByLabel('Connector DID Number').waitFor({ timeout: 30_000 });
  await connector.getByLabel('Connector Domain Name').fill('not a domain');
  await connector.getByLabel('Connector DID Number').fill('+1 415');
  await connector.getByRole('button', { name: 'Submit evidence' }).click();
  const error = (f: string) => page.locator(`#create-zoom-connector-${f}-error`);
  await error('did').filter({ hasText: 'E.164' }).waitFor();
  expect(await error('connectorName').textContent()).toBe('is required');
  expect(await error('domain').textContent()).toMatch(/^"not a domain" /);
  expect(await error('did').textContent()).toBe('"+1415" is not an E.164 number (expected + and 8-15 digits, no spaces)');
  for (const f of ['connectorName', 'domain', 'did']) expect(await page.locator(`#create-zoom-connector-${f}`).getAttribute('aria-invalid')).toBe('true');
  // The values stay as typed (the DID as sent), and the focus is on the first field in error.
  expect(await connector.getByLabel('Connector Domain Name').inputValue()).toBe('not a domain');
  expect(await connector.getByLabel('Connector DID Number').inputValue()).toBe('+1415');
  expect(await active(page)).toBe('create-zoom-connector-connectorName');
  // Nothing refused is shown as recorded evidence.
  expect(await connector.locator('dl').count()).toBe(0);
  // A required field's label is words, with no "(optional)".
  expect(await page.locator('label[for="create-zoom-connector-did"]').textContent()).toBe('Connector DID Number');
  await page.waitForTimeout(2500);
  expect(await error('domain').textContent()).toMatch(/^"not a domain" /);

  // A cross-check refusal (not this tenant's option) keeps the chosen value too.
  await h.act(tenant, 'associate-experience-flow');
  const option = page.locator('#configure-agent-transfer-option');
  await option.waitFor({ timeout: 30_000 });
  await option.selectOption('dialog-task');
  await page.locator('#step-configure-agent-transfer').getByRole('button', { name: 'Submit evidence' }).click();
  await page.locator('#configure-agent-transfer-option-error').filter({ hasText: 'is not the option chosen for this tenant' }).waitFor();
  expect(await option.inputValue()).toBe('dialog-task');

  // A claim the verifier refused (no such ZCC flow) comes back in its field with the finding, not as recorded evidence.
  await h.act(tenant, 'create-zoom-connector');
  const route = page.locator('#step-route-zcc-flow-to-connector');
  await route.getByLabel('ZCC entry flow name').fill('No such flow', { timeout: 30_000 });
  await route.getByRole('button', { name: 'Submit evidence' }).click();
  await route.locator('p.error').waitFor({ timeout: 30_000 });
  await route.locator('.chip.state').filter({ hasText: 'open' }).waitFor();
  expect(await route.getByLabel('ZCC entry flow name').inputValue()).toBe('No such flow');
  expect(await route.locator('dl').count()).toBe(0);
  expect(await serious(page)).toEqual([]);
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});

it('skips a step and cancels the run through the page, each with a reason; a viewer is offered neither', async () => {
  const tenant = await h.start(tenantFile());
  const viewer = await signedIn(tenant.tenantId, VIEWER);
  await viewer.locator('#step-accept-genai-policy .chip.state').filter({ hasText: 'open' }).waitFor({ timeout: 30_000 });
  expect(await viewer.getByRole('button', { name: 'Skip', exact: true }).count()).toBe(0);
  expect(await viewer.getByRole('region', { name: 'Cancel the onboarding' }).count()).toBe(0);
  expect(await viewer.locator('article.step form').count()).toBe(0);
  await viewer.context().close();

  const page = await signedIn(tenant.tenantId);
  const policy = page.locator('#step-accept-genai-policy');
  // Only skippable steps offer Skip.
  await policy.getByRole('button', { name: 'Skip', exact: true }).waitFor({ timeout: 30_000 });
  expect(await page.locator('#step-create-zoom-connector').getByRole('button', { name: 'Skip', exact: true }).count()).toBe(0);
  await policy.getByRole('button', { name: 'Skip', exact: true }).click();
  const reason = policy.getByLabel('Why is accept-genai-policy skipped?');
  expect(await active(page)).toBe('skip-accept-genai-policy-reason');
  await policy.getByRole('button', { name: 'Skip step' }).click();
  await page.locator('#skip-accept-genai-policy-reason-error').filter({ hasText: 'is required' }).waitFor();
  expect(await active(page)).toBe('skip-accept-genai-policy-reason');
  expect(await serious(page)).toEqual([]);
  await reason.fill('no conversation summary wanted');
  await policy.getByRole('button', { name: 'Skip step' }).click();
  await policy
    .getByRole('status')
    .filter({ hasText: 'Enable XO GPT and accept the LLM & Generative Policy: skipped (no conversation summary wanted).' })
    .waitFor();
  await policy.locator('.chip.state').filter({ hasText: 'skipped' }).waitFor();
  expect(await policy.locator('p.meta').first().textContent()).toContain('skipped: no conversation summary wanted');
  expect((await h.step(tenant.tenantId, 'accept-genai-policy')).skipReason).toBe('no conversation summary wanted');

  const cancel = page.getByRole('region', { name: 'Cancel the onboarding' });
  await cancel.getByRole('button', { name: 'Cancel onboarding\u2026' }).click();
  await cancel.getByRole('button', { name: 'Confirm cancellation' }).click();
  await page.locator('#cancel-run-reason-error').filter({ hasText: 'is required' }).waitFor();
  await cancel.getByLabel('Why is the onboarding cancelled?').fill('customer postponed');
  await cancel.getByRole('button', { name: 'Confirm cancellation' }).click();
  await cancel.getByRole('status').filter({ hasText: 'Onboarding cancelled by Dana Dashboard: customer postponed.' }).waitFor();
  await page.locator('#run-status').filter({ hasText: 'cancelled' }).waitFor();
  expect((await h.progress(tenant.tenantId)).cancelReason).toBe('customer postponed');
  // A finished run offers no step actions any more.
  expect(await page.getByRole('button', { name: /^(Skip|Reopen|Cancel onboarding)/ }).count()).toBe(0);
  expect(await page.locator('article.step form').count()).toBe(0);
  await page.context().close();
});

it('labels every evidence field of every console step in words, with help, as the run reaches it', async () => {
  const tenant = await h.start(tenantFile());
  const page = await signedIn(tenant.tenantId);
  const seen = new Map<string, string>();
  for (let round = 0; round < 300; round++) {
    const p = await h.progress(tenant.tenantId);
    const open = p.steps.filter((s) => s.kind === 'human' && (s.state === 'open' || s.state === 'waiting-for-human'));
    for (const s of open)
      for (const f of s.evidenceFields) {
        if (seen.has(`${s.id}.${f}`)) continue;
        const input = page.locator(`#${s.id}-${f}`);
        await input.waitFor({ timeout: 30_000 });
        const label = (await page.locator(`label[for="${s.id}-${f}"]`).textContent())!;
        const help = await page.locator(`#${s.id}-${f}-help`).textContent();
        // Words, not the raw key (experienceFlowName, sipUri).
        expect(label).not.toBe(f);
        expect(label).toMatch(/^[A-Z][A-Za-z .]+( \(optional\))?$/);
        expect(help).toMatch(/Example: \S/);
        expect(await input.getAttribute('aria-describedby')).toBe(`${s.id}-${f}-help ${s.id}-${f}-error`);
        seen.set(`${s.id}.${f}`, label);
      }
    if (!open.length) {
      if (p.status === 'completed') break;
      await new Promise((r) => setTimeout(r, 300));
      continue;
    }
    await h.act(tenant, open[0]!.id as HumanStepId);
  }
  const every = catalogue()
    .steps.filter((s) => s.kind === 'human')
    .flatMap((s) => (s.kind === 'human' ? Object.keys(s.evidence.shape).map((f) => `${s.id}.${f}`) : []));
  expect([...seen.keys()].sort()).toEqual(every.sort());
  expect(seen.get('place-test-call.sessionId')).toBe('Session ID (optional)');
  await page.locator('#run-status').filter({ hasText: 'completed' }).waitFor({ timeout: 60_000 });
  await page.context().close();
});
