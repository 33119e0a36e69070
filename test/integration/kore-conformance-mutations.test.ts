import axios from 'axios';
import { z } from 'zod';
import { signKoreJwt } from '../../src/integrations/kore/jwt';
import { GetSessionsResponse, KoreSession } from '../../src/integrations/kore/schemas';
import { KORE_SCOPES } from '../../src/integrations/kore/scopes';
import { Secret } from '../../src/secret';
import { KORE_ADMIN_APP, KORE_APP, startCapturedKore, type CapturedKore } from '../support/kore-capture';
import {
  checkError,
  checkReads,
  checkRefusal,
  checkRequest,
  checkResponse,
  checkScope,
  checkWindowFill,
  ContractViolation,
  limitProbes,
  type Answer,
} from '../support/kore-contract';

/**
 * The Kore.ai conformance checks must fail when the simulator or the client strays from what Kore
 * documents: each mutation below runs the same checker functions kore-conformance.test.ts runs,
 * and each must be refused with the offending path named.
 */
function refusal(fn: () => void): ContractViolation {
  try {
    fn();
  } catch (err) {
    if (err instanceof ContractViolation) return err;
    throw err;
  }
  throw new Error('the checker accepted a mutation');
}
const paths = (err: ContractViolation) => err.problems.map((p) => p.path);

let k: CapturedKore | undefined;
afterEach(async () => {
  await k?.stop();
  k = undefined;
});

async function post(path: string, body: unknown, app: { clientId: string; clientSecret: string } = KORE_APP): Promise<Answer> {
  const auth = await signKoreJwt({ clientId: app.clientId, clientSecret: Secret.from(app.clientSecret), ttlSeconds: 300, withJti: true });
  const res = await axios.post(`${k!.url}${path}`, body, { headers: { auth }, validateStatus: () => true });
  return { status: res.status, body: res.data, headers: res.headers as Record<string, unknown> };
}

