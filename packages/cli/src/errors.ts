import { TenderError } from '@tender/core';

/** A mistake in how the command was called: shown with a hint to `--help`, exit code 2. */
export class UsageError extends Error {
  readonly exitCode = 2;
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/** A failure the user can fix (bad config, no database…): one line, exit code 1. */
export class CliError extends Error {
  readonly exitCode: number;
  constructor(message: string, options: { exitCode?: number; cause?: unknown } = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'CliError';
    this.exitCode = options.exitCode ?? 1;
  }
}

function connectionHint(error: unknown): string | undefined {
  const code = (error as { code?: string })?.code;
  if (code === 'ECONNREFUSED') return 'could not connect: is the database (or host) running at that address?';
  if (code === '28P01' || code === '28000') return 'the database refused the credentials in the URL.';
  if (code === '3D000') return 'that database does not exist: create it first.';
  return undefined;
}

/** The one line printed for an error; the stack only with --verbose. */
export function describeError(error: unknown): { message: string; exitCode: number } {
  if (error instanceof UsageError) return { message: `${error.message}\nRun \`tender --help\` for usage.`, exitCode: 2 };
  if (error instanceof CliError) return { message: error.message, exitCode: error.exitCode };
  if (TenderError.is(error)) return { message: `${error.message} (${error.type})`, exitCode: 1 };
  const hint = connectionHint(error);
  const message = error instanceof Error ? error.message : String(error);
  return { message: hint ? `${message}: ${hint}` : message, exitCode: 1 };
}
