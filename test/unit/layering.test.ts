import fs from 'node:fs';
import path from 'node:path';
import { builtinModules } from 'node:module';
import { ROOT } from '../support/paths';

/**
 * The layers of docs/architecture.md, enforced: each rule below fails with the offending file and
 * import when code crosses a line. Imports are read from the source text (static `import`,
 * `export ... from`, `require()` and `import()` with a literal).
 */
type Import = { file: string; spec: string; target?: string };

function files(dir: string): string[] {
  const abs = path.join(ROOT, dir);
  if (!fs.existsSync(abs)) return [];
  return fs.readdirSync(abs, { withFileTypes: true }).flatMap((e) => {
    const rel = path.join(dir, e.name);
    if (e.isDirectory()) return files(rel);
    return /\.tsx?$/.test(e.name) && !e.name.endsWith('.d.ts') ? [rel] : [];
  });
}

const IMPORT =
  /(?:^|\n)\s*(?:import|export)\s[^'"]*?from\s*['"]([^'"]+)['"]|(?:^|\n)\s*import\s*['"]([^'"]+)['"]|\b(?:require|import)\(\s*['"]([^'"]+)['"]\s*\)/g;

function importsOf(file: string): Import[] {
  const text = fs.readFileSync(path.join(ROOT, file), 'utf8');
  const out: Import[] = [];
  for (const m of text.matchAll(IMPORT)) {
    const spec = m[1] ?? m[2] ?? m[3]!;
    const target = spec.startsWith('.') ? path.relative(ROOT, path.resolve(ROOT, path.dirname(file), spec)) : undefined;
    out.push({ file, spec, target });
  }
  return out;
}

const NODE = new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`)]);
const isNode = (spec: string) => NODE.has(spec) || NODE.has(spec.split('/')[0]!);
const within = (target: string | undefined, ...dirs: string[]) => target !== undefined && dirs.some((d) => target === d || target.startsWith(`${d}/`));
const shown = (bad: Import[]) => bad.map((i) => `${i.file} imports ${i.spec}`);

/** Every import of the files under `dir` that breaks `allowed`. */
const breaking = (dir: string, allowed: (i: Import) => boolean) =>
  shown(
    files(dir)
      .flatMap(importsOf)
      .filter((i) => !allowed(i)),
  );

describe('layering (docs/architecture.md)', () => {
  it('the reader finds imports at all (guards the rules below from passing on nothing)', () => {
    expect(importsOf('workflows/onboarding.ts').map((i) => i.spec)).toContain('@temporalio/workflow');
    expect(files('src/domain').length).toBeGreaterThan(10);
  });

  it('src/domain imports zod and itself only: no Node, config, integration or Temporal code (it runs in the workflow sandbox)', () => {
    expect(breaking('src/domain', (i) => (i.target ? within(i.target, 'src/domain') : i.spec === 'zod'))).toEqual([]);
  });

  it("workflows/ imports only src/domain, Temporal's workflow-side packages, zod and itself", () => {
    const packages = new Set(['@temporalio/workflow', '@temporalio/common', 'zod']);
    // The workflow side of Temporal's OpenTelemetry interceptors, in the one module that loads it when a run is traced.
    const tracing = (i: Import) => i.file === 'workflows/tracing.ts' && i.spec === '@temporalio/interceptors-opentelemetry/lib/workflow';
    expect(breaking('workflows', (i) => (i.target ? within(i.target, 'workflows', 'src/domain') : packages.has(i.spec) || tracing(i)))).toEqual([]);
  });

  it('src/integrations knows nothing of Temporal, the workflows or the layers above it', () => {
    expect(
      breaking(
        'src/integrations',
        (i) =>
          !i.spec.startsWith('@temporalio/') &&
          (!i.target || within(i.target, 'src/integrations', 'src/domain') || ['src/secret', 'src/log'].includes(i.target)),
      ),
    ).toEqual([]);
  });

  it("src/sim imports only the vendors' schemas and constants and its own files", () => {
    const vendor = ['schemas', 'scopes', 'regions'].flatMap((f) => ['kore', 'zoom'].map((v) => `src/integrations/${v}/${f}`));
    expect(breaking('src/sim', (i) => (i.target ? within(i.target, 'src/sim') || vendor.includes(i.target) : !i.spec.startsWith('@temporalio/')))).toEqual([]);
  });

  it('activities never import the workflows (the contract between them lives in src/domain)', () => {
    expect(breaking('activities', (i) => !within(i.target, 'workflows') && i.spec !== '@temporalio/workflow')).toEqual([]);
  });

  it('the CLI, the API, the people and the benchmark reach the workflow only through src/app', () => {
    for (const dir of ['src/cli', 'src/api', 'src/people', 'bench']) {
      const bad = breaking(dir, (i) => !within(i.target, 'workflows') || i.file.startsWith('bench/baseline/'));
      expect(bad).toEqual([]);
    }
  });

  it('src/app is the one start path: no other product or benchmark code starts an onboarding (or a health workflow)', () => {
    const starts = ['src', 'bench', 'activities', 'workflows']
      .flatMap(files)
      .sort()
      .filter((f) => /\bworkflow\.start(?:<[^>]*>)?\(|\bsignalWithStart\(/.test(fs.readFileSync(path.join(ROOT, f), 'utf8')));
    // The benchmark's baseline is a different, plain workflow started its own way on purpose; a
    // completed onboarding starts its health workflow as a child (startChild, workflows/health/start.ts).
    expect(starts).toEqual(['bench/people.ts', 'src/app/health.ts', 'src/app/onboardings.ts']);
    expect(fs.readFileSync(path.join(ROOT, 'bench/people.ts'), 'utf8').match(/workflow\.start\(([^,]+),/)?.[1]).toBe("'plainOnboarding'");
  });

  it('the sandbox code (workflows/, src/domain) and the step files use no Node built-in and no `!` lookups in step files', () => {
    expect(breaking('workflows', (i) => !isNode(i.spec))).toEqual([]);
    const bang = /[\w)\]]!(?=[.[\]),;\s])/;
    const withBang = files('src/domain/steps').filter((f) =>
      fs
        .readFileSync(path.join(ROOT, f), 'utf8')
        .split('\n')
        .some((l) => !l.trim().startsWith('//') && !l.trim().startsWith('*') && bang.test(l.replace(/(['"`]).*?\1/g, ''))),
    );
    expect(withBang).toEqual([]);
  });
});
