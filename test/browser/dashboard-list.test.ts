import { randomUUID } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser, Page } from 'playwright-core';
import { workflowIdFor } from '../../src/domain/tenant';
import { axeViolations, startDashboard, type Dashboard } from '../support/browser';
import { tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * The dashboard's list page in Debian's chromium, against a real API, worker and Temporal: three
 * runs of this file's own (their ids share a prefix, so other files' runs on the same server never
 * show up in the search), one of them cancelled while it waited on people.
 */
const TOKEN = 'dashboard-list-engineer-token-0123456789';
const PREFIX = `lst-${randomUUID().slice(0, 8)}`;
const [A, B, C] = ['a', 'b', 'c'].map((x) => `${PREFIX}-${x}`) as [string, string, string];

const SHOTS = path.join(ROOT, 'test-results');

let h: Harness;
let api: FastifyInstance;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('dashboard-list-test', [{ name: 'Dana Dashboard', role: 'engineer', token: TOKEN }]);
  ({ h, api, url, browser } = dash);
  // Started one after another; C is cancelled and its run closed before any test reads the list,
  // so the API's own order (open runs newest first, then those that ended) is B, A, C.
  for (const tenantId of [A, B, C]) await h.start(tenantFile({ tenantId }));
  for (const tenantId of [A, B, C]) await h.until(tenantId, (p) => p.status === 'waiting-for-human');
  await h.onboardings.cancel(C, { reason: 'the customer went elsewhere', by: 'pat' });
  await h.client.workflow.getHandle(workflowIdFor(C)).result();
});
afterAll(async () => {
  for (const tenantId of [A, B]) await h?.onboardings.cancel(tenantId, { reason: 'test over', by: 'pat' }).catch(() => undefined);
  await dash?.stop();
});

async function signedIn(hash: string, viewport = { width: 1200, height: 900 }): Promise<Page> {
  const page = await (await browser.newContext({ viewport })).newPage();
  await page.goto(`${url}/${hash}`);
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByText('Dana Dashboard (engineer)').waitFor();
  return page;
}

/** A look at the page for people (test-results/, git-ignored); not compared, the assertions are the test. */
async function shoot(page: Page, name: string, fullPage = false): Promise<void> {
  fs.mkdirSync(SHOTS, { recursive: true });
  await page.screenshot({ path: path.join(SHOTS, name), fullPage });
}

const keys = (page: Page): Promise<string[]> => page.evaluate(`[...document.querySelectorAll('tbody tr[data-key]')].map((r) => r.dataset.key)`);
const row = (page: Page, tenantId: string) => page.locator(`tr[data-key="${tenantId}"]`);
const said = (page: Page, text: string) => page.locator('#list-said').filter({ hasText: text }).waitFor({ timeout: 15_000 });

it("the API's list: a tenant-id prefix search, and only open, unfinished runs under waiting (the cancelled one kept its WaitingOnHuman)", async () => {
  const list = async (query: string) => {
    const res = await api.inject({ method: 'GET', url: `/api/v1/onboardings?${query}`, headers: { authorization: `Bearer ${TOKEN}` } });
    return { status: res.statusCode, body: res.json() };
  };
  const all = (await list(`tenantPrefix=${PREFIX}`)).body.items;
  expect(all.map((o: any) => o.tenantId)).toEqual([B, A, C]);
  const cancelled = all.find((o: any) => o.tenantId === C);
  // A cancelled onboarding's run completes (with the status cancelled): Temporal's own word is 'completed'.
  expect(cancelled).toMatchObject({ status: 'cancelled', runStatus: 'completed', waitingOnHuman: false });
  // Visibility still says the cancelled run waits on people: the list must not take its word for it.
  const described = await h.client.workflow.getHandle(workflowIdFor(C)).describe();
  expect(described.searchAttributes.WaitingOnHuman).toEqual([true]);
  expect(all.find((o: any) => o.tenantId === A)).toMatchObject({
    runStatus: 'running',
    waitingOnHuman: true,
    openStepTitles: expect.objectContaining({ 'associate-experience-flow': 'Attach the app to an Experience Flow' }),
  });
  expect((await list(`tenantPrefix=${PREFIX}&waiting=true`)).body.items.map((o: any) => o.tenantId)).toEqual([B, A]);
  expect((await list(`tenantPrefix=${PREFIX}&waiting=false`)).body.items.map((o: any) => o.tenantId)).toEqual([C]);
  expect((await list(`tenantPrefix=${A}`)).body.items.map((o: any) => o.tenantId)).toEqual([A]);
  const bad = await list('tenantPrefix=Acme%20Corp');
  expect([bad.status, bad.body.errors]).toEqual([
    400,
    [{ field: 'query.tenantPrefix', message: 'must be lower-case letters, digits and dashes (the start of a tenant id)' }],
  ]);
});

