import path from 'node:path';
import { packageRoot } from '../src/paths';

/** `npm run bench` arguments and the two sets of sizes (the full run, and --quick's smoke sizes). */
export const PHASES = ['start', 'engine', 'open', 'api'] as const;
/** What `npm run bench -- --help` prints. */
export const USAGE = `usage: npm run bench [-- options]   (or: node dist/bench/main.js [options] after npm run build)

Our orchestration beside bare Temporal, and the API beside the bare client, on one local dev server.
Writes latest.json and latest.md (quick runs: quick.json and quick.md) to the output folder.

  --quick              small sizes: checks the harness in about 50 s, says nothing about speed
  --out DIR            where results (and profiles) go (default bench/results)
  --profile            also write each worker's CPU profile (.cpuprofile) to DIR
  --only PHASES        run only these of ${PHASES.join(',')} (comma-separated); writes no results
  --open N             open N onboardings instead of the run's size; writes no results
  --open-baseline      with --only open: open the bare baseline's workflows instead of ours
  --help               this text`;

export class BenchArgumentError extends Error {}

export interface Args {
  help?: boolean;
  quick: boolean;
  out: string;
  profile: boolean;
  /** Development: run only some phases, or open another number of onboardings; results are then not written. */
  only?: Set<string>;
  open?: number;
  openKind?: 'ours' | 'baseline';
}

export function parseArgs(argv: string[]): Args {
  const a: Args = { quick: false, out: path.join(packageRoot(), 'bench', 'results'), profile: false };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '--help' || arg === '-h') a.help = true;
    else if (arg === '--quick') a.quick = true;
    else if (arg === '--profile') a.profile = true;
    else if (arg === '--out' && argv[i + 1]) a.out = path.resolve(argv[++i]!);
    else if (arg === '--only' && argv[i + 1]) a.only = new Set(argv[++i]!.split(','));
    else if (arg === '--open' && argv[i + 1]) a.open = Number(argv[++i]);
    else if (arg === '--open-baseline') a.openKind = 'baseline';
    else
      throw new BenchArgumentError(
        `unknown argument ${arg} (expected --quick, --profile, --out DIR, --only ${PHASES.join(',')}, --open N, --open-baseline, --help)`,
      );
  }
  return a;
}

export const SIZES = {
  full: {
    levels: [1, 10, 50],
    perRound: { 1: 10, 10: 40, 50: 100 } as Record<number, number>,
    rounds: 2,
    open: 1000,
    samples: 300,
    apiSeconds: 10,
    connections: 10,
    completes: 300,
    starts: 3,
    /** Live-event samples (runs the hand-off and throughput phases left alone), list size and page reads. */
    sse: 100,
    listTotal: 10_000,
    listSamples: 100,
  },
  quick: {
    levels: [1, 10],
    perRound: { 1: 1, 10: 10 } as Record<number, number>,
    rounds: 1,
    /** Enough for the hand-off's samples, the two completes sets and the live-event runs to use runs of their own. */
    open: 16,
    samples: 4,
    apiSeconds: 1,
    connections: 4,
    completes: 4,
    starts: 1,
    sse: 2,
    /** Over one page of 200, so a page token is followed. */
    listTotal: 300,
    listSamples: 4,
  },
};
