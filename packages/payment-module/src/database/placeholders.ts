/** `n` comma-separated `?` placeholders, for a statement over a list of values (`where id in (…)`). */
export function placeholders(n: number): string {
  return Array(n).fill('?').join(', ');
}
