import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import type { Browser } from 'playwright-core';
import { publicTenant } from '../../src/domain/tenant';
import { registerTenant } from '../../src/people';
import { startDashboard, type Dashboard } from '../support/browser';
import { tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

const TOKEN = 'dashboard-engineer-token-0123456789';
const SHOTS = path.join(ROOT, 'test-results');

let h: Harness;
let api: FastifyInstance;
let url: string;
let browser: Browser;
let dash: Dashboard;

beforeAll(async () => {
  dash = await startDashboard('dashboard-test', [{ name: 'Dana Dashboard', role: 'engineer', token: TOKEN }]);
  ({ h, api, url, browser } = dash);
});
afterAll(() => dash?.stop());

it('a person signs in, starts a tenant, is told a bad DID beside the field, then sees the SIP trunk instructions fill in', async () => {
  const page = await (await browser.newContext({ viewport: { width: 1200, height: 1600 } })).newPage();
  await page.goto(url);
  // No token yet: the list says so plainly.
  await page.getByRole('alert').filter({ hasText: 'Not signed in' }).waitFor();
  await page.getByLabel('API token').fill(TOKEN);
  await page.getByRole('button', { name: 'Use token' }).click();
  await page.getByText('Dana Dashboard (engineer)').waitFor();
  // Signing in also gave the browser the codec session the Temporal Web UI will send (HttpOnly, /codec only).
  const session = (await page.context().cookies()).find((c) => c.name === 'onboard_session');
  expect(session).toMatchObject({ path: '/codec', httpOnly: true, sameSite: 'Strict' });
  expect(session!.value).not.toContain(TOKEN);

  const file = tenantFile();
  await registerTenant(h.consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  // The start page's advanced JSON box (the form itself: dashboard-start.test.ts).
  await page.getByRole('link', { name: 'Start an onboarding' }).click();
  await page.getByText('Advanced: JSON').click();
  await page.getByLabel('Tenant as JSON').fill(JSON.stringify(file, null, 2));
  await page.getByRole('button', { name: 'Start from JSON' }).click();
  await page.waitForURL(`**/#/t/${file.tenantId}`);
  await page.getByRole('heading', { name: `Acme Corp (${file.tenantId})` }).waitFor();
  // No Temporal Web UI is configured here (ONBOARD_TEMPORAL_UI_URL), so the page offers no link to one.
  expect(await page.getByRole('link', { name: /Temporal Web UI/ }).count()).toBe(0);

  // The connector step opens once the automatic checks pass; its form comes from the evidence schema.
  const connector = page.locator('#step-create-zoom-connector');
  await connector.getByLabel('Connector DID Number').waitFor({ timeout: 30_000 });
  await connector.getByLabel('Connector name').fill('Acme voicebot');
  await connector.getByLabel('Connector Domain Name').fill('a1b2c3.kore-connector.zoomcc.example.com');
  await connector.getByLabel('Connector DID Number').fill('+1 415');
  await connector.getByRole('button', { name: 'Submit evidence' }).click();
  await page.locator('#create-zoom-connector-did-error').filter({ hasText: 'is not an E.164 number' }).waitFor();
  // Spaces, dashes and parentheses are dropped before it is sent; what is left is still too short.
  expect(await page.locator('#create-zoom-connector-did-error').textContent()).toBe('"+1415" is not an E.164 number (expected + and 8-15 digits, no spaces)');
  expect(await page.locator('#create-zoom-connector-domain-error').textContent()).toBe('');

  await connector.getByLabel('Connector DID Number').fill('+1 (415) 555-0142');
  await connector.getByRole('button', { name: 'Submit evidence' }).click();
  const sip = page.locator('#step-configure-sip-trunk');
  await sip.getByText('Fully Qualified Domain Name: a1b2c3.kore-connector.zoomcc.example.com').waitFor();
  await sip.getByText('DID Number: +14155550142').waitFor();
  expect(await sip.getByRole('button', { name: 'Copy DID', exact: true }).count()).toBe(1);
  expect(await page.locator('#step-create-zoom-connector .chip').textContent()).toBe('done');
  expect(await page.locator('#step-create-zoom-connector p.meta').textContent()).toContain('by Dana Dashboard');
  // The evidence handed in stays visible, each value with a copy button.
  expect(await page.locator('#step-create-zoom-connector dl').textContent()).toContain('+14155550142');
  expect(await connector.getByRole('button', { name: 'Copy Connector DID Number' }).count()).toBe(1);

  fs.mkdirSync(SHOTS, { recursive: true });
  const shot = await page.screenshot({ path: path.join(SHOTS, 'dashboard.png'), fullPage: false });
  if (process.env.ONBOARD_RECORD_SCREENSHOT === '1') fs.writeFileSync(path.join(ROOT, 'docs', 'dashboard.png'), shot);
  expect(shot.length).toBeGreaterThan(10_000);
});

it('the token lives in sessionStorage (gone with the tab), and Sign out ends the codec session on the server', async () => {
  const context = await browser.newContext();
  const page = await context.newPage();
  const decode = (cookie: string) =>
    api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { cookie: `onboard_session=${cookie}`, 'content-type': 'application/json' },
      payload: { payloads: [] },
    });
  // A token an older dashboard left in localStorage is moved out of it on the next load.
  await page.goto(url);
  await page.evaluate(`localStorage.setItem('onboard-token', ${JSON.stringify(TOKEN)})`);
  await page.reload();
  await page.getByText('Dana Dashboard (engineer)').waitFor();
  expect(await page.evaluate("localStorage.getItem('onboard-token')")).toBeNull();
  expect(await page.evaluate("sessionStorage.getItem('onboard-token')")).toBe(TOKEN);
  const cookie = (await context.cookies()).find((c) => c.name === 'onboard_session')!;
  expect((await decode(cookie.value)).statusCode).toBe(200);

  await page.getByRole('button', { name: 'Sign out' }).click();
  await page.getByText('signed out').waitFor();
  expect((await context.cookies()).find((c) => c.name === 'onboard_session')).toBeUndefined();
  expect(await page.evaluate("sessionStorage.getItem('onboard-token')")).toBeNull();
  // A copy of the cookie taken before sign-out is refused by the server.
  expect((await decode(cookie.value)).statusCode).toBe(401);
  await context.close();
});
