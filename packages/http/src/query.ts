/**
 * The receiver takes one string per query key. When a key repeats, the first value wins,
 * which is what providers that sign their query strings put first.
 */
export function queryFromSearchParams(params: URLSearchParams): Record<string, string> {
  const entries = new Map<string, string>();
  for (const [key, value] of params) {
    if (!entries.has(key)) entries.set(key, value);
  }
  // fromEntries defines own properties, so a `__proto__` key stays data, not a prototype.
  return Object.fromEntries(entries);
}

/** Splits `/path?query` as it arrives in a node request line. */
export function splitRequestTarget(target: string): { path: string; query: Record<string, string> } {
  const questionMark = target.indexOf('?');
  if (questionMark === -1) return { path: target, query: {} };
  return {
    path: target.slice(0, questionMark),
    query: queryFromSearchParams(new URLSearchParams(target.slice(questionMark + 1))),
  };
}
