import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { parseTenantFile } from '../../src/domain/tenant';
import { CALLER_REF_REFUSED, resolveSecretRef, SECRET_MAX_BYTES, secretRefErrors, SecretUnavailable, storeInlineSecrets } from '../../src/secret-store';

/** Who may give which secret reference, and what the worker resolves (src/secret-store.ts). */
const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'));
const tenantWith = (kore: string, zoom = 'inline-zoom') =>
  parseTenantFile({ ...example, kore: { ...example.kore, clientSecret: kore }, zoom: { ...example.zoom, clientSecret: zoom } });

let root: string;
let allowed: string;
let stateDir: string;
beforeAll(() => {
  root = fs.realpathSync(fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-secret-store-')));
  allowed = path.join(root, 'allowed');
  stateDir = path.join(root, 'state');
  fs.mkdirSync(allowed);
  fs.mkdirSync(path.join(allowed, 'sub'));
  fs.writeFileSync(path.join(allowed, 'kore'), '  kore-from-file \n');
  fs.writeFileSync(path.join(allowed, 'empty'), '\n');
  fs.writeFileSync(path.join(allowed, 'big'), 'x'.repeat(SECRET_MAX_BYTES + 1));
  fs.writeFileSync(path.join(allowed, 'just-right'), 'y'.repeat(SECRET_MAX_BYTES));
  fs.writeFileSync(path.join(root, 'outside'), 'outside-secret');
  fs.symlinkSync(path.join(root, 'outside'), path.join(allowed, 'link-out'));
  fs.symlinkSync(path.join(allowed, 'kore'), path.join(allowed, 'sub', 'link-in'));
});
afterAll(() => fs.rmSync(root, { recursive: true, force: true }));

describe('at the start: which references a caller may give', () => {
  const policy = () => ({ fileDirs: [allowed], envNames: ['ACME_*', 'ZOOM_SECRET'] });

  it('an API caller: inline secrets and store: references of its own tenant only', () => {
    const caller = { origin: 'caller' as const, policy: policy() };
    expect(secretRefErrors(tenantWith('inline-kore'), caller)).toEqual([]);
    expect(secretRefErrors(tenantWith('store:acme-demo/kore.clientSecret.0abc'), caller)).toEqual([]);
    for (const ref of ['store:other-tenant/kore.clientSecret', 'store:acme-demo/..', `file:${allowed}/kore`, 'env:ACME_KORE', 'file:/etc/shadow'])
      expect([ref, secretRefErrors(tenantWith(ref), caller)]).toEqual([ref, [{ field: 'kore.clientSecret', message: CALLER_REF_REFUSED }]]);
  });

  it('an operator: env: and file: references inside the allow-lists, each refusal naming the variable', () => {
    const operator = { origin: 'operator' as const, policy: policy() };
    for (const ok of ['env:ACME_KORE', 'env:ZOOM_SECRET', `file:${allowed}/kore`, `file:${allowed}/nope/../kore`, 'store:acme-demo/kore.clientSecret'])
      expect([ok, secretRefErrors(tenantWith(ok), operator)]).toEqual([ok, []]);
    const refusal = (ref: string) => secretRefErrors(tenantWith(ref), operator)[0]?.message;
    expect(refusal('env:ZOOM_SECRET_2')).toBe('env:ZOOM_SECRET_2 is not allowed by ONBOARD_SECRET_ENV_NAMES (ACME_*, ZOOM_SECRET)');
    expect(refusal(`file:${allowed}/../outside`)).toBe(`file:${allowed}/../outside is not under ONBOARD_SECRET_FILE_DIRS (${allowed})`);
    expect(refusal(`file:${allowed}`)).toMatch(/is not under ONBOARD_SECRET_FILE_DIRS/);
    expect(refusal('file:relative/kore')).toMatch(/is not under ONBOARD_SECRET_FILE_DIRS/);
    expect(refusal('store:other-tenant/kore.clientSecret')).toBe("a store: reference must name one of this tenant's stored secrets (store:acme-demo/...)");
    const off = { origin: 'operator' as const, policy: { fileDirs: [], envNames: [] } };
    expect(secretRefErrors(tenantWith(`file:${allowed}/kore`, 'env:ACME_ZOOM'), off)).toEqual([
      { field: 'kore.clientSecret', message: 'file: references are off here; set ONBOARD_SECRET_FILE_DIRS to the directories they may point under' },
      {
        field: 'zoom.clientSecret',
        message: 'env: references are off here; set ONBOARD_SECRET_ENV_NAMES to the variable names (or PREFIX_* patterns) they may name',
      },
    ]);
  });
});

describe('in the worker: resolving a reference', () => {
  const opts = (over: Partial<Parameters<typeof resolveSecretRef>[1]> = {}) => ({
    store: path.join(stateDir, 'secrets'),
    tenantId: 'acme-demo',
    policy: { fileDirs: [allowed], envNames: ['ACME_*'] },
    field: 'kore.clientSecret',
    env: { ACME_KORE: 'kore-from-env', PATH: '/usr/bin' },
    ...over,
  });
  const refusal = (ref: string, over?: Parameters<typeof opts>[0]) =>
    resolveSecretRef(ref, opts(over)).then(
      () => {
        throw new Error(`${ref} was resolved`);
      },
      (err: unknown) => {
        expect(err).toBeInstanceOf(SecretUnavailable);
        return { message: (err as SecretUnavailable).message, reason: (err as SecretUnavailable).reason };
      },
    );

  it('reads what the operator allowed: a regular file under the directories (trimmed, up to the cap), a listed variable', async () => {
    expect((await resolveSecretRef(`file:${allowed}/kore`, opts())).reveal()).toBe('kore-from-file');
    expect((await resolveSecretRef(`file:${allowed}/sub/../kore`, opts())).reveal()).toBe('kore-from-file');
    expect((await resolveSecretRef(`file:${allowed}/sub/link-in`, opts())).reveal()).toBe('kore-from-file');
    expect((await resolveSecretRef(`file:${allowed}/just-right`, opts())).reveal()).toHaveLength(SECRET_MAX_BYTES);
    expect((await resolveSecretRef('env:ACME_KORE', opts())).reveal()).toBe('kore-from-env');
  });

  it('refuses everything else with one message, whatever the reason (the reason is for the log)', async () => {
    const cases: Array<[string, RegExp]> = [
      [`file:${root}/outside`, /is not under ONBOARD_SECRET_FILE_DIRS/],
      [`file:${allowed}/../outside`, /is not under ONBOARD_SECRET_FILE_DIRS/],
      [`file:${allowed}/link-out`, /is not under ONBOARD_SECRET_FILE_DIRS/],
      [`file:${allowed}/missing`, /ENOENT/],
      ['file:/nonexistent/x', /ENOENT/],
      [`file:${allowed}/sub`, /not a regular file/],
      [`file:${allowed}/empty`, /empty/],
      [`file:${allowed}/big`, /larger than 65536 bytes/],
      ['file:relative/kore', /not an absolute path/],
      ['env:PATH', /not allowed by ONBOARD_SECRET_ENV_NAMES/],
      ['env:ACME_UNSET', /not set/],
      ['store:other-tenant/kore.clientSecret', /names another tenant/],
      ['store:acme-demo/kore.clientSecret', /ENOENT/],
      ['store:acme-demo/..', /not a store reference/],
    ];
    const seen = await Promise.all(cases.map(([ref]) => refusal(ref)));
    expect(new Set(seen.map((s) => s.message))).toEqual(
      new Set([
        'secret kore.clientSecret: the reference is not allowed here or names nothing this worker can read (operators: see ONBOARD_SECRET_FILE_DIRS, ONBOARD_SECRET_ENV_NAMES)',
      ]),
    );
    seen.forEach((s, i) => expect([cases[i]![0], s.reason]).toEqual([cases[i]![0], expect.stringMatching(cases[i]![1])]));
    // With no allow-list, nothing but the store.
    expect((await refusal(`file:${allowed}/kore`, { policy: { fileDirs: [], envNames: [] } })).reason).toMatch(/is not under ONBOARD_SECRET_FILE_DIRS/);
    expect((await refusal('env:ACME_KORE', { policy: { fileDirs: [], envNames: [] } })).reason).toMatch(/not allowed/);
  });

  it("a store: reference resolves for the run's own tenant only", async () => {
    const { tenant } = storeInlineSecrets(tenantWith('kore-inline'), path.join(stateDir, 'secrets'));
    expect((await resolveSecretRef(tenant.kore.clientSecret, opts())).reveal()).toBe('kore-inline');
    expect((await refusal(tenant.kore.clientSecret, { tenantId: 'another-tenant' })).reason).toMatch(/names another tenant/);
  });
});

describe('the store: a file per field and start', () => {
  it('a failed start removes its files; a successful one removes the older files its run does not use', async () => {
    const dir = path.join(stateDir, 'secrets', 'prune-me');
    const t = { ...tenantWith('kore-1', 'zoom-1'), tenantId: 'prune-me' };
    const first = storeInlineSecrets(t, path.join(stateDir, 'secrets'));
    fs.writeFileSync(path.join(dir, 'kore.clientSecret'), 'from before starts had ids');
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not ours');
    const files = () => fs.readdirSync(dir).sort();
    const name = (ref: string) => ref.split('/')[1]!;

    const refused = storeInlineSecrets({ ...t, kore: { ...t.kore, clientSecret: 'kore-2' } }, path.join(stateDir, 'secrets'));
    expect(files()).toHaveLength(6);
    refused.discard();
    expect(files()).toEqual([name(first.tenant.kore.clientSecret), 'kore.clientSecret', 'notes.txt', name(first.tenant.zoom.clientSecret)].sort());

    // The next start keeps the first start's Zoom secret by reference and brings a new Kore.ai one.
    const next = storeInlineSecrets(
      { ...t, kore: { ...t.kore, clientSecret: 'kore-3' }, zoom: { ...t.zoom, clientSecret: first.tenant.zoom.clientSecret } },
      path.join(stateDir, 'secrets'),
    );
    const later = storeInlineSecrets({ ...t, kore: { ...t.kore, clientSecret: 'kore-4' } }, path.join(stateDir, 'secrets'));
    next.pruneOlder();
    expect(files()).toEqual(
      [
        name(next.tenant.kore.clientSecret),
        name(first.tenant.zoom.clientSecret),
        'notes.txt',
        // A later start's files stay (it may be the one that runs).
        name(later.tenant.kore.clientSecret),
        name(later.tenant.zoom.clientSecret),
      ].sort(),
    );
  });
});
