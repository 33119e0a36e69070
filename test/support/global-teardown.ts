import type { DevServer } from '../../src/temporal/server';
import { findLeaks, secretForms } from './leaks';
import { SERVER_LOG, SUITE_LOG } from './paths';

/** Stops the suite's server, then checks everything the whole suite logged for a configured secret. */
export default async function globalTeardown(): Promise<void> {
  await (globalThis as { __temporal?: DevServer }).__temporal?.stop();
  const leaks = findLeaks([SUITE_LOG, SERVER_LOG], secretForms());
  if (leaks.length) throw new Error(`secrets found in the suite's logs:\n${leaks.join('\n')}`);
}
