/** Output helpers: every listing prints a table for people or, with --json, JSON for scripts. */

export interface Column<T> {
  header: string;
  value: (row: T) => string;
}

/** Left-aligned columns separated by two spaces; no colours, so output pipes and diffs cleanly. */
export function formatTable<T>(rows: readonly T[], columns: readonly Column<T>[]): string {
  const cells = rows.map((row) => columns.map((column) => column.value(row)));
  const widths = columns.map((column, i) => Math.max(column.header.length, ...cells.map((line) => line[i]!.length)));
  const render = (line: string[]) =>
    line
      .map((cell, i) => (i === line.length - 1 ? cell : cell.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  return [render(columns.map((c) => c.header)), ...cells.map(render)].join('\n');
}

export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, v) => (Buffer.isBuffer(v) ? v.toString('utf8') : v), 2);
}

export interface Output {
  line(text?: string): void;
  error(text: string): void;
}

export const stdio: Output = {
  line: (text = '') => process.stdout.write(`${text}\n`),
  error: (text) => process.stderr.write(`${text}\n`),
};
