import fs from 'node:fs';
import path from 'node:path';
import { bundleWorkflowCode, DefaultLogger, type BundleOptions, type WorkerOptions } from '@temporalio/worker';
import { packageRoot } from '../paths';
import { FAILURE_CONVERTER_PATH, PAYLOAD_CONVERTER_PATH } from './codec';

/**
 * The workflow code a worker runs: a bundle made at build time (`npm run build` writes
 * dist/workflow-bundle.js), or, without one, webpack at worker start (seconds of CPU per start).
 */

/**
 * Converter modules the workflow sandbox loads. They are baked into the bundle, so the build and
 * the worker must name the same ones: add a `payloadConverterPath` or `failureConverterPath` here
 * (and nowhere else), and pass the same paths in the worker's `dataConverter` (codec/index.ts, workerDataConverter).
 */
export const WORKFLOW_CONVERTER_PATHS: Pick<BundleOptions, 'payloadConverterPath' | 'failureConverterPath'> = {
  payloadConverterPath: PAYLOAD_CONVERTER_PATH,
  failureConverterPath: FAILURE_CONVERTER_PATH,
};

/**
 * Libraries evaluated once per worker and shared by every workflow, instead of once per workflow
 * (the SDK gives each workflow its own copy of every other module). zod is stateless for us (no
 * registry or config use in workflow code); evaluating it took about half of each new workflow's
 * first task. Our own modules stay per workflow: the SDK deep-freezes shared modules, and zod
 * schema objects cache lazily on themselves.
 */
export const WORKFLOW_PRELOAD_MODULES = [require.resolve('../../workflows/shared-libraries')];

/**
 * Workflow interceptor modules, baked into the bundle like the converters: tracing, which costs a
 * run nothing unless a message it gets carries a trace context (workflows/tracing.ts).
 */
export const WORKFLOW_INTERCEPTOR_MODULES = [require.resolve('../../workflows/tracing')];

/** Everything bundleWorkflowCode needs, from the one place above. */
export function workflowBundleOptions(): BundleOptions {
  return {
    workflowsPath: require.resolve('../../workflows'),
    preloadModules: WORKFLOW_PRELOAD_MODULES,
    workflowInterceptorModules: WORKFLOW_INTERCEPTOR_MODULES,
    ...WORKFLOW_CONVERTER_PATHS,
  };
}

/** Where the build puts the bundle. */
export const prebuiltBundlePath = (): string => path.join(packageRoot(), 'dist', 'workflow-bundle.js');

/** `auto`: the prebuilt bundle when it is usable, else bundle at start; the others force one route (benchmarks). */
export type WorkflowCodeRoute = 'auto' | 'prebuilt' | 'bundle-at-start';

/**
 * Worker options naming the workflow code. `auto` takes the prebuilt bundle only when it is no
 * older than the compiled workflow code and, when this code runs from the TypeScript sources
 * (jest), no older than those sources either: `npm test` builds first, so its workers skip webpack
 * (seconds of CPU each, in some 50 test files), while an edit since the build is bundled at start.
 */
export function workflowCode(route: WorkflowCodeRoute = 'auto'): Pick<WorkerOptions, 'workflowBundle' | 'workflowsPath' | 'bundlerOptions'> & {
  workflowModules?: string[];
} {
  const codePath = prebuiltBundlePath();
  if (route === 'prebuilt') {
    if (!fs.existsSync(codePath)) throw new Error(`no prebuilt workflow bundle at ${codePath}; run \`npm run build\``);
    return { workflowBundle: { codePath } };
  }
  const fromSources = __filename.endsWith('.ts') ? CODE_ROOT : undefined;
  if (route === 'auto' && prebuiltIsCurrent(codePath, fromSources)) return { workflowBundle: { codePath } };
  const { workflowsPath, preloadModules, workflowInterceptorModules } = workflowBundleOptions();
  // Bundled at start, the interceptor modules go in through the worker's interceptors (a prebuilt bundle has them already).
  return { workflowsPath, bundlerOptions: { preloadModules }, workflowModules: workflowInterceptorModules };
}

/**
 * Whether the bundle at `codePath` is no older than the compiled workflow code beside it in dist/
 * and, given `sourceRoot`, than the TypeScript sources of that code under it.
 */
export function prebuiltIsCurrent(codePath: string, sourceRoot?: string): boolean {
  const bundled = mtime(codePath);
  if (bundled === undefined) return false;
  const dist = path.dirname(codePath);
  return SANDBOX_SOURCE_DIRS.every(
    (dir) => newest(path.join(dist, dir), '.js') <= bundled && (sourceRoot === undefined || newest(path.join(sourceRoot, dir), '.ts') <= bundled),
  );
}

/** The root of the code tree this module runs from: the package (sources) or dist/ (compiled). */
const CODE_ROOT = path.resolve(__dirname, '..', '..');

/**
 * Folders (from the code root) of every module the workflow sandbox loads: the workflows, the
 * domain they import, and the converters baked into the bundle. Scanned to any depth.
 */
export const SANDBOX_SOURCE_DIRS = [
  ...new Set(['workflows', path.join('src', 'domain'), ...Object.values(WORKFLOW_CONVERTER_PATHS).map((p) => path.relative(CODE_ROOT, path.dirname(p)))]),
];

const mtime = (file: string): number | undefined => {
  try {
    return fs.statSync(file).mtimeMs;
  } catch {
    return undefined;
  }
};

/** The newest mtime of a file named `*<ext>` under `dir`, in any subfolder. */
function newest(dir: string, ext: string): number {
  let entries: fs.Dirent[];
  try {
    entries = fs.readdirSync(dir, { withFileTypes: true });
  } catch {
    return 0;
  }
  let latest = 0;
  for (const e of entries) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) latest = Math.max(latest, newest(p, ext));
    else if (e.name.endsWith(ext)) latest = Math.max(latest, mtime(p) ?? 0);
  }
  return latest;
}

/** Bundles the workflow code into `out` (the build step; also used by the benchmark). */
export async function writeWorkflowBundle(out = prebuiltBundlePath()): Promise<{ path: string; bytes: number; ms: number }> {
  const started = Date.now();
  const { code } = await bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') });
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const tmp = `${out}.${process.pid}.tmp`;
  fs.writeFileSync(tmp, code);
  fs.renameSync(tmp, out); // a worker starting meanwhile never reads half a bundle
  return { path: out, bytes: Buffer.byteLength(code), ms: Date.now() - started };
}

// `node dist/src/temporal/bundle.js`: the build step.
if (require.main === module) {
  writeWorkflowBundle().then(
    (b) => console.log(`workflow bundle: ${path.relative(process.cwd(), b.path)} (${Math.round(b.bytes / 1024)} KiB, ${b.ms} ms)`),
    (err) => {
      console.error(`workflow bundle failed: ${(err as Error).message}`);
      process.exit(1);
    },
  );
}
