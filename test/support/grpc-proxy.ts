import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, listening, makePki, type Pki } from './sip-peers';

/**
 * `temporal server start-dev` speaks plain gRPC only, so the TLS and API-key paths are tested
 * through Debian's nginx in front of it, as a real cluster's ingress would be: TLS with HTTP/2 by
 * ALPN, `grpc_pass` to the dev server. One port asks for a client certificate signed by the test
 * CA (mTLS); the other takes any TLS client but wants `authorization: Bearer <apiKey>`, as Temporal
 * Cloud's API keys do. nginx runs in the foreground as us, with its own prefix and config in a
 * temp dir (no system service; scripts/setup-system.js installs the package when run as root).
 */
export interface GrpcProxy {
  /** host:port of the mTLS listener and of the API-key listener. */
  mtls: string;
  apiKey: string;
  /** The name the server certificate carries (not the address: TEMPORAL_TLS_SERVER_NAME must say it). */
  serverName: string;
  pki: Pki;
  caFile: string;
  client: { cert: string; key: string };
  /** A certificate from another CA: nginx must refuse it. */
  stranger: { cert: string; key: string };
  /** What the access log shows (status per request), to prove traffic went through the proxy. */
  accessLog(): string;
  stop(): Promise<void>;
}

const NGINX = ['/usr/sbin/nginx', '/usr/bin/nginx'].find((p) => fs.existsSync(p));

export async function startGrpcProxy(o: { dir: string; upstream: string; apiKey: string }): Promise<GrpcProxy> {
  if (!NGINX) throw new Error('nginx is missing: apt-get install nginx (npm test installs it when run as root)');
  const serverName = 'temporal.proxy.test';
  const pki = makePki(o.dir);
  const server = pki.issue('server', { dnsNames: [serverName] });
  const client = pki.issue('client', { dnsNames: ['onboard-worker'] });
  const strangerDir = path.join(o.dir, 'stranger');
  fs.mkdirSync(strangerDir);
  const stranger = makePki(strangerDir).issue('client', { dnsNames: ['onboard-worker'] });
  const [mtlsPort, keyPort] = [await freePort(), await freePort()];
  const prefix = path.join(o.dir, 'nginx');
  fs.mkdirSync(path.join(prefix, 'logs'), { recursive: true });
  const tls = `ssl_certificate ${server.cert}; ssl_certificate_key ${server.key}; ssl_protocols TLSv1.2 TLSv1.3;`;
  // Long polls last up to 70 s; a request body is a page of payloads at most.
  const grpc = `grpc_pass grpc://${o.upstream}; grpc_read_timeout 120s; grpc_send_timeout 120s; client_max_body_size 16m; client_body_timeout 120s;`;
  const conf = `
daemon off;
worker_processes 1;
pid ${prefix}/nginx.pid;
error_log ${prefix}/logs/error.log warn;
events { worker_connections 256; }
http {
  log_format byport '$server_port $status $request_uri';
  access_log ${prefix}/logs/access.log byport;
  client_body_temp_path ${prefix}/body; proxy_temp_path ${prefix}/proxy; fastcgi_temp_path ${prefix}/fastcgi;
  uwsgi_temp_path ${prefix}/uwsgi; scgi_temp_path ${prefix}/scgi;
  keepalive_timeout 300s; http2_recv_timeout 300s; http2_idle_timeout 300s;
  server {
    listen 127.0.0.1:${mtlsPort} ssl http2;
    ${tls}
    ssl_client_certificate ${pki.caFile}; ssl_verify_client on;
    location / { ${grpc} }
  }
  server {
    listen 127.0.0.1:${keyPort} ssl http2;
    ${tls}
    location / {
      if ($http_authorization != "Bearer ${o.apiKey}") { return 401; }
      ${grpc}
    }
  }
}
`;
  const confFile = path.join(prefix, 'nginx.conf');
  fs.writeFileSync(confFile, conf, { mode: 0o600 });
  const proc = spawn(NGINX, ['-p', prefix, '-c', confFile, '-e', path.join(prefix, 'logs', 'error.log')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let stderr = '';
  proc.stderr!.on('data', (d) => (stderr = (stderr + d).slice(-4000)));
  const exited = new Promise<void>((resolve) => proc.once('exit', () => resolve()));
  try {
    await Promise.race([
      Promise.all([listening(mtlsPort), listening(keyPort)]),
      exited.then(() => Promise.reject(new Error(`nginx exited: ${stderr || fs.readFileSync(path.join(prefix, 'logs', 'error.log'), 'utf8')}`))),
    ]);
  } catch (err) {
    proc.kill('SIGTERM');
    throw err;
  }
  return {
    mtls: `127.0.0.1:${mtlsPort}`,
    apiKey: `127.0.0.1:${keyPort}`,
    serverName,
    pki,
    caFile: pki.caFile,
    client,
    stranger,
    accessLog: () => fs.readFileSync(path.join(prefix, 'logs', 'access.log'), 'utf8'),
    stop: async () => {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill('SIGQUIT'); // graceful: lets open streams end
      const killer = setTimeout(() => proc.kill('SIGKILL'), 3000);
      await exited;
      clearTimeout(killer);
    },
  };
}