it('pages through with the API tokens, searches by tenant, says each status in words with step titles, sorts, and refreshes without losing the search box', async () => {
  const page = await signedIn('#/?size=2');
  const search = page.getByLabel('Tenant id starts with');
  await search.fill(PREFIX);
  // The search is read once typing pauses; the address says so when it is.
  await page.waitForFunction((q) => {
    const { location, document } = globalThis as any;
    return location.hash.includes(`q=${q}`) && !document.querySelector('table').hasAttribute('aria-busy');
  }, PREFIX);
  await said(page, 'Page 1: 2 onboardings, more on the next page.');
  const first = await keys(page);
  expect(first).toEqual([B, A]);
  await page.getByRole('button', { name: 'Next page' }).click();
  await said(page, 'Page 2: 1 onboarding.');
  expect(await keys(page)).toEqual([C]);
  expect(await page.getByRole('button', { name: 'Next page' }).isDisabled()).toBe(true);
  await page.getByRole('button', { name: 'Previous page' }).click();
  await said(page, 'Page 1: 2 onboardings');
  expect(await keys(page)).toEqual(first);
  // The filters are in the address, to bookmark or share.
  expect(new URL(page.url()).hash).toBe(`#/?q=${PREFIX}&size=2`);

  await page.getByLabel('Per page').selectOption('10');
  await said(page, 'Page 1: 3 onboardings.');
  // Every status in words on its chip; open steps by their titles, never their ids.
  await row(page, C).locator('.status').filter({ hasText: 'Cancelled' }).waitFor();
  for (const t of [A, B]) expect(await row(page, t).locator('.status').textContent()).toBe('Waiting on people');
  expect(await row(page, A).textContent()).toContain('Attach the app to an Experience Flow');
  expect(await page.locator('tbody').textContent()).not.toContain('associate-experience-flow');
  expect(await row(page, A).locator('time.wait').count()).toBe(1);
  // The cancelled run waits for no one and has no open steps, whatever visibility last heard from it.
  expect(await row(page, C).locator('time.wait').count()).toBe(0);
  expect(await row(page, C).getByRole('cell', { name: 'none' }).count()).toBe(1);

  await shoot(page, 'dashboard-list.png');
  await page.getByLabel('Sort this page').selectOption({ label: 'Tenant (A to Z)' });
  expect(await keys(page)).toEqual([A, B, C]);
  await page.getByLabel('Sort this page').selectOption({ label: 'Needs attention first' });
  expect((await keys(page)).at(-1)).toBe(C);

  // Waiting on people: the cancelled run is not there, though its steps were waiting when it ended.
  await page.getByLabel('Waiting on people').check();
  await said(page, 'Page 1: 2 onboardings.');
  expect((await keys(page)).sort()).toEqual([A, B]);
  expect(await page.getByRole('link', { name: 'Acme Corp' }).count()).toBe(2);
  await page.getByLabel('Waiting on people').uncheck();

  // Search finds one tenant; while the person's cursor is in the box, the run is cancelled
  // elsewhere and the row says so at the next refresh, the box keeping its text and focus.
  await search.fill(B);
  await said(page, 'Page 1: 1 onboarding.');
  expect(await keys(page)).toEqual([B]);
  expect(await axeViolations(page)).toEqual([]);
  await search.focus();
  await h.onboardings.cancel(B, { reason: 'changed plans', by: 'pat' });
  await row(page, B).locator('.status').filter({ hasText: 'Cancelled' }).waitFor({ timeout: 15_000 });
  expect(await page.evaluate('[document.activeElement.id, document.activeElement.value]')).toEqual(['tenant-search', B]);
  expect(await page.locator('.list-head .meta').textContent()).toMatch(/^Updated .*; reads again every 5 s$/);
  await page.close();
});

