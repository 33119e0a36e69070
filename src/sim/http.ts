import type { FastifyInstance, FastifyReply } from 'fastify';
import type { z } from 'zod';

/** Listens and returns the base URL a client should use (`http://127.0.0.1:<port>`). */
export async function listen(app: FastifyInstance, host: string, port: number): Promise<string> {
  await app.listen({ host, port });
  const addr = app.server.address();
  if (!addr || typeof addr === 'string') throw new Error('simulator did not bind a TCP port');
  const shownHost = addr.family === 'IPv6' ? `[${addr.address}]` : addr.address;
  return `http://${shownHost}:${addr.port}`;
}

/** Admin-route body parsing: a bad body is a 400 naming the field. */
export function adminBody<S extends z.ZodTypeAny>(schema: S, body: unknown, reply: FastifyReply): z.infer<S> | undefined {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const issue = parsed.error.issues[0];
  void reply.code(400).send({ error: `${issue?.path.join('.') || 'body'}: ${issue?.message}` });
  return undefined;
}

/** Form bodies (Zoom's token endpoint) without another dependency. */
export function acceptFormBodies(app: FastifyInstance): void {
  app.addContentTypeParser('application/x-www-form-urlencoded', { parseAs: 'string' }, (_req, body, done) => {
    done(null, Object.fromEntries(new URLSearchParams(body as string)));
  });
}
