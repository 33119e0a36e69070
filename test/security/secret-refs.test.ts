import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { OnboardingNotFound } from '../../src/app';
import { CURRENT_CATALOGUE_VERSION } from '../../src/domain/steps';
import { workflowIdFor, type TenantFile, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { SearchAttributes, WORKFLOW_TYPE, type OnboardingInput } from '../../workflows/contract';
import { onboard } from '../support/cli';
import { TEST_SECRETS } from '../support/fixtures';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';
import { ROOT } from '../support/paths';

/**
 * Issue 12, finding 1: secret references are an operator's feature. API callers give secrets
 * inline (or as a `store:` reference of their own tenant); `file:` and `env:` references work only
 * inside the allow-list the operator configured, and the worker checks it again, with one message
 * for every way a reference cannot be used (no oracle).
 */
const ENGINEER = 'engineer-token-secret-refs-0123456789';
const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-secret-refs-'));
const allowed = path.join(dir, 'allowed');
const ENV = { ONBOARD_SECRET_FILE_DIRS: allowed, ONBOARD_SECRET_ENV_NAMES: 'TEST_SECRET_*' };

/** What the worker says for a reference it will not or cannot use, whatever the reason. */
const UNAVAILABLE = (field: string) =>
  `secret ${field}: the reference is not allowed here or names nothing this worker can read (operators: see ONBOARD_SECRET_FILE_DIRS, ONBOARD_SECRET_ENV_NAMES)`;
/** What the API says for a reference a caller may not give. */
const CALLER_ONLY = 'must be the secret itself, or a store: reference of this tenant (env: and file: references are for operators, with `onboard start`)';

let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  fs.mkdirSync(allowed);
  fs.writeFileSync(path.join(allowed, 'kore'), `${TEST_SECRETS.koreClientSecret}\n`, { mode: 0o600 });
  fs.symlinkSync('/etc/hostname', path.join(allowed, 'hostname-link'));
  h = await startHarness({ env: ENV });
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'secret-refs-test' }),
    tokens: new TokenBook([{ name: 'Pat', role: 'engineer', token: ENGINEER }]),
    taskQueue: h.taskQueue,
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
  fs.rmSync(dir, { recursive: true, force: true });
});

const post = (body: unknown) =>
  api.inject({ method: 'POST', url: '/api/v1/onboardings', headers: { authorization: `Bearer ${ENGINEER}` }, payload: body as Record<string, unknown> });

/** Starts a run with a hand-made input, as anyone with access to Temporal could: no app, no API, no check. */
async function forgeStart(tenant: TenantInput): Promise<void> {
  const input: OnboardingInput = { tenant, options: FAST, catalogueVersion: CURRENT_CATALOGUE_VERSION };
  await h.client.workflow.start(WORKFLOW_TYPE, {
    taskQueue: h.taskQueue,
    workflowId: workflowIdFor(tenant.tenantId),
    args: [input],
    typedSearchAttributes: [{ key: SearchAttributes.TenantId, value: tenant.tenantId }],
  });
}

/** A tenant input with this Kore.ai secret reference (the Zoom one inline-stored as usual is not needed). */
const withKoreRef = (ref: string, base: TenantFile = tenantFile()): TenantInput => ({
  ...base,
  kore: { ...base.kore, clientSecret: ref },
  zoom: { ...base.zoom, clientSecret: 'env:TEST_SECRET_UNSET_ZOOM' },
});

const koreAccess = async (tenantId: string) => {
  const p = await h.until(tenantId, h.stepIs('verify-kore-access', 'done', 'needs-attention'), 30_000);
  return p.steps.find((s) => s.id === 'verify-kore-access')!;
};

describe("another tenant's secrets", () => {
  it("a run cannot use another tenant's store: secret: the worker refuses it at the access check, and the API refuses it at the start", async () => {
    const a = await h.start();
    expect((await koreAccess(a.tenantId)).state).toBe('done');
    /** Tenant `t` naming A's bot, apps and stored secrets. */
    const posingAsA = (t: TenantFile) => ({
      ...t,
      kore: { ...t.kore, botId: a.kore.botId, clientId: a.kore.clientId, clientSecret: a.kore.clientSecret },
      zoom: { ...t.zoom, accountId: a.zoom.accountId, clientId: a.zoom.clientId, clientSecret: a.zoom.clientSecret },
    });

    // Written straight into Temporal (no app, no API): the access checks run, and refuse A's secrets for C's run.
    const c = tenantFile();
    await forgeStart(posingAsA(c));
    const p = await h.until(c.tenantId, (q) => ['verify-kore-access', 'verify-zoom-access'].every((id) => h.stepIs(id, 'done', 'needs-attention')(q)));
    expect(p.steps.filter((s) => ['verify-kore-access', 'verify-zoom-access'].includes(s.id)).map((s) => [s.id, s.state, s.lastError])).toEqual([
      ['verify-kore-access', 'needs-attention', UNAVAILABLE('kore.clientSecret')],
      ['verify-zoom-access', 'needs-attention', UNAVAILABLE('zoom.clientSecret')],
    ]);

    // Through the API: refused before anything starts, each field named.
    const b = tenantFile();
    const res = await post(posingAsA(b));
    expect({ status: res.statusCode, body: res.json() }).toMatchObject({
      status: 400,
      body: {
        code: 'InvalidInput',
        errors: [
          { field: 'body.kore.clientSecret', message: CALLER_ONLY },
          { field: 'body.zoom.clientSecret', message: CALLER_ONLY },
        ],
      },
    });
    await expect(h.onboardings.memo(b.tenantId)).rejects.toBeInstanceOf(OnboardingNotFound);
  });
});

