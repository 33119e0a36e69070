import type { FastifyInstance } from 'fastify';

/** Listens, turning "address in use" into a message that names the setting to change. */
export async function listenApi(app: FastifyInstance, host: string, port: number): Promise<string> {
  try {
    return await app.listen({ host, port });
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'EADDRINUSE') {
      throw new Error(`${host}:${port} (the API port) is already in use; set ONBOARD_API_PORT (or --port) to another port`);
    }
    throw err;
  }
}
