import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { dataConverterFor } from './codec';
import { tracingClientInterceptors } from './tracing';

/** The Temporal frontend to talk to: TEMPORAL_ADDRESS, or the local dev server `onboard dev` runs. */
export function temporalAddress(config: Config): string {
  return config.temporal.address ?? `${config.temporal.ip}:${config.temporal.port}`;
}

/** A client with our data converter (payloads encrypted); onboardings are reached through src/app. */
export async function connectClient(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const address = temporalAddress(config);
  const dataConverter = dataConverterFor(config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ address, connectTimeout: 5_000 });
  } catch {
    throw new Error(`cannot reach Temporal at ${address}; start it with \`onboard dev\` (or set TEMPORAL_ADDRESS)`);
  }
  // With tracing on (src/temporal/tracing.ts), every start, Update, Signal and Query carries the trace on.
  const interceptors = { workflow: tracingClientInterceptors() };
  return { client: new Client({ connection, namespace: config.temporal.namespace, dataConverter, interceptors }), close: () => connection.close() };
}
