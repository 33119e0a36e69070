import fs from 'node:fs';
import path from 'node:path';
import { onboard } from '../support/cli';
import { startHarness, type Harness } from '../support/onboarding';

/** `onboard reopen` and `onboard amend` against a run of the suite's worker (the CLI as a person types it). */
let h: Harness;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  h = await startHarness();
  // The worker reads store files from the harness's state dir, so the CLI writes there.
  env = { ...h.sims.env, ONBOARD_STATE_DIR: h.stateDir };
});
afterAll(() => h?.stop());

describe('onboard reopen and amend', () => {
  it('reopen sends a step back and says what went with it; a refusal is one line, exit 1', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('associate-experience-flow', 'open'));
    await h.act(tenant, 'associate-experience-flow');
    await h.until(id, h.stepIs('configure-agent-transfer', 'open'));
    await h.act(tenant, 'configure-agent-transfer');

    const r = await onboard(['reopen', id, 'associate-experience-flow', '--reason', 'wrong flow', '--by', 'sam'], env);
    expect([r.code, r.stderr]).toEqual([0, '']);
    expect(r.stdout.trim().split('\n')).toEqual([
      'associate-experience-flow is open again: wrong flow',
      'Back with it (they open again once associate-experience-flow is done): configure-agent-transfer',
    ]);
    const step = await h.step(id, 'associate-experience-flow');
    expect(step.reopened).toMatchObject({ by: 'sam', reason: 'wrong flow' });

    const refused = await onboard(['reopen', id, 'associate-experience-flow', '--reason', 'again', '--by', 'sam'], env);
    expect(refused.code).toBe(1);
    expect(refused.stderr.trim()).toBe('onboard: associate-experience-flow is open; only a done or skipped step can be reopened');
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });

  it('amend takes --set and --file, moves an inline secret to the store, and names a wrong field', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('create-zoom-connector', 'open'));

    const ok = await onboard(
      ['amend', id, '--set', 'agentTransfer.option=dialog-task', '--set', 'kore.smartAssistLegacy=true', '--reason', 'customer asked', '--by', 'sam', '--json'],
      env,
    );
    expect([ok.code, ok.stderr]).toEqual([0, '']);
    expect(JSON.parse(ok.stdout)).toMatchObject({ step: null, reopened: [] });
    const p = await h.progress(id);
    expect(p.amendments).toEqual([expect.objectContaining({ by: 'sam', fields: ['kore.smartAssistLegacy', 'agentTransfer.option'] })]);

    const storeDir = path.join(h.stateDir, 'secrets', id);
    const before = fs.readdirSync(storeDir);
    const patch = path.join(h.stateDir, 'patch.json');
    fs.writeFileSync(patch, JSON.stringify({ zoom: { clientSecret: 'zoom-SECRET-4e8b2a6c1d9f3e70' } }));
    const secret = await onboard(['amend', id, '--file', patch, '--reason', 'rotated', '--by', 'sam'], env);
    expect([secret.code, secret.stderr]).toEqual([0, '']);
    expect(secret.stdout.trim().split('\n')).toEqual([`Amended ${id}: rotated`, 'Back to do: verify-zoom-access']);
    expect(fs.readdirSync(storeDir).filter((f) => !before.includes(f))).toEqual([expect.stringMatching(/^zoom\.clientSecret\./)]);
    await h.until(id, h.stepIs('verify-zoom-access', 'done'));

    const bad = await onboard(['amend', id, '--set', 'agentTransfer.option=pigeon', '--reason', 'x', '--by', 'sam'], env);
    expect(bad.code).toBe(1);
    expect(bad.stderr.trim()).toBe('onboard: amendTenant: changes.agentTransfer.option must be agent-transfer-node or dialog-task');
    const nothing = await onboard(['amend', id, '--reason', 'x', '--by', 'sam'], env);
    expect(nothing.code).toBe(2);
    expect(nothing.stderr.trim()).toBe('onboard: nothing to change: give --set path=value or --file patch.json');
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });

  it('audit prints the trail a page at a time, marks CLI actions self-declared, and --all reads every page', async () => {
    const tenant = await h.start();
    const id = tenant.tenantId;
    await h.until(id, h.stepIs('associate-experience-flow', 'open'));
    await h.act(tenant, 'associate-experience-flow');
    const reopen = await onboard(['reopen', id, 'associate-experience-flow', '--reason', 'wrong flow', '--by', 'sam'], env);
    expect(reopen.code).toBe(0);
    const first = await onboard(['audit', id, '--page-size', '2'], env);
    expect([first.code, first.stderr]).toEqual([0, '']);
    const lines = first.stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^1 \S+Z start accepted by /);
    expect(lines.at(-1)).toMatch(new RegExp(`^more: onboard audit ${id} --page-token \\S+$`));
    const all = JSON.parse((await onboard(['audit', id, '--all', '--json'], env)).stdout) as {
      entries: Array<Record<string, unknown>>;
      nextPageToken?: string;
    };
    expect(all.nextPageToken).toBeUndefined();
    expect(all.entries.map((e) => e.seq)).toEqual(all.entries.map((_, i) => i + 1));
    expect(all.entries.find((e) => e.action === 'reopen')).toMatchObject({
      by: 'sam',
      byVerified: false,
      via: 'cli',
      reason: 'wrong flow',
      outcome: 'accepted',
    });
    const human = all.entries.find((e) => e.action === 'complete' && e.stepId === 'associate-experience-flow');
    expect(human).toMatchObject({ outcome: 'accepted', digest: expect.stringMatching(/^sha256:[0-9a-f]{64}$/) });
    const bad = await onboard(['audit', id, '--page-size', '0'], env);
    expect(bad.code).toBe(2);
    expect(bad.stderr.trim()).toMatch(/^onboard: --page-size: /);
    await h.onboardings.cancel(id, { reason: 'test over', by: 'sam' });
  });

  it('--help lists both commands', async () => {
    const r = await onboard(['--help']);
    for (const cmd of ['reopen', 'amend']) expect(r.stdout).toMatch(new RegExp(`^\\s+${cmd}\\b`, 'm'));
    const amend = await onboard(['amend', '--help']);
    expect(amend.stdout).toMatch(/--set <path=value>/);
    expect(amend.stdout).toMatch(/--file <patch\.json>/);
  });
});
