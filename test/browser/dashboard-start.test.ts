import type { Browser, Page } from 'playwright-core';
import { publicTenant, type TenantFile } from '../../src/domain/tenant';
import { registerTenant } from '../../src/people';
import { axeViolations, startDashboard, type Dashboard } from '../support/browser';
import { TEST_SECRETS } from '../support/fixtures';
import { tenantFile, type Harness } from '../support/onboarding';

/** The start page: the tenant schema as a form, the JSON box under Advanced, and every page at phone width. */
const ENGINEER = 'start-engineer-token-0123456789';
const VIEWER = 'start-viewer-token-0123456789ab';
const UI = 'http://127.0.0.1:8233';

let h: Harness;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard(
    'dashboard-start-test',
    [
      { name: 'Erin Engineer', role: 'engineer', token: ENGINEER },
      { name: 'Val Viewer', role: 'viewer', token: VIEWER },
    ],
    { uiUrl: UI },
  );
  ({ h, url, browser } = dash);
});
afterAll(() => dash?.stop());

async function signedIn(token: string, width = 1200): Promise<Page> {
  const context = await browser.newContext({ viewport: { width, height: 900 } });
  await context.addInitScript((t) => (globalThis as any).sessionStorage.setItem('onboard-token', t), token);
  return context.newPage();
}

const register = (file: TenantFile) => registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });

it('draws the tenant schema with labels, help, selects, secrets and optional marks; a refusal shows every error beside its field, values kept; a good start opens the run', async () => {
  const page = await signedIn(ENGINEER);
  await page.goto(url);
  await page.getByRole('link', { name: 'Start an onboarding' }).click();
  await page.waitForURL('**/#/start');
  const form = page.getByRole('form', { name: 'Start an onboarding' });
  await form.getByLabel('Bot ID', { exact: true }).waitFor();

  // Labels and help come from the schema (src/domain/tenant.ts), not from field keys.
  expect(await form.locator('#start-kore-botId-help').textContent()).toContain("The AI for Service app's Bot ID, starting st-");
  expect(await form.getByLabel('Client secret', { exact: true }).getAttribute('type')).toBe('password');
  expect(await form.getByLabel('Zoom client secret').getAttribute('type')).toBe('password');
  expect(await form.getByLabel('Kore.ai region').evaluate((s) => s.tagName)).toBe('SELECT');
  expect(await form.getByLabel('Kore.ai region').locator('option').allTextContents()).toContain('Japan (jp)');
  expect(await form.getByLabel('How calls go to an agent').locator('option').allTextContents()).toContain(
    'Option A: Agent Transfer node (agent-transfer-node)',
  );
  expect(await form.locator('label[for="start-kore-goldenBotId"]').textContent()).toBe('Golden bot ID (optional)');
  expect(await form.locator('label[for="start-kore-botId"]').textContent()).toBe('Bot ID');
  expect(await form.locator('#start-kore-adminApp-group legend').textContent()).toBe('Kore.ai Admin Console app (optional)');
  // Each step a vendor API can do gets its own select (auto or human).
  expect(await form.getByLabel('publish-app').locator('option').allTextContents()).toEqual(['Not set', 'auto', 'human']);

  const file = tenantFile({ displayName: 'Formed Corp' });
  const fill = async (values: Record<string, string>) => {
    for (const [label, value] of Object.entries(values)) await form.getByLabel(label, { exact: true }).fill(value);
  };
  await fill({
    'Tenant ID': 'Not A Slug',
    'Display name': file.displayName,
    'Bot ID': 'bot-without-st',
    'Client ID': file.kore.clientId,
    'Client secret': TEST_SECRETS.koreClientSecret,
    'Zoom account ID': file.zoom.accountId,
    'Zoom client ID': file.zoom.clientId,
    'Zoom client secret': TEST_SECRETS.zoomClientSecret,
    'Transfer target': '+1 415',
    'Owner e-mail': 'not-an-address',
    'SIP headers (optional)': 'X-Formed-Queue: voice',
  });
  await form.getByLabel('Kore.ai region').selectOption('us');
  await form.getByLabel('How calls go to an agent').selectOption('dialog-task');
  await form.getByRole('button', { name: 'Start onboarding' }).click();

  // All four wrong fields at once, each beside its field; nothing else is flagged.
  await form.locator('#start-contacts-owner-error').filter({ hasText: 'must be an email address' }).waitFor();
  expect(await form.locator('#start-tenantId-error').textContent()).toContain('must be a lowercase slug');
  expect(await form.locator('#start-kore-botId-error').textContent()).toBe('must be a Kore.ai Bot ID (st-...)');
  expect(await form.locator('#start-agentTransfer-target-error').textContent()).toBe('is neither an E.164 number nor a sip:/sips: URI');
  expect(await form.locator('[aria-invalid="true"]').evaluateAll((els) => els.map((e) => e.id))).toEqual([
    'start-tenantId',
    'start-kore-botId',
    'start-agentTransfer-target',
    'start-contacts-owner',
  ]);
  expect(await form.getByRole('status').textContent()).toBe('Not started: 4 fields need a change.');
  // Focus on the first wrong field; every value as typed, the secrets too.
  expect(await page.evaluate('document.activeElement?.id')).toBe('start-tenantId');
  expect(await form.getByLabel('Bot ID', { exact: true }).inputValue()).toBe('bot-without-st');
  expect(await form.getByLabel('Client secret', { exact: true }).inputValue()).toBe(TEST_SECRETS.koreClientSecret);
  expect(await form.getByLabel('How calls go to an agent').inputValue()).toBe('dialog-task');
  // And the page with its errors shown is still accessible.
  expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  await register(file);
  await fill({ 'Tenant ID': file.tenantId, 'Bot ID': file.kore.botId, 'Transfer target': '+14155550123', 'Owner e-mail': 'owner@formed.example' });
  await form.getByRole('button', { name: 'Start onboarding' }).click();
  await page.waitForURL(`**/#/t/${file.tenantId}`);
  await page.getByRole('heading', { name: `Formed Corp (${file.tenantId})` }).waitFor();
  // What the form sent is what the run holds (the header line became a header, the unticked box false).
  const run = await h.progress(file.tenantId);
  expect(run.tenant).toMatchObject({
    agentTransfer: { option: 'dialog-task', target: '+14155550123', sipHeaders: { 'X-Formed-Queue': 'voice' } },
    contacts: { owner: 'owner@formed.example' },
    kore: { botId: file.kore.botId, smartAssistLegacy: false },
  });
  // The run's head links to it in the configured Temporal Web UI.
  expect(await page.getByRole('link', { name: /Open this run in the Temporal Web UI/ }).getAttribute('href')).toBe(
    `${UI}/namespaces/default/workflows/onboarding-${file.tenantId}`,
  );
  await page.context().close();
});

