import { bundleWorkflowCode, DefaultLogger, type ReplayWorkerOptions } from '@temporalio/worker';
import { workflowBundleOptions, workflowCode } from '../../src/temporal/bundle';

let bundled: Promise<Pick<ReplayWorkerOptions, 'workflowBundle'>> | undefined;

/**
 * The workflow code a test's replay (or a worker of its own) runs: the built bundle while it is
 * current, as the app's workers take it, else the sources bundled once per test file. Each
 * `workflowsPath` replay ran webpack again (seconds of CPU each, several per file).
 */
export function testWorkflowCode(): Promise<Pick<ReplayWorkerOptions, 'workflowBundle'>> {
  const code = workflowCode();
  if (code.workflowBundle) return Promise.resolve({ workflowBundle: code.workflowBundle });
  bundled ??= bundleWorkflowCode({ ...workflowBundleOptions(), logger: new DefaultLogger('WARN') }).then(({ code: c }) => ({ workflowBundle: { code: c } }));
  return bundled;
}
