import { SUITE_LOG } from './paths';

// Everything the code under test logs lands in one file, which the secret-leak test reads.
process.env.ONBOARD_LOG_FILE = SUITE_LOG;
process.env.ONBOARD_LOG_LEVEL = 'debug';

// The SDK's own INFO lines (webpack bundling, worker state) drown the test report; keep warnings.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { DefaultLogger, Runtime } = require('@temporalio/worker') as typeof import('@temporalio/worker');
try {
  Runtime.install({ logger: new DefaultLogger('WARN') });
} catch {
  /* already installed in this worker process */
}
