import type { TenantInput } from '../../src/domain/tenant';
import type { CallRecord, FaultSpec } from '../../src/sim/faults';
import { startHarness, type Harness } from '../support/onboarding';
import { notDoneOnce, playPeople, recordResult } from './support';

/**
 * Both vendors misbehave at once while onboardings run: 30% of calls answer 5xx, then 30% of the
 * rest 429 with Retry-After, 30% of the rest drop the connection, 15% take 2 s (the first three
 * until the client's cap). Every run completes, and every 429's
 * Retry-After is honoured: the same client's next call to that vendor comes no sooner.
 *
 * Why this cannot exhaust a retry policy (vendor activities: 10 attempts): the failing faults are
 * capped per client (a Kore.ai bot, a Zoom account) at 2 + 1 + 1 = 4 per vendor, and an activity
 * calls at most both vendors, so one activity sees at most 8 failures. Without the cap, 30% per
 * call over activities of up to four calls would exhaust ten attempts now and then.
 */
const TENANTS = 5;
const RETRY_AFTER_S = 2;
const STORM: FaultSpec[] = [
  { path: '*', status: 503, probability: 0.3, countPerClient: 2 },
  { path: '*', status: 429, retryAfter: String(RETRY_AFTER_S), probability: 0.3, countPerClient: 1 },
  { path: '*', drop: true, probability: 0.3, countPerClient: 1 },
  { path: '*', latencyMs: 2000, probability: 0.15 },
];
let h: Harness;

beforeAll(async () => {
  h = await startHarness();
});
afterAll(() => h?.stop());

/** The ms a 429 asked for: Retry-After in seconds or as a date. */
function askedMs(c: CallRecord): number {
  const v = c.retryAfter!;
  return /^\d+$/.test(v) ? Number(v) * 1000 : Date.parse(v) - c.end!;
}

/** For each 429 with Retry-After: how much longer than asked the client waited before its next call to that vendor. */
function waitsAfter429(timeline: CallRecord[]): Array<{ client: string; askedMs: number; waitedMs: number }> {
  const out: Array<{ client: string; askedMs: number; waitedMs: number }> = [];
  timeline.forEach((c, i) => {
    if (c.status !== 429 || c.retryAfter === undefined || !c.client) return;
    const next = timeline.slice(i + 1).find((n) => n.client === c.client && n.at >= c.at);
    if (next) out.push({ client: c.client, askedMs: askedMs(c), waitedMs: next.at - c.end! });
  });
  return out;
}

it('onboardings complete through a 5xx, 429, dropped-connection and latency storm on both vendors, waiting as told', async () => {
  const started = Date.now();
  for (const f of STORM) {
    h.sims.kore.faults.add(f);
    h.sims.zoom.faults.add(f);
  }
  const tenants: TenantInput[] = [];
  for (let i = 0; i < TENANTS; i++) tenants.push(await h.start(undefined, { summaryPollInterval: '1s', summaryWaitLimit: '2m' }));
  const finals = await Promise.all(tenants.map((tenant) => playPeople({ h, tenant, deadlineMs: 150_000 })));
  const results = await Promise.all(tenants.map((t) => h.onboardings.result(t.tenantId)));
  const completed = results.filter((r) => r.status === 'completed').length;

  const hits = (sim: { faults: typeof h.sims.kore.faults }) => {
    const [e5xx, e429, drop, latency] = sim.faults.list().map((f) => f.hits);
    return { '5xx': e5xx!, '429': e429!, drop: drop!, latency: latency! };
  };
  const kore = hits(h.sims.kore);
  const zoom = hits(h.sims.zoom);
  const waits = [...waitsAfter429(h.sims.kore.calls.timeline()), ...waitsAfter429(h.sims.zoom.calls.timeline())];
  const tooSoon = waits.filter((w) => w.waitedMs < w.askedMs);
  const calls = h.sims.kore.calls.timeline().length + h.sims.zoom.calls.timeline().length;

  recordResult('vendor-storm', {
    onboardings: TENANTS,
    completed,
    lost: TENANTS - completed,
    vendorCalls: calls,
    faultsInjected: Object.values(kore).reduce((a, b) => a + b, 0) + Object.values(zoom).reduce((a, b) => a + b, 0),
    kore5xx: kore['5xx'],
    kore429: kore['429'],
    koreDrops: kore.drop,
    koreSlow: kore.latency,
    zoom5xx: zoom['5xx'],
    zoom429: zoom['429'],
    zoomDrops: zoom.drop,
    zoomSlow: zoom.latency,
    retryAftersChecked: waits.length,
    retryAftersCutShort: tooSoon.length,
    shortestExtraWaitMs: waits.length ? Math.min(...waits.map((w) => w.waitedMs - w.askedMs)) : -1,
    seconds: (Date.now() - started) / 1000,
  });

  expect(completed).toBe(TENANTS);
  expect(finals.flatMap(notDoneOnce)).toEqual([]);
  // The storm really hit with every kind of fault (each kind on either vendor: with five clients
  // per vendor, none at all on both is a chance of about one in a million).
  for (const kind of ['5xx', '429', 'drop', 'latency'] as const) expect(kore[kind] + zoom[kind]).toBeGreaterThan(0);
  expect(waits.length).toBeGreaterThan(0);
  expect(tooSoon).toEqual([]);
}, 180_000);
