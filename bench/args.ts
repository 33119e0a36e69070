import path from 'node:path';
import { packageRoot } from '../src/paths';

/** `npm run bench` arguments and the two sets of sizes (the full run, and --quick's smoke sizes). */
export const PHASES = ['start', 'engine', 'open', 'api'] as const;
export interface Args {
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
    if (arg === '--quick') a.quick = true;
    else if (arg === '--profile') a.profile = true;
    else if (arg === '--out' && argv[i + 1]) a.out = path.resolve(argv[++i]!);
    else if (arg === '--only' && argv[i + 1]) a.only = new Set(argv[++i]!.split(','));
    else if (arg === '--open' && argv[i + 1]) a.open = Number(argv[++i]);
    else if (arg === '--open-baseline') a.openKind = 'baseline';
    else throw new Error(`bench: unknown argument ${arg} (expected --quick, --profile, --out DIR, --only ${PHASES.join(',')}, --open N)`);
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
