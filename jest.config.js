/**
 * Tests run through @swc/jest (fast, no type-check per file); `npm run typecheck` checks types once
 * with TypeScript 5.9. jose ships ES modules only, so it is transformed too.
 *
 * Two projects, so the quick tests do not pay for a Temporal server:
 * - `fast`: test/unit and test/property, pure code (no server, no build, no codec key file);
 *   `npm run test:fast`.
 * - `temporal`: everything else. Its global setup starts one Temporal dev server, installs the
 *   time-skipping server and writes the suite's codec key; its global teardown checks every history
 *   and log for a configured secret. Jest runs a project's global setup and teardown only when a
 *   test of that project is in the run (and, in a run of both, before and after all tests, so the
 *   leak check also covers what the fast tests logged).
 */
const swc = ['@swc/jest', { jsc: { parser: { syntax: 'typescript' }, target: 'es2022' }, module: { type: 'commonjs' } }];

/** The fast project's tests, and the files among them that need the Temporal server all the same. */
const FAST = ['**/test/unit/**/*.test.ts', '**/test/property/**/*.test.ts'];
const NEED_TEMPORAL = ['**/test/property/workflow-refusals.test.ts'];
const not = (globs) => globs.map((g) => `!${g}`);

const shared = {
  testEnvironment: 'node',
  transform: { '^.+\\.(t|j)sx?$': swc, '^.+\\.mjs$': swc },
  transformIgnorePatterns: ['/node_modules/(?!(jose|@seriousme|content-disposition|cookie)/)'],
  roots: ['<rootDir>/test'],
  setupFiles: ['<rootDir>/test/support/setup-env.ts'],
};

module.exports = {
  testTimeout: 120_000,
  maxWorkers: 3,
  projects: [
    {
      ...shared,
      displayName: 'fast',
      // Jest's testMatch: the last glob that matches a path decides.
      testMatch: [...FAST, ...not(NEED_TEMPORAL)],
    },
    {
      ...shared,
      displayName: 'temporal',
      testMatch: ['**/*.test.ts', ...not(FAST), ...NEED_TEMPORAL],
      globalSetup: '<rootDir>/test/support/global-setup.ts',
      globalTeardown: '<rootDir>/test/support/global-teardown.ts',
    },
  ],
};
