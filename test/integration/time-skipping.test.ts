import { Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { createTimeSkippingEnv } from '../support/test-server';
import * as activities from '../fixtures/activities';

describe('the time-skipping test server from PyPI', () => {
  it('completes a workflow that sleeps 7 days, in seconds of wall time', async () => {
    const { env, route } = await createTimeSkippingEnv(loadConfig({}).temporal);
    expect(['env', 'path', 'cache', 'pip']).toContain(route);
    try {
      const worker = await Worker.create({
        connection: env.nativeConnection,
        taskQueue: 'sleepy',
        workflowsPath: require.resolve('../fixtures/workflows'),
        activities,
      });
      const wall = Date.now();
      const result = await worker.runUntil(env.client.workflow.execute('sleepyWeek', { taskQueue: 'sleepy', workflowId: 'sleepy-week' }));
      expect(result.sleptMs).toBeGreaterThanOrEqual(7 * 24 * 3600 * 1000);
      expect(Date.now() - wall).toBeLessThan(60_000);
    } finally {
      await env.teardown();
    }
  });
});
