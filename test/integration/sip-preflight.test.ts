import dgram from 'node:dgram';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { ApplicationFailure } from '@temporalio/common';
import { MockActivityEnvironment } from '@temporalio/testing';
import { sipPreflight } from '../../activities/preflight';
import type { StepActivityInput } from '../../src/domain/activity-contract';
import { describeTarget, preflightSettings, runSipPreflight, type PreflightSettings } from '../../src/integrations/sip/preflight';
import { freePort, makePki, startDnsmasq, startSipp, startStunnel, type Peer } from '../support/sip-peers';

/**
 * The preflight against real peers on loopback (test/support/sip-peers.ts): dnsmasq answers the
 * records below, stunnel holds the certificates and hands each connection to sipp (answering
 * OPTIONS) or to a server that never says anything; one port has nothing listening.
 */
const Z = 'zcc.test';
let dir: string;
const peers: Peer[] = [];
let settings: PreflightSettings;
let resolver: string;
let silentSink: net.Server;
/** The port nothing listens on until the propagation test starts a TLS listener there. */
let latePort: number;
let sippPort: number;

beforeAll(async () => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'sip-preflight-'));
  const pki = makePki(dir);
  const leaf = (name: string, o: Parameters<typeof pki.issue>[1]) => ({ name, ...pki.issue(name, o) });
  const sipp = await startSipp(dir);
  peers.push(sipp);
  sippPort = sipp.port;
  silentSink = net.createServer(() => undefined).listen(0, '127.0.0.1');
  await new Promise((r) => silentSink.once('listening', r));
  const silentPort = (silentSink.address() as net.AddressInfo).port;
  const toSipp = { connectPort: sipp.port };
  const tunnel = await startStunnel(dir, [
    { ...leaf('good', { dnsNames: [`good.${Z}`] }), ...toSipp },
    { ...leaf('target', { dnsNames: [`sbc.byname.${Z}`] }), ...toSipp },
    { ...leaf('untrusted', { dnsNames: [`untrusted.${Z}`], selfSigned: true }), ...toSipp },
    { ...leaf('expired', { dnsNames: [`expired.${Z}`], from: '20240101000000Z', to: '20240201000000Z' }), ...toSipp },
    { ...leaf('soon', { dnsNames: [`soon.${Z}`], days: 5 }), ...toSipp },
    { ...leaf('wrongname', { dnsNames: [`other.${Z}`] }), ...toSipp },
    { ...leaf('silent', { dnsNames: [`silent.${Z}`] }), connectPort: silentPort },
    { ...leaf('mixed', { dnsNames: [`primary-ok.${Z}`, `primary-down.${Z}`] }), ...toSipp },
    { ...leaf('public', { dnsNames: ['acme-voice.com'] }), ...toSipp },
  ]);
  peers.push(tunnel);
  const p = tunnel.ports;
  const deadPort = await freePort();
  latePort = await freePort();
  const host = (name: string) => ({ name, address: '127.0.0.1' });
  const dns = await startDnsmasq({
    zones: [Z, 'acme-voice.com'],
    srv: [
      { name: `_sips._tcp.good.${Z}`, target: `sip1.good.${Z}`, port: p.good! },
      { name: `_sip._tls.byname.${Z}`, target: `sbc.byname.${Z}`, port: p.target! },
      { name: `_sips._tcp.nowhere.${Z}`, target: `ghost.${Z}`, port: 5061 },
      { name: `_sips._tcp.refused.${Z}`, target: `sip1.refused.${Z}`, port: deadPort },
      { name: `_sips._tcp.untrusted.${Z}`, target: `sip1.untrusted.${Z}`, port: p.untrusted! },
      { name: `_sips._tcp.expired.${Z}`, target: `sip1.expired.${Z}`, port: p.expired! },
      { name: `_sips._tcp.soon.${Z}`, target: `sip1.soon.${Z}`, port: p.soon! },
      { name: `_sips._tcp.wrongname.${Z}`, target: `sip1.wrongname.${Z}`, port: p.wrongname! },
      { name: `_sips._tcp.silent.${Z}`, target: `sip1.silent.${Z}`, port: p.silent! },
      { name: `_sips._tcp.primary-ok.${Z}`, target: `a.mixed.${Z}`, port: p.mixed!, priority: 10 },
      { name: `_sips._tcp.primary-ok.${Z}`, target: `b.mixed.${Z}`, port: deadPort, priority: 20 },
      { name: `_sips._tcp.primary-down.${Z}`, target: `a.mixed.${Z}`, port: deadPort, priority: 10 },
      { name: `_sips._tcp.primary-down.${Z}`, target: `b.mixed.${Z}`, port: p.mixed!, priority: 20 },
      { name: `_sips._tcp.late.${Z}`, target: `sip1.late.${Z}`, port: latePort },
      { name: '_sips._tcp.acme-voice.com', target: 'sip1.acme-voice.com', port: p.public! },
    ],
    hosts: [
      host(`nosrv.${Z}`),
      ...['good', 'refused', 'untrusted', 'expired', 'soon', 'wrongname', 'silent', 'late'].map((d) => host(`sip1.${d}.${Z}`)),
      ...[`sbc.byname.${Z}`, `a.mixed.${Z}`, `b.mixed.${Z}`, 'sip1.acme-voice.com'].map(host),
    ],
  });
  peers.push(dns);
  resolver = dns.address;
  settings = preflightSettings({ resolvers: [resolver], caFile: pki.caFile, allowLocal: true, timeoutMs: 1_500 });
}, 60_000);

