#!/usr/bin/env node
// System tools the test suite needs that npm cannot install: Debian's docker-compose, to check
// docker-compose.yml without a Docker engine, Debian's chromium for the browser tests,
// poppler-utils (pdftotext) to read the sign-off record's PDF, dnsmasq, sipp, stunnel and
// openssl for the SIP preflight's peers, promtool (Debian's prometheus package) for the
// metrics, alert rules and dashboard checks, and nginx as the TLS and API-key proxy in front of the
// dev server (test/support/grpc-proxy.ts). Installed with apt-get when we are
// root (as CI is); otherwise we say what to install. Temporal itself comes from PyPI, in the tests' global setup.
const { spawnSync } = require('node:child_process');

const works = (cmd, args) => spawnSync(cmd, args, { stdio: 'ignore' }).status === 0;
const exists = (file) => require('node:fs').existsSync(file);
const needs = [
  {
    pkg: 'docker-compose',
    present: () => works('docker', ['compose', 'version']) || works('docker-compose', ['version']),
    why: 'checks docker-compose.yml without an engine',
  },
  {
    pkg: 'chromium',
    present: () => require('node:fs').existsSync('/usr/bin/chromium'),
    why: "the dashboard browser test drives Debian's chromium with playwright-core",
  },
  // The SIP preflight's real peers on loopback (test/support/sip-peers.ts); dnsmasq-base is the
  // binary without the system service the dnsmasq package would start.
  {
    pkg: 'dnsmasq-base',
    present: () => exists('/usr/sbin/dnsmasq'),
    why: 'the SIP preflight tests serve SRV and A records from dnsmasq',
  },
  {
    pkg: 'sip-tester',
    present: () => exists('/usr/bin/sipp'),
    why: 'the SIP preflight tests answer OPTIONS with sipp',
  },
  {
    pkg: 'stunnel4',
    present: () => exists('/usr/bin/stunnel4'),
    why: "the SIP preflight tests put stunnel's TLS in front of sipp (Debian's sipp has no TLS)",
  },
  {
    pkg: 'openssl',
    present: () => works('openssl', ['version']),
    why: 'the SIP preflight tests make their certificates with the openssl CLI',
  },
  // Run by the tests as a foreground process of ours with its own prefix; the package's own
  // service is never used (in containers policy-rc.d keeps it from starting).
  {
    pkg: 'nginx',
    present: () => exists('/usr/sbin/nginx'),
    why: "the Temporal TLS tests put nginx's TLS and grpc_pass in front of the dev server (mTLS, API key)",
  },
  {
    // Installed for promtool only; without systemd its daemon is not started.
    pkg: 'prometheus',
    present: () => works('promtool', ['--version']),
    why: 'the metrics tests run `promtool check metrics`, `check rules` and `test rules`',
  },
  {
    pkg: 'poppler-utils',
    present: () => works('pdftotext', ['-v']),
    why: "the sign-off record test reads the PDF chromium printed with poppler's pdftotext",
  },
];

const missing = needs.filter((n) => !n.present());
if (missing.length === 0) process.exit(0);
const names = missing.map((n) => n.pkg);
const isRoot = typeof process.getuid === 'function' && process.getuid() === 0;
if (!isRoot || !works('apt-get', ['--version'])) {
  console.error(`setup: missing ${names.join(', ')} (${missing.map((n) => n.why).join('; ')}); install with: sudo apt-get install ${names.join(' ')}`);
  process.exit(0);
}
const apt = (args) =>
  spawnSync('apt-get', args, { stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } }).status === 0;
console.error(`setup: apt-get install ${names.join(' ')} ...`);
const started = Date.now();
if (!apt(['install', '-y', '-q', '--no-install-recommends', ...names])) {
  console.error('setup: apt-get update ...');
  apt(['update', '-q']);
  if (!apt(['install', '-y', '-q', '--no-install-recommends', ...names])) {
    console.error(`setup: apt-get install ${names.join(' ')} failed; the tests that need it will say so`);
    process.exit(0);
  }
}
console.error(`setup: installed ${names.join(', ')} in ${((Date.now() - started) / 1000).toFixed(0)} s`);
