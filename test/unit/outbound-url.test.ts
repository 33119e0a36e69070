import dns from 'node:dns';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { MockActivityEnvironment } from '@temporalio/testing';
import { ApplicationFailure } from '@temporalio/common';
import { notify } from '../../activities/notify';
import {
  checkOutboundUrl,
  isNonPublicAddress,
  NON_PUBLIC_NAME_SUFFIXES,
  NON_PUBLIC_RANGES,
  pinnedLookup,
  tenantOutboundErrors,
} from '../../src/integrations/outbound-url';
import { createLogger } from '../../src/log';

const strict = { allowLocal: false };
// The SDK's default logger would print each expected failure with its whole request object.
const quiet = { log: () => undefined, trace: () => undefined, debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };
const mockEnv = () => new MockActivityEnvironment({}, { logger: quiet });

describe('outbound URLs from tenant input', () => {
  it.each([
    ['http://hooks.example.com/x', 'must be an https URL'],
    ['ftp://hooks.example.com/x', 'must be an https URL'],
    ['https://user:pw@hooks.example.com/x', 'must not carry credentials'],
    ['https://127.0.0.1/x', 'must not point at a loopback, private or reserved address (127.0.0.1)'],
    ['https://10.1.2.3/x', 'private or reserved address (10.1.2.3)'],
    ['https://172.20.0.1/x', 'private or reserved'],
    ['https://192.168.1.1./x', 'private or reserved'],
    ['https://169.254.169.254/latest/meta-data', 'private or reserved'],
    ['https://[::1]/x', 'private or reserved'],
    ['https://[fd00::1]/x', 'private or reserved'],
    ['https://[::ffff:127.0.0.1]/x', 'private or reserved'],
    ['https://[::127.0.0.1]/x', 'private or reserved'],
    ['https://[2002:a00:1::1]/x', 'private or reserved'],
    ['https://[fec0::1]/x', 'private or reserved'],
    ['https://0x7f000001/x', 'private or reserved'],
    ['https://2130706433/x', 'private or reserved'],
    ['https://localhost/x', 'must name a public host (localhost)'],
    ['https://api.localhost./x', 'must name a public host'],
    ['https://printer.local/x', 'must name a public host'],
    ['https://intranet/x', 'must name a public host'],
  ])('refuses %s outside dev', (url, message) => {
    expect(() => checkOutboundUrl(url, strict)).toThrow(message);
  });

  it('accepts public https URLs outside dev, and local http ones in dev', () => {
    expect(checkOutboundUrl('https://hooks.slack.com/services/T0/B0/x', strict).hostname).toBe('hooks.slack.com');
    expect(checkOutboundUrl('https://8.8.8.8/x', strict).hostname).toBe('8.8.8.8');
    expect(checkOutboundUrl('http://127.0.0.1:9999/hook', { allowLocal: true }).port).toBe('9999');
    expect(tenantOutboundErrors({ contacts: { notifyWebhookUrl: 'http://10.0.0.1/' } }, strict)).toEqual([
      { field: 'contacts.notifyWebhookUrl', message: 'must be an https URL' },
    ]);
    expect(tenantOutboundErrors({ contacts: {} }, strict)).toEqual([]);
  });

  it('classifies addresses', () => {
    for (const ip of ['127.0.0.1', '10.0.0.1', '100.64.0.1', '::1', 'fe80::1', '::ffff:a00:1', '0.0.0.0', '224.0.0.1'])
      expect([ip, isNonPublicAddress(ip)]).toEqual([ip, true]);
    for (const ip of ['8.8.8.8', '1.1.1.1', '2606:4700:4700::1111', '::ffff:8.8.8.8']) expect([ip, isNonPublicAddress(ip)]).toEqual([ip, false]);
  });

  // Issue 12, finding 11: names and ranges the start check let through (the send-time DNS check caught only some).
  it.each([
    'hooks.svc',
    'webhook.default.svc',
    'webhook.default.svc.cluster.local',
    'hooks.corp',
    'router.lan',
    'metadata.internal',
    'hooks.intranet',
    'hooks.private',
    'nas.home',
    'nas.home.arpa',
    'box.localdomain',
    'hooks.test',
    'hooks.invalid',
    'hooks.example',
    'hidden.onion',
    'hooks.alt',
    'localhost..',
    'intranet.',
    'a..b.example.com',
  ])('refuses the non-public name %s at start', (host) => {
    expect(() => checkOutboundUrl(`https://${host}/hook`, strict)).toThrow(/^must name a public host \(/);
  });

  const NON_PUBLIC_SAMPLES = [
    '192.88.99.1',
    '192.31.196.1',
    '192.52.193.1',
    '192.175.48.1',
    '100.64.0.1',
    '100.127.255.254',
    '198.18.0.1',
    '198.19.255.254',
    '240.0.0.1',
    '255.255.255.255',
    '192.0.0.9',
    '3fff::1',
    '3fff:fff::1',
    '5f00::1',
    '2001:db8::1',
    '2001:2::1',
    '2001:20::1',
    '2001:1::1',
    '2001:4:112::1',
    '2620:4f:8000::1',
    '100:0:0:1::1',
    '64:ff9b:1::1',
    '64:ff9b::a00:1',
    'fc00::1',
    'fdff::1',
    'fe80::1',
    'febf::1',
    'ff02::1',
    '::',
    '::ffff:0:a00:1',
    '0:0:0:0:0:ffff:7f00:1',
  ];
  it.each(NON_PUBLIC_SAMPLES)('refuses the special-purpose address %s at start and at send time', async (ip) => {
    expect([ip, isNonPublicAddress(ip)]).toEqual([ip, true]);
    const literal = ip.includes(':') ? `[${ip}]` : ip;
    expect(() => checkOutboundUrl(`https://${literal}/hook`, strict)).toThrow(/^must not point at a loopback, private or reserved address/);
    const err = await new Promise<Error | null>((resolve) => pinnedLookup(strict)(ip, {}, (e) => resolve(e)));
    expect(err?.message).toMatch(/resolves to a non-public address/);
  });

  it('public addresses next to those ranges are still accepted', () => {
    for (const ip of [
      '192.88.98.255',
      '192.88.100.1',
      '100.63.255.255',
      '100.128.0.1',
      '198.17.255.255',
      '198.20.0.1',
      '2001:200::1',
      '2a00:1450::1',
      '2c0f:fb50::1',
      '2620:4f:8001::1',
      '::ffff:192.88.100.1',
    ])
      expect([ip, isNonPublicAddress(ip)]).toEqual([ip, false]);
  });

  it('the start check and the send-time lookup refuse every entry of the same two lists', async () => {
    const lookupError = (host: string) => new Promise<string | undefined>((resolve) => pinnedLookup(strict)(host, {}, (e) => resolve(e?.message)));
    for (const suffix of NON_PUBLIC_NAME_SUFFIXES) {
      expect(() => checkOutboundUrl(`https://hooks.${suffix}/x`, strict)).toThrow(`must name a public host (hooks.${suffix})`);
      expect(await lookupError(`hooks.${suffix}`)).toBe(`must name a public host (hooks.${suffix})`);
    }
    for (const [network] of NON_PUBLIC_RANGES) {
      expect(() => checkOutboundUrl(`https://${network.includes(':') ? `[${network}]` : network}/x`, strict)).toThrow('private or reserved address');
      expect(await lookupError(network)).toMatch(/resolves to a non-public address/);
    }
  });

  it('the send-time lookup refuses the same names as the start check, before asking DNS', async () => {
    for (const host of ['hooks.svc', 'metadata.internal', 'nas.home.arpa', 'intranet']) {
      const err = await new Promise<Error | null>((resolve) => pinnedLookup(strict)(host, {}, (e) => resolve(e)));
      expect([host, err?.message]).toEqual([host, `must name a public host (${host})`]);
    }
  });

  it('refuses a name that resolves to a non-public address at connect time (no DNS rebinding)', async () => {
    const look = (host: string, allowLocal: boolean) =>
      new Promise<{ err: Error | null; address: string }>((resolve) =>
        pinnedLookup({ allowLocal })(host, {}, (err, address) => resolve({ err, address: String(address) })),
      );
    // A public-looking name whose DNS answer is private (the resolver is stubbed: no network in tests).
    const real = dns.lookup;
    const stub = jest
      .spyOn(dns, 'lookup')
      .mockImplementation(((host: string, options: object, callback: (...a: unknown[]) => void) =>
        host === 'rebind.example.com' ? callback(null, [{ address: '10.0.0.7', family: 4 }]) : real(host, options, callback)) as unknown as typeof dns.lookup);
    try {
      expect((await look('rebind.example.com', false)).err?.message).toBe('rebind.example.com resolves to a non-public address (10.0.0.7)');
      expect(await look('rebind.example.com', true)).toEqual({ err: null, address: '10.0.0.7' });
    } finally {
      stub.mockRestore();
    }
    // localhost is refused by its name before DNS is asked; in dev it resolves as usual.
    expect((await look('localhost', false)).err?.message).toBe('must name a public host (localhost)');
    expect((await look('localhost', true)).err).toBeNull();
  });
});

describe('the notify activity', () => {
  const input = (webhookUrl: string) => ({
    tenantId: 'acme',
    displayName: 'Acme',
    owner: 'o@acme.example',
    webhookUrl,
    kind: 'reminder' as const,
    stepId: 'publish-app',
    stepTitle: 'Publish',
    waitedMs: 3_600_000,
    firstInstruction: 'Do it',
  });
  const logger = createLogger({ name: 'notify-test', level: 'silent' });

  async function server(handler: http.RequestListener) {
    const s = http.createServer(handler);
    await new Promise<void>((r) => s.listen(0, '127.0.0.1', () => r()));
    return { url: `http://127.0.0.1:${(s.address() as AddressInfo).port}`, close: () => new Promise((r) => s.close(r)) };
  }

  it('outside dev: a loopback webhook is refused without a request, and not retried', async () => {
    let hits = 0;
    const s = await server((_req, res) => {
      hits++;
      res.end();
    });
    try {
      const err = await mockEnv()
        .run(notify(logger, { allowLocalWebhooks: false }), input(`${s.url}/hook`))
        .catch((e: unknown) => e);
      expect(err).toBeInstanceOf(ApplicationFailure);
      expect(err).toMatchObject({ type: 'OutboundUrlRefused', nonRetryable: true, message: 'contacts.notifyWebhookUrl must be an https URL' });
      expect(hits).toBe(0);
    } finally {
      await s.close();
    }
  });

  it('does not follow redirects', async () => {
    const hits: string[] = [];
    const s = await server((req, res) => {
      hits.push(req.url!);
      res.writeHead(302, { location: '/elsewhere' }).end();
    });
    try {
      await expect(mockEnv().run(notify(logger, { allowLocalWebhooks: true }), input(`${s.url}/hook`))).rejects.toThrow(
        'notify webhook answered 302 (redirects are not followed)',
      );
      expect(hits).toEqual(['/hook']);
    } finally {
      await s.close();
    }
  });

  const slowReceivers: Array<[string, http.RequestListener]> = [
    ['never answers', () => undefined],
    [
      'drips its answer a byte a second (the limit is for the whole call)',
      (_req, res) => {
        res.writeHead(200, { 'content-type': 'text/plain' });
        const t = setInterval(() => res.write('x'), 1000);
        res.on('close', () => clearInterval(t));
      },
    ],
  ];
  it.each(slowReceivers)(
    'gives up after 5 s on a receiver that %s',
    async (_what, handler) => {
      const s = await server(handler);
      const started = Date.now();
      try {
        await expect(mockEnv().run(notify(logger, { allowLocalWebhooks: true }), input(`${s.url}/hook`))).rejects.toThrow(
          'notify webhook did not answer within 5 s',
        );
        expect(Date.now() - started).toBeLessThan(8_000);
      } finally {
        await s.close();
      }
    },
    20_000,
  );
});
