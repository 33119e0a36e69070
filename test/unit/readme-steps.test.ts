import fs from 'node:fs';
import path from 'node:path';
import { STEPS } from '../../src/domain/steps';

/** The README's step table says, for every step of today's catalogue, how it is done: it must match the step files. */
const readme = fs.readFileSync(path.join(__dirname, '..', '..', 'README.md'), 'utf8');
const start = readme.indexOf('| step | how it is done |');
const table = readme.slice(start, readme.indexOf('\n\n', start));
const rows = new Map(
  table
    .split('\n')
    .slice(2)
    .filter((l) => l.startsWith('| '))
    .map((l) => l.split('|').map((c) => c.trim()))
    .map((c) => [c[1]!, c[2]!] as const),
);

it('lists every step of the catalogue, in its order, and no other', () => {
  expect([...rows.keys()]).toEqual(STEPS.map((s) => s.id));
});

describe.each(STEPS.map((s) => [s.id, s] as const))('%s', (id, step) => {
  it('says how it is done as the step file does', () => {
    const how = rows.get(id)!;
    if (step.kind === 'human' && step.automation) {
      expect(how).toMatch(/^auto with .+, else human/);
      // The credentials it names are the ones the automation needs.
      for (const named of step.automation.needs.match(/kore\.\w+|contact_center_flow:write:admin/g) ?? []) expect(how).toContain(named);
    } else expect(how.split(/[ ,]/)[0]).toBe(step.kind);
    expect(how.includes('skippable')).toBe(step.skippable);
  });
});
