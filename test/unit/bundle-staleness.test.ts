import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { prebuiltIsCurrent, WORKFLOW_CONVERTER_PATHS } from '../../src/temporal/bundle';
import { ROOT } from '../support/paths';

/**
 * A worker takes the prebuilt bundle only while it is current. Every module the workflow sandbox
 * loads is baked into the bundle, so an edit to any of them, however deep its folder, must mark
 * the bundle stale (it once missed the failure converter, two folders down).
 */
let dist: string;
/** A source tree beside it, as jest runs the TypeScript sources. */
let src: string;
const bundle = () => path.join(dist, 'workflow-bundle.js');
const T = Date.now() / 1000 - 3600;

function file(rel: string, mtimeS: number, root = dist): void {
  const p = path.join(root, rel);
  fs.mkdirSync(path.dirname(p), { recursive: true });
  fs.writeFileSync(p, '// compiled\n');
  fs.utimesSync(p, mtimeS, mtimeS);
}
/** Where the build puts a source file's compiled form. */
const compiled = (source: string) => path.relative(ROOT, source).replace(/\.ts$/, '.js');

beforeEach(() => {
  dist = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-dist-'));
  file('workflows/index.js', T);
  file('src/domain/tenant.js', T);
  file(compiled(WORKFLOW_CONVERTER_PATHS.failureConverterPath!), T);
  file('workflow-bundle.js', T + 10);
  src = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-src-'));
  for (const rel of ['workflows/index.ts', 'src/domain/tenant.ts', path.relative(ROOT, WORKFLOW_CONVERTER_PATHS.failureConverterPath!)]) file(rel, T - 10, src);
});
afterEach(() => {
  fs.rmSync(dist, { recursive: true, force: true });
  fs.rmSync(src, { recursive: true, force: true });
});

it('a bundle newer than every sandbox module is current', () => {
  expect(prebuiltIsCurrent(bundle())).toBe(true);
});

it('an edit to the failure converter (baked into the bundle) makes it stale', () => {
  file(compiled(WORKFLOW_CONVERTER_PATHS.failureConverterPath!), T + 20);
  expect(prebuiltIsCurrent(bundle())).toBe(false);
});

it.each(['workflows/index.js', 'workflows/contract/messages.js', 'src/domain/tenant.js', 'src/domain/steps/publish-app.js'])(
  'an edit to %s makes it stale',
  (rel) => {
    file(rel, T + 20);
    expect(prebuiltIsCurrent(bundle())).toBe(false);
  },
);

it('no bundle is never current', () => {
  fs.rmSync(bundle());
  expect(prebuiltIsCurrent(bundle())).toBe(false);
});

it('run from the sources, a bundle built after their last edit is current', () => {
  expect(prebuiltIsCurrent(bundle(), src)).toBe(true);
});

it.each([
  'workflows/index.ts',
  'workflows/contract/messages.ts',
  'src/domain/steps/publish-app.ts',
  path.relative(ROOT, WORKFLOW_CONVERTER_PATHS.failureConverterPath!),
])('run from the sources, an edit to %s since the build makes it stale (though dist/ is unchanged)', (rel) => {
  file(rel, T + 20, src);
  expect(prebuiltIsCurrent(bundle())).toBe(true);
  expect(prebuiltIsCurrent(bundle(), src)).toBe(false);
});