afterAll(async () => {
  await Promise.all(peers.map((p) => p.stop()));
  silentSink?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

const run = (domain: string, s: Partial<PreflightSettings> = {}) => runSipPreflight(domain, { ...settings, ...s });

describe('SIP preflight against dnsmasq, stunnel and sipp', () => {
  it('all good: SRV, trusted certificate naming the SIP domain, SIP 200 from sipp', async () => {
    const r = await run(`good.${Z}`);
    expect(r).toMatchObject({ verdict: 'ok', srv: `_sips._tcp.good.${Z}` });
    expect(r.targets).toEqual([expect.objectContaining({ target: `sip1.good.${Z}`, outcome: 'ok', address: '127.0.0.1', sip: { status: 200, reason: 'OK' } })]);
    expect(r.targets[0]!.tls).toMatchObject({ names: 'domain', issuer: 'Preflight Test CA', protocol: expect.stringMatching(/^TLSv1\.[23]$/) });
    expect(describeTarget(r.targets[0]!)).toContain('certificate names the SIP domain');
  });

  it('falls back to _sip._tls and accepts a certificate that names the SRV target (and says so)', async () => {
    const r = await run(`byname.${Z}`);
    expect(r).toMatchObject({ verdict: 'ok', srv: `_sip._tls.byname.${Z}` });
    expect(r.targets[0]).toMatchObject({ outcome: 'ok', tls: { names: 'target' } });
  });

  it.each([
    ['no SRV record', `nosrv.${Z}`, `no SRV record for _sips._tcp.nosrv.${Z} or _sip._tls.nosrv.${Z}`],
    ['a domain DNS has never heard of', `unknown.${Z}`, `no SRV record for _sips._tcp.unknown.${Z}`],
  ])('%s: failed, nothing to check', async (_, domain, reason) => {
    const r = await run(domain);
    expect(r).toMatchObject({ verdict: 'failed', targets: [] });
    expect(r.problem).toContain(reason);
  });

  it.each([
    ['SRV pointing nowhere', 'nowhere', `the SRV target ghost.${Z} has no A or AAAA record`],
    ['TLS refused', 'refused', 'connection refused'],
    ['an untrusted (self-signed) certificate', 'untrusted', 'self-signed'],
    ['an expired certificate', 'expired', 'expired on 2024-02-01'],
    ['a certificate expiring within 14 days', 'soon', 'days (less than 14): renew it'],
    ['a certificate for another name', 'wrongname', `names other.${Z}, neither the SIP domain wrongname.${Z} nor the SRV target sip1.wrongname.${Z}`],
  ])('%s: the target failed, with the reason', async (_, name, reason) => {
    const r = await run(`${name}.${Z}`);
    expect(r.verdict).toBe('failed');
    expect(r.targets).toHaveLength(1);
    expect(r.targets[0]).toMatchObject({ outcome: 'failed', reason: expect.stringContaining(reason) });
    expect(r.targets[0]!.sip).toBeUndefined();
  });

  it('TLS fine but no SIP answer: inconclusive, and the preflight passes with a warning', async () => {
    const started = Date.now();
    const r = await run(`silent.${Z}`);
    expect(r.verdict).toBe('warning');
    expect(r.targets[0]).toMatchObject({
      outcome: 'inconclusive',
      tls: { names: 'domain' },
      reason: expect.stringContaining('no SIP answer to OPTIONS within 1500 ms'),
    });
    expect(Date.now() - started).toBeLessThan(5_000);
  });

  it('the verdict weighs SRV priority: a failed fallback warns, a failed primary fails', async () => {
    const fallbackDown = await run(`primary-ok.${Z}`);
    expect(fallbackDown.targets.map((t) => [t.target, t.priority, t.outcome])).toEqual([
      [`a.mixed.${Z}`, 10, 'ok'],
      [`b.mixed.${Z}`, 20, 'failed'],
    ]);
    expect(fallbackDown.verdict).toBe('warning');
    const primaryDown = await run(`primary-down.${Z}`);
    expect(primaryDown.targets.map((t) => t.outcome)).toEqual(['failed', 'ok']);
    expect(primaryDown.verdict).toBe('failed');
  });

  it('outside dev, local names and loopback addresses are refused before any connection', async () => {
    const name = await run(`good.${Z}`, { allowLocal: false });
    expect(name).toMatchObject({ verdict: 'failed', problem: expect.stringContaining(`good.${Z} is not a public name`) });
    const address = await run('acme-voice.com', { allowLocal: false });
    expect(address.targets[0]).toMatchObject({
      outcome: 'failed',
      reason: expect.stringContaining('resolves to 127.0.0.1, a loopback, private or reserved address'),
    });
    expect(address.targets[0]!.tls).toBeUndefined();
  });

  it('a DNS server that never answers costs one timeout, said plainly', async () => {
    const mute = dgram.createSocket('udp4');
    await new Promise<void>((r) => mute.bind(0, '127.0.0.1', () => r()));
    try {
      const started = Date.now();
      const r = await run(`good.${Z}`, { resolvers: [`127.0.0.1:${mute.address().port}`], timeoutMs: 400 });
      expect(r.problem).toBe(`the DNS server did not answer for _sips._tcp.good.${Z} within 400 ms`);
      expect(Date.now() - started).toBeLessThan(3_000);
    } finally {
      mute.close();
    }
  });

  it('without the test CA the same good peer is untrusted', async () => {
    const r = await run(`good.${Z}`, { extraCa: [] });
    expect(r.targets[0]).toMatchObject({ outcome: 'failed', reason: expect.stringContaining('does not lead to a trusted CA') });
  });
});

describe('the sipPreflight activity', () => {
  const env = () => new MockActivityEnvironment({}, { logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} } });
  const input = (domain: string, sinceMsAgo: number) =>
    ({
      since: new Date(Date.now() - sinceMsAgo).toISOString(),
      evidence: { 'create-zoom-connector': { domain, did: '+14155550100', connectorName: 'Kore' } },
      results: {},
      skipped: [],
    }) as unknown as StepActivityInput;
  const activity = () => sipPreflight({ settings, propagationWindowMs: 15 * 60_000 });

  it('a failure during the propagation window is pending, after it PreflightFailed; once the SBC listens it is done', async () => {
    const pending = await env().run(activity(), input(`late.${Z}`, 60_000));
    expect(pending).toMatchObject({ status: 'pending', message: expect.stringContaining(`sip1.late.${Z}:${latePort}`) });
    expect((pending as { message: string }).message).toContain('connection refused');

    const err = await env()
      .run(activity(), input(`late.${Z}`, 16 * 60_000))
      .then(
        () => undefined,
        (e: unknown) => e,
      );
    expect(err).toBeInstanceOf(ApplicationFailure);
    expect(err).toMatchObject({ type: 'PreflightFailed', nonRetryable: true });
    expect((err as Error).message).toMatch(
      new RegExp(`^SIP preflight of late\\.${Z.replace('.', '\\.')} still failing after 15m: sip1\\.late\\.zcc\\.test:${latePort}.*connection refused`),
    );

    // The SBC comes up on the port the SRV record names (a TLS front to sipp, as the others).
    const pki = makePki(fs.mkdtempSync(path.join(dir, 'late-')));
    const late = await startStunnel(path.dirname(pki.caFile), [
      { name: 'late', ...pki.issue('late', { dnsNames: [`late.${Z}`] }), connectPort: sippPort, port: latePort },
    ]);
    peers.push(late);
    const later = preflightSettings({ resolvers: [resolver], caFile: pki.caFile, allowLocal: true, timeoutMs: 1_500 });
    const done = await env().run(sipPreflight({ settings: later, propagationWindowMs: 15 * 60_000 }), input(`late.${Z}`, 120_000));
    expect(done).toMatchObject({
      status: 'done',
      result: { verdict: 'ok', targets: [expect.objectContaining({ outcome: 'ok', sip: { status: 200, reason: 'OK' } })] },
    });
  });

  it('a pass with a warning is done, carrying the verdict', async () => {
    await expect(env().run(activity(), input(`silent.${Z}`, 0))).resolves.toMatchObject({ status: 'done', result: { verdict: 'warning' } });
  });
});
