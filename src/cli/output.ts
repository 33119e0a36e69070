/** Human lines on stdout, or one JSON document with `--json`; errors are one line on stderr. */
export interface Output {
  json: boolean;
  /** A result: JSON mode prints `data`, human mode prints `lines`. */
  result(data: unknown, lines: string[]): void;
  /** Progress for long work; silent in JSON mode so stdout stays machine-readable. */
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

export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
  }
}

/** The one line a person sees when a command fails. */
export function failureLine(err: unknown): string {
  const message = err instanceof Error ? err.message : String(err);
  // Multi-line causes (like the list of Temporal routes) keep their lines; others stay on one.
  return message.startsWith('no ') && message.includes('routes tried') ? message : message.split('\n')[0]!;
}
