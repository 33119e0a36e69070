import { Client, Connection } from '@temporalio/client';
import type { Config } from '../config';
import { dataConverterFor } from './codec';
import { connectionOptions, temporalAddress, unreachable } from './connection';

export { temporalAddress };

/** A client with our data converter (payloads encrypted); onboardings are reached through src/app. */
export async function connectClient(config: Config): Promise<{ client: Client; close: () => Promise<void> }> {
  const options = connectionOptions(config);
  const dataConverter = dataConverterFor(config);
  let connection: Connection;
  try {
    connection = await Connection.connect({ ...options, connectTimeout: 5_000 });
  } catch (err) {
    throw unreachable(options, err, config.temporal.address === undefined);
  }
  return { client: new Client({ connection, namespace: config.temporal.namespace, dataConverter }), close: () => connection.close() };
}
