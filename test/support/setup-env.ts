import { SUITE_LOG } from './paths';

// Everything the code under test logs lands in one file, which the secret-leak test reads.
process.env.ONBOARD_LOG_FILE = SUITE_LOG;
process.env.ONBOARD_LOG_LEVEL = 'debug';