it('a row whose own read fails is an error row, not "running 0%", while the other rows load in parallel', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 900 } })).newPage();
  // The list answers as for runs from before summaries (no percent, no name): each row is read by
  // itself. A's read answers 500, B's never connects, C's is the real one.
  await page.route(/\/api\/v1\/onboardings\?/, async (route) => {
    const res = await route.fetch();
    const body = await res.json();
    for (const item of body.items ?? []) for (const k of ['displayName', 'percent', 'updatedAt', 'oldestWaitSince', 'openStepTitles']) delete item[k];
    await route.fulfill({ response: res, json: body });
  });
  await page.route(new RegExp(`/api/v1/onboardings/${A}$`), (route) =>
    route.fulfill({ status: 500, contentType: 'application/problem+json', body: JSON.stringify({ status: 500, detail: 'the read model is unavailable' }) }),
  );
  await page.route(new RegExp(`/api/v1/onboardings/${B}$`), (route) => route.abort('connectionrefused'));
  await page.goto(`${url}/#/?q=${PREFIX}`);
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Use token' }).click();
  await row(page, A).filter({ hasText: 'This onboarding could not be read: HTTP 500, the read model is unavailable.' }).waitFor();
  await row(page, B).filter({ hasText: 'This onboarding could not be read: the API did not answer.' }).waitFor();
  for (const t of [A, B]) {
    expect(await row(page, t).getAttribute('class')).toBe('row-error');
    expect(await row(page, t).textContent()).not.toMatch(/Running|0%/);
  }
  // C read by itself: its own name, status, progress and (none) open steps.
  await row(page, C).getByRole('link', { name: 'Acme Corp' }).waitFor();
  expect(await row(page, C).locator('.status').textContent()).toBe('Cancelled');
  await page.close();
});

it('at 390 px wide nothing overflows sideways and axe finds nothing; Sign out brings back the sign-in field; /favicon.ico is served', async () => {
  const page = await signedIn(`#/?q=${PREFIX}`, { width: 390, height: 844 });
  await said(page, 'Page 1: 3 onboardings.');
  const width = (): Promise<number> => page.evaluate('document.documentElement.scrollWidth');
  expect(await width()).toBeLessThanOrEqual(390);
  expect(await axeViolations(page)).toEqual([]);
  await shoot(page, 'dashboard-list-390.png', true);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByRole('alert').filter({ hasText: 'Not signed in' }).waitFor();
  expect(await page.getByLabel('API token').isVisible()).toBe(true);
  expect(await page.evaluate('document.activeElement.id')).toBe('token');
  expect(await page.getByRole('button', { name: 'Sign out' }).isVisible()).toBe(false);
  expect(await page.evaluate("[sessionStorage.getItem('onboard-token'), localStorage.getItem('onboard-token')]")).toEqual([null, null]);
  expect(await width()).toBeLessThanOrEqual(390);

  for (const icon of ['/favicon.ico', '/favicon.svg']) {
    const res = await page.request.get(`${url}${icon}`);
    expect([res.status(), res.headers()['content-type']]).toEqual([200, 'image/svg+xml']);
    expect(await res.text()).toMatch(/^<svg /);
  }
  expect(await page.locator('link[rel=icon]').getAttribute('href')).toBe('/favicon.svg');
  await page.close();
});
