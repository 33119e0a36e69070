import fs from 'node:fs';
import path from 'node:path';
import { type Browser, type Page } from 'playwright-core';
import type { HumanStepId } from '../../src/domain/steps';
import { startDashboard, type Dashboard } from '../support/browser';
import { tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * The tenant page's corrections in a real chromium (issue 14 parts 6 and 7): amend and reopen with
 * their refusals beside the field, the audit timeline and its paging, the sign-off record as a
 * download, offboarding, and axe-core finding nothing with every form open.
 */
const ENGINEER = 'corrections-engineer-token-0123456789';
const VIEWER = 'corrections-viewer-token-0123456789';
const SHOTS = path.join(ROOT, 'test-results');
const AXE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

let h: Harness;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('dashboard-corrections-test', [
    { name: 'Dana Dashboard', role: 'engineer', token: ENGINEER },
    { name: 'Vic Viewer', role: 'viewer', token: VIEWER },
  ]);
  ({ h, url, browser } = dash);
});
afterAll(() => dash?.stop());

/** A tenant whose associate-experience-flow and configure-agent-transfer are done (by the scripted people). */
async function tenantWithRoutingDone() {
  const tenant = await h.start(tenantFile());
  for (const step of ['associate-experience-flow', 'configure-agent-transfer'] as HumanStepId[]) {
    await h.until(tenant.tenantId, h.stepIs(step, 'open'));
    await h.act(tenant, step);
  }
  return tenant.tenantId;
}

async function signedIn(token: string, tenantId: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 1600 }, acceptDownloads: true })).newPage();
  await page.goto(url);
  await page.getByLabel('API token').fill(token);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.goto(`${url}/#/t/${tenantId}`);
  await page.getByRole('heading', { name: `Acme Corp (${tenantId})` }).waitFor();
  return page;
}

/** axe-core's violations on the page as it is (WCAG 2.1 A/AA and best practices), by rule and element. */
async function axeViolations(page: Page) {
  // Evaluated, not added as a script tag: the dashboard's CSP (rightly) refuses inline scripts.
  await page.evaluate(AXE);
  return page.evaluate(async () => {
    const r = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v: any) => ({ id: v.id, help: v.help, targets: v.nodes.map((n: any) => n.target.join(' ')) }));
  });
}

