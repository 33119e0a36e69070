import axios from 'axios';
import { EngagementsPage } from '../../src/integrations/zoom/schemas';
import { ZOOM_ENDPOINTS } from '../../src/integrations/zoom/scopes';
import { startCapturedZoom } from '../support/zoom-capture';
import { checkQuery, checkRefusal, checkResponse, checkScopes, ContractViolation, limitProbes, loadContract } from '../support/zoom-contract';

/**
 * The conformance checks must fail when the simulator or the client strays from Zoom's document:
 * each mutation below runs the same checker functions zoom-conformance.test.ts runs, and each must
 * be refused with the offending path named.
 */
const doc = loadContract();

function refusal(fn: () => void): ContractViolation {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractViolation) return err;
    throw err;
  }
  throw new Error('the checker accepted a mutation');
}

let z: Awaited<ReturnType<typeof startCapturedZoom>> | undefined;
afterEach(async () => {
  await z?.stop();
  z = undefined;
});

describe('the Zoom conformance checker refuses a simulator or client that strays', () => {
  it('(i) a body with a wrong field type: flow_version as a string on a flow', async () => {
    z = await startCapturedZoom();
    const [flow] = await z.client.listFlows();
    await z.client.getFlow(flow!.flow_id);
    const body = structuredClone(z.calls.find((c) => c.operation === 'getFlow')!.body) as { flow_versions: Array<{ flow_version: unknown }> };
    expect(() => checkResponse(doc, 'getFlow', body)).not.toThrow();
    body.flow_versions[0]!.flow_version = '1';
    const err = refusal(() => checkResponse(doc, 'getFlow', body));
    expect(err.problems.map((p) => p.path)).toContain('/flow_versions/0/flow_version');
  });

  it('(ii) a renamed id field: queues[].cc_queue_id answered as the deprecated queue_id, or as an undocumented name', async () => {
    z = await startCapturedZoom();
    await z.client.listQueues();
    const original = z.calls.find((c) => c.operation === 'listQueues')!.body as { queues: Array<Record<string, unknown>> };
    const rename = (to: string) => {
      const body = structuredClone(original);
      const { cc_queue_id: id, ...rest } = body.queues[0]!;
      body.queues[0] = { ...rest, [to]: id };
      return body;
    };
    const deprecated = refusal(() => checkResponse(doc, 'listQueues', rename('queue_id')));
    expect(deprecated.problems.map((p) => p.path)).toContain('/queues/0/cc_queue_id');
    const invented = refusal(() => checkResponse(doc, 'listQueues', rename('ccQueueId')));
    expect(invented.problems.map((p) => p.path)).toEqual(expect.arrayContaining(['/queues/0/cc_queue_id', '/queues/0/ccQueueId']));
    // ...and a zod schema reading a field the document does not define is refused too.
    const { ZccQueue } = await import('../../src/integrations/zoom/schemas');
    const renamedRead = refusal(() => checkResponse(doc, 'getQueue', {}, ZccQueue.extend({ queue_uuid: ZccQueue.shape.cc_queue_id })));
    expect(renamedRead.problems.map((p) => p.path)).toContain('/queue_uuid');
  });

  it('(iii) a simulator that ignores a parameter limit (caps page_size instead of refusing it)', async () => {
    z = await startCapturedZoom((sim) =>
      sim.app.addHook('preHandler', async (req) => {
        const q = req.query as Record<string, string>;
        if (q.page_size && Number(q.page_size) > 100) q.page_size = '100';
      }),
    );
    const token = (await z.client.tokens.token()).value.reveal();
    const probe = limitProbes(doc, 'listEngagements').find((p) => p.param === 'page_size')!;
    expect(probe.query.page_size).toBe('101');
    const res = await axios.get(`${z.apiUrl}/contact_center/engagements`, {
      params: probe.query,
      headers: { authorization: `Bearer ${token}` },
      validateStatus: () => true,
    });
    expect(res.status).toBe(200);
    const err = refusal(() => checkRefusal(doc, 'listEngagements', probe, { status: res.status, body: res.data }));
    expect(err.problems.map((p) => p.path)).toEqual(['/query/page_size']);
    expect(err.message).toContain('maximum 100');
  });

  it('(iv) a client query outside a limit: page_size 300 on engagements, captured from the real request', async () => {
    z = await startCapturedZoom();
    const pages = z.client.paginate('listEngagements', '/contact_center/engagements', {}, EngagementsPage, 'engagements', 300);
    await expect(pages.next()).rejects.toMatchObject({ kind: 'InvalidRequest', vendorCode: 300 });
    const sent = z.calls.find((c) => c.operation === 'listEngagements')!;
    expect(sent.query.page_size).toBe('300');
    const err = refusal(() => checkQuery(doc, 'listEngagements', sent.query));
    expect(err.problems.map((p) => p.path)).toEqual(['/query/page_size']);
    // Undocumented, deprecated and out-of-enum parameters are refused the same way.
    expect(refusal(() => checkQuery(doc, 'listFlowEntryPoints', { page_size: '30' })).problems[0]!.path).toBe('/query/page_size');
    expect(refusal(() => checkQuery(doc, 'listQueues', { channel_type: 'voice' })).problems[0]!.path).toBe('/query/channel_type');
    expect(refusal(() => checkQuery(doc, 'listAccountEntryPoints', { channel: 'fax' })).problems[0]!.path).toBe('/query/channel');
    expect(refusal(() => checkQuery(doc, 'listAccountEntryPoints', {})).problems[0]!.path).toBe('/query/channel');
    expect(refusal(() => checkQuery(doc, 'listEngagements', { from: '01/02/2026', to: '01/03/2026' })).problems.map((p) => p.path)).toEqual([
      '/query/from',
      '/query/to',
    ]);
  });

  it('a scope table entry that differs from the document is refused, naming the extension', () => {
    const wrong = { ...ZOOM_ENDPOINTS.listAccountEntryPoints, scopes: ['contact_center_flow:read:admin', 'contact_center:read:list_flows:admin'] as const };
    const err = refusal(() => checkScopes(doc, 'listAccountEntryPoints', wrong));
    expect(err.problems.map((p) => p.path)).toEqual(['/x-granular-scopes', '/security']);
  });
});
