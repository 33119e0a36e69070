import fs from 'node:fs';
import os from 'node:os';

/**
 * How busy the machine was while the benchmark ran, and with what: the load average sampled through
 * the run, and the CPU time of everything that was not the benchmark (its own process, the dev
 * server and the workers it started), from /proc. A run is comparable with another when the
 * second figure is near zero; the load average alone cannot say that, since the benchmark itself
 * keeps it near 4 on two cores.
 */
export interface MachineLoad {
  /** The 1-minute load average, sampled every 10 s. */
  loadAvg: { min: number; mean: number; max: number; samples: number };
  /** CPU seconds the machine spent (all cores, idle, I/O wait and steal excluded). */
  machineCpuSeconds: number;
  /** CPU seconds of this process and every process it started (those still running and those it waited for). */
  benchCpuSeconds: number;
  /** The difference: anything else that ran on the machine meanwhile (the kernel's own work included). */
  otherCpuSeconds: number;
}

const TICKS = 100; // USER_HZ on Linux

/** Busy CPU ticks of the whole machine (user, nice, system, irq, softirq). */
function machineTicks(): number {
  const [, user, nice, system, , , irq, softirq] = fs.readFileSync('/proc/stat', 'utf8').split('\n')[0]!.trim().split(/\s+/).map(Number);
  return user! + nice! + system! + irq! + softirq!;
}

/** One process's parent and CPU ticks (its own and its waited-for children's), or undefined when it is gone. */
function processStat(pid: number | string): { ppid: number; ticks: number } | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // The command name (field 2) may hold spaces and parentheses: fields after its closing one.
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    return { ppid: Number(f[1]), ticks: Number(f[11]) + Number(f[12]) + Number(f[13]) + Number(f[14]) };
  } catch {
    return undefined;
  }
}

/** CPU seconds one process has used so far, with its waited-for children's (0 when it is gone). */
export function cpuSecondsOf(pid: number): number {
  return (processStat(pid)?.ticks ?? 0) / TICKS;
}

/** pid -> [ppid, ticks of itself and its waited-for children] for every process now running. */
function processes(): Map<number, [number, number]> {
  const out = new Map<number, [number, number]>();
  for (const name of fs.readdirSync('/proc')) {
    const p = /^\d+$/.test(name) ? processStat(name) : undefined;
    if (p) out.set(Number(name), [p.ppid, p.ticks]);
  }
  return out;
}

/** This process's ticks with every descendant's now running (their own children's included). */
function treeTicks(): number {
  const all = processes();
  const inTree = (pid: number): boolean => {
    for (let p = pid, hops = 0; p > 1 && hops < 64; hops++) {
      if (p === process.pid) return true;
      p = all.get(p)?.[0] ?? 0;
    }
    return false;
  };
  let ticks = 0;
  for (const [pid, [, t]] of all) if (inTree(pid)) ticks += t;
  return ticks;
}

/** Starts watching; the answer's `stop()` (called while the benchmark's children still run) says what happened. */
export function watchMachineLoad(): { stop(): MachineLoad | undefined } {
  if (process.platform !== 'linux') return { stop: () => undefined };
  const machine0 = machineTicks();
  const tree0 = treeTicks();
  const loads: number[] = [os.loadavg()[0]!];
  const timer = setInterval(() => loads.push(os.loadavg()[0]!), 10_000).unref();
  return {
    stop() {
      clearInterval(timer);
      loads.push(os.loadavg()[0]!);
      const machineCpuSeconds = (machineTicks() - machine0) / TICKS;
      const benchCpuSeconds = (treeTicks() - tree0) / TICKS;
      const round = (x: number) => Math.round(x * 100) / 100;
      return {
        loadAvg: {
          min: round(Math.min(...loads)),
          mean: round(loads.reduce((a, b) => a + b, 0) / loads.length),
          max: round(Math.max(...loads)),
          samples: loads.length,
        },
        machineCpuSeconds: round(machineCpuSeconds),
        benchCpuSeconds: round(benchCpuSeconds),
        otherCpuSeconds: round(Math.max(0, machineCpuSeconds - benchCpuSeconds)),
      };
    },
  };
}
