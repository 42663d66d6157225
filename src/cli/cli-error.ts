/** Exit codes of `jxc`: documented in docs/read-side.md. */
export const EXIT = {
  ok: 0,
  /** A check found something: differences, a broken hash chain. */
  failed: 1,
  /** Bad input: an unknown command, view, projection, format or option value, a bad configuration. */
  usage: 2,
  /** Something went wrong running the command (a store unreachable...). */
  error: 3,
} as const;

/** An error the CLI reports as one line, without a stack trace, and exits with `exitCode`. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode: number,
  ) {
    super(message);
    this.name = 'CliError';
  }
}

export function usageError(message: string): CliError {
  return new CliError(message, EXIT.usage);
}
