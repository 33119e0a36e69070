import type { AddressInfo } from 'node:net';
import { KoreClient } from '../../src/integrations/kore/client';
import { SimAdminClient } from '../../src/sim/admin-client';
import { createKoreSim, type KoreSim } from '../../src/sim/kore/server';
import { endpointPaths, routeOf } from './kore-contract';
import { KORE_ENDPOINTS, type KoreEndpointName } from './kore-documented';

/** One Kore.ai call as the simulator saw it: the client's real request and the simulator's real answer. */
export interface CapturedKoreCall {
  endpoint: KoreEndpointName | undefined;
  method: string;
  route: string;
  query: Record<string, unknown>;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  status: number;
  response: unknown;
  responseHeaders: Record<string, unknown>;
}

const ROUTE_TO_ENDPOINT = new Map<string, KoreEndpointName>();
for (const [name, e] of Object.entries(KORE_ENDPOINTS))
  for (const p of endpointPaths(e)) for (const m of [e.method, ...(e.otherMethods ?? [])]) ROUTE_TO_ENDPOINT.set(`${m} ${routeOf(p)}`, name);

/**
 * A multipart/form-data body as its parts: each text part by name as a string, each file part as
 * `{filename, size}` (the checkers look at what was sent, not at the file). Parsed here, not by the
 * simulator's own parser, so a simulator that misreads multipart is not checked against itself.
 */
export function multipartParts(raw: Buffer, contentType: string): Record<string, unknown> | undefined {
  const boundary = /boundary=(?:"([^"]+)"|([^;]+))/i.exec(contentType);
  if (!boundary) return undefined;
  const parts: Record<string, unknown> = {};
  for (const part of raw
    .toString('latin1')
    .split(`--${boundary[1] ?? boundary[2]}`)
    .slice(1, -1)) {
    const end = part.indexOf('\r\n\r\n');
    const head = part.slice(0, end);
    const body = part.slice(end + 4).replace(/\r\n$/, '');
    const name = /name="([^"]*)"/.exec(head)?.[1];
    const filename = /filename="([^"]*)"/.exec(head)?.[1];
    if (name === undefined) continue;
    parts[name] = filename === undefined ? Buffer.from(body, 'latin1').toString('utf8') : { filename, size: Buffer.byteLength(body, 'latin1') };
  }
  return parts;
}

/** A bot app (no scope mapped, as a tenant starts), and an Admin Console app for the same account. */
export const KORE_APP = { clientId: 'cs-conformance-bot', clientSecret: 'kore-conformance-secret-0123', botId: 'st-conformance-1', botName: 'Conformance Bot' };
export const KORE_ADMIN_APP = { clientId: 'cs-conformance-admin', clientSecret: 'kore-conformance-admin-secret-4567' };

export interface CapturedKore {
  sim: KoreSim;
  url: string;
  admin: SimAdminClient;
  client: KoreClient;
  adminClient: KoreClient;
  calls: CapturedKoreCall[];
  stop(): Promise<void>;
}

/** A Kore.ai simulator of our own (so a hook sees every call), a tenant registered through the admin API, and our clients for it. */
export async function startCapturedKore(
  /** Change the simulator before it listens (the mutation test makes one that strays). */
  tamper?: (sim: KoreSim) => void,
): Promise<CapturedKore> {
  const sim = createKoreSim();
  const calls: CapturedKoreCall[] = [];
  sim.app.addHook('onSend', async (req, reply, payload) => {
    if (req.url.startsWith('/__sim/')) return payload;
    let response: unknown = payload;
    if (typeof payload === 'string') {
      try {
        response = JSON.parse(payload);
      } catch {
        /* not JSON */
      }
    }
    const route = req.routeOptions.url ?? '';
    calls.push({
      endpoint: ROUTE_TO_ENDPOINT.get(`${req.method} ${route}`),
      method: req.method,
      route,
      query: { ...(req.query as Record<string, unknown>) },
      body: Buffer.isBuffer(req.body) ? (multipartParts(req.body, String(req.headers['content-type'] ?? '')) ?? req.body) : req.body,
      headers: { ...req.headers },
      status: reply.statusCode,
      response,
      responseHeaders: { ...reply.getHeaders() },
    });
    return payload;
  });
  tamper?.(sim);
  await sim.app.listen({ host: '127.0.0.1', port: 0 });
  const url = `http://127.0.0.1:${(sim.app.server.address() as AddressInfo).port}`;
  const admin = new SimAdminClient({ koreUrl: url });
  await admin.registerKoreTenant(KORE_APP);
  await admin.registerKoreApp({ ...KORE_ADMIN_APP, admin: true, botIds: [KORE_APP.botId] });
  const client = new KoreClient({ baseUrl: url, credentials: KORE_APP });
  const adminClient = new KoreClient({ baseUrl: url, credentials: KORE_ADMIN_APP });
  return { sim, url, admin, client, adminClient, calls, stop: () => sim.app.close() };
}
