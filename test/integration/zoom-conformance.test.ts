import axios from 'axios';
import { ZOOM_ENDPOINTS } from '../../src/integrations/zoom/scopes';
import { ACCOUNT, startCapturedZoom, type CapturedCall } from '../support/zoom-capture';
import {
  CLIENT_OPERATIONS,
  checkErrorAnswer,
  checkQuery,
  checkRefusal,
  checkResponse,
  checkScopes,
  DOCUMENTED_OPERATIONS,
  limitProbes,
  loadContract,
  strictResponseSchema,
  type ClientOperation,
} from '../support/zoom-contract';

/**
 * Our Zoom client and simulator against Zoom's published Contact Center OpenAPI document
 * (vendor-contracts/zoom-contact-center.openapi.json): the simulator's bodies, the client's real
 * queries, the simulator's refusals of out-of-limit parameters, and our scope table. The checks
 * live in test/support/zoom-contract.ts; zoom-conformance-mutations.test.ts proves they bite.
 */
const doc = loadContract();
const OPS = Object.keys(CLIENT_OPERATIONS) as ClientOperation[];

let z: Awaited<ReturnType<typeof startCapturedZoom>>;
let calls: CapturedCall[];

beforeAll(async () => {
  z = await startCapturedZoom();
  // More than one page of flows, a published one, and a finished engagement to list and read.
  for (let i = 0; i < 3; i++) z.sim.world.addFlow(ACCOUNT.accountId, { flowName: `Flow ${i}`, status: i ? 'draft' : 'published' });
  const flow = z.sim.world.mustAccount(ACCOUNT.accountId).flows[0];
  const engagement = z.sim.world.addEngagement(ACCOUNT.accountId, {
    flow,
    leg: { result: 'connected', connector_id: 'c_1', sip_to: '+14155550001', sip_from: 'x.example', kore_session_id: 's1', kore_reason: 'HangUp' },
  });
  const c = z.client;
  const [queue] = await c.listQueues();
  await c.listQueues({ channel: 'voice' });
  await c.getQueue(queue!.cc_queue_id);
  await c.listQueueAgents(queue!.cc_queue_id);
  await c.listUsers();
  await c.listUsers({ user_access: 'active' });
  const flows = await c.listFlows();
  await c.listFlows({ status: 'published', channel: 'voice' });
  await c.getFlow(flows[0]!.flow_id);
  await c.listFlowEntryPoints(flows[0]!.flow_id);
  await c.listAccountEntryPoints('voice');
  const at = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, 'Z');
  await c.listEngagements({ from: at(Date.now() - 3_600_000), to: at(Date.now() + 60_000) });
  await c.listEngagements({
    from: new Date().toISOString().slice(0, 10),
    to: new Date(Date.now() + 86_400_000).toISOString().slice(0, 10),
    direction: 'inbound',
  });
  await c.listEngagements();
  await c.getEngagement(engagement.engagement_id);
  await c.getEngagementEvents(engagement.engagement_id);
  calls = z.calls.filter((x) => x.operation);
});
afterAll(() => z?.stop());

describe('Zoom Contact Center conformance (Zoom OpenAPI document)', () => {
  it('exercised every operation our client calls', () => {
    expect(new Set(calls.map((x) => x.operation))).toEqual(new Set(OPS));
  });

  it.each(OPS)('%s: our zod schema reads only documented fields, with their documented types', (op) => {
    expect(() => strictResponseSchema(doc, op)).not.toThrow();
  });

  it.each(OPS)('%s: the simulator 200 bodies validate against the strict documented 200 schema', (op) => {
    const ok = calls.filter((x) => x.operation === op && x.status === 200);
    expect(ok.length).toBeGreaterThan(0);
    for (const call of ok) checkResponse(doc, op, call.body);
  });

  it.each(OPS)('%s: every query the client sent uses documented parameters within their limits', (op) => {
    const sent = calls.filter((x) => x.operation === op);
    expect(sent.length).toBeGreaterThan(0);
    for (const call of sent) checkQuery(doc, op, call.query);
  });

  it.each(OPS)('%s: the simulator refuses each documented parameter limit as Zoom does (400 {code, message})', async (op) => {
    const token = (await z.client.tokens.token()).value.reveal();
    const { path } = CLIENT_OPERATIONS[op];
    const ids: Record<string, string> = {
      queueId: z.sim.world.accounts.get(ACCOUNT.accountId)!.queues[0]!.cc_queue_id,
      flowId: z.sim.world.accounts.get(ACCOUNT.accountId)!.flows[0]!.flow_id,
      engagementId: z.sim.world.accounts.get(ACCOUNT.accountId)!.engagements[0]!.engagement_id,
    };
    for (const probe of limitProbes(doc, op)) {
      const res = await axios.get(`${z.apiUrl}${path.replace(/\{(\w+)\}/g, (_m, k: string) => ids[k]!)}`, {
        params: probe.query,
        headers: { authorization: `Bearer ${token}` },
        validateStatus: () => true,
      });
      checkRefusal(doc, op, probe, { status: res.status, body: res.data });
    }
  });

  it.each(OPS.filter((op) => /\{\w+\}/.test(CLIENT_OPERATIONS[op].path)))('%s: an unknown id is answered with the documented 404 code', async (op) => {
    const token = (await z.client.tokens.token()).value.reveal();
    const res = await axios.get(`${z.apiUrl}${CLIENT_OPERATIONS[op].path.replace(/\{\w+\}/, 'nope')}`, {
      headers: { authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    expect(res.status).toBe(404);
    checkErrorAnswer(doc, op, { status: res.status, body: res.data }, '/');
  });

  it.each(Object.keys(DOCUMENTED_OPERATIONS))('%s: scope table, rate label and page size equal the document', (op) => {
    checkScopes(doc, op);
  });

  it('the scope table covers only documented operations, and /number_management/numbers (not in this document) is left to zoom-api.md', () => {
    expect(Object.keys(ZOOM_ENDPOINTS).filter((op) => !DOCUMENTED_OPERATIONS[op])).toEqual(['listNumbers']);
  });
});
