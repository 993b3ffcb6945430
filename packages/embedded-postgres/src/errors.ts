/** Why the embedded PostgreSQL could not start, in one line that also says what to do. */
export class EmbeddedPostgresError extends Error {
  override name = 'EmbeddedPostgresError';

  constructor(
    message: string,
    readonly code: 'no_binaries' | 'no_system_user' | 'unreachable' | 'unsafe_copy' | 'in_use' | 'failed',
  ) {
    super(message);
  }
}

export const USE_YOUR_OWN = 'or set DATABASE_URL to a PostgreSQL you run';

/** The last line of a tool's output that says something, without PostgreSQL's "FATAL:  " padding. */
export function lastMeaningfulLine(output: string): string {
  const lines = output
    .split('\n')
    .map((line) => line.trim())
    .filter(Boolean);
  const reason = lines.filter((line) => /FATAL|ERROR|error|could not|cannot/i.test(line)).at(-1) ?? lines.at(-1) ?? '';
  return reason.replace(/^.*?(FATAL|ERROR):\s+/, '').replace(/\s+/g, ' ');
}
