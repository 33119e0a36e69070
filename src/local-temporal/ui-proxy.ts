import http from 'node:http';

/**
 * `temporal server start-dev --ui-codec-endpoint` sets the Web UI's codec endpoint but not its
 * "include cross-origin credentials" (the CLI has no flag for it), and our /codec knows a browser by
 * the session cookie signing in to the dashboard sets: a cross-origin fetch sends that cookie only
 * with credentials included. So the local UI runs on a private port behind this pass-through proxy,
 * which changes one answer: the UI's settings (GET /api/v1/settings) say `IncludeCredentials: true`.
 * Nobody then has to find the UI's codec settings by hand. A production UI sets the same in its
 * own configuration (README, "The Temporal Web UI").
 */
export async function startUiProxy(o: { host: string; port: number; target: { host: string; port: number } }): Promise<{ close(): Promise<void> }> {
  const server = http.createServer((req, res) => {
    const settings = req.method === 'GET' && (req.url ?? '').split('?')[0] === '/api/v1/settings';
    const headers = { ...req.headers };
    // The settings answer is rewritten, so it is asked for uncompressed.
    if (settings) delete headers['accept-encoding'];
    const upstream = http.request({ host: o.target.host, port: o.target.port, method: req.method, path: req.url, headers }, (up) => {
      if (!settings || up.statusCode !== 200) {
        res.writeHead(up.statusCode ?? 502, up.headers);
        up.pipe(res);
        return;
      }
      const chunks: Buffer[] = [];
      up.on('data', (c: Buffer) => chunks.push(c));
      up.on('end', () => {
        let body = Buffer.concat(chunks).toString('utf8');
        try {
          const parsed = JSON.parse(body) as { Codec?: Record<string, unknown> };
          if (parsed.Codec?.Endpoint) body = JSON.stringify({ ...parsed, Codec: { ...parsed.Codec, IncludeCredentials: true } });
        } catch {
          /* not the JSON we know: passed on as it came */
        }
        // Sent whole, with its own length: the upstream's framing (chunked, a length) is not this body's.
        const { 'content-length': _length, 'content-encoding': _encoding, 'transfer-encoding': _framing, ...rest } = up.headers;
        res.writeHead(200, { ...rest, 'content-length': Buffer.byteLength(body) });
        res.end(body);
      });
    });
    upstream.on('error', () => {
      if (!res.headersSent) res.writeHead(502, { 'content-type': 'text/plain' });
      res.end('the Temporal Web UI is not answering');
    });
    req.pipe(upstream);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(o.port, o.host, () => resolve());
  });
  return {
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/**
 * Starts a dev server whose Web UI has a codec endpoint behind the proxy above: the UI on
 * `innerPort`, the proxy on `uiPort` (the URL people open). Without a UI or a codec, just starts it.
 */
export async function behindUiProxy<S extends { uiUrl?: string; stop(): Promise<void> }>(
  ip: string,
  ui: { port?: number; innerPort?: number; codecEndpoint?: string },
  start: (uiPort: number | undefined) => Promise<S>,
): Promise<S> {
  if (ui.port === undefined || ui.innerPort === undefined || !ui.codecEndpoint) return start(ui.port);
  const server = await start(ui.innerPort);
  let proxy: { close(): Promise<void> };
  try {
    proxy = await startUiProxy({ host: ip, port: ui.port, target: { host: ip, port: ui.innerPort } });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    ...server,
    uiUrl: `http://${ip}:${ui.port}`,
    stop: async () => {
      await proxy.close();
      await server.stop();
    },
  };
}
