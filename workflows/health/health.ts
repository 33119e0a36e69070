import {
  allHandlersFinished,
  ApplicationFailure,
  condition,
  continueAsNew,
  log,
  proxyActivities,
  setHandler,
  upsertMemo,
  upsertSearchAttributes,
  workflowInfo,
} from '@temporalio/workflow';
import { CHECK_ACTIVITY, CheckResult, HEALTH_CHECK_TITLES, type HealthActivities, type HealthCheckId } from '../../src/domain/health';
import { messenger, reason } from '../activities';
import { plainInputRefusal } from '../contract/refusals';
import { plainInputGuard, refusePlainStart } from '../plain-input';
import { TenantId } from '../contract/search-attributes';
import {
  ConfigureHealthInput,
  configureHealthUpdate,
  DEFAULT_HEALTH_CONTINUE_AFTER_EVENTS,
  HEALTH_MEMO_KEY,
  HealthCarried,
  HealthInput,
  healthQuery,
  HealthStatus,
  RunHealthInput,
  runHealthUpdate,
  StopHealthInput,
  stopHealthSignal,
  type HealthEnd,
  type HealthStatusValue,
} from './contract';
import { HealthState } from './state';

/** Vendor checks: a few quick tries, then the run shows "could not check" (the next run tries again). */
const checks = proxyActivities<HealthActivities>({
  startToCloseTimeout: '1 minute',
  retry: { initialInterval: '5 seconds', backoffCoefficient: 2, maximumInterval: '30 seconds', maximumAttempts: 3 },
});
/** The SIP preflight: every DNS query, connection and SIP answer has its own timeout; a few targets in a row. */
const sipCheck = proxyActivities<Pick<HealthActivities, 'healthSip'>>({
  startToCloseTimeout: '3 minutes',
  retry: { initialInterval: '5 seconds', maximumAttempts: 2 },
});

/**
 * A live tenant's health: every `every` (daily by default) on its own durable timer, the checks
 * that apply to it (src/domain/health.ts) as activities in parallel; the results, a trend and the
 * notices kept in its state and memo, the worst outcome in the HealthStatus search attribute, and
 * the owner told once when a check gets worse. Timers rather than a Temporal Schedule: the
 * cadence is per tenant and changes by Update, one workflow holds the state a schedule would
 * have to pass between runs, and the time-skipping test server (no Schedules) runs a week of it
 * in seconds. Continues as new before its history grows large; ends on `stopHealth`.
 */
