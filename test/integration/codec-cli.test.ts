import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import type { Progress } from '../../src/app';
import type { HumanStepId } from '../../src/domain/steps';
import { publicTenant, workflowIdFor, type TenantInput } from '../../src/domain/tenant';
import { createLogger } from '../../src/log';
import { doInConsoles } from '../../src/people';
import { historyJson, readableHistory } from '../support/history';
import { SERVER_INFO } from '../support/paths';
import { FAST, startHarness, tenantFile, type Harness } from '../support/onboarding';

/**
 * The official `temporal` CLI reading and writing an encrypted onboarding through our /codec, as
 * the README shows: query, show and describe print the payloads in clear with the codec and
 * ciphertext without it; `update execute` sends its input through /codec/encode, which takes an
 * engineer's token only. One harness, one onboarding.
 */
const ENGINEER = 'codec-cli-engineer-token-0123456789';
const VIEWER = 'codec-cli-viewer-token-0123456789ab';
const DISPLAY_NAME = 'Hooli Codec Probe';
const ENCRYPTED = Buffer.from('binary/encrypted').toString('base64');

let h: Harness;
let api: FastifyInstance;
let codec: string;
let tenant: TenantInput;
let workflowId: string;

beforeAll(async () => {
  h = await startHarness();
  api = await buildApi({
    config: h.config,
    client: h.client,
    logger: createLogger({ name: 'codec-cli-test' }),
    tokens: new TokenBook([
      { name: 'Pat Engineer', role: 'engineer', token: ENGINEER },
      { name: 'Val Viewer', role: 'viewer', token: VIEWER },
    ]),
    taskQueue: h.taskQueue,
    onboardingOptions: FAST,
  });
  codec = `${await api.listen({ host: '127.0.0.1', port: 0 })}/codec`;
  tenant = await h.start(tenantFile({ displayName: DISPLAY_NAME }));
  workflowId = workflowIdFor(tenant.tenantId);
  await h.until(tenant.tenantId, (p) => p.status === 'waiting-for-human');
});
afterAll(async () => {
  await api?.close();
  await h?.stop();
});

/** `temporal workflow <args>` against the suite's dev server; with a token, through our codec as that token's person. */
function temporal(args: string[], token?: string): Promise<{ code: number | null; out: string; err: string }> {
  const { binaryPath } = JSON.parse(fs.readFileSync(SERVER_INFO, 'utf8')) as { binaryPath: string };
  const withCodec = token ? ['--codec-endpoint', codec, '--codec-auth', `Bearer ${token}`] : [];
  const child = spawn(binaryPath, ['workflow', ...args, '--address', process.env.TEMPORAL_ADDRESS!, ...withCodec]);
  let out = '';
  let err = '';
  child.stdout.on('data', (d) => (out += d));
  child.stderr.on('data', (d) => (err += d));
  const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
  return new Promise((resolve) =>
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    }),
  );
}

it('answers the protobuf-JSON forms Temporal tools send, in the canonical form', async () => {
  const post = (op: 'encode' | 'decode', token: string, payload: object) =>
    api.inject({ method: 'POST', url: `/codec/${op}`, headers: { authorization: `Bearer ${token}` }, payload });
  // What `temporal workflow query` sends for a query without arguments.
  const none = await post('encode', ENGINEER, {});
  expect([none.statusCode, none.json()]).toEqual([200, { payloads: [] }]);
  // URL-safe unpadded base64, a payload with null fields and an empty one: decoded back canonically.
  const bytes = Buffer.from([0xfb, 0xff, 0xfe, 0x01]);
  const sent = {
    payloads: [
      { metadata: { encoding: Buffer.from('binary/plain').toString('base64url') }, data: bytes.toString('base64url') },
      { metadata: null, data: null },
      {},
    ],
  };
  expect(sent.payloads[0]!.data).toBe('-__-AQ');
  const enc = await post('encode', ENGINEER, sent);
  expect(enc.statusCode).toBe(200);
  const dec = await post('decode', VIEWER, enc.json());
  expect(dec.json()).toEqual({
    payloads: [
      { metadata: { encoding: 'YmluYXJ5L3BsYWlu' }, data: '+//+AQ==' },
      { metadata: {}, data: '' },
      { metadata: {}, data: '' },
    ],
  });
  const bad = await post('decode', VIEWER, { payloads: [{ data: 'QQ=' }] });
  expect([bad.statusCode, bad.json().detail]).toEqual([400, 'body.payloads.0.data: must be base64 (standard or URL-safe, padded or not)']);
});

