/**
 * `n` comma-separated copies of `group`: `?` placeholders for `where id in (…)`, or a row such as
 * `(?, ?::jsonb)` for a VALUES list.
 */
export function placeholders(n: number, group = '?'): string {
  return Array(n).fill(group).join(', ');
}
