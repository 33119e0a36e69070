import { spawnSync } from 'node:child_process';
import { watchMachineLoad } from '../../bench/machine-load';

/** The benchmark's account of the machine (bench/machine-load.ts): its own CPU, its children's, and everything else's. */
describe('machine load during a benchmark', () => {
  it("counts this process's CPU and a child's it waited for as the benchmark's", () => {
    const watch = watchMachineLoad();
    // 0.3 s of CPU here and 0.3 s in a child (CPU time, not wall time: the machine may be busy).
    const BURN = 'const s = process.cpuUsage(); while (process.cpuUsage(s).user < 300000);';
    new Function(BURN)();
    const child = spawnSync(process.execPath, ['-e', BURN]);
    expect(child.status).toBe(0);
    const load = watch.stop()!;
    // At least both busy loops (10 ms ticks); the machine spent at least as much, give or take a tick per core.
    expect(load.benchCpuSeconds).toBeGreaterThanOrEqual(0.5);
    expect(load.machineCpuSeconds).toBeGreaterThanOrEqual(load.benchCpuSeconds - 0.05);
    expect(load.otherCpuSeconds).toBeCloseTo(Math.max(0, load.machineCpuSeconds - load.benchCpuSeconds), 1);
    expect(load.loadAvg.samples).toBeGreaterThanOrEqual(2);
    expect(load.loadAvg.min).toBeLessThanOrEqual(load.loadAvg.max);
  });
});
