import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { chromium } from 'playwright-core';
import { renderRecord, SignOffRecord, type Progress, type RecordFormat } from '../../src/app';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createLogger } from '../../src/log';
import { onboard } from '../support/cli';
import { FAST, startHarness, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * The sign-off record of a rehearsed onboarding (with a reopen and an amendment), exported through
 * the app, the API and the CLI in every format; each must hold every step's id, state, who and
 * when, and what the vendors answered. The HTML is printed to PDF by chromium and read back.
 */
const SHOTS = path.join(ROOT, 'test-results');
const VIEWER = 'record-viewer-token-0123456789abcdef';
const REASON = 'named the <script>alert(1)</script> flow';

let h: Harness;
let api: FastifyInstance;
let env: NodeJS.ProcessEnv;
let tenantId: string;
let final: Progress;

beforeAll(async () => {
  h = await startHarness();
  env = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir };
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'record-test' }),
    tokens: new TokenBook([{ name: 'Val Viewer', role: 'viewer', token: VIEWER }]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });

  const tenant = await h.start();
  tenantId = tenant.tenantId;
  await h.until(tenantId, h.stepIs('associate-experience-flow', 'open'));
  await h.act(tenant, 'associate-experience-flow', 'dana@acme.example');
  await h.onboardings.reopen(tenantId, { stepId: 'associate-experience-flow', reason: REASON, by: 'sam@acme.example' });
  await h.onboardings.amend(tenantId, { changes: { contacts: { owner: 'ops@acme.example' } }, reason: 'the owner moved teams', by: 'sam@acme.example' });
  final = await h.completeAll(tenant);
  expect([final.status, final.steps.filter((s) => s.state !== 'done').map((s) => s.id)]).toEqual(['completed', []]);
}, 180_000);
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const byId = (id: string) => final.steps.find((s) => s.id === id)!;
/** The vendors' answers the record must carry, by step. */
const answers = () => ({
  'route-zcc-flow-to-connector': ['flowId'],
  'place-test-call': ['sessionId', 'engagementId', 'flowId', 'transferredToAgent'],
  'verify-conversation-summary': ['sessionId', 'summaryExcerpt', 'engagementId'],
  'verify-kore-access': ['botId'],
  'verify-zoom-access': ['accountId'],
});
const shown = (v: unknown) => (Array.isArray(v) ? v.join(', ') : String(v));

/**
 * Whether the words of `value` appear in `text` in order: a long value wraps inside its table cell
 * (also inside `<script>alert(1)</script>`), and pdftotext gives the other cells' lines of that row
 * between its lines.
 */
function wordsInOrder(text: string, value: string): boolean {
  let from = 0;
  for (const word of value.match(/[\w@.:+-]+/g) ?? []) {
    const at = text.indexOf(word, from);
    if (at < 0) return false;
    from = at + word.length;
  }
  return true;
}

