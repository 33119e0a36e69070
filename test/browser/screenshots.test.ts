import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { startDashboard, type Dashboard } from '../support/browser';
import { tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * The README's screenshots, taken from real runs: one the scripted people completed, one waiting on
 * people. Every run writes them to test-results/; `SCREENSHOTS=1` also writes them to
 * docs/screenshots/, the copies the README shows.
 */
const TOKEN = 'screenshots-engineer-token-012345';
const OUT = [path.join(ROOT, 'test-results', 'screenshots'), ...(process.env.SCREENSHOTS === '1' ? [path.join(ROOT, 'docs', 'screenshots')] : [])];

let h: Harness;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('screenshots', [{ name: 'Dana Dashboard', role: 'engineer', token: TOKEN }], { uiUrl: 'http://127.0.0.1:8233' });
  ({ h, url, browser } = dash);
});
afterAll(() => dash?.stop());

async function shoot(page: Page, name: string): Promise<number> {
  const png = await page.screenshot({ fullPage: false });
  for (const dir of OUT) {
    fs.mkdirSync(dir, { recursive: true });
    fs.writeFileSync(path.join(dir, `${name}.png`), png);
  }
  return png.length;
}

it('the list, a run that needs you, a completed run and the start form, from real runs', async () => {
  // One prefix for both, and the list opened filtered to it: the suite's server holds other tests' runs, started meanwhile.
  const prefix = `shots-${randomUUID().slice(0, 6)}`;
  const done = await h.start(tenantFile({ displayName: 'Globex Voice', tenantId: `${prefix}-globex` }));
  await h.until(done.tenantId, h.stepIs('create-zoom-connector', 'open', 'waiting-for-human'));
  const completed = await h.completeAll(done);
  expect(completed.status).toBe('completed');
  const waiting = await h.start(tenantFile({ displayName: 'Initech Support', tenantId: `${prefix}-initech` }));
  await h.until(waiting.tenantId, h.stepIs('create-zoom-connector', 'open', 'waiting-for-human'));
  await h.act(waiting, 'create-zoom-connector');
  await h.until(waiting.tenantId, (p) => p.steps.filter((s) => s.state === 'open' || s.state === 'waiting-for-human').length >= 2);

  const context = await browser.newContext({ viewport: { width: 1280, height: 860 } });
  await context.addInitScript((t) => (globalThis as any).sessionStorage.setItem('onboard-token', t), TOKEN);
  const page = await context.newPage();

  await page.goto(`${url}/#/?q=${prefix}`);
  await page.getByRole('link', { name: 'Globex Voice' }).waitFor();
  await page.getByRole('link', { name: 'Initech Support' }).waitFor();
  expect(await shoot(page, 'list')).toBeGreaterThan(20_000);

  await page.goto(`${url}/#/t/${waiting.tenantId}`);
  await page.locator('#step-create-zoom-connector dl').waitFor();
  await page.locator('#step-associate-experience-flow form').waitFor();
  // The top of the run: "Needs you now" lists the steps waiting on a person, above the checklist.
  await page.getByRole('region', { name: 'Needs you now' }).locator('#needs-list > li').nth(1).waitFor();
  expect(await shoot(page, 'needs-you')).toBeGreaterThan(20_000);

  await page.goto(`${url}/#/t/${done.tenantId}`);
  await page.getByRole('heading', { name: `Globex Voice (${done.tenantId})` }).waitFor();
  expect(await page.locator('#run-status').textContent()).toBe('completed');
  // What was verified, with the vendors' answers, at the top.
  await page.getByRole('region', { name: 'Completed: what was verified' }).locator('li[data-step="verify-zoom-access"]').waitFor();
  expect(await shoot(page, 'completed')).toBeGreaterThan(20_000);

  await page.goto(`${url}/#/start`);
  await page.getByRole('button', { name: 'Start onboarding' }).waitFor();
  expect(await shoot(page, 'start')).toBeGreaterThan(20_000);
  await context.close();
});
