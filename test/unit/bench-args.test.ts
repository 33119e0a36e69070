import { BenchArgumentError, parseArgs, USAGE } from '../../bench/args';

/** `npm run bench -- --help` must be true: every option it lists is accepted, and every accepted one listed. */
describe('bench arguments', () => {
  const listed = [...USAGE.matchAll(/^ {2}(--[a-z-]+)/gm)].map((m) => m[1]!);

  it('accepts every option --help lists', () => {
    expect(listed).toEqual(expect.arrayContaining(['--quick', '--out', '--profile', '--only', '--open', '--open-baseline', '--help']));
    const values: Record<string, string[]> = { '--out': ['/tmp/x'], '--only': ['engine'], '--open': ['5'] };
    for (const flag of listed) expect(() => parseArgs([flag, ...(values[flag] ?? [])])).not.toThrow();
    expect(parseArgs(['--help']).help).toBe(true);
    expect(parseArgs(['--only', 'engine,api']).only).toEqual(new Set(['engine', 'api']));
  });

  it('refuses anything else in one line that names it and what is accepted', () => {
    const run = () => parseArgs(['--fast']);
    expect(run).toThrow(BenchArgumentError);
    expect(run).toThrow(/^unknown argument --fast \(expected .*--help\)$/);
  });
});