describe('file: and env: references', () => {
  it('the API refuses them, with the same answer whether the file or variable exists or not', async () => {
    for (const ref of ['file:/nonexistent/secret', 'file:/etc/hostname', `file:${allowed}/kore`, 'env:NOPE_NOT_SET', 'env:TEST_SECRET_KORE', 'env:PATH']) {
      const t = tenantFile();
      const res = await post({ ...t, kore: { ...t.kore, clientSecret: ref } });
      expect([ref, res.statusCode, res.json().errors]).toEqual([ref, 400, [{ field: 'body.kore.clientSecret', message: CALLER_ONLY }]]);
    }
  });

  it('the worker uses one message for missing, disallowed and unreadable references: no oracle', async () => {
    process.env.TEST_SECRET_KORE = TEST_SECRETS.koreClientSecret;
    try {
      const refused = [
        'file:/nonexistent/secret', // missing, outside the allow-list
        'file:/etc/hostname', // exists, outside the allow-list
        `file:${allowed}/missing`, // allowed directory, missing file
        `file:${allowed}/../../../../etc/hostname`, // `..` out of the allowed directory
        `file:${allowed}/hostname-link`, // a symlink out of it
        `file:${allowed}`, // the directory itself
        'env:NOPE_NOT_SET', // not allowed, not set
        'env:PATH', // not allowed, set
        'env:TEST_SECRET_UNSET', // allowed, not set
      ];
      const runs = refused.map((ref) => withKoreRef(ref));
      for (const t of runs) await forgeStart(t);
      const seen = await Promise.all(runs.map(async (t, i) => [refused[i], (await koreAccess(t.tenantId)).lastError]));
      expect(seen).toEqual(refused.map((ref) => [ref, UNAVAILABLE('kore.clientSecret')]));

      // What the operator allowed does work (the allow-list is not a switch that refuses all).
      for (const ref of [`file:${allowed}/kore`, `file:${allowed}/../allowed/kore`, 'env:TEST_SECRET_KORE']) {
        const t = tenantFile();
        await h.start(t);
        const forged = withKoreRef(ref, { ...tenantFile(), kore: { ...t.kore }, zoom: t.zoom });
        await forgeStart(forged);
        expect([ref, (await koreAccess(forged.tenantId)).state]).toEqual([ref, 'done']);
      }
    } finally {
      delete process.env.TEST_SECRET_KORE;
    }
  });

  it('`onboard start` takes them only inside the allow-list, else one line naming the field and the variable to set', async () => {
    if (!fs.existsSync(path.join(ROOT, 'dist', 'src', 'cli', 'main.js'))) throw new Error('dist/ is missing: run `npm run build` first');
    const write = (name: string, kore: string, zoom = 'inline-zoom-secret-0123') => {
      const t = tenantFile();
      const file = path.join(dir, `${name}.json`);
      fs.writeFileSync(file, JSON.stringify({ ...t, kore: { ...t.kore, clientSecret: kore }, zoom: { ...t.zoom, clientSecret: zoom } }));
      return { t, file };
    };
    const cli = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir, ONBOARD_TASK_QUEUE: h.taskQueue, ONBOARD_SECRET_FILE_DIRS: '', ONBOARD_SECRET_ENV_NAMES: '' };

    const off = write('off', `file:${allowed}/kore`, 'env:TEST_SECRET_ZOOM');
    const r1 = await onboard(['start', off.file], cli);
    expect([r1.code, r1.stderr.trim().split('\n')]).toEqual([
      2,
      [
        `onboard: ${off.file}: kore.clientSecret: file: references are off here; set ONBOARD_SECRET_FILE_DIRS to the directories they may point under`,
        `onboard: ${off.file}: zoom.clientSecret: env: references are off here; set ONBOARD_SECRET_ENV_NAMES to the variable names (or PREFIX_* patterns) they may name`,
      ],
    ]);

    const outside = write('outside', 'file:/etc/hostname', 'env:HOME');
    const r2 = await onboard(['start', outside.file], { ...cli, ...ENV });
    expect([r2.code, r2.stderr.trim().split('\n')]).toEqual([
      2,
      [
        `onboard: ${outside.file}: kore.clientSecret: file:/etc/hostname is not under ONBOARD_SECRET_FILE_DIRS (${allowed})`,
        `onboard: ${outside.file}: zoom.clientSecret: env:HOME is not allowed by ONBOARD_SECRET_ENV_NAMES (TEST_SECRET_*)`,
      ],
    ]);
    for (const t of [off.t, outside.t]) await expect(h.onboardings.memo(t.tenantId)).rejects.toBeInstanceOf(OnboardingNotFound);

    const ok = write('ok', `file:${allowed}/kore`);
    const r3 = await onboard(['start', ok.file, '--json'], { ...cli, ...ENV });
    expect([r3.code, r3.stderr]).toEqual([0, '']);
    expect(JSON.parse(r3.stdout)).toMatchObject({ tenantId: ok.t.tenantId });
  });
});
