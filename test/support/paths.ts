import path from 'node:path';

/** Where the suite keeps its state: the dev server's log, the suite's own log, server facts. */
export const ROOT = path.resolve(__dirname, '..', '..');
export const TEST_STATE_DIR = path.join(ROOT, '.onboard', 'test');
export const SUITE_LOG = path.join(TEST_STATE_DIR, 'suite.log');
export const SERVER_LOG = path.join(TEST_STATE_DIR, 'temporal-server.log');
export const SERVER_INFO = path.join(TEST_STATE_DIR, 'temporal-server.json');
export const EXTRA_KEYS_DIR = path.join(TEST_STATE_DIR, 'keys');