describe('the Kore.ai conformance checker refuses a simulator or client that strays', () => {
  it('(i) a scope error answered 403 (the optional mode) or with another code than 4002', async () => {
    k = await startCapturedKore((sim) =>
      // A simulator that answers a missing scope with Kore's text but its own code.
      sim.app.addHook('onSend', async (req, reply, payload) =>
        req.headers['x-mutate-code'] && reply.statusCode === 401 && typeof payload === 'string' ? payload.replace('"code":4002', '"code":401') : payload,
      ),
    );
    const path = `/api/public/bot/${KORE_APP.botId}/getSessions`;
    const real = await post(path, {});
    expect(() => checkError('scopeMissing', real)).not.toThrow();

    await k.admin.setKoreScopeStatus(403);
    const as403 = refusal(() => checkError('scopeMissing', { status: 403, body: real.body }));
    expect(paths(as403)).toEqual(['/status']);
    const live403 = await post(path, {});
    expect(live403.status).toBe(403);
    expect(paths(refusal(() => checkError('scopeMissing', live403)))).toEqual(['/status']);
    await k.admin.setKoreScopeStatus(401);

    const auth = await signKoreJwt({ clientId: KORE_APP.clientId, clientSecret: Secret.from(KORE_APP.clientSecret), ttlSeconds: 300, withJti: true });
    const res = await axios.post(`${k.url}${path}`, {}, { headers: { auth, 'x-mutate-code': '1' }, validateStatus: () => true });
    expect(paths(refusal(() => checkError('scopeMissing', { status: res.status, body: res.data })))).toEqual(['/body/errors/0/code']);
    // ...and an error body not in Kore's {"errors":[{msg,code}]} shape.
    expect(paths(refusal(() => checkError('scopeMissing', { status: 401, body: { msg: 'Permission denied. Scope is incorrect!', code: 4002 } })))).toEqual([
      '/body',
    ]);
  });

  it('(ii) a simulator that caps a documented limit instead of refusing it (chat-history limit, session ids, get-bots limit)', async () => {
    k = await startCapturedKore((sim) =>
      sim.app.addHook('preHandler', async (req) => {
        const b = req.body as Record<string, unknown> | undefined;
        if (b && typeof b.limit === 'number' && b.limit > 100) b.limit = 100;
        if (b && Array.isArray(b.sessionId)) b.sessionId = b.sessionId.slice(0, 50);
        const q = req.query as Record<string, string>;
        if (q.limit && Number(q.limit) > 50) q.limit = '50';
      }),
    );
    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.chatHistory, { now: true });
    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.botSessions, { now: true });
    await k.admin.mapKoreScope(KORE_ADMIN_APP.clientId, KORE_SCOPES.roleManagement, { now: true });

    const limitProbe = limitProbes('getMessages').find((p) => p.param === 'limit')!;
    expect(limitProbe.request.body).toEqual({ limit: 101 });
    const capped = await post(`/api/public/bot/${KORE_APP.botId}/getMessages`, limitProbe.request.body);
    expect(capped.status).toBe(200);
    const err = refusal(() => checkRefusal('getMessages', limitProbe, capped));
    expect(paths(err)).toEqual(['/body/limit']);
    expect(err.message).toContain('maximum 100');

    const idsProbe = limitProbes('getSessions').find((p) => p.param === 'sessionId')!;
    const ids = await post(`/api/public/bot/${KORE_APP.botId}/getSessions`, idsProbe.request.body);
    expect(paths(refusal(() => checkRefusal('getSessions', idsProbe, ids)))).toEqual(['/body/sessionId']);

    const botsProbe = limitProbes('getBots').find((p) => p.param === 'limit')!;
    const auth = await signKoreJwt({
      clientId: KORE_ADMIN_APP.clientId,
      clientSecret: Secret.from(KORE_ADMIN_APP.clientSecret),
      ttlSeconds: 300,
      withJti: true,
    });
    const bots = await axios.get(`${k.url}/api/public/bots`, { params: botsProbe.request.query, headers: { auth }, validateStatus: () => true });
    expect(paths(refusal(() => checkRefusal('getBots', botsProbe, { status: bots.status, body: bots.data })))).toEqual(['/query/limit']);

    // A refusal in the wrong shape is refused too: a 400 where Kore's validation answer is 412.
    expect(paths(refusal(() => checkRefusal('getMessages', limitProbe, { status: 400, body: { errors: [{ msg: 'limit too large', code: 400 }] } })))).toEqual([
      '/body/limit/status',
      '/body/limit/body/errors/0/msg',
      '/body/limit/body/errors/0/code',
    ]);
  });

  it('(iii) a renamed or retyped response field, and a zod schema reading an undocumented one', async () => {
    k = await startCapturedKore();
    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.botSessions, { now: true });
    await k.admin.addKoreSession(KORE_APP.botId, { callId: 'zcc-1' });
    await k.client.listSessions(KORE_APP.botId);
    const original = k.calls.find((c) => c.endpoint === 'getSessions' && c.status === 200)!.response as {
      total: unknown;
      sessions: Array<Record<string, unknown>>;
    };
    expect(() => checkResponse('getSessions', original)).not.toThrow();

    const renamed = structuredClone(original);
    const { sessionId, ...rest } = renamed.sessions[0]!;
    renamed.sessions[0] = { ...rest, session_id: sessionId };
    expect(paths(refusal(() => checkResponse('getSessions', renamed)))).toEqual(['/sessions/0/sessionId', '/sessions/0/session_id']);

    const camel = structuredClone(original);
    camel.sessions[0]!.startTime = camel.sessions[0]!.start_time;
    delete camel.sessions[0]!.start_time;
    expect(paths(refusal(() => checkResponse('getSessions', camel)))).toEqual(['/sessions/0/startTime']);

    const retyped = structuredClone(original);
    retyped.total = String(retyped.total);
    expect(paths(refusal(() => checkResponse('getSessions', retyped)))).toEqual(['/total']);

    const dropped = structuredClone(original) as Record<string, unknown>;
    delete dropped.moreAvailable;
    expect(paths(refusal(() => checkResponse('getSessions', dropped)))).toEqual(['/moreAvailable']);

    const reads = GetSessionsResponse.extend({ sessions: z.array(KoreSession.extend({ startTime: z.string() })) });
    expect(paths(refusal(() => checkReads('getSessions', reads)))).toEqual(['/sessions/*/startTime']);
    expect(paths(refusal(() => checkReads('getSessions', GetSessionsResponse.extend({ total: z.string() }))))).toEqual(['/total']);
  });

  it('(iv) a client request outside a documented limit, captured from a real request', async () => {
    k = await startCapturedKore();
    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.chatHistory, { now: true });
    await k.client.getChatHistory(KORE_APP.botId, { sessionId: ['s1'], limit: 100 }, 'v1');
    const sent = k.calls.find((c) => c.endpoint === 'getMessages')!;
    expect(() => checkRequest('getMessages', { query: sent.query, body: sent.body })).not.toThrow();
    const over = { ...(sent.body as object), limit: 101 };
    expect(paths(refusal(() => checkRequest('getMessages', { query: sent.query, body: over })))).toEqual(['/body/limit']);
    const week = { dateFrom: '2026-01-01T00:00:00Z', dateTo: '2026-01-08T00:00:00Z' };
    expect(paths(refusal(() => checkRequest('getMessagesV2', { query: {}, body: week })))).toEqual(['/body/dateTo']);
    const ids = { sessionId: Array.from({ length: 51 }, (_, i) => `s${i}`) };
    expect(paths(refusal(() => checkRequest('getSessions', { query: {}, body: ids })))).toEqual(['/body/sessionId']);
    expect(paths(refusal(() => checkRequest('getSessions', { query: { limit: '5' }, body: { pageSize: 5 } })))).toEqual(['/query', '/body/pageSize']);
    expect(paths(refusal(() => checkRequest('getBots', { query: { offset: '0', limit: '51' }, body: undefined })))).toEqual(['/query/limit']);
    expect(paths(refusal(() => checkRequest('conversationSummary', { query: {}, body: { lang: 'de', inputMode: { conversationId: 'c' } } })))).toEqual([
      '/body/lang',
    ]);
  });

  it('(v) a scope table entry that differs from the documented scope', () => {
    expect(() => checkScope('getBots', KORE_SCOPES.roleManagement)).not.toThrow();
    expect(paths(refusal(() => checkScope('getBots', KORE_SCOPES.botPublish)))).toEqual(['/scope']);
    expect(paths(refusal(() => checkScope('conversationDetails', KORE_SCOPES.botSessions)))).toEqual(['/scope']);
    expect(paths(refusal(() => checkScope('getSessions', KORE_SCOPES.chatHistory)))).toEqual(['/scope']);
  });

  it("(vi) a rate window other than documented: 100 a minute where Kore allows 60, or a refusal without Kore's message", async () => {
    k = await startCapturedKore();
    await k.admin.mapKoreScope(KORE_APP.clientId, KORE_SCOPES.botSessions, { now: true });
    await k.admin.setKoreLimits({ perMinute: 100 });
    const answers: Answer[] = [];
    for (let i = 0; i <= 60; i++) answers.push(await post(`/api/public/bot/${KORE_APP.botId}/getSessions`, {}));
    expect(paths(refusal(() => checkWindowFill('analytics', 0, answers)))).toEqual(['/calls/60/status', '/calls/60/body', '/calls/60/headers/retry-after']);

    await k.admin.setKoreLimits({ perMinute: 30 });
    const early: Answer[] = [];
    for (let i = 0; i <= 60; i++) early.push(await post(`/api/public/bot/${KORE_APP.botId}/getSessions`, {}));
    expect(paths(refusal(() => checkWindowFill('analytics', 0, early)))).toEqual(['/calls/30']);

    const wordless = { status: 429, body: { errors: [{ msg: 'Too many requests', code: 429 }] }, headers: { 'retry-after': '5' } };
    expect(paths(refusal(() => checkError('rateLimited', wordless)))).toEqual(['/body/errors/0/msg']);
    expect(paths(refusal(() => checkError('rateLimited', { ...early[30]!, headers: {} })))).toEqual(['/headers/retry-after']);
  });
});
