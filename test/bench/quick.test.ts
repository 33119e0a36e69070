import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from '../support/paths';

/**
 * `npm run bench -- --quick` works: the built harness runs every phase at small sizes and writes
 * every metric. Speed is not asserted here (the machine is shared); BENCHMARKS.md has the numbers.
 */
const BENCH = path.join(ROOT, 'dist', 'bench', 'main.js');

function runQuick(out: string): Promise<{ code: number | null; stderr: string }> {
  return new Promise((resolve) => {
    // Its own dev server and simulators: the suite's TEMPORAL_ADDRESS is not for it.
    const env = { ...process.env, TEMPORAL_ADDRESS: '' };
    const child = spawn(process.execPath, [BENCH, '--quick', '--out', out], { env, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => (stderr += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 170_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stderr });
    });
  });
}

const positive = (x: unknown) => typeof x === 'number' && Number.isFinite(x) && x > 0;

describe('npm run bench -- --quick', () => {
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'bench-quick-'));
  afterAll(() => fs.rmSync(out, { recursive: true, force: true }));

  it('measures every metric the issue asks for and writes them as JSON and markdown', async () => {
    const { code, stderr } = await runQuick(out);
    // On a failure, the bench's last lines are the message.
    expect(code === 0 ? 'exit 0' : `exit ${code}\n${stderr.split('\n').slice(-15).join('\n')}`).toBe('exit 0');
    const r = JSON.parse(fs.readFileSync(path.join(out, 'quick.json'), 'utf8'));

    expect(r.meta).toMatchObject({ quick: true, node: process.version, temporalSdk: '1.24.0' });
    expect(r.meta.temporalCli).toMatch(/\d+\.\d+/);
    // 1. engine overhead: both engines completed onboardings at every concurrency measured
    expect(r.engine.map((e: { concurrency: number }) => e.concurrency)).toEqual([1, 10]);
    for (const e of r.engine) {
      expect([e.ours.perSec, e.baseline.perSec, e.ratio].every(positive)).toBe(true);
      expect(e.ratio).toBeCloseTo(e.ours.perSec / e.baseline.perSec, 1);
    }
    // 2. hand-off and read latencies, each from real samples
    for (const k of ['handOffMs', 'apiCompleteMs', 'progressQueryMs', 'progressApiMs', 'listWaitingMs']) {
      expect(r.handOff[k].n).toBeGreaterThan(0);
      expect([r.handOff[k].p50, r.handOff[k].p95, r.handOff[k].p99].every(positive)).toBe(true);
      expect(r.handOff[k].p50).toBeLessThanOrEqual(r.handOff[k].p99);
    }
    expect(r.handOff.open).toBe(r.meta.sizes.open);
    // 3. footprint: RSS with the open onboardings, both start routes
    expect([r.footprint.rssMb, r.footprint.peakRssMb, r.footprint.idleRssMb].every(positive)).toBe(true);
    expect(r.footprint.startPrebuiltMs.length).toBeGreaterThan(0);
    expect(r.footprint.startBundleAtStartMs.length).toBeGreaterThan(0);
    expect([...r.footprint.startPrebuiltMs, ...r.footprint.startBundleAtStartMs].every(positive)).toBe(true);
    const all = r.footprint.allCached;
    expect([all.rssMb, all.peakRssMb, all.handOffMs.p99, all.progressQueryMs.p99].every(positive)).toBe(true);
    expect(all.cachedWorkflows).toBeGreaterThan(0);
    // The bare baseline's Update round trip (what the hand-off is held to) and the live event after a change
    for (const l of [r.baselineUpdateMs, r.sse.fromSendMs]) {
      expect(l.n).toBeGreaterThan(0);
      expect([l.p50, l.p99].every(positive)).toBe(true);
    }
    expect(r.sse.fromAnswerMs.p99).toBeLessThanOrEqual(r.sse.fromSendMs.max);
    // 5. the list: visibility held the size asked for, and pages were read
    expect(r.list).toMatchObject({ onboardings: r.meta.sizes.listTotal, pageSize: 200 });
    expect(r.list.copies).toBeGreaterThan(0);
    expect(r.list.pageMs.n).toBeGreaterThan(0);
    expect(positive(r.list.pageMs.p99)).toBe(true);
    // 4. API throughput against the bare client (and reads against the query path), for both calls
    for (const [call, vias] of [
      ['progress', ['api', 'client', 'query']],
      ['complete', ['api', 'client']],
    ] as const) {
      for (const via of vias) {
        expect(r.api[call][via].requests).toBeGreaterThan(0);
        expect(r.api[call][via].errors).toBe(0);
        expect(positive(r.api[call][via].rps)).toBe(true);
      }
    }
    // The targets are judged (met or not) and the markdown carries every table.
    expect(r.targets.map((t: { what: string }) => t.what)).toHaveLength(r.engine.length + 7);
    const md = fs.readFileSync(path.join(out, 'quick.md'), 'utf8');
    for (const heading of ['Targets', '1. Engine overhead', '2. Hand-off', '3. Worker footprint', '4. API throughput', '5. The list with'])
      expect(md).toContain(heading);
  }, 180_000);
});
