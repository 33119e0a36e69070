import fs from 'node:fs';
import path from 'node:path';
import type { FastifyInstance } from 'fastify';
import { workflowIdFor } from '../domain/tenant';
import { packageRoot } from '../paths';

/**
 * The dashboard: static HTML and CSS from src/api/dashboard, and its script compiled by `npm run
 * build` (tsconfig.dashboard.json) to dist/dashboard/app.js. No CDN and no build step that needs
 * the internet; it talks to the same API as everyone else, with the person's own token.
 */
/**
 * No other site may frame our pages (clickjacking a signed-in person into pressing Complete or
 * Cancel): every HTML answer, the dashboard's and the API docs', gets `frame-ancestors 'none'`
 * merged into whatever CSP it already sends, and `X-Frame-Options: DENY` for older browsers.
 * Registered before any route or plugin, so it covers them all.
 */
export function denyFraming(app: FastifyInstance): void {
  app.addHook('onSend', async (_req, reply, payload) => {
    if (!String(reply.getHeader('content-type') ?? '').startsWith('text/html')) return payload;
    reply.header('content-security-policy', withFrameAncestorsNone(reply.getHeader('content-security-policy')));
    reply.header('x-frame-options', 'DENY');
    return payload;
  });
}

/** A CSP with `frame-ancestors 'none'` in place of any frame-ancestors it had, its other directives kept. */
export function withFrameAncestorsNone(csp: unknown): string {
  const directives = (Array.isArray(csp) ? csp.join(';') : String(csp ?? ''))
    .split(';')
    .map((d) => d.trim())
    .filter((d) => d && !/^frame-ancestors(\s|$)/i.test(d));
  return [...directives, "frame-ancestors 'none'"].join('; ');
}

/** The dashboard script's modules (src/api/dashboard/*.ts): app, the API client, DOM helpers, the pages (the list's rows apart; the start page and its schema-drawn form), the tenant page's forms, live events, timeline, health panel and Temporal Web UI link. */
const DASHBOARD_MODULES = [
  'app',
  'api',
  'dom',
  'list',
  'list-rows',
  'start-form',
  'schema-form',
  'temporal-link',
  'tenant',
  'corrections',
  'offboard',
  'audit',
  'events',
  'instructions',
  'health',
  'reconcile',
  'step-view',
  'step-actions',
  'evidence-form',
  'copy-values',
  'needs',
  'summary',
];

/**
 * Where the tenant page's "Temporal Web UI" link goes: the run of `onboarding-<tenantId>` (the UI
 * opens its latest run), `{tenantId}` filled in by the page. Absent: the page shows no link.
 */
export function temporalRunUrl(uiUrl: string | undefined, namespace: string): string | undefined {
  if (!uiUrl) return undefined;
  return `${uiUrl.replace(/\/+$/, '')}/namespaces/${encodeURIComponent(namespace)}/workflows/${workflowIdFor('{tenantId}')}`;
}

const attr = (v: string) => v.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;').replace(/>/g, '&gt;');

export async function registerDashboard(app: FastifyInstance, opts: { temporalRunUrl?: string } = {}): Promise<void> {
  const root = packageRoot();
  const files: Record<string, { file: string; type: string; fill?: (html: string) => string }> = {
    // The page carries the run-link template in a meta tag: no request needed to learn it.
    '/': {
      file: path.join(root, 'src', 'api', 'dashboard', 'index.html'),
      type: 'text/html; charset=utf-8',
      fill: (html) =>
        html.replace('<meta name="temporal-run-url" content="" />', `<meta name="temporal-run-url" content="${attr(opts.temporalRunUrl ?? '')}" />`),
    },
    '/app.css': { file: path.join(root, 'src', 'api', 'dashboard', 'app.css'), type: 'text/css; charset=utf-8' },
    '/forms.css': { file: path.join(root, 'src', 'api', 'dashboard', 'forms.css'), type: 'text/css; charset=utf-8' },
    // The start page's "Load example": the same file the README and `onboard start` use.
    '/tenant.example.json': { file: path.join(root, 'examples', 'tenant.example.json'), type: 'application/json; charset=utf-8' },
    // One small SVG icon; also at /favicon.ico, which browsers and tools ask for without looking at the page.
    '/favicon.svg': { file: path.join(root, 'src', 'api', 'dashboard', 'favicon.svg'), type: 'image/svg+xml' },
    '/favicon.ico': { file: path.join(root, 'src', 'api', 'dashboard', 'favicon.svg'), type: 'image/svg+xml' },
    // The script's ES modules (app.ts imports the others), compiled to dist/dashboard/.
    ...Object.fromEntries(
      DASHBOARD_MODULES.map((m) => [`/${m}.js`, { file: path.join(root, 'dist', 'dashboard', `${m}.js`), type: 'text/javascript; charset=utf-8' }]),
    ),
  };
  for (const [url, { file, type, fill }] of Object.entries(files)) {
    app.get(url, async (_req, reply) => {
      if (!fs.existsSync(file))
        return reply
          .code(503)
          .type('text/plain')
          .send(`dashboard asset missing (${path.relative(root, file)}); run npm run build`);
      return reply
        .type(type)
        .header('cache-control', 'no-cache')
        .header('content-security-policy', "default-src 'self'; style-src 'self' 'unsafe-inline'")
        .send(fill ? fill(fs.readFileSync(file, 'utf8')) : fs.readFileSync(file));
    });
  }
}
