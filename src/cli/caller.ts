import os from 'node:os';

/** A CLI user names themselves (`--by`): the audit trail marks it self-declared, unlike the API, whose token vouches. */
export const selfDeclared = (by: string) => ({ by, via: 'cli' as const, byVerified: false });

/** Who starts an onboarding from the CLI when `--by` is not given: the login name, self-declared all the same. */
export const defaultStarter = (): string => {
  try {
    return os.userInfo().username || 'unknown';
  } catch {
    return 'unknown';
  }
};
