import { randomBytes } from 'node:crypto';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { loadConfig } from '../../src/config';
import { workflowIdFor } from '../../src/domain/tenant';
import { startDevServer, type DevServer } from '../../src/local-temporal/server';
import { createLogger } from '../../src/log';
import { SearchAttributes, WORKFLOW_TYPE } from '../../workflows/contract';
import { startHarness, type Harness } from '../support/onboarding';
import { TEST_STATE_DIR } from '../support/paths';

/**
 * A list page of 200 runs carries each run's memo (its published progress). Past gRPC's default
 * 4 MiB answer the page was a 500 (RESOURCE_EXHAUSTED; the 10,000-onboarding list benchmark found
 * it). A Temporal server of its own: 200 runs with big memos on the suite's server would fill every
 * other test's unfiltered list (and the teardown's leak check, whose client keeps the default).
 */
const ENGINEER = 'list-size-engineer-token-0123456789';

let server: DevServer;
let h: Harness;
let api: FastifyInstance;
beforeAll(async () => {
  server = await startDevServer({
    temporal: loadConfig({ ...process.env, TEMPORAL_ADDRESS: undefined }).temporal,
    port: 0,
    uiPort: false,
    logFile: path.join(TEST_STATE_DIR, 'list-size-temporal.log'),
  });
  h = await startHarness({ worker: false, env: { TEMPORAL_ADDRESS: server.address } });
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'api-list-size' }),
    tokens: new TokenBook([{ name: 'Lee Lister', role: 'engineer', token: ENGINEER }]),
  });
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
  await server?.stop();
});

it('a list page of 200 whose memos together pass gRPC’s default 4 MiB is answered, every row in it', async () => {
  // Runs as visibility lists them, each with ~40 KB of incompressible memo, on a queue no worker polls.
  const pad = randomBytes(30_000).toString('base64');
  for (let i = 0; i < 200; i += 50)
    await Promise.all(
      Array.from({ length: 50 }, (_, j) =>
        h.client.workflow.start(WORKFLOW_TYPE, {
          taskQueue: 'nobody-polls',
          workflowId: workflowIdFor(`bigmemo-${i + j}`),
          memo: { pad },
          typedSearchAttributes: [{ key: SearchAttributes.TenantId, value: `bigmemo-${i + j}` }],
        }),
      ),
    );
  let page = { statusCode: 0, items: [] as unknown[] };
  for (let tries = 0; tries < 50 && page.items.length < 200; tries++) {
    const res = await api.inject({ method: 'GET', url: '/api/v1/onboardings?pageSize=200', headers: { authorization: `Bearer ${ENGINEER}` } });
    page = { statusCode: res.statusCode, items: res.statusCode === 200 ? res.json().items : [] };
    if (res.statusCode !== 200) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  expect([page.statusCode, page.items.length]).toEqual([200, 200]);
});
