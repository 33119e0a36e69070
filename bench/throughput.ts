import autocannon from 'autocannon';
import type { TenantFile } from '../src/domain/tenant';
import type { World } from './phases';
import { pool, summarize } from './stats';

const round = (x: number, digits = 1) => Math.round(x * 10 ** digits) / 10 ** digits;

// ---- 4. API throughput

export interface Throughput {
  rps: number;
  p99Ms: number;
  requests: number;
  errors: number;
  /** The dev server's CPU time per request meanwhile (ms), where the harness measured it. */
  serverCpuMs?: number;
}

/** Runs `measure` and adds the server's CPU time per request to its answer (`serverCpu`: seconds so far; absent, nothing added). */
export async function withServerCpu(serverCpu: (() => number) | undefined, measure: () => Promise<Throughput>): Promise<Throughput> {
  const before = serverCpu?.();
  const t = await measure();
  if (before === undefined || !serverCpu || !t.requests) return t;
  return { ...t, serverCpuMs: Math.round(((serverCpu() - before) * 1e5) / t.requests) / 100 };
}

/** `GET /api/v1/onboardings/{id}` with autocannon, against the same query made straight through the client. */
export async function progressThroughput(
  w: World,
  tenants: TenantFile[],
  seconds: number,
  connections: number,
  serverCpu?: () => number,
): Promise<{ api: Throughput; client: Throughput }> {
  let n = 0;
  const api = await withServerCpu(serverCpu, async () =>
    fromAutocannon(
      await autocannon({
        url: w.apiUrl,
        connections,
        duration: seconds,
        headers: { authorization: `Bearer ${w.token}` },
        requests: [{ method: 'GET', setupRequest: (req) => ({ ...req, path: `/api/v1/onboardings/${tenants[n++ % tenants.length]!.tenantId}` }) }],
      }),
    ),
  );
  const client = await withServerCpu(serverCpu, () =>
    clientLoop(seconds * 1000, connections, (i) => w.onboardings.progress(tenants[i % tenants.length]!.tenantId)),
  );
  return { api, client };
}

/**
 * The complete endpoint: each request completes accept-genai-policy (open from the start, no verifier)
 * on a different onboarding; the client comparison does the same Update on other onboardings.
 */
export async function completeThroughput(
  w: World,
  apiTenants: TenantFile[],
  clientTenants: TenantFile[],
  connections: number,
): Promise<{ api: Throughput; client: Throughput }> {
  let n = 0;
  const body = JSON.stringify({ evidence: {} });
  const r = await autocannon({
    url: w.apiUrl,
    connections,
    amount: apiTenants.length,
    headers: { authorization: `Bearer ${w.token}`, 'content-type': 'application/json' },
    requests: [
      {
        method: 'POST',
        body,
        setupRequest: (req) => ({
          ...req,
          path: `/api/v1/onboardings/${apiTenants[n++ % apiTenants.length]!.tenantId}/steps/accept-genai-policy/complete`,
        }),
      },
    ],
  });
  const api = fromAutocannon(r);
  const latencies: number[] = [];
  let errors = 0;
  const t0 = performance.now();
  await pool(clientTenants.length, connections, async (i) => {
    const t = performance.now();
    try {
      await w.onboardings.complete(clientTenants[i]!.tenantId, {
        stepId: 'accept-genai-policy',
        evidence: {},
        by: 'bench@bench.example',
      });
      latencies.push(performance.now() - t);
    } catch {
      errors++;
    }
  });
  const elapsed = performance.now() - t0;
  return { api, client: { rps: round((latencies.length * 1000) / elapsed), p99Ms: summarize(latencies).p99, requests: latencies.length, errors } };
}

function fromAutocannon(r: autocannon.Result): Throughput {
  const ok = r['2xx'];
  return { rps: round(ok / r.duration), p99Ms: r.latency.p99, requests: ok, errors: r.non2xx + r.errors + r.timeouts };
}

/** `connections` callers in a loop for `ms`: requests per second and p99. */
export async function clientLoop(ms: number, connections: number, call: (i: number) => Promise<unknown>): Promise<Throughput> {
  const latencies: number[] = [];
  let errors = 0;
  let i = 0;
  const t0 = performance.now();
  const end = t0 + ms;
  await Promise.all(
    Array.from({ length: connections }, async () => {
      while (performance.now() < end) {
        const t = performance.now();
        try {
          await call(i++);
          latencies.push(performance.now() - t);
        } catch {
          errors++;
        }
      }
    }),
  );
  const elapsed = performance.now() - t0;
  return { rps: round((latencies.length * 1000) / elapsed), p99Ms: summarize(latencies).p99, requests: latencies.length, errors };
}
