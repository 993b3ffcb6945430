import { z } from 'zod';
import { TenderError } from '../errors.js';

/** One problem with an option: where it is (`['providers', 0, 'id']`) and what it should be. */
export interface OptionIssue {
  readonly path: readonly PropertyKey[];
  readonly message: string;
}

/** `providers[0].id`, `outbox.batchSize`; `(options)` for the object itself. */
export function optionPath(path: readonly PropertyKey[]): string {
  if (path.length === 0) return '(options)';
  return path.map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? String(part) : `.${String(part)}`)).join('');
}

/**
 * What a value is, for "got …" in a message. Strings are never shown (a URL or a key can carry a secret),
 * numbers and booleans are.
 */
export function describeValue(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'an array';
  switch (typeof value) {
    case 'number':
    case 'boolean':
    case 'bigint':
      return String(value);
    case 'string':
      return value === '' ? 'an empty string' : 'a string';
    case 'undefined':
      return 'nothing';
    case 'function':
      return 'a function';
    case 'object':
      return 'an object';
    default:
      return `a ${typeof value}`;
  }
}

/** Edit distance, for "did you mean": small names only, so the plain quadratic table is fine. */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let diagonal = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const above = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, diagonal + (a[i - 1] === b[j - 1] ? 0 : 1));
      diagonal = above;
    }
  }
  return row[b.length];
}

/** The valid name a misspelt one most likely meant: same letters in another case, or one or two edits away. */
export function closestName(name: string, names: readonly string[]): string | undefined {
  const lower = name.toLowerCase();
  const sameLetters = names.find((candidate) => candidate.toLowerCase() === lower);
  if (sameLetters) return sameLetters;
  let best: { name: string; distance: number } | undefined;
  for (const candidate of names) {
    const d = distance(lower, candidate.toLowerCase());
    if (d <= Math.min(2, Math.floor(candidate.length / 3)) && (!best || d < best.distance))
      best = { name: candidate, distance: d };
  }
  return best?.name;
}

/** `unknown option "poolsize" (did you mean "poolSize"?); the options are: databaseUrl, poolSize, …` */
export function unknownOptionsMessage(keys: readonly string[], names: readonly string[]): string {
  const unknown = keys.map((key) => {
    const guess = closestName(key, names);
    return guess ? `"${key}" (did you mean "${guess}"?)` : `"${key}"`;
  });
  return `unknown option${keys.length > 1 ? 's' : ''} ${unknown.join(', ')}; the options are: ${names.join(', ')}`;
}

/**
 * An object of options that refuses names it does not know (a misspelt option would otherwise be
 * silently ignored), saying which name is unknown and listing the valid ones.
 */
export function strictOptions<Shape extends z.ZodRawShape>(shape: Shape, expected = 'an object of options') {
  const names = Object.keys(shape);
  return z.strictObject(shape, {
    error: (issue) => {
      if (issue.code === 'unrecognized_keys') return unknownOptionsMessage(issue.keys, names);
      if (issue.code === 'invalid_type') return `must be ${expected}, got ${describeValue(issue.input)}`;
      return undefined;
    },
  });
}

/** `what` is a noun phrase ("a whole number of connections"): the message says it, the minimum and what was given. */
export function wholeNumberOption(what: string, min: number, why = '') {
  const message = (issue: { input?: unknown }) => `must be ${what}, at least ${min}${why}, got ${describeValue(issue.input)}`;
  return z.number({ error: message }).int({ error: message }).min(min, { error: message }).optional();
}

/** A value only called (a factory, a hook, a fetch): its type is checked, nothing else. */
export function functionOption<F extends (...args: any[]) => unknown = (...args: never[]) => unknown>(what: string) {
  return z
    .custom<F>((value) => typeof value === 'function', {
      error: (issue) => `must be ${what} (a function), got ${describeValue(issue.input)}`,
    })
    .optional();
}

/** An object only called (a logger, a port): an object with these methods, nothing else checked. */
export function methodsOption<T extends object = object>(what: string, methods: readonly string[]) {
  return z.custom<T>(
    (value) =>
      typeof value === 'object' &&
      value !== null &&
      methods.every((method) => typeof (value as Record<string, unknown>)[method] === 'function'),
    { error: (issue) => `must be ${what} (an object with ${methods.join(', ')}), got ${describeValue(issue.input)}` },
  );
}

/** `<path>: <problem>; <path>: <problem>` (no final period). */
export function describeOptionIssues(issues: readonly OptionIssue[]): string {
  return issues.map((issue) => `${optionPath(issue.path)}: ${issue.message.replace(/\.$/, '')}`).join('; ');
}

/** `TenderError('invalid_data', 'Invalid <what> options: <path>: <problem>; …')`, with the issues as details. */
export function invalidOptionsError(what: string, issues: readonly OptionIssue[]): TenderError {
  return new TenderError('invalid_data', `Invalid ${what} options: ${describeOptionIssues(issues)}.`, {
    details: { issues: issues.map((issue) => ({ path: [...issue.path], message: issue.message })) },
  });
}

/** The options parsed by `schema`, or the TenderError naming every bad one and what it must be. */
export function checkOptions<Schema extends z.ZodType>(schema: Schema, options: unknown, what: string): z.output<Schema> {
  const result = schema.safeParse(options);
  if (result.success) return result.data;
  throw invalidOptionsError(what, result.error.issues);
}