it('Advanced: JSON loads the example into the box and the form, and lists a refusal by label', async () => {
  const page = await signedIn(ENGINEER);
  await page.goto(`${url}/#/start`);
  await page.getByText('Advanced: JSON').click();
  await page.getByRole('button', { name: 'Load example' }).click();
  await page.getByText('Example loaded here and in the form above.').waitFor();
  expect(JSON.parse(await page.getByLabel('Tenant as JSON').inputValue())).toMatchObject({ tenantId: 'acme-demo', kore: { region: 'us' } });
  expect(await page.getByLabel('Tenant ID', { exact: true }).inputValue()).toBe('acme-demo');
  expect(await page.getByLabel('SIP headers (optional)').inputValue()).toBe('X-Acme-Queue: voice-support');
  expect(await page.getByLabel('First reminder after').inputValue()).toBe('4h');

  const bad = JSON.parse(await page.getByLabel('Tenant as JSON').inputValue());
  bad.kore.botId = 'nope';
  bad.contacts.owner = 'nobody';
  await page.getByLabel('Tenant as JSON').fill(JSON.stringify(bad));
  await page.getByRole('button', { name: 'Start from JSON' }).click();
  await page.getByText('Bot ID (kore.botId): must be a Kore.ai Bot ID (st-...)').waitFor();
  await page.getByText('Owner e-mail (contacts.owner): must be an email address').waitFor();
  await page.context().close();
});

it('a viewer gets no start link and is told plainly on the start page', async () => {
  const page = await signedIn(VIEWER);
  await page.goto(url);
  await page.getByText('Val Viewer (viewer)').waitFor();
  await page.getByRole('heading', { name: 'Onboardings', exact: true }).waitFor();
  expect(await page.getByRole('link', { name: 'Start an onboarding' }).isVisible()).toBe(false);
  await page.goto(`${url}/#/start`);
  await page.getByRole('alert').filter({ hasText: 'Only engineers and admins start onboardings; Val Viewer is a viewer.' }).waitFor();
  expect(await page.getByLabel('Bot ID', { exact: true }).count()).toBe(0);
  await page.context().close();
});

it('at 390 px the list, start and tenant pages fit the screen; axe finds nothing serious on the start page', async () => {
  // A run with a step open for a person and one done (its evidence shown), the longest page there is.
  const tenant = await h.start(tenantFile({ displayName: 'Narrow Screen Incorporated International Holdings' }));
  await h.until(tenant.tenantId, h.stepIs('create-zoom-connector', 'open', 'waiting-for-human'));
  await h.act(tenant, 'create-zoom-connector');

  const page = await signedIn(ENGINEER, 390);
  const overflow = () => page.evaluate('document.documentElement.scrollWidth') as Promise<number>;
  await page.goto(url);
  await page.getByRole('link', { name: /Narrow Screen/ }).waitFor();
  expect(await overflow()).toBeLessThanOrEqual(390);

  await page.goto(`${url}/#/start`);
  await page.getByLabel('Bot ID', { exact: true }).waitFor();
  await page.getByText('Advanced: JSON').click();
  expect(await overflow()).toBeLessThanOrEqual(390);
  expect((await axeViolations(page)).filter((v) => v.impact === 'serious' || v.impact === 'critical')).toEqual([]);

  await page.goto(`${url}/#/t/${tenant.tenantId}`);
  await page.locator('#step-associate-experience-flow form').waitFor();
  await page.locator('#step-create-zoom-connector dl').waitFor();
  expect(await overflow()).toBeLessThanOrEqual(390);
  await page.context().close();
});