it('an engineer amends the tenant and reopens a step inline, reads the audit page by page, downloads the record and offboards', async () => {
  const tenantId = await tenantWithRoutingDone();
  const page = await signedIn(ENGINEER, tenantId);
  const amend = page.getByRole('region', { name: 'Amend the tenant' });

  // A value the tenant schema refuses: the message sits beside the row it is about, described by it.
  await amend.getByLabel('Field path').fill('agentTransfer.option');
  await amend.getByLabel('New value').fill('pigeon');
  await amend.getByLabel('Reason').fill('the customer chose a dialog task');
  await amend.getByRole('button', { name: 'Amend tenant' }).click();
  const rowError = page.locator('#amend-row-1-error');
  await rowError.filter({ hasText: 'must be agent-transfer-node or dialog-task' }).waitFor();
  expect(await rowError.textContent()).toBe('must be agent-transfer-node or dialog-task');
  expect(await amend.getByLabel('New value').getAttribute('aria-describedby')).toBe('amend-row-1-error');
  expect(await page.locator('#amend-reason-error').textContent()).toBe('');
  // A blank reason: the API's message beside the reason.
  await amend.getByLabel('New value').fill('dialog-task');
  await amend.getByLabel('Reason').fill('');
  await amend.getByRole('button', { name: 'Amend tenant' }).click();
  await page.locator('#amend-reason-error').filter({ hasText: 'is required' }).waitFor();
  expect(await rowError.textContent()).toBe('');

  // A second row, then a valid amendment: the steps that read the field go back, and say so.
  await amend.getByRole('button', { name: 'Add a change' }).click();
  await page.locator('#amend-path-2').fill('agentTransfer.target');
  await page.locator('#amend-value-2').fill('+14155550199');
  await amend.getByLabel('Reason').fill('the customer chose a dialog task');
  await amend.getByRole('button', { name: 'Amend tenant' }).click();
  await amend.getByRole('status').filter({ hasText: 'Tenant amended. Steps reopened: configure-agent-transfer.' }).waitFor();
  const transfer = page.locator('#step-configure-agent-transfer');
  await transfer.getByText('Reopened by Dana Dashboard (amendTenant (agentTransfer.option, agentTransfer.target)): the customer chose a dialog task').waitFor();
  expect(await transfer.locator('.chip').first().textContent()).toBe('open');
  await transfer.getByText('Option B (dialog task)', { exact: false }).waitFor();
  // The form is empty again, one row.
  expect(await amend.getByLabel('Field path').count()).toBe(1);

  // Reopen: the button opens an inline form (no prompt()); a blank reason is refused beside the input.
  const flow = page.locator('#step-associate-experience-flow');
  const toggle = flow.getByRole('button', { name: 'Reopen', exact: true });
  expect(await toggle.getAttribute('aria-expanded')).toBe('false');
  await toggle.click();
  expect(await toggle.getAttribute('aria-expanded')).toBe('true');
  const reason = flow.getByLabel('Why does associate-experience-flow go back?');
  expect(await reason.evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);
  await flow.getByRole('button', { name: 'Reopen step' }).click();
  await page.locator('#reopen-associate-experience-flow-reason-error').filter({ hasText: 'is required' }).waitFor();
  // The page's 2 s refresh keeps the open form and what is typed in it.
  await reason.fill('wrong flow attached');
  await page.waitForTimeout(2500);
  expect(await reason.inputValue()).toBe('wrong flow attached');
  await flow.getByRole('button', { name: 'Reopen step' }).click();
  await page.getByRole('status').filter({ hasText: 'Reopened associate-experience-flow; steps sent back: associate-experience-flow' }).waitFor();
  await flow.getByText('Reopened by Dana Dashboard (associate-experience-flow): wrong flow attached').waitFor();
  expect(await flow.locator('.chip').first().textContent()).toBe('open');
  // Its previous evidence is shown, to be handed in again.
  await flow.getByLabel('Previous evidence').getByText('previous Experience Flow name').waitFor();

  // The audit timeline, oldest first, 5 a page: "Load more" appends the next page until none is left.
  const audit = page.getByRole('region', { name: 'Audit trail' });
  const items = audit.getByRole('listitem');
  await page.getByLabel('Entries per page').selectOption('5');
  await audit.getByRole('status').filter({ hasText: '5 entries shown, oldest first; more follow.' }).waitFor();
  expect(await items.count()).toBe(5);
  expect(await items.first().textContent()).toMatch(/^\d{4}-\d\d-\d\d \d\d:\d\d:\d\dZ start accepted by /);
  // "Load more" appends the next page below until none is left.
  let pages = 1;
  while (await audit.getByRole('button', { name: 'Load more' }).isVisible()) {
    const before = await items.count();
    await audit.getByRole('button', { name: 'Load more' }).click();
    await page.waitForFunction((n) => (globalThis as any).document.querySelectorAll('#audit li').length > n, before);
    pages++;
  }
  const total = await items.count();
  expect(pages).toBe(Math.ceil(total / 5));
  expect(pages).toBeGreaterThanOrEqual(2);
  expect(await audit.getByRole('status').textContent()).toBe(`${total} entries shown, oldest first.`);
  const all = await items.allTextContents();
  expect(all.map((t) => /^\S+ \S+ (\S+)/.exec(t)?.[1])).toEqual(expect.arrayContaining(['start', 'complete', 'amend', 'reopen']));
  // Oldest first: the numbers the run gave them rise down the list.
  const seqs = await items.evaluateAll((lis) => lis.map((li) => Number(li.id.replace('audit-', ''))));
  expect(seqs).toEqual([...seqs].sort((a, b) => a - b));
  expect(seqs[0]).toBe(1);
  expect(all.some((t) => /amend refused by Dana Dashboard \(verified, api/.test(t))).toBe(true);
  expect(all.some((t) => /amend accepted by Dana Dashboard \(verified, api, update\)/.test(t) && t.includes('configure-agent-transfer'))).toBe(true);
  expect(all.some((t) => /reopen associate-experience-flow accepted by Dana Dashboard/.test(t) && t.includes('wrong flow attached'))).toBe(true);
  expect(all.some((t) => /complete configure-agent-transfer accepted by pat@acme.example \(self-declared/.test(t) && t.includes('sha256:'))).toBe(true);

  // The sign-off record in each format, fetched with the token and saved as a file.
  const record = page.getByRole('region', { name: 'Sign-off record' });
  for (const [label, ext] of [
    ['Download JSON', 'json'],
    ['Download Markdown', 'md'],
    ['Download HTML', 'html'],
  ]) {
    const [download] = await Promise.all([page.waitForEvent('download'), record.getByRole('button', { name: label }).click()]);
    expect(download.suggestedFilename()).toBe(`${tenantId}-record.${ext}`);
    const text = fs.readFileSync((await download.path())!, 'utf8');
    expect(text).toContain(tenantId);
    expect(text).toContain('wrong flow attached');
    if (ext === 'json') expect(JSON.parse(text).tenant.tenantId).toBe(tenantId);
    if (ext === 'html') expect(text).toMatch(/^<!doctype html>/i);
  }

  // Every form open, one with a refusal shown: axe-core finds nothing.
  await page.getByRole('button', { name: 'Offboard\u2026' }).click();
  await page.getByRole('button', { name: 'Confirm offboarding' }).click();
  await page.locator('#offboard-reason-error').filter({ hasText: 'is required' }).waitFor();
  await page.locator('#step-verify-kore-access').getByRole('button', { name: 'Reopen', exact: true }).click();
  await page.getByLabel('Why does verify-kore-access go back?').waitFor();
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, 'dashboard-corrections.png'), fullPage: true });
  expect(await axeViolations(page)).toEqual([]);
  // Cancel closes the reopen form and gives the focus back to its button.
  await page.locator('#step-verify-kore-access').getByRole('button', { name: 'Cancel' }).click();
  expect(await page.locator('#reopen-verify-kore-access').count()).toBe(0);
  expect(await page.locator('#reopen-toggle-verify-kore-access').evaluate((el) => el === (globalThis as any).document.activeElement)).toBe(true);

  // Offboarding: the answer is said, the run is cancelled, and the forms that change a live run go.
  await page.getByLabel('Why is the tenant offboarded?').fill('the customer left');
  await page.getByRole('button', { name: 'Confirm offboarding' }).click();
  const offboarded = page.getByRole('region', { name: 'Offboard the tenant' }).getByRole('status');
  await offboarded.filter({ hasText: /^Offboarded by Dana Dashboard: the run is cancelled; \d+ stored secret file\(s\) deleted\.$/ }).waitFor();
  expect(await offboarded.textContent()).toMatch(/; [1-9]\d* stored secret file/);
  await page.locator('#run-status').filter({ hasText: 'cancelled' }).waitFor();
  expect(await amend.isHidden()).toBe(true);
  expect(await page.getByRole('button', { name: 'Reopen', exact: true }).count()).toBe(0);
  await audit.getByRole('listitem').filter({ hasText: 'cancel accepted by Dana Dashboard' }).waitFor();
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
});

it('a viewer reads the audit and downloads the record, and is offered no amend, reopen or offboard', async () => {
  const tenant = await h.start(tenantFile());
  await h.until(tenant.tenantId, h.stepIs('associate-experience-flow', 'open'));
  const page = await signedIn(VIEWER, tenant.tenantId);
  await page.locator('#step-verify-kore-access .chip').filter({ hasText: 'done' }).waitFor();
  await page.getByRole('region', { name: 'Audit trail' }).getByRole('listitem').first().waitFor();
  const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download Markdown' }).click()]);
  expect(fs.readFileSync((await download.path())!, 'utf8')).toContain(tenant.tenantId);
  expect(await page.getByRole('region', { name: 'Amend the tenant' }).count()).toBe(0);
  expect(await page.getByRole('region', { name: 'Offboard the tenant' }).count()).toBe(0);
  expect(await page.getByRole('button', { name: 'Reopen', exact: true }).count()).toBe(0);
  expect(await axeViolations(page)).toEqual([]);
  await page.context().close();
  await h.onboardings.cancel(tenant.tenantId, { reason: 'test over', by: 'test' });
});
