import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { dataConverterFor } from './codec';

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
  return { client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }), close: () => connection.close() };
}
