import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { ONBOARDING_STATUSES } from '../../src/app';
import { STEPS, type HumanStepId } from '../../src/domain/steps';
import { publicTenant, workflowIdFor, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, type ConsoleMemory } from '../../src/people';
import { SEARCH_ATTRIBUTES } from '../../src/temporal/search-attributes';
import { PATCHES } from '../../workflows/patches';
import { historyJson, readableHistory, suiteCodec } from '../support/history';
import { TEST_SECRETS } from '../support/fixtures';
import { SERVER_INFO } from '../support/paths';
import { startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * What Temporal stores for a whole onboarding, read as someone with the database (or the server's
 * API) would: neither the secrets, nor the tenant's details, nor the evidence people entered are
 * there in plain text; only the key holders (the worker, the codec endpoint) see them.
 */
const VIEWER = 'viewer-token-codec-0123456789';
const ENGINEER = 'engineer-token-codec-0123456789';
const UI_ORIGIN = 'http://127.0.0.1:8233';

let h: Harness;
let api: FastifyInstance;
let tenant: TenantInput;
let raw: string;
const entered: string[] = [];

beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: { ...h.config, codec: { ...h.config.codec, corsOrigins: [UI_ORIGIN] } },
    client: h.client,
    logger: createLogger({ name: 'codec-test' }),
    tokens: new TokenBook([
      { name: 'Val Viewer', role: 'viewer', token: VIEWER },
      { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
    ]),
    taskQueue: h.taskQueue,
  });
  tenant = await h.start(tenantFile({ displayName: 'Globex Personal Name', contacts: { owner: 'jane.roe@globex.example' } }));
  // One refused Zoom call on the way, so the history holds a failure (its message is encrypted too).
  h.sims.zoom.faults.add({ path: '/v2/', status: 503, count: 1 });
  const memory: ConsoleMemory = {};
  for (;;) {
    const p = await h.until(
      tenant.tenantId,
      (x) => x.status === 'completed' || x.steps.some((s) => s.state === 'open' || s.state === 'waiting-for-human'),
      60_000,
    );
    if (p.status === 'completed') break;
    for (const s of p.steps.filter((x) => x.state === 'open' || x.state === 'waiting-for-human')) {
      const evidence = await doInConsoles(s.id as HumanStepId, publicTenant(tenant), h.consoles, memory);
      for (const v of Object.values(evidence)) if (typeof v === 'string') entered.push(v);
      await h.complete(tenant.tenantId, s.id, evidence);
    }
  }
  raw = historyJson(workflowIdFor(tenant.tenantId));
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

const payloadsIn = (json: string) => {
  const found: Array<{ metadata: Record<string, string>; data: string }> = [];
  const walk = (n: unknown): void => {
    if (Array.isArray(n)) return n.forEach(walk);
    if (!n || typeof n !== 'object') return;
    const o = n as Record<string, unknown>;
    if (typeof o.data === 'string' && o.metadata && typeof o.metadata === 'object') found.push(o as never);
    Object.values(o).forEach(walk);
  };
  walk(JSON.parse(json));
  return found;
};

