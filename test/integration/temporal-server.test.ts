import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import axios from 'axios';
import { Client, Connection } from '@temporalio/client';
import { NativeConnection, Worker } from '@temporalio/worker';
import { loadConfig } from '../../src/config';
import { startDevServer } from '../../src/local-temporal/server';
import * as activities from '../fixtures/activities';
import { SERVER_INFO } from '../support/paths';
import { suiteTemporal } from '../support/temporal';

const workflowsPath = require.resolve('../fixtures/workflows');

describe('a real Temporal server, obtained from the package registries', () => {
  it('runs a workflow and an activity end to end on the suite server, and says which route it used', async () => {
    const info = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8'));
    expect(['env', 'path', 'cache', 'pip', 'sdk-download']).toContain(info.route);
    expect(info.attempts.at(-1)).toMatchObject({ route: info.route, ok: true });

    const t = await suiteTemporal();
    try {
      const worker = await t.worker({ workflowsPath, activities });
      const result = await worker.runUntil(t.client.workflow.execute('hello', { taskQueue: t.taskQueue, workflowId: `hello-${t.taskQueue}`, args: ['Kore'] }));
      expect(result).toBe('hello, Kore');
      // Our search attributes were registered at start.
      const { customAttributes } = await t.client.connection.operatorService.listSearchAttributes({ namespace: t.namespace });
      expect(Object.keys(customAttributes ?? {})).toEqual(
        expect.arrayContaining(['TenantId', 'OnboardingStatus', 'OpenSteps', 'WaitingOnHuman', 'ZoomAccountId']),
      );
    } finally {
      await t.close();
    }
  });

  it('keeps workflows across a restart with --db-filename, serves the Web UI, and leaves no orphan', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-dev-'));
    const config = loadConfig({});
    const opts = { temporal: config.temporal, port: 0, uiPort: 0, dbFilename: path.join(dir, 'dev.db'), logFile: path.join(dir, 'server.log') };
    let server = await startDevServer(opts);
    const workflowId = 'persisted-across-restart';
    let connection = await Connection.connect({ address: server.address });
    try {
      const ui = await axios.get(server.uiUrl!, { validateStatus: () => true, timeout: 10_000 });
      expect(ui.status).toBe(200);
      await new Client({ connection }).workflow.start('waitForProceed', { taskQueue: 'restart-q', workflowId });
    } finally {
      await connection.close();
    }
    const firstPid = server.pid!;
    await server.stop();
    expect(() => process.kill(firstPid, 0)).toThrow(); // the child is gone

    // Same database file, fresh port: the run is still there and can finish.
    server = await startDevServer({ ...opts, port: 0, uiPort: false });
    connection = await Connection.connect({ address: server.address });
    const native = await NativeConnection.connect({ address: server.address });
    try {
      const client = new Client({ connection });
      const handle = client.workflow.getHandle(workflowId);
      expect((await handle.describe()).status.name).toBe('RUNNING');
      const worker = await Worker.create({ connection: native, taskQueue: 'restart-q', workflowsPath, activities });
      await handle.signal('proceed', 'after restart');
      expect(await worker.runUntil(handle.result())).toBe('hello, after restart');
      expect(fs.readFileSync(opts.logFile, 'utf8')).toContain('start-dev');
    } finally {
      await connection.close();
      await native.close();
      await server.stop();
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a port that is taken with a message that says what to do', async () => {
    const address = process.env.TEMPORAL_ADDRESS!;
    const port = Number(address.split(':').pop());
    const config = loadConfig({});
    await expect(startDevServer({ temporal: config.temporal, port, uiPort: false, logFile: path.join(os.tmpdir(), 'x.log') })).rejects.toThrow(
      /already in use.*ONBOARD_TEMPORAL_PORT/,
    );
  });
});
