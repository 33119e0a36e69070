import fs from 'node:fs';
import path from 'node:path';
import { catalogue } from '../../src/domain/steps';
import { changedPaths, jsonDepth, mergePatch, readsChange, unknownPatchPaths } from '../../src/domain/tenant-patch';
import { parseTenantFile, TenantInput } from '../../src/domain/tenant';
import { unknownFieldErrors } from '../../src/app/refusals';

/** Amending a tenant: the merge patch, what changed, and which steps read it (the workflow's amendTenant rules rest on these). */
const example = parseTenantFile(JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8')));

describe('tenant merge patch', () => {
  it('merges objects key by key, replaces other values, removes with null, and leaves the base alone', () => {
    const base = { a: { b: 1, c: 2 }, d: 'x', e: { f: 1 } };
    expect(mergePatch(base, { a: { b: 9 }, d: null, g: 'new' })).toEqual({ a: { b: 9, c: 2 }, e: { f: 1 }, g: 'new' });
    expect(base).toEqual({ a: { b: 1, c: 2 }, d: 'x', e: { f: 1 } });
  });

  it('never reaches a prototype, and names such a key as not a tenant field', () => {
    const patch = JSON.parse('{"__proto__": {"polluted": true}, "kore": {"constructor": {"x": 1}}}');
    const merged = mergePatch(example, patch) as Record<string, unknown>;
    expect(({} as Record<string, unknown>).polluted).toBeUndefined();
    expect(Object.getPrototypeOf(merged)).toBe(Object.prototype);
    expect(unknownPatchPaths(patch, merged)).toEqual([
      ['__proto__', 'polluted'],
      ['kore', 'constructor', 'x'],
    ]);
  });

  it('a path the tenant schema strips is unknown; a removal is left to the schema', () => {
    const patch = { agentTransfer: { optoin: 'dialog-task' }, contacts: { notifyWebhookUrl: null } };
    const parsed = TenantInput.parse(
      mergePatch({ ...example, kore: { ...example.kore, clientSecret: 'env:K' }, zoom: { ...example.zoom, clientSecret: 'env:Z' } }, patch),
    );
    expect(unknownPatchPaths(patch, parsed)).toEqual([['agentTransfer', 'optoin']]);
  });

  it('names a patch field no tenant has, however deep, before any merge; records (SIP headers, step modes) take any key', () => {
    expect(
      unknownFieldErrors({
        displayName: 'x',
        kore: { botId: 'st-1', bogus: 1 },
        agentTransfer: { sipHeaders: { 'X-Any-Name': 'v' }, optoin: 'dialog-task' },
        stepModes: { 'publish-app': 'manual' },
        contacts: null,
      }),
    ).toEqual([
      { field: 'changes.kore.bogus', message: 'is not a tenant field' },
      { field: 'changes.agentTransfer.optoin', message: 'is not a tenant field' },
    ]);
    expect(unknownFieldErrors({ nope: 1 })).toEqual([{ field: 'changes.nope', message: 'is not a tenant field' }]);
  });

  it('changed paths are the leaves that differ (added and removed fields too)', () => {
    const after = mergePatch(example, { agentTransfer: { option: 'dialog-task', sipHeaders: { 'X-New': 'v' } }, displayName: example.displayName });
    expect(changedPaths(example, after)).toEqual(['agentTransfer.option', 'agentTransfer.sipHeaders.X-New']);
    expect(changedPaths(example, example)).toEqual([]);
  });

  it('a read matches a change at, under or above it', () => {
    expect(readsChange('agentTransfer.sipHeaders', 'agentTransfer.sipHeaders.X-New')).toBe(true);
    expect(readsChange('kore.adminApp.clientId', 'kore.adminApp')).toBe(true);
    expect(readsChange('kore.botId', 'kore.botIdentity')).toBe(false);
  });

  it('depth is counted without recursion and stops past the limit', () => {
    let deep: unknown = 'x';
    for (let i = 0; i < 100_000; i++) deep = { a: deep };
    expect(jsonDepth(deep, 4)).toBe(5);
    expect(jsonDepth({ a: { b: 1 } }, 4)).toBe(2);
  });
});

describe('the catalogue: who depends on a step, who reads a field', () => {
  const c = catalogue();
  it('dependents are transitive, in catalogue order', () => {
    expect(c.dependentsOf('configure-agent-transfer').map((s) => s.id)).toEqual([
      'publish-app',
      'verify-chat-history-access',
      'place-test-call',
      'verify-conversation-summary',
    ]);
    expect(c.dependentsOf('create-zoom-connector').map((s) => s.id)).toEqual([
      'sip-preflight',
      'configure-sip-trunk',
      'route-zcc-flow-to-connector',
      'publish-zcc-flow',
      'authorize-zoom-connector',
      'publish-app',
      'verify-chat-history-access',
      'place-test-call',
      'verify-conversation-summary',
    ]);
    expect(c.dependentsOf('verify-conversation-summary')).toEqual([]);
  });

  it('readers of a tenant field are the steps that declare it', () => {
    expect(c.readersOf(['agentTransfer.option']).map((s) => s.id)).toEqual(['configure-agent-transfer']);
    expect(c.readersOf(['zoom.accountId']).map((s) => s.id)).toEqual([
      'verify-zoom-access',
      'route-zcc-flow-to-connector',
      'publish-zcc-flow',
      'verify-conversation-summary',
    ]);
    expect(c.readersOf(['contacts.owner'])).toEqual([]);
  });
});