/** A table's rows as text cells, from Markdown (CommonMark escapes undone) or HTML (entities decoded). */
function rowsOf(format: 'md' | 'html', body: string): string[][] {
  if (format === 'md')
    return body
      .split('\n')
      .filter((l) => l.startsWith('| '))
      .map((l) =>
        l
          .slice(2, -2)
          .split(/ (?<!\\)\| /)
          .map((c) => c.replace(/\\([!-/:-@[-`{-~])/g, '$1')),
      );
  const decode = (s: string) =>
    s
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&amp;/g, '&');
  return [...body.matchAll(/<tr>(.*?)<\/tr>/g)].map((m) => [...m[1]!.matchAll(/<t[dh][^>]*>(.*?)<\/t[dh]>/g)].map((c) => decode(c[1]!)));
}

/** Every step's id, state, who and when; each verification's answers; the reopen with its reason; the amendment. */
function expectWhole(format: RecordFormat, body: string): void {
  if (format === 'json') {
    const r = SignOffRecord.parse(JSON.parse(body));
    for (const s of final.steps) expect(r.steps.find((x) => x.id === s.id)).toMatchObject({ state: s.state, by: s.completedBy, at: s.completedAt });
    for (const [stepId, keys] of Object.entries(answers()))
      for (const k of keys) expect(r.verifications.find((v) => v.stepId === stepId)!.answers[k]).toEqual(byId(stepId).result![k]);
    expect(r.reopens).toContainEqual(expect.objectContaining({ stepId: 'associate-experience-flow', reason: REASON, by: 'sam@acme.example' }));
    expect(r.amendments).toEqual([expect.objectContaining({ reason: 'the owner moved teams', fields: ['contacts.owner'] })]);
    expect(r.tenant.details?.contacts.owner).toBe('ops@acme.example');
    return;
  }
  const rows = rowsOf(format, body);
  for (const s of final.steps) {
    // The steps table: step, title, side, state, by, finished at, ...
    expect(rows).toContainEqual(expect.arrayContaining([s.id, s.title, s.state, s.completedBy!, s.completedAt!]));
    expect(rows.find((r) => r[0] === s.id && r[1] === s.title)!.slice(3, 6)).toEqual([s.state, s.completedBy, s.completedAt]);
  }
  for (const [stepId, keys] of Object.entries(answers()))
    for (const k of keys) expect(rows).toContainEqual([stepId, 'done', byId(stepId).completedAt, k, shown(byId(stepId).result![k])]);
  expect(rows).toContainEqual(expect.arrayContaining(['associate-experience-flow', 'sam@acme.example', REASON, 'associate-experience-flow']));
  expect(rows).toContainEqual(expect.arrayContaining(['sam@acme.example', 'the owner moved teams', 'contacts.owner']));
  // The reason a person typed is text, never markup.
  if (format === 'html') expect(body).not.toContain('<script');
  else expect(body).not.toMatch(/(^|[^\\])<script/m);
}

describe('the sign-off record of a rehearsed onboarding', () => {
  it('the run carries what the record needs: vendor answers, the reopen, the amendment, its end', () => {
    expect(byId('place-test-call').result).toMatchObject({ sessionId: expect.any(String), engagementId: expect.any(String), flowId: expect.any(String) });
    expect(byId('verify-conversation-summary').result).toMatchObject({ summaryExcerpt: expect.any(String) });
    expect(byId('associate-experience-flow')).toMatchObject({ reopened: { reason: REASON }, previous: { completedBy: 'dana@acme.example' } });
    expect(final.endedAt).toBe(
      final.steps
        .map((s) => s.completedAt!)
        .sort()
        .at(-1),
    );
  });

  it.each(['json', 'md', 'html'] as const)('through the app, as %s', async (format) => {
    expectWhole(format, renderRecord(await h.onboardings.record(tenantId), format).body);
  });

  it.each([
    ['json', 'application/json; charset=utf-8'],
    ['md', 'text/markdown; charset=utf-8'],
    ['html', 'text/html; charset=utf-8'],
  ] as const)('through the API (a viewer), as %s', async (format, contentType) => {
    const res = await api.inject({
      method: 'GET',
      url: `/api/v1/onboardings/${tenantId}/record?format=${format}`,
      headers: { authorization: `Bearer ${VIEWER}` },
    });
    expect([res.statusCode, res.headers['content-type']]).toEqual([200, contentType]);
    expectWhole(format, res.body);
  });

  it('through the API: JSON by default, a bad format is a 400 naming it, an unknown tenant a 404', async () => {
    const get = (url: string) => api.inject({ method: 'GET', url, headers: { authorization: `Bearer ${VIEWER}` } });
    const plain = await get(`/api/v1/onboardings/${tenantId}/record`);
    expect(plain.headers['content-type']).toBe('application/json; charset=utf-8');
    expectWhole('json', plain.body);
    const bad = await get(`/api/v1/onboardings/${tenantId}/record?format=pdf`);
    expect([bad.statusCode, bad.json().detail]).toEqual([400, 'query.format: must be one of json, md, html']);
    expect((await get('/api/v1/onboardings/no-such-tenant/record?format=md')).statusCode).toBe(404);
    expect((await api.inject({ method: 'GET', url: `/api/v1/onboardings/${tenantId}/record` })).statusCode).toBe(401);
  });

  it.each(['json', 'md', 'html'] as const)('through the CLI, as %s', async (format) => {
    const r = await onboard(['export', tenantId, '--format', format], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expectWhole(format, r.stdout);
  });

  it('through the CLI: --out writes the file; a bad format is one line naming it; --help tells', async () => {
    const out = path.join(h.stateDir, 'record.html');
    const r = await onboard(['export', tenantId, '--format', 'html', '--out', out], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout).toMatch(new RegExp(`^Wrote the html record of ${tenantId} to ${out} \\(\\d+ bytes\\)\\.\\n$`));
    expectWhole('html', fs.readFileSync(out, 'utf8'));
    const bad = await onboard(['export', tenantId, '--format', 'pdf'], env);
    expect([bad.code, bad.stderr]).toEqual([2, 'onboard: --format "pdf": must be one of json, md, html\n']);
    const help = await onboard(['export', '--help']);
    expect(help.stdout).toMatch(/--format <format>/);
    expect(help.stdout).toMatch(/--out <file>/);
    expect((await onboard(['--help'])).stdout).toMatch(/^\s+export\b/m);
  });

  it('the HTML prints: chromium makes a PDF in which pdftotext finds the tenant, each step and each verification', async () => {
    const html = renderRecord(await h.onboardings.record(tenantId), 'html').body;
    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--headless', '--no-sandbox', '--disable-gpu'] });
    // Kept where the dashboard test keeps its screenshots, for a person to look at.
    fs.mkdirSync(SHOTS, { recursive: true });
    const pdf = path.join(SHOTS, 'sign-off-record.pdf');
    try {
      const page = await browser.newPage();
      await page.setContent(html);
      // As a browser's print dialog does: the page's own @page size (A4 landscape).
      await page.pdf({ path: pdf, preferCSSPageSize: true, printBackground: true });
    } finally {
      await browser.close();
    }
    const pages = execFileSync('pdftotext', ['-layout', pdf, '-'], { encoding: 'utf8' }).split('\f');
    // A page per section (tenant with the heading, steps, evidence, verifications, reopens, amendments, durations, sign-off), at least.
    expect(pages.filter((p) => p.trim()).length).toBeGreaterThanOrEqual(8);
    const text = pages.join(' ').replace(/\s+/g, ' ');
    const tenant = final.tenant!;
    for (const v of [tenantId, tenant.displayName, tenant.kore.botId, tenant.zoom.accountId, 'ops@acme.example']) expect(text).toContain(v);
    for (const s of final.steps) for (const v of [s.id, s.state, s.completedBy!, s.completedAt!]) expect(text).toContain(v);
    for (const [stepId, keys] of Object.entries(answers()))
      for (const k of keys) expect([stepId, k, wordsInOrder(text, shown(byId(stepId).result![k]))]).toEqual([stepId, k, true]);
    expect(wordsInOrder(text, REASON)).toBe(true);
    // Printed as the text it is, not run or dropped as a tag.
    expect(text).toContain('<script>alert(1)');
    expect(wordsInOrder(text, 'the owner moved teams')).toBe(true);
  });
});
