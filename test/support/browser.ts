import fs from 'node:fs';
import type { FastifyInstance } from 'fastify';
import { chromium, type Browser, type Page } from 'playwright-core';
import { TokenBook } from '../../src/api/auth';
import { buildApi } from '../../src/api/server';
import { createLogger } from '../../src/log';
import { FAST, startHarness, type Harness } from './onboarding';

/** Debian's chromium, headless, with nothing of its own going to the network. */
export async function launchChromium(): Promise<Browser> {
  if (!fs.existsSync('/usr/bin/chromium'))
    throw new Error('/usr/bin/chromium is missing; `npm test` installs it with apt-get when run as root (apt-get install chromium)');
  return chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}

let axeSource: string | undefined;

/** axe-core's violations on the page as it is (WCAG 2.1 A/AA and best practices), by rule, impact and element. */
export async function axeViolations(page: Page): Promise<Array<{ id: string; impact: string; help: string; targets: string[] }>> {
  axeSource ??= fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');
  // Evaluated, not added as a script tag: the dashboard's CSP (rightly) refuses inline scripts.
  await page.evaluate(axeSource);
  return page.evaluate(async () => {
    const r = await (globalThis as any).axe.run((globalThis as any).document, { runOnly: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] });
    return r.violations.map((v: any) => ({ id: v.id, impact: v.impact, help: v.help, targets: v.nodes.map((n: any) => n.target.join(' ')) }));
  });
}

/** A dashboard under test: a harness (worker, simulators), the API with the given people, and Debian's chromium. */
export interface Dashboard {
  h: Harness;
  api: FastifyInstance;
  url: string;
  browser: Browser;
  stop: () => Promise<void>;
}

/** Starts what every dashboard test file needs; `uiUrl`: the Temporal Web UI the run pages link to. */
export async function startDashboard(name: string, people: ConstructorParameters<typeof TokenBook>[0], opts: { uiUrl?: string } = {}): Promise<Dashboard> {
  const h = await startHarness();
  let api: FastifyInstance | undefined;
  try {
    api = await buildApi({
      config: opts.uiUrl ? { ...h.config, temporal: { ...h.config.temporal, uiUrl: opts.uiUrl } } : h.config,
      client: h.client,
      logger: createLogger({ name }),
      tokens: new TokenBook(people),
      taskQueue: h.taskQueue,
      onboardingOptions: FAST,
    });
    const url = await api.listen({ host: '127.0.0.1', port: 0 });
    const browser = await launchChromium();
    return { h, api, url, browser, stop: () => stopAll(browser, api!, h) };
  } catch (err) {
    // Half started: nothing left running behind the failure.
    await api?.close();
    await h.stop();
    throw err;
  }
}

async function stopAll(browser: Browser, api: FastifyInstance, h: Harness): Promise<void> {
  await browser.close();
  await api.close();
  await h.stop();
}