describe('the history of a whole onboarding, as the server stores it', () => {
  it('holds no secret, no tenant detail and no evidence in plain text; the key holder sees them all', () => {
    const values = [
      ...Object.values(TEST_SECRETS),
      tenant.displayName,
      tenant.contacts.owner,
      tenant.kore.botId,
      tenant.kore.clientId,
      // Not tenant.zoom.accountId: the ZoomAccountId search attribute holds it in clear by design
      // (the Zoom webhook routes on it); the search-attribute test below pins it to that one place.
      tenant.zoom.clientId,
      tenant.kore.clientSecret, // the store: reference
      ...entered.filter((v) => v.length >= 8),
    ];
    expect(entered.length).toBeGreaterThanOrEqual(6);
    const asStored = readableHistory(raw); // base64 undone, as anyone would
    expect(values.filter((v) => asStored.includes(v))).toEqual([]);
    const decrypted = readableHistory(raw, suiteCodec());
    // Not vacuous: decrypted, the tenant, its secret reference and what people entered are there.
    expect(values.slice(Object.keys(TEST_SECRETS).length).filter((v) => !decrypted.includes(v))).toEqual([]);
    expect(Object.values(TEST_SECRETS).filter((v) => decrypted.includes(v))).toEqual([]);
  });

  it('encrypts every payload except search attributes, with the key id in the metadata', () => {
    const all = payloadsIn(raw);
    const text = (b64: string) => Buffer.from(b64, 'base64').toString('utf8');
    const plain = all.filter((p) => text(p.metadata.encoding ?? '') !== 'binary/encrypted');
    const encrypted = all.filter((p) => text(p.metadata.encoding ?? '') === 'binary/encrypted');
    expect(encrypted.length).toBeGreaterThan(20);
    expect(new Set(encrypted.map((p) => text(p.metadata['encryption-key-id']!)))).toEqual(new Set([suiteCodecKeyId()]));
    // What is left in clear is search attributes only: their values, decoded, are listed below.
    const history = JSON.parse(raw) as { events: Array<Record<string, unknown>> };
    const saPayloads = new Set<string>();
    const collectSa = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(collectSa);
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      if (o.searchAttributes && typeof o.searchAttributes === 'object') for (const p of payloadsIn(JSON.stringify(o.searchAttributes))) saPayloads.add(p.data);
      Object.values(o).forEach(collectSa);
    };
    collectSa(history.events);
    // And patch markers (workflows/patches.ts), which hold a patch id: code, not tenant data.
    const markers = history.events.filter((e) => /MARKER_RECORDED/.test(String(e.eventType))).map((e) => JSON.stringify(e));
    const inMarker = (d: string) => markers.some((m) => m.includes(d));
    for (const p of plain.filter((x) => inMarker(x.data))) expect(Object.values(PATCHES)).toContain(JSON.parse(text(p.data)).id);
    expect(plain.map((p) => p.data).filter((d) => !saPayloads.has(d) && !inMarker(d))).toEqual([]);
  });

  it('keeps failure messages and stack traces encrypted (encoded common attributes)', () => {
    const failures: Array<Record<string, unknown>> = [];
    const walk = (n: unknown, key = ''): void => {
      if (Array.isArray(n)) return n.forEach((x) => walk(x));
      if (!n || typeof n !== 'object') return;
      if (/failure$/i.test(key)) failures.push(n as Record<string, unknown>);
      for (const [k, v] of Object.entries(n as Record<string, unknown>)) walk(v, k);
    };
    walk(JSON.parse(raw));
    expect(failures.length).toBeGreaterThanOrEqual(1); // the injected 503 left a lastFailure
    for (const f of failures) {
      expect(f.message).toBe('Encoded failure');
      expect(f.stackTrace ?? '').toBe('');
      expect(f.encodedAttributes).toBeDefined();
    }
  });
});

function suiteCodecKeyId(): string {
  const enc = suiteCodec().encodeOne({ metadata: {}, data: new Uint8Array() });
  return Buffer.from(enc.metadata!['encryption-key-id']!).toString('utf8');
}

