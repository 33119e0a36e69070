import { spawnSync } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { loadConfig } from '../../src/config';
import { connectClient } from '../../src/temporal/client';

/**
 * Closing a client while Temporal's gRPC retry has a call on a backoff timer: with a bare
 * Connection.close() the timer later re-issues the call on the closed channel and grpc-js throws
 * "Channel has been shut down" from the timer, into whatever runs next (the harness's old flake).
 * connectClient's close() must not. The server "goes away" through a TCP forwarder we cut.
 */
async function forwarder(target: string) {
  const [host, port] = [target.slice(0, target.lastIndexOf(':')), Number(target.slice(target.lastIndexOf(':') + 1))];
  const sockets = new Set<net.Socket>();
  let open = true;
  const server = net.createServer((inbound) => {
    if (!open) return inbound.destroy();
    const outbound = net.connect(port, host);
    for (const s of [inbound, outbound]) {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
    }
    inbound.pipe(outbound).pipe(inbound);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  return {
    address: `127.0.0.1:${(server.address() as net.AddressInfo).port}`,
    /** Every connection cut and new ones refused at once: calls fail UNAVAILABLE, which is retried. */
    cut: () => {
      open = false;
      sockets.forEach((s) => s.destroy());
    },
    stop: () => new Promise<void>((r) => server.close(() => r())),
  };
}

it('a bare close() during a retry backoff throws from a timer (in a child process); connectClient close() does not', async () => {
  // The flake, reproduced where it cannot harm the runner: what the harness used to throw into the run.
  const child = spawnSync(process.execPath, [path.join(__dirname, '..', 'support', 'bare-close-child.js'), process.env.TEMPORAL_ADDRESS!], {
    encoding: 'utf8',
    timeout: 20_000,
  });
  expect(child.stdout.trim()).toBe('UNCAUGHT Channel has been shut down');

  // The same moment with our client: an uncaught throw here fails this test (jest reports it).
  const ours = await forwarder(process.env.TEMPORAL_ADDRESS!);
  const started = Date.now();
  const { client, close } = await connectClient(loadConfig({ ...process.env, TEMPORAL_ADDRESS: ours.address }));
  ours.cut();
  const call = client.workflowService.getSystemInfo({}).then(
    () => 'answered',
    (err: Error) => err.message,
  );
  await new Promise((r) => setTimeout(r, 150)); // the first attempt failed; a retry waits on its timer
  await close();
  // The caller still gets its failure (no new retry once close began), and close() did not hang.
  expect(await call).toMatch(/UNAVAILABLE/);
  expect(Date.now() - started).toBeLessThan(9000);
  await new Promise((r) => setTimeout(r, 1500)); // any retry timer left would fire (and throw) by now
  await ours.stop();
});
