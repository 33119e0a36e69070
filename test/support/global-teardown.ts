import fs from 'node:fs';
import path from 'node:path';
import { Client, Connection } from '@temporalio/client';
import { MAX_RECEIVE_BYTES } from '../../src/temporal/client';
import type { DevServer } from '../../src/local-temporal/server';
import { historyJson, readableHistory, suiteCodec } from './history';
import { findLeaks, secretForms } from './leaks';
import { SERVER_LOG, SUITE_LOG, TEST_STATE_DIR } from './paths';

/**
 * Before stopping the suite's server: every workflow history the suite wrote, made readable
 * (payloads decoded and decrypted), then that and every log line checked for a configured secret.
 */
export default async function globalTeardown(): Promise<void> {
  const server = (globalThis as { __temporal?: DevServer }).__temporal;
  const files = [SUITE_LOG, SERVER_LOG];
  let histories = 0;
  if (server) {
    // Room for list pages of runs with big memos, as the app's own client has (src/temporal/client.ts).
    const connection = await Connection.connect({ address: server.address, channelArgs: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES } });
    try {
      const codec = suiteCodec();
      const client = new Client({ connection, namespace: server.namespace, dataConverter: { payloadCodecs: [codec] } });
      const dir = path.join(TEST_STATE_DIR, 'all-histories');
      fs.mkdirSync(dir, { recursive: true });
      for await (const w of client.workflow.list()) {
        const file = path.join(dir, `${w.workflowId}-${w.runId}.txt`);
        fs.writeFileSync(file, readableHistory(historyJson(w.workflowId, server.address, w.runId), codec));
        files.push(file);
        histories++;
      }
    } finally {
      await connection.close();
      await server.stop();
    }
  }
  const leaks = findLeaks(files, secretForms());
  if (leaks.length) throw new Error(`secrets found in what the suite wrote (${histories} histories, logs):\n${leaks.join('\n')}`);
  process.stderr.write(`[leak check] ${histories} workflow histories and the suite's logs hold no configured secret\n`);
}
