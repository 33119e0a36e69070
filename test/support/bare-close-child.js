// A bare Temporal Connection closed while its gRPC retry waits on a backoff timer (see
// test/integration/client-close.test.ts): prints UNCAUGHT <message> if the timer throws, else NONE.
// A child process, because the hang and the throw would take the test runner down with them.
const net = require('node:net');
const { Connection } = require('@temporalio/client');

const [host, port] = process.argv[2].split(':');
const sockets = new Set();
let open = true;
const server = net.createServer((inbound) => {
  if (!open) return inbound.destroy();
  const outbound = net.connect(Number(port), host);
  for (const s of [inbound, outbound]) sockets.add(s).add(s.on('error', () => undefined));
  inbound.pipe(outbound).pipe(inbound);
});
process.on('uncaughtException', (err) => {
  console.log(`UNCAUGHT ${err.message}`);
  process.exit(0);
});
server.listen(0, '127.0.0.1', async () => {
  const connection = await Connection.connect({ address: `127.0.0.1:${server.address().port}` });
  open = false;
  sockets.forEach((s) => s.destroy());
  connection.workflowService.getSystemInfo({}).catch(() => undefined);
  await new Promise((r) => setTimeout(r, 150));
  await connection.close();
  setTimeout(() => (console.log('NONE'), process.exit(0)), 2000);
});
