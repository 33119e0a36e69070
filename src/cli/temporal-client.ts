import type { Client } from '@temporalio/client';
import { loadConfig, type Config } from '../config';
import { connectClient, OnboardingConflict, OnboardingNotFound, rejectionOf } from '../temporal/client';
import { CliError } from './output';

/** Runs `fn` with a Temporal client, turning the known failures into one-line CLI errors. */
export async function withClient<T>(fn: (client: Client, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { client, close } = await connectClient(config);
  try {
    return await fn(client, config);
  } catch (err) {
    const rejected = rejectionOf(err);
    if (rejected) throw new CliError(rejected.message, 1);
    if (err instanceof OnboardingConflict || err instanceof OnboardingNotFound) throw new CliError(err.message, 1);
    throw err;
  } finally {
    await close();
  }
}
