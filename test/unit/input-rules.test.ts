import fs from 'node:fs';
import path from 'node:path';
import { parseTenantFile, TenantInput, TenantInvalid } from '../../src/domain/tenant';

/**
 * What the security probe of issue 12 got through the tenant file: reminders every second. Refused
 * now, by field, in one line.
 */
const example = JSON.parse(fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'tenant.example.json'), 'utf8'));

function errors(raw: unknown): string[] {
  try {
    parseTenantFile(raw);
  } catch (err) {
    if (err instanceof TenantInvalid) return err.lines;
    throw err;
  }
  return [];
}
const withReminders = (r: Record<string, string>) => ({ ...example, reminders: { ...example.reminders, ...r } });

describe('reminders: at least 5 minutes apart (issue 12, finding 4)', () => {
  const SOONER = "must be at least 5m (reminders sooner flood the owner and grow the run's history)";
  const OFTEN = "must be at least 5m (reminders more often flood the owner and grow the run's history)";
  const ESCALATE = 'must be at least 5m (an escalation sooner leaves the person no time to act)';

  it("the probe's tenant (a reminder every second) is refused, one line per field", () => {
    expect(errors(withReminders({ firstAfter: '1s', every: '1s', escalateAfter: '1s' }))).toEqual([
      `reminders.firstAfter: ${SOONER}`,
      `reminders.every: ${OFTEN}`,
      `reminders.escalateAfter: ${ESCALATE}`,
    ]);
  });

  it.each([
    ['firstAfter', '4m59s', SOONER],
    ['every', '299s', OFTEN],
    ['escalateAfter', '4m', ESCALATE],
  ])('reminders.%s = %s is refused', (field, value, message) => {
    expect(errors(withReminders({ [field]: value }))).toEqual([`reminders.${field}: ${message}`]);
  });

  it('5 minutes is enough, in any spelling; the defaults stay', () => {
    expect(errors(withReminders({ firstAfter: '5m', every: '300s', escalateAfter: '4m60s' }))).toEqual([]);
    expect(parseTenantFile({ ...example, reminders: undefined }).reminders).toEqual({ firstAfter: '4h', every: '1d', escalateAfter: '2d' });
  });

  it('the workflow input has the same floor (a run cannot be started around the tenant file with fast reminders)', () => {
    const t = parseTenantFile(example);
    const refs = { ...t, kore: { ...t.kore, clientSecret: 'env:K' }, zoom: { ...t.zoom, clientSecret: 'env:Z' } };
    expect(TenantInput.safeParse(refs).success).toBe(true);
    expect(TenantInput.safeParse({ ...refs, reminders: { ...refs.reminders, every: '1s' } }).success).toBe(false);
  });
});
