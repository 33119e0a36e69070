import { Onboardings, OnboardingConflict, OnboardingNotFound, Refused } from '../app';
import { loadConfig, type Config } from '../config';
import { CliError } from './output';

/** Runs `fn` with the application layer connected to Temporal, turning its known refusals into one-line CLI errors. */
export async function withOnboardings<T>(fn: (onboardings: Onboardings, config: Config) => Promise<T>): Promise<T> {
  const config = loadConfig();
  const { onboardings, close } = await Onboardings.connect(config);
  try {
    return await fn(onboardings, config);
  } catch (err) {
    if (err instanceof Refused || err instanceof OnboardingConflict || err instanceof OnboardingNotFound) throw new CliError(err.message, 1);
    throw err;
  } finally {
    await close();
  }
}
