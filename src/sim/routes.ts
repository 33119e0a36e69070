import type { FastifyInstance } from 'fastify';

export interface SimRoute {
  method: string;
  path: string;
}

/**
 * Records every route a simulator registers (Fastify's own HEAD twins of GET routes left out), so
 * a test can hold docs/simulators.md to exactly what the simulators serve.
 */
export function recordRoutes(app: FastifyInstance): SimRoute[] {
  const routes: SimRoute[] = [];
  app.addHook('onRoute', (r) => {
    for (const method of [r.method].flat()) if (method !== 'HEAD') routes.push({ method, path: r.url });
  });
  return routes;
}
