import http from 'node:http';
import type { AddressInfo } from 'node:net';
import zlib from 'node:zlib';
import { startUiProxy } from '../../src/local-temporal/ui-proxy';

/** A stand-in for the Temporal Web UI's server: its settings answer (gzipped when asked), and a page that echoes what it got. */
async function fakeUi(): Promise<{ port: number; seen: http.IncomingHttpHeaders[]; close: () => Promise<void> }> {
  const seen: http.IncomingHttpHeaders[] = [];
  const server = http.createServer((req, res) => {
    seen.push(req.headers);
    if (req.url === '/api/v1/settings') {
      const body = JSON.stringify({
        Auth: { Enabled: false },
        Codec: { Endpoint: 'http://127.0.0.1:3000/codec', PassAccessToken: false, IncludeCredentials: false },
      });
      if (String(req.headers['accept-encoding'] ?? '').includes('gzip')) {
        res.writeHead(200, { 'content-type': 'application/json', 'content-encoding': 'gzip', 'set-cookie': '_csrf=abc; Path=/' });
        res.end(zlib.gzipSync(body));
      } else {
        res.writeHead(200, { 'content-type': 'application/json', 'set-cookie': '_csrf=abc; Path=/' });
        res.end(body);
      }
      return;
    }
    let got = '';
    req.on('data', (c) => (got += c));
    req.on('end', () => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-upstream': 'yes' });
      res.end(`${req.method} ${req.url} ${got}`);
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  return { port: (server.address() as AddressInfo).port, seen, close: () => new Promise<void>((r) => server.close(() => r())) };
}

async function freePort(): Promise<number> {
  const s = http.createServer();
  await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
  const { port } = s.address() as AddressInfo;
  await new Promise<void>((r) => s.close(() => r()));
  return port;
}

describe('the dev Web UI proxy', () => {
  it('says IncludeCredentials: true in the settings answer (asked uncompressed), and passes everything else through as it is', async () => {
    const ui = await fakeUi();
    const port = await freePort();
    const proxy = await startUiProxy({ host: '127.0.0.1', port, target: { host: '127.0.0.1', port: ui.port } });
    try {
      const settings = await fetch(`http://127.0.0.1:${port}/api/v1/settings`, { headers: { 'accept-encoding': 'gzip' } });
      expect(settings.status).toBe(200);
      expect(settings.headers.get('set-cookie')).toBe('_csrf=abc; Path=/');
      expect(await settings.json()).toEqual({
        Auth: { Enabled: false },
        Codec: { Endpoint: 'http://127.0.0.1:3000/codec', PassAccessToken: false, IncludeCredentials: true },
      });
      expect(ui.seen.at(-1)!['accept-encoding']).toBeUndefined();

      const post = await fetch(`http://127.0.0.1:${port}/api/v1/namespaces/default/workflows?query=x`, { method: 'POST', body: 'hello' });
      expect(post.status).toBe(201);
      expect(post.headers.get('x-upstream')).toBe('yes');
      expect(await post.text()).toBe('POST /api/v1/namespaces/default/workflows?query=x hello');
    } finally {
      await proxy.close();
      await ui.close();
    }
  });

  it('answers 502 while the UI behind it is down', async () => {
    const port = await freePort();
    const proxy = await startUiProxy({ host: '127.0.0.1', port, target: { host: '127.0.0.1', port: await freePort() } });
    try {
      const res = await fetch(`http://127.0.0.1:${port}/`);
      expect(res.status).toBe(502);
      expect(await res.text()).toBe('the Temporal Web UI is not answering');
    } finally {
      await proxy.close();
    }
  });
});