export async function tenantHealth(raw: HealthInput): Promise<HealthEnd> {
  // Sent without the payload codec: nothing in it is trusted (ONBOARD_REFUSE_PLAIN_INPUT; ../plain-input.ts).
  const plain = plainInputGuard();
  refusePlainStart(plain, raw);
  const input = HealthInput.parse(raw);
  const carried = input.carried && HealthCarried.parse(input.carried);
  const state = new HealthState(input.tenant, input.features, input.options, Date.now(), carried);
  const { tenant } = input;
  let asked = 0;
  let done = 0;

  setHandler(healthQuery, () => state.view());
  // Stopped and closing: nothing changes any more (`enable` starts a new workflow once this one has closed).
  const stillOn = (msg: unknown): unknown => {
    if (!state.stopped) return msg;
    throw ApplicationFailure.create({
      type: 'RunFinished',
      nonRetryable: true,
      message: `the health checks of ${tenant.tenantId} have stopped (${state.stopped.reason}); enable them again once this run has closed`,
    });
  };
  const trusted = (msg: unknown): unknown => {
    if (!plain.validatorRefuses(msg)) return msg;
    throw ApplicationFailure.create({ type: 'EncryptionRequired', nonRetryable: true, message: plainInputRefusal('Update') });
  };
  setHandler(
    configureHealthUpdate,
    (msg) => {
      state.configure(ConfigureHealthInput.parse(msg), Date.now());
      publish();
      return state.view();
    },
    { validator: (msg) => validate(() => ConfigureHealthInput.parse(stillOn(trusted(msg)))) },
  );
  setHandler(
    runHealthUpdate,
    async () => {
      const want = ++asked;
      await condition(() => done >= want || state.stopped !== undefined);
      return state.view();
    },
    { validator: (msg) => validate(() => RunHealthInput.parse(stillOn(trusted(msg)))) },
  );
  setHandler(stopHealthSignal, (msg) => {
    // Refused, not stopped: in the changes, with whom it claims to be from.
    const claimed = (msg as { by?: unknown } | undefined)?.by;
    if (plain.refuses(msg))
      return state.refused(typeof claimed === 'string' ? claimed.slice(0, 120) : '?', `stopHealth refused: ${plainInputRefusal('Signal')}`, Date.now());
    const s = StopHealthInput.safeParse(msg);
    state.stop(s.data?.by ?? '?', s.data?.reason ?? 'stopped', Date.now());
  });

  let published = '';
  function publish(status: HealthStatusValue = state.status()): void {
    const view = state.view();
    const key = JSON.stringify([status, view]);
    if (key === published) return;
    published = key;
    upsertSearchAttributes([
      { key: TenantId, value: tenant.tenantId },
      { key: HealthStatus, value: status },
    ]);
    upsertMemo({ [HEALTH_MEMO_KEY]: view });
  }

  async function check(id: HealthCheckId): Promise<CheckResult> {
    const name = CHECK_ACTIVITY[id];
    const call = name === 'healthSip' ? sipCheck.healthSip : checks[name];
    const at = new Date(Date.now()).toISOString();
    try {
      const r = await call({ tenant, features: input.features, periodMs: state.everyMs, previous: state.previous(id) });
      return CheckResult.parse({ ...r, check: id, answer: r.answer.slice(0, 600) });
    } catch (err) {
      return { check: id, outcome: 'warning', answer: `could not check: ${reason(err)}`.slice(0, 600), at };
    }
  }

  async function runChecks(): Promise<void> {
    const results = await Promise.all(state.checks.run.map(check));
    const worse = state.record(results, Date.now());
    publish();
    if (!worse.length) return;
    const said = worse.map((r) => `${r.check} is ${r.outcome} (${HEALTH_CHECK_TITLES[r.check]}): ${r.answer}`).join('; ');
    const delivered = await messenger
      .notify({
        tenantId: tenant.tenantId,
        displayName: tenant.displayName,
        owner: tenant.contacts.owner,
        webhookUrl: tenant.contacts.notifyWebhookUrl,
        kind: 'health',
        stepId: `health:${worse.map((r) => r.check).join(',')}`,
        stepTitle: 'health checks',
        waitedMs: 0,
        firstInstruction: said,
      })
      .then(
        (r) => r.delivered,
        (err) => {
          log.warn('health notice not delivered', { error: reason(err) });
          return false;
        },
      );
    state.noticeSent(
      worse.map((r) => r.check),
      delivered,
      Date.now(),
    );
    publish();
  }

  const limit = input.options.continueAsNewAfterEvents ?? DEFAULT_HEALTH_CONTINUE_AFTER_EVENTS;
  const longEnough = () => workflowInfo().continueAsNewSuggested || workflowInfo().historyLength >= limit;

  publish();
  for (;;) {
    if (state.stopped) break;
    const due = state.nextRunAt();
    if (asked > done || (due !== undefined && Date.now() >= due)) {
      const want = asked;
      await runChecks();
      done = Math.max(done, want);
      continue;
    }
    if (longEnough() && allHandlersFinished()) {
      log.info('health continues as new', { tenantId: tenant.tenantId, historyLength: workflowInfo().historyLength });
      // This run is closed from here: lists of failing tenants show the next run only.
      publish('continued');
      await continueAsNew<typeof tenantHealth>({ tenant, features: input.features, options: input.options, carried: state.carried() });
    }
    const seen = state.version;
    const woken = () => state.stopped !== undefined || asked > done || state.version !== seen;
    if (due === undefined) await condition(woken);
    else await condition(woken, Math.max(1, due - Date.now()));
  }
  await condition(allHandlersFinished);
  publish();
  log.info('health stopped', { tenantId: tenant.tenantId, reason: state.stopped!.reason });
  return { stopped: state.stopped!, view: state.view() };
}

/** A malformed message is refused before it reaches history (zod's first issue, as a person reads it). */
function validate(fn: () => unknown): void {
  try {
    fn();
  } catch (err) {
    if (err instanceof ApplicationFailure) throw err;
    const issue = (err as { issues?: Array<{ path: PropertyKey[]; message: string }> }).issues?.[0];
    throw ApplicationFailure.create({
      type: 'InvalidInput',
      nonRetryable: true,
      message: issue ? `${issue.path.join('.') || 'message'}: ${issue.message}` : String((err as Error).message),
      details: [issue ? [{ field: issue.path.join('.'), message: issue.message }] : []],
    });
  }
}
