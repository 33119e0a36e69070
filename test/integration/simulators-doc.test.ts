import fs from 'node:fs';
import path from 'node:path';
import { createKoreSim } from '../../src/sim/kore/server';
import { createZoomSim } from '../../src/sim/zoom/server';
import { ROOT } from '../support/paths';

/**
 * docs/simulators.md is the simulators' contract with their readers: its tables must list exactly
 * the routes the simulators register (a new route undocumented, or a documented one gone, fails),
 * and every vendor route says whether its behaviour is documented (with a source) or assumed.
 */
type Sim = 'kore' | 'zoom';
const METHOD = /^(GET|POST|PUT|PATCH|DELETE)$/;
const ROUTE = /^(GET|POST|PUT|PATCH|DELETE)\s+(\/\S*)$/;
const normal = (method: string, p: string) => `${method} ${p.replace(/:[A-Za-z_]+/g, ':*')}`;

interface DocRoute {
  sim: Sim;
  route: string;
  vendor: boolean;
  row: string;
}

/** Every route in the page's tables, with the simulator its section is about. */
function documented(): DocRoute[] {
  const out: DocRoute[] = [];
  let sims: Sim[] = [];
  let vendor = false;
  let prefix = '';
  for (const line of fs.readFileSync(path.join(ROOT, 'docs', 'simulators.md'), 'utf8').split('\n')) {
    if (line.startsWith('## Kore.ai simulator')) [sims, vendor] = [['kore'], true];
    else if (line.startsWith('## Zoom simulator')) [sims, vendor] = [['zoom'], true];
    else if (line.startsWith('## Admin API')) [sims, vendor] = [['kore', 'zoom'], false];
    else if (line.startsWith('## ')) sims = [];
    else if (!vendor && line === 'Both simulators:') sims = ['kore', 'zoom'];
    else if (!vendor && line === 'Kore.ai:') sims = ['kore'];
    else if (!vendor && line === 'Zoom:') sims = ['zoom'];
    if (!line.startsWith('| ') || /^\|[-| ]+\|$/.test(line)) continue;
    const first = line.split('|')[1] ?? '';
    if (/^\s*(route|call)\b/.test(first)) {
      prefix = /\(`(\/[^`]+)`\)/.exec(first)?.[1] ?? '';
      continue;
    }
    const pending: string[] = [];
    for (const [, token] of first.matchAll(/`([^`]+)`/g)) {
      if (METHOD.test(token!)) pending.push(token!);
      const m = ROUTE.exec(token!);
      if (!m) continue;
      for (const method of [...pending, m[1]!]) for (const sim of sims) out.push({ sim, route: normal(method, `${prefix}${m[2]}`), vendor, row: line });
      pending.length = 0;
    }
  }
  return out;
}

async function registered(): Promise<Record<Sim, string[]>> {
  const kore = createKoreSim();
  const zoom = createZoomSim();
  await Promise.all([kore.app.ready(), zoom.app.ready()]);
  const list = (routes: Array<{ method: string; path: string }>) => [...new Set(routes.map((r) => normal(r.method, r.path)))].sort();
  const out = { kore: list(kore.routes), zoom: list(zoom.routes) };
  await Promise.all([kore.app.close(), zoom.app.close()]);
  return out;
}

it.each(['kore', 'zoom'] as const)('the %s tables list exactly the routes the simulator registers', async (sim) => {
  const served = (await registered())[sim];
  const listed = [
    ...new Set(
      documented()
        .filter((d) => d.sim === sim)
        .map((d) => d.route),
    ),
  ].sort();
  expect(served.length).toBeGreaterThan(10);
  expect({ undocumented: served.filter((r) => !listed.includes(r)), gone: listed.filter((r) => !served.includes(r)) }).toEqual({ undocumented: [], gone: [] });
});

it('every vendor route says whether its behaviour is documented (and where) or assumed', () => {
  const vendorRows = documented().filter((d) => d.vendor);
  expect(vendorRows.length).toBeGreaterThan(20);
  expect(vendorRows.filter((d) => !/documented|assumed|as `zoom-api\.md` says/.test(d.row)).map((d) => d.route)).toEqual([]);
});