describe('search attributes (Temporal indexes them unencrypted)', () => {
  it('hold the tenant id and workflow facts only: no secret and no personal detail', async () => {
    // Observation only (the app does not offer describe()): the run's search attributes as Temporal holds them.
    const described = await h.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe();
    const ours = Object.fromEntries(Object.entries(described.searchAttributes).filter(([k]) => SEARCH_ATTRIBUTES.some((a) => a.name === k)));
    expect(Object.keys(ours).sort()).toEqual(expect.arrayContaining(['OnboardingStatus', 'TenantId', 'WaitingOnHuman']));
    // Every value any run ever upserted, from the history (not only the last).
    const values: Record<string, Set<unknown>> = {};
    const walk = (n: unknown): void => {
      if (Array.isArray(n)) return n.forEach(walk);
      if (!n || typeof n !== 'object') return;
      const o = n as Record<string, unknown>;
      const fields = (o.searchAttributes as { indexedFields?: Record<string, { data: string }> } | undefined)?.indexedFields;
      if (fields) for (const [k, p] of Object.entries(fields)) (values[k] ??= new Set()).add(JSON.parse(Buffer.from(p.data, 'base64').toString('utf8')));
      Object.values(o).forEach(walk);
    };
    walk(JSON.parse(raw));
    // Ours, plus Temporal's own TemporalChangeVersion, which lists the patch ids a run took.
    expect(Object.keys(values).sort()).toEqual([...SEARCH_ATTRIBUTES.map((a) => a.name), 'TemporalChangeVersion'].sort());
    for (const list of values.TemporalChangeVersion!) for (const id of list as string[]) expect(Object.values(PATCHES)).toContain(id);
    expect([...values.TenantId!]).toEqual([tenant.tenantId]);
    for (const s of values.OnboardingStatus!) expect(ONBOARDING_STATUSES).toContain(s);
    for (const list of values.OpenSteps!) for (const s of list as string[]) expect(STEPS.map((x) => x.id)).toContain(s);
    for (const b of values.WaitingOnHuman!) expect(typeof b).toBe('boolean');
    // The Zoom account's opaque id is the one vendor id in clear: the Zoom webhook finds an
    // account's runs by it (SECURITY.md, What the history holds).
    expect([...values.ZoomAccountId!]).toEqual([tenant.zoom.accountId]);
    const strip = (n: unknown): unknown =>
      Array.isArray(n)
        ? n.map(strip)
        : n && typeof n === 'object'
          ? Object.fromEntries(
              Object.entries(n)
                .filter(([k]) => k !== 'searchAttributes')
                .map(([k, v]) => [k, strip(v)]),
            )
          : n;
    expect(readableHistory(JSON.stringify(strip(JSON.parse(raw))))).not.toContain(tenant.zoom.accountId);
    const { ZoomAccountId: _routedOn, ...others } = values;
    const everything = JSON.stringify([...Object.values(others)].map((s) => [...s]));
    for (const v of [tenant.displayName, tenant.contacts.owner, tenant.kore.botId, tenant.zoom.accountId, ...entered.filter((x) => x.length >= 8)])
      expect(everything).not.toContain(v);
  });
});

