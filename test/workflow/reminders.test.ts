import http from 'node:http';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AddressInfo } from 'node:net';
import { Worker } from '@temporalio/worker';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { createActivities } from '../../activities';
import { Onboardings } from '../../src/app';
import { loadConfig } from '../../src/config';
import { publicTenant, workflowIdFor } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles, registerTenant } from '../../src/people';
import { startSimulators, type Simulators } from '../../src/sim';
import { SimAdminClient } from '../../src/sim/admin-client';
import { createTimeSkippingEnv } from '../support/test-server';
import { dataConverterFor } from '../../src/temporal/codec';
import { FAST, tenantFile } from '../support/onboarding';

/** A webhook receiver on loopback: what the notify activity posts lands here. */
async function receiver() {
  const posts: Array<{ text: string; stepId: string; kind: string }> = [];
  const server = http.createServer((req, res) => {
    let body = '';
    req.on('data', (c) => (body += c));
    req.on('end', () => {
      posts.push(JSON.parse(body));
      res.writeHead(204).end();
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { posts, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/hook`, close: () => new Promise((r) => server.close(r)) };
}

let env: TestWorkflowEnvironment;
let sims: Simulators;
let stateDir: string;
beforeAll(async () => {
  env = (await createTimeSkippingEnv(loadConfig({}).temporal, { dataConverter: dataConverterFor(loadConfig()) })).env;
  sims = await startSimulators();
  stateDir = fs.mkdtempSync(path.join(os.tmpdir(), 'onboard-reminders-'));
});
afterAll(async () => {
  await env?.teardown();
  await sims?.stop();
  fs.rmSync(stateDir, { recursive: true, force: true });
});

it('reminds after firstAfter and then every `every`, escalates after escalateAfter, and stops once the step is done (time skipping)', async () => {
  const hook = await receiver();
  const config = loadConfig({ ...process.env, ...sims.env, ONBOARD_STATE_DIR: stateDir, ONBOARD_ALLOW_LOCAL_WEBHOOKS: 'true' });
  const worker = await Worker.create({
    connection: env.nativeConnection,
    taskQueue: 'reminders',
    workflowsPath: require.resolve('../../workflows'),
    dataConverter: dataConverterFor(config),
    activities: createActivities({ config, logger: createLogger({ name: 'reminders' }) }),
  });
  const file = tenantFile({
    contacts: { owner: 'owner@acme.example', notifyWebhookUrl: hook.url },
    reminders: { firstAfter: '4h', every: '1d', escalateAfter: '2d' },
  });
  const consoles = new SimAdminClient(sims.admin);
  await registerTenant(consoles, publicTenant(file), { kore: file.kore.clientSecret, zoom: file.zoom.clientSecret });
  const onboardings = new Onboardings(env.client, config, { taskQueue: 'reminders', onboardingOptions: FAST });
  try {
    await worker.runUntil(async () => {
      const { tenant } = await onboardings.start(file);
      // Real time until the automatic checks are done and the four human steps are open.
      for (let i = 0; i < 100; i++) {
        const p = await onboardings.progress(tenant.tenantId);
        if (p.steps.filter((s) => s.state === 'open').length === 4) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      // One person finishes quickly: that step gets no reminders.
      const evidence = await doInConsoles('associate-experience-flow', publicTenant(tenant), consoles, {});
      await onboardings.complete(tenant.tenantId, { stepId: 'associate-experience-flow', evidence, by: 'fast@acme' });

      await env.sleep('3 hours');
      expect(hook.posts).toHaveLength(0);
      await env.sleep('2 hours'); // 5h: first reminders
      let p = await onboardings.progress(tenant.tenantId);
      const chat = () => p.steps.find((s) => s.id === 'enable-chat-history-scope')!;
      expect(chat()).toMatchObject({ state: 'waiting-for-human', reminders: 1, escalated: false });
      expect(p.status).toBe('waiting-for-human');

      await env.sleep('1 day'); // 1d5h: a second reminder (1d4h), no escalation yet
      p = await onboardings.progress(tenant.tenantId);
      expect(chat()).toMatchObject({ reminders: 2, escalated: false });

      await env.sleep('1 day'); // 2d5h: escalation at 2d, a third reminder at 2d4h
      p = await onboardings.progress(tenant.tenantId);
      expect(chat()).toMatchObject({ reminders: 3, escalated: true });
      expect(p.status).toBe('escalated');
      // Observation only (the app does not offer describe()): the search attribute lists filter on.
      expect((await env.client.workflow.getHandle(workflowIdFor(tenant.tenantId)).describe()).searchAttributes.OnboardingStatus).toEqual(['escalated']);

      await env.sleep('1 day'); // 3d5h: a fourth reminder (3d4h); escalation happens once
      p = await onboardings.progress(tenant.tenantId);
      expect(chat().reminders).toBe(4);
      expect(p.steps.find((s) => s.id === 'associate-experience-flow')!.reminders).toBe(0);

      const forChat = hook.posts.filter((x) => x.stepId === 'enable-chat-history-scope');
      expect(forChat.map((x) => x.kind)).toEqual(['reminder', 'reminder', 'escalation', 'reminder', 'reminder']);
      expect(forChat[0]!.text).toMatch(
        new RegExp(
          `^Reminder: Acme Corp \\(${tenant.tenantId}\\) has waited 4h on "Map the Chat History and Bot Sessions API scopes to the JWT app" \\[enable-chat-history-scope\\]\\. Owner: owner@acme\\.example\\. Next: In AI for Service go to Settings`,
        ),
      );
      expect(forChat[2]!.text).toMatch(/^ESCALATION: .* has waited 2d /);
      expect(hook.posts.some((x) => x.stepId === 'associate-experience-flow')).toBe(false);
      // Four steps were left waiting: each got 4 reminders and 1 escalation.
      expect(hook.posts).toHaveLength(4 * 5);
    });
  } finally {
    await hook.close();
  }
});