it('query, show and describe print the payloads in clear through /codec, and ciphertext without it', async () => {
  // The CLI encodes a query's arguments (none here: it sends `{}`), so a query needs an engineer's token.
  const query = ['query', '-w', workflowId, '--name', 'progress'];
  const show = ['show', '-w', workflowId, '--output', 'json'];
  const describe = ['describe', '-w', workflowId, '--output', 'json'];
  const [q, qPlain, qViewer, s, sPlain, d, dPlain] = await Promise.all([
    temporal(query, ENGINEER),
    temporal(query),
    temporal(query, VIEWER),
    temporal(show, VIEWER),
    temporal(show),
    temporal(describe, VIEWER),
    temporal(describe),
  ]);
  for (const r of [q, qPlain, s, sPlain, d, dPlain]) expect([r.code, r.err]).toEqual([0, '']);

  // The query's result (the run's progress, encrypted by the worker).
  expect(q.out).toContain(`"displayName":"${DISPLAY_NAME}"`);
  expect(q.out).not.toContain(ENCRYPTED);
  expect(qPlain.out).toContain(ENCRYPTED);
  expect(qPlain.out).not.toContain(DISPLAY_NAME);
  expect(qViewer.code).toBe(1);
  expect(qViewer.err).toMatch(/^Error: querying workflow failed: Forbidden: .*"detail":"Val Viewer is a viewer; this needs the engineer role"/);

  // The history: every payload decoded (the CLI prints them as base64 JSON), the tenant in it.
  expect(s.out).not.toContain(ENCRYPTED);
  expect(readableHistory(s.out)).toContain(tenant.kore.botId);
  expect(sPlain.out).toContain(ENCRYPTED);
  expect(readableHistory(sPlain.out)).not.toContain(tenant.kore.botId);

  // The memo's read model, which the CLI prints as JSON once decoded.
  const memo = (out: string) => (JSON.parse(out) as { workflowExecutionInfo: { memo: { fields: Record<string, unknown> } } }).workflowExecutionInfo.memo.fields;
  // The compact read model: the run's own fields under `run`, each step under `step.<id>`.
  expect((memo(d.out).run as Progress).displayName).toBe(DISPLAY_NAME);
  expect((memo(d.out)['step.associate-experience-flow'] as Progress['steps'][number]).title).toBe('Attach the app to an Experience Flow');
  expect(JSON.stringify(memo(dPlain.out).run)).toContain(ENCRYPTED);
  expect(readableHistory(dPlain.out)).not.toContain(DISPLAY_NAME);
});

it('update execute encodes its input through /codec as an engineer: the step is done; a viewer cannot encode', async () => {
  const open = (await h.progress(tenant.tenantId)).steps.find((s) => s.state === 'open' || s.state === 'waiting-for-human')!;
  const evidence = await doInConsoles(open.id as HumanStepId, publicTenant(tenant), h.consoles, {});
  const by = 'cli.person@hooli.example';
  const update = (token: string, ...more: string[]) =>
    temporal(['update', 'execute', '-w', workflowId, '--name', 'completeStep', '--input', JSON.stringify({ stepId: open.id, evidence, by }), ...more], token);
  const stepNow = async () => {
    const res = await api.inject({ method: 'GET', url: `/api/v1/onboardings/${tenant.tenantId}`, headers: { authorization: `Bearer ${VIEWER}` } });
    return (res.json() as Progress).steps.find((s) => s.id === open.id)!;
  };

  // A viewer's token may not encode ...
  const plain = [{ metadata: { encoding: Buffer.from('json/plain').toString('base64') }, data: Buffer.from('{}').toString('base64') }];
  const refused = await fetch(`${codec}/encode`, {
    method: 'POST',
    headers: { authorization: `Bearer ${VIEWER}`, 'content-type': 'application/json' },
    body: JSON.stringify({ payloads: plain }),
  });
  expect([refused.status, ((await refused.json()) as { detail: string }).detail]).toEqual([403, 'Val Viewer is a viewer; this needs the engineer role']);
  // ... so its Update never leaves the CLI (which retries a codec's refusal like a lost connection, until its timeout).
  const asViewer = await update(VIEWER, '--command-timeout', '3s');
  expect(asViewer.code).toBe(1);
  expect((await stepNow()).state).toBe(open.state);

  const asEngineer = await update(ENGINEER);
  expect([asEngineer.code, asEngineer.err]).toEqual([0, '']);
  // The workflow's answer, decoded: the step done by the CLI's person, and the run's summary.
  expect(asEngineer.out).toContain(`completedBy:${by}`);
  expect(asEngineer.out).toContain(`displayName:${DISPLAY_NAME}`);
  const step = await stepNow();
  expect([step.state, step.completedBy, step.evidence]).toEqual(['done', by, evidence]);
  // The Update's argument went through /codec/encode: stored encrypted, like everything our own client sends.
  const raw = historyJson(workflowId);
  const accepted = (JSON.parse(raw) as { events: Array<Record<string, any>> }).events.flatMap(
    (e) => e.workflowExecutionUpdateAcceptedEventAttributes?.acceptedRequest?.input?.args?.payloads ?? [],
  );
  expect(accepted.length).toBeGreaterThan(0);
  expect(accepted.map((p: { metadata: { encoding: string } }) => p.metadata.encoding)).toEqual(accepted.map(() => ENCRYPTED));
  expect(readableHistory(raw)).not.toContain(by);
});
