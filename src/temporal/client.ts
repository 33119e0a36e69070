import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { dataConverterFor } from './codec';
import { tracingClientInterceptors } from './tracing';
import { connectionOptions, temporalAddress, unreachable } from './connection';
import { closableRetry } from './drain';

export { temporalAddress };

/** The longest retry backoff Temporal's client waits (5 s, plus 20% jitter), and a margin. */
const RETRY_WAIT_MS = 7_000;
/**
 * gRPC's default 4 MiB receive limit: a list page of 200 runs carries each run's memo (its published
 * progress, a few KiB to tens of KiB encrypted), which passed 4 MiB at ~20 KiB a run (the list
 * benchmark got RESOURCE_EXHAUSTED, a 500). Temporal caps a payload at 2 MiB; this leaves room.
 */
export const MAX_RECEIVE_BYTES = 128 * 1024 * 1024;

/**
 * A client with our data converter (payloads encrypted); onboardings are reached through src/app.
 * `close()` first lets scheduled retries go out (./drain.ts), so none meets a closed channel.
 */
export async function connectClient(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const options = connectionOptions(config);
  const dataConverter = dataConverterFor(config);
  const { interceptors, quiesce } = closableRetry();
  let connection: Connection;
  try {
    connection = await Connection.connect({
      ...options,
      interceptors,
      connectTimeout: 5_000,
      channelArgs: { 'grpc.max_receive_message_length': MAX_RECEIVE_BYTES },
    });
  } catch (err) {
    throw unreachable(options, err, config.temporal.address === undefined);
  }
  const close = async () => {
    await quiesce(RETRY_WAIT_MS);
    await connection.close();
  };
  // With tracing on (src/temporal/tracing.ts), every start, Update, Signal and Query carries the trace on.
  return {
    client: new Client({ connection, namespace: config.temporal.namespace, dataConverter, interceptors: { workflow: tracingClientInterceptors() } }),
    close,
  };
}
