/** Human lines on stdout, or one JSON document with `--json`; errors are one line each on stderr. */
export interface Output {
  json: boolean;
  /** A result: JSON mode prints `data`, human mode prints `lines`. */
  result(data: unknown, lines: string[]): void;
  /** Progress for long work, on stderr so stdout stays machine-readable. */
  progress(line: string): void;
}

export function output(json: boolean): Output {
  return {
    json,
    result(data, lines) {
      process.stdout.write(json ? `${JSON.stringify(data, null, 2)}\n` : `${lines.join('\n')}\n`);
    },
    progress(line) {
      process.stderr.write(`${line}\n`);
    },
  };
}

/** A failure the CLI reports as it is: `lines` (one per wrong field) or the message. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
    readonly lines: string[] = [message],
  ) {
    super(message);
  }
}

/** The lines a person sees when a command fails: one, or one per wrong field. */
export function failureLines(err: unknown): string[] {
  if (err instanceof CliError) return err.lines;
  const message = err instanceof Error ? err.message : String(err);
  // The list of Temporal routes tried is the one multi-line message worth keeping whole.
  return message.includes('routes tried') ? [message] : [message.split('\n')[0]!];
}
