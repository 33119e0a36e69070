import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import { z } from 'zod';

/**
 * Fault injection for the simulators: per route, answer with a status (and Retry-After), add
 * latency, or drop the connection, for a number of requests or with a probability. Admin routes
 * under /__sim/ are never faulted, so a test can always clear what it set.
 */
export const FaultSpec = z.object({
  /** HTTP method to match; any when omitted. */
  method: z.string().toUpperCase().optional(),
  /** A route pattern as registered (`/api/public/bot/:botId/getSessions`), a path prefix, or `*`. */
  path: z.string().min(1),
  status: z.number().int().min(100).max(599).optional(),
  body: z.unknown().optional(),
  headers: z.record(z.string(), z.string()).optional(),
  /** Sets `Retry-After`: seconds (`"2"`) or a date (`"2025-08-23T00:00:00Z"`). */
  retryAfter: z.string().optional(),
  latencyMs: z.number().int().min(0).max(120_000).optional(),
  /** Destroy the socket without answering: the client sees "socket hang up". */
  drop: z.boolean().optional(),
  /** Apply to this many matching requests, then retire; unlimited when omitted. */
  count: z.number().int().min(1).optional(),
  /** Apply to each matching request with this chance (fault storms). */
  probability: z.number().min(0).max(1).optional(),
});
export type FaultSpec = z.infer<typeof FaultSpec>;

interface ActiveFault extends FaultSpec {
  id: number;
  remaining: number;
  hits: number;
}

export class FaultInjector {
  #next = 1;
  #faults: ActiveFault[] = [];

  add(spec: FaultSpec): number {
    const id = this.#next++;
    this.#faults.push({ ...FaultSpec.parse(spec), id, remaining: spec.count ?? Infinity, hits: 0 });
    return id;
  }

  clear(): void {
    this.#faults = [];
  }

  list(): Array<FaultSpec & { id: number; hits: number; remaining: number | null }> {
    return this.#faults.map((f) => ({ ...f, remaining: Number.isFinite(f.remaining) ? f.remaining : null }));
  }

  /** The first live fault for this request, consumed by one. */
  take(method: string, routeUrl: string | undefined, rawPath: string): ActiveFault | undefined {
    for (const f of this.#faults) {
      if (f.remaining <= 0) continue;
      if (f.method && f.method !== method) continue;
      if (!(f.path === '*' || f.path === routeUrl || rawPath.startsWith(f.path))) continue;
      if (f.probability !== undefined && Math.random() >= f.probability) continue;
      f.remaining -= 1;
      f.hits += 1;
      return f;
    }
    return undefined;
  }
}

/** Counts of vendor calls by route and status: how tests prove a side effect happened once. */
export class CallLog {
  #counts = new Map<string, { count: number; statuses: Record<string, number> }>();

  record(method: string, route: string, status: number): void {
    const key = `${method} ${route}`;
    const entry = this.#counts.get(key) ?? { count: 0, statuses: {} };
    entry.count += 1;
    entry.statuses[status] = (entry.statuses[status] ?? 0) + 1;
    this.#counts.set(key, entry);
  }

  snapshot(): Record<string, { count: number; statuses: Record<string, number> }> {
    return Object.fromEntries(this.#counts);
  }

  count(method: string, route: string): number {
    return this.#counts.get(`${method} ${route}`)?.count ?? 0;
  }

  clear(): void {
    this.#counts.clear();
  }
}

export const ADMIN_PREFIX = '/__sim';

export function installFaultsAndCallLog(
  app: FastifyInstance,
  faults: FaultInjector,
  calls: CallLog,
  defaultBody: (status: number) => unknown,
): void {
  app.addHook('onRequest', async (req: FastifyRequest, reply: FastifyReply) => {
    if (req.url.startsWith(ADMIN_PREFIX)) return;
    const path = req.url.split('?')[0] ?? req.url;
    const fault = faults.take(req.method, req.routeOptions.url, path);
    if (!fault) return;
    if (fault.latencyMs) {
      // Wait, but stop waiting if the client gives up, so closing the simulator never hangs on a timer.
      await new Promise<void>((resolve) => {
        const timer = setTimeout(resolve, fault.latencyMs);
        req.raw.socket.once('close', () => {
          clearTimeout(timer);
          resolve();
        });
      });
      if (req.raw.socket.destroyed) return reply.hijack();
    }
    if (fault.drop) {
      calls.record(req.method, req.routeOptions.url ?? path, 0);
      req.raw.socket.destroy();
      return reply.hijack();
    }
    if (fault.status !== undefined) {
      if (fault.retryAfter !== undefined) reply.header('retry-after', fault.retryAfter);
      for (const [k, v] of Object.entries(fault.headers ?? {})) reply.header(k, v);
      return reply.code(fault.status).send(fault.body ?? defaultBody(fault.status));
    }
    // latency only: fall through to the real handler
  });
  app.addHook('onResponse', async (req, reply) => {
    if (req.url.startsWith(ADMIN_PREFIX)) return;
    calls.record(req.method, req.routeOptions.url ?? (req.url.split('?')[0] as string), reply.statusCode);
  });
}
