import { SUITE_LOG } from './paths';

// Everything the code under test logs lands in one file, which the secret-leak test reads.
process.env.ONBOARD_LOG_FILE = SUITE_LOG;
process.env.ONBOARD_LOG_LEVEL = 'debug';

// The SDK's own log lines go to the suite log (read by the leak check), warnings and up.
const { installSdkLogging } = require('../../src/temporal/runtime') as typeof import('../../src/temporal/runtime');
const { createLogger } = require('../../src/log') as typeof import('../../src/log');
installSdkLogging(createLogger({ name: 'temporal-sdk' }));
