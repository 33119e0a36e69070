import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, publicTenant, TenantInput } from '../../src/domain/tenant';
import { parseDuration, formatDuration } from '../../src/domain/duration';
import { storeInlineSecrets, resolveSecretRef, SecretUnavailable } from '../../src/secret-store';
import os from 'node:os';
import { exampleTenantJson, tenantErrors } from '../support/tenant-examples';

const example = exampleTenantJson();
const errors = tenantErrors;

describe('tenant input', () => {
  it('the example parses, with defaults filled in', () => {
    const t = parseTenantFile(example);
    expect(t.kore.smartAssistLegacy).toBe(false);
    expect(t.reminders).toEqual({ firstAfter: '4h', every: '1d', escalateAfter: '2d' });
  });

  it.each([
    [{ tenantId: 'AB' }, 'tenantId: must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)'],
    [{ tenantId: 'a'.repeat(41) }, 'tenantId: must be a lowercase slug'],
    [{ kore: { ...example.kore, region: 'mars' } }, 'kore.region: must be one of us, us-legacy, jp, de, eu, in'],
    [{ kore: { ...example.kore, botId: 'bot-1' } }, 'kore.botId: must be a Kore.ai Bot ID (st-...)'],
    [{ agentTransfer: { ...example.agentTransfer, target: '415 555 0123' } }, 'agentTransfer.target: is neither an E.164 number nor a sip:/sips: URI'],
    [{ agentTransfer: { ...example.agentTransfer, sipHeaders: { 'X Bad': 'v' } } }, 'agentTransfer.sipHeaders.X Bad: is not a valid SIP header name'],
    [
      { agentTransfer: { ...example.agentTransfer, sipHeaders: { 'X-Ok': 'a\r\nX-Injected: 1' } } },
      'agentTransfer.sipHeaders.X-Ok: must be one line (it holds a line break, U+000D)',
    ],
    [{ contacts: { owner: 'not-an-email' } }, 'contacts.owner: must be an email address'],
    [{ contacts: { owner: 'a@b.example', notifyWebhookUrl: 'ftp://x' } }, 'contacts.notifyWebhookUrl: must be an http(s) URL'],
    [{ reminders: { firstAfter: '4 hours' } }, 'reminders.firstAfter: expected a duration like 30m, 4h, 1d or 1d12h'],
    [{ surprise: 1 }, 'Unrecognized key'],
  ])('%j -> %s', (patch, message) => {
    const lines = errors({ ...example, ...patch });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(message);
  });

  it('one error per wrong field, each with its JSON path', () => {
    const lines = errors({ ...example, tenantId: 'X', kore: { region: 'us' }, zoom: undefined });
    expect(lines).toEqual([
      'tenantId: must be a lowercase slug of 3-40 letters, digits and dashes (e.g. acme-corp)',
      'kore.botId: Invalid input: expected string, received undefined',
      'kore.clientId: Invalid input: expected string, received undefined',
      'kore.clientSecret: Invalid input: expected string, received undefined',
      'zoom: Invalid input: expected object, received undefined',
    ]);
  });

  it('accepts SIP URIs and E.164 numbers as transfer targets', () => {
    for (const target of ['+14155550123', 'sip:agents@zcc.example.com', 'sips:queue@10.0.0.1:5061;transport=tls']) {
      expect(errors({ ...example, agentTransfer: { ...example.agentTransfer, target } })).toEqual([]);
    }
  });

  it('the workflow input accepts only secret references', () => {
    const t = parseTenantFile(example);
    expect(TenantInput.safeParse(t).success).toBe(false);
    const refs = { ...t, kore: { ...t.kore, clientSecret: 'env:KORE_SECRET' }, zoom: { ...t.zoom, clientSecret: 'file:/run/secrets/zoom' } };
    expect(TenantInput.safeParse(refs).success).toBe(true);
    expect(JSON.stringify(publicTenant(TenantInput.parse(refs)))).not.toMatch(/clientSecret|env:KORE_SECRET/);
  });
});

describe('the secret store', () => {
  it('moves inline secrets to 0600 files of their own start and resolves the references; references stay as they are', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-secrets-'));
    const policy = { fileDirs: [], envNames: ['ACME_*'] };
    try {
      const t = parseTenantFile({ ...example, zoom: { ...example.zoom, clientSecret: 'env:ACME_ZOOM' } });
      const { tenant: input } = storeInlineSecrets(t, path.join(dir, 'secrets'));
      expect(input.kore.clientSecret).toMatch(/^store:acme-demo\/kore\.clientSecret\.[0-9a-z]{17}$/);
      expect(input.zoom.clientSecret).toBe('env:ACME_ZOOM');
      const file = path.join(dir, 'secrets', 'acme-demo', input.kore.clientSecret.split('/')[1]!);
      expect(fs.statSync(file).mode & 0o777).toBe(0o600);
      const opts = { store: path.join(dir, 'secrets'), tenantId: 'acme-demo', policy };
      expect((await resolveSecretRef(input.kore.clientSecret, opts)).reveal()).toBe(example.kore.clientSecret);
      expect((await resolveSecretRef('env:ACME_ZOOM', { ...opts, env: { ACME_ZOOM: 'z' } })).reveal()).toBe('z');
      // Whatever the reason, one message: the reason is for the worker's log.
      const unset = await resolveSecretRef('env:ACME_ZOOM', { ...opts, env: {}, field: 'zoom.clientSecret' }).catch((e: unknown) => e);
      expect(unset).toBeInstanceOf(SecretUnavailable);
      expect(unset).toMatchObject({ reason: 'env:ACME_ZOOM: not set' });
      await expect(resolveSecretRef('file:/nonexistent/x', { ...opts, field: 'zoom.clientSecret' })).rejects.toThrow((unset as Error).message);
      await expect(resolveSecretRef('inline-secret-value', opts)).rejects.toMatchObject({
        reason: '(an inline value): an inline value where only a reference is allowed',
      });
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('durations', () => {
  it.each([
    ['45s', 45_000],
    ['30m', 1_800_000],
    ['4h', 14_400_000],
    ['1d12h', 129_600_000],
    ['1w', 604_800_000],
  ])('%s = %d ms', (text, ms) => expect(parseDuration(text)).toBe(ms));
  it('refuses other shapes', () => expect(() => parseDuration('4 hours')).toThrow('"4 hours" is not a duration'));
  it.each([
    [45_000, '45s'],
    [14_400_010, '4h'],
    [129_600_000, '1.5d'],
  ])('%d ms reads %s', (ms, text) => expect(formatDuration(ms)).toBe(text));
});