describe('the codec endpoint for the Temporal Web UI', () => {
  const rawPayloads = () => payloadsIn(raw).filter((p) => Buffer.from(p.metadata.encoding!, 'base64').toString() === 'binary/encrypted');
  const decode = (headers: Record<string, string>, payloads = rawPayloads()) =>
    api.inject({
      method: 'POST',
      url: '/codec/decode',
      headers: { 'content-type': 'application/json', 'x-namespace': 'default', ...headers },
      payload: { payloads },
    });

  it('decodes the history for an authorised user (a viewer is enough)', async () => {
    const res = await decode({ authorization: `Bearer ${VIEWER}` });
    expect(res.statusCode).toBe(200);
    const out = res.json() as { payloads: Array<{ metadata: Record<string, string>; data: string }> };
    expect(out.payloads).toHaveLength(rawPayloads().length);
    const clear = out.payloads.map((p) => Buffer.from(p.data, 'base64').toString('utf8')).join('\n');
    expect(clear).toContain(tenant.kore.botId);
    for (const v of entered.filter((x) => x.length >= 8)) expect(clear).toContain(v);
    expect(out.payloads.every((p) => Buffer.from(p.metadata.encoding!, 'base64').toString() !== 'binary/encrypted')).toBe(true);
  });

  it('is what `temporal workflow show --codec-endpoint` uses: the official CLI shows the history in clear', async () => {
    const base = await api.listen({ host: '127.0.0.1', port: 0 });
    const { binaryPath } = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8')) as { binaryPath: string };
    // (With a wrong token the CLI retries our 401 until its deadline; the refusal is tested below.)
    const show = (auth: string) =>
      new Promise<{ code: number | null; out: string }>((resolve) => {
        const args = [
          'workflow',
          'show',
          '-w',
          workflowIdFor(tenant.tenantId),
          '--output',
          'json',
          '--address',
          process.env.TEMPORAL_ADDRESS!,
          '--codec-endpoint',
          `${base}/codec`,
          '--codec-auth',
          auth,
        ];
        const child = spawn(binaryPath, args);
        let out = '';
        child.stdout.on('data', (d) => (out += d));
        child.stderr.on('data', (d) => (out += d));
        child.on('close', (code) => resolve({ code, out }));
      });
    const ok = await show(`Bearer ${VIEWER}`);
    expect(ok.code).toBe(0);
    // In clear only through the codec: the stored history itself does not show it.
    expect(readableHistory(raw)).not.toContain(tenant.kore.botId);
    expect(readableHistory(ok.out)).toContain(tenant.kore.botId);
  });

  it('refuses a request with no viewer behind it, or an unknown token', async () => {
    const none = await decode({});
    expect(none.statusCode).toBe(401);
    expect(none.body).not.toContain(tenant.kore.botId);
    expect((await decode({ authorization: 'Bearer not-a-known-token-000000' })).statusCode).toBe(401);
    expect((await decode({ cookie: 'onboard_session=forged.jwt.value' })).statusCode).toBe(401);
  });

  it('encoding needs the engineer role; what it encodes decodes back', async () => {
    const plain = [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('"hello"').toString('base64') }];
    const asViewer = await api.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${VIEWER}` }, payload: { payloads: plain } });
    expect(asViewer.statusCode).toBe(403);
    const enc = await api.inject({ method: 'POST', url: '/codec/encode', headers: { authorization: `Bearer ${ENGINEER}` }, payload: { payloads: plain } });
    expect(enc.statusCode).toBe(200);
    expect(enc.body).not.toContain(plain[0]!.data);
    const back = await decode({ authorization: `Bearer ${VIEWER}` }, enc.json().payloads);
    expect(back.json().payloads).toEqual(plain);
  });

  it("lets the UI's origin in with credentials (CORS), and no other origin", async () => {
    const pre = await api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: UI_ORIGIN, 'access-control-request-method': 'POST', 'access-control-request-headers': 'content-type,x-namespace' },
    });
    expect(pre.statusCode).toBe(204);
    expect(pre.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    expect(pre.headers['access-control-allow-credentials']).toBe('true');
    expect(String(pre.headers['access-control-allow-headers'])).toContain('x-namespace');
    const evil = await api.inject({
      method: 'OPTIONS',
      url: '/codec/decode',
      headers: { origin: 'https://evil.example', 'access-control-request-method': 'POST' },
    });
    expect(evil.statusCode).toBe(403);
    expect(evil.headers['access-control-allow-origin']).toBeUndefined();
    const res = await decode({ origin: 'https://evil.example', authorization: `Bearer ${VIEWER}` });
    expect(res.headers['access-control-allow-origin']).toBeUndefined();
  });

  it('a browser session (the dashboard signs in) lets the UI decode with cookies, scoped to /codec', async () => {
    const signIn = await api.inject({ method: 'POST', url: '/api/v1/session', headers: { authorization: `Bearer ${VIEWER}` } });
    expect(signIn.statusCode).toBe(200);
    const setCookie = String(signIn.headers['set-cookie']);
    expect(setCookie).toMatch(/^onboard_session=[^;]+; Path=\/codec; HttpOnly; SameSite=Strict; Max-Age=28800$/);
    expect(setCookie).not.toContain(VIEWER);
    const cookie = setCookie.split(';')[0]!;
    const res = await decode({ cookie, origin: UI_ORIGIN });
    expect(res.statusCode).toBe(200);
    expect(res.headers['access-control-allow-origin']).toBe(UI_ORIGIN);
    // The cookie is for the codec only: the rest of the API still wants the bearer token.
    expect((await api.inject({ method: 'GET', url: `/api/v1/onboardings/${tenant.tenantId}`, headers: { cookie } })).statusCode).toBe(401);

    // Removing the token (an API restarted without it, same keys) ends its sessions too.
    const revoked = await buildApi({
      config: h.config,
      client: h.client,
      logger: createLogger({ name: 'codec-revoked' }),
      tokens: new TokenBook([{ name: 'Pat Engineer', role: 'engineer', token: ENGINEER }]),
      taskQueue: h.taskQueue,
    });
    try {
      const after = await revoked.inject({
        method: 'POST',
        url: '/codec/decode',
        headers: { cookie, 'content-type': 'application/json' },
        payload: { payloads: [] },
      });
      expect(after.statusCode).toBe(401);
    } finally {
      await revoked.close();
    }
  });
});
