import type { Payload } from '@temporalio/common';
import type { FastifyInstance, FastifyReply, FastifyRequest, preHandlerAsyncHookHandler } from 'fastify';
import type { EncryptionCodec } from '../../temporal/codec';
import type { Role } from '../auth';
import { ProblemError, invalid } from '../problems';
import { CodecBody, type CodecAnswer } from '../schemas';

type JsonPayload = { metadata?: Record<string, string> | null; data?: string | null };

// Node's base64 decoder reads both alphabets, padded or not; CodecBody has checked which forms pass.
const fromJson = (p: JsonPayload): Payload => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v, 'base64')])),
  data: Buffer.from(p.data ?? '', 'base64'),
});
const toJson = (p: Payload): CodecAnswer['payloads'][number] => ({
  metadata: Object.fromEntries(Object.entries(p.metadata ?? {}).map(([k, v]) => [k, Buffer.from(v ?? []).toString('base64')])),
  data: Buffer.from(p.data ?? []).toString('base64'),
});

/**
 * The remote codec the Temporal Web UI and CLI (`temporal workflow show|query|update ... --codec-endpoint`)
 * call to show payloads in clear and encode what they send: POST a Payloads message in protobuf JSON
 * (any form protobuf JSON allows), the same back in its canonical form. Decoding needs the viewer
 * role; encoding (what the UI or CLI sends: a start, a signal, an Update, even a query's empty
 * arguments) the engineer role.
 * Browsers reach it cross-origin, so the allowed UI origins get CORS with credentials.
 */
/** The codec endpoints' body limit (8 MiB). */
export const CODEC_BODY_LIMIT = 8 * 1024 * 1024;

export function registerCodecRoutes(
  app: FastifyInstance,
  deps: { codec: EncryptionCodec; corsOrigins: string[] },
  role: (r: Role) => { preHandler: preHandlerAsyncHookHandler },
): void {
  const cors = (req: FastifyRequest, reply: FastifyReply) => {
    const origin = req.headers.origin;
    if (origin && deps.corsOrigins.includes(origin)) {
      reply.header('access-control-allow-origin', origin);
      reply.header('access-control-allow-credentials', 'true');
      reply.header('vary', 'Origin');
    }
  };
  app.addHook('onRequest', async (req, reply) => {
    if (req.url.startsWith('/codec/')) cors(req, reply);
  });

  // Preflights carry no credentials, so they are answered before auth, and only for allowed origins.
  app.options('/codec/:op', async (req, reply) => {
    if (!req.headers.origin || !deps.corsOrigins.includes(req.headers.origin))
      throw new ProblemError(403, 'OriginNotAllowed', 'this origin may not call the codec; add it to ONBOARD_CODEC_CORS_ORIGINS');
    reply.header('access-control-allow-methods', 'POST, OPTIONS');
    reply.header('access-control-allow-headers', 'authorization, content-type, x-namespace');
    reply.header('access-control-max-age', '600');
    return reply.code(204).send();
  });

  // The Web UI sends a page of a history's payloads at once: larger than any API body (a
  // history with reopened steps passed 64 KiB), and Temporal allows 2 MiB per payload.
  const op = (name: 'decode' | 'encode', needed: Role) =>
    app.post(`/codec/${name}`, { ...role(needed), bodyLimit: CODEC_BODY_LIMIT }, async (req): Promise<CodecAnswer> => {
      // The Web UI and CLI always send a Payloads message (`{}` when empty); no body at all is a misbuilt client.
      const r = CodecBody.safeParse(req.body);
      if (!r.success) throw invalid('body', r.error);
      const payloads = (r.data.payloads ?? []).map(fromJson);
      try {
        const out = name === 'decode' ? await deps.codec.decode(payloads) : await deps.codec.encode(payloads);
        return { payloads: out.map(toJson) };
      } catch (err) {
        // A wrong or unknown key: say which, never echo the payload.
        throw new ProblemError(422, 'UndecodablePayload', (err as Error).message);
      }
    });
  op('decode', 'viewer');
  op('encode', 'engineer');
}
