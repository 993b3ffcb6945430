/** Raised by a conformance check: the message tells the provider author what to change. */
export class ConformanceFailure extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'ConformanceFailure';
  }
}

export function conformanceAssert(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ConformanceFailure(message);
}

/**
 * Duck-typed rather than `instanceof`: a provider built against another copy of @tender/core
 * (a linked checkout, a bundled dist) still throws a real TenderError.
 */
export function isTenderError(error: unknown, type?: string): error is Error & { type: string } {
  if (!(error instanceof Error) || error.name !== 'TenderError') return false;
  const actual = (error as Error & { type?: unknown }).type;
  return typeof actual === 'string' && (type === undefined || actual === type);
}

export function describeError(error: unknown): string {
  if (isTenderError(error)) return `TenderError(${error.type}): ${error.message}`;
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  return String(error);
}

/** Path of the first value JSON storage would change (a Date, Map, class instance, NaN, bigint…), if any. */
function findNonJson(value: unknown, path: string): string | undefined {
  if (value === null || typeof value === 'string' || typeof value === 'boolean') return undefined;
  if (typeof value === 'number') return Number.isFinite(value) ? undefined : path;
  if (Array.isArray(value)) {
    for (const [index, item] of value.entries()) {
      const found = item === undefined ? `${path}[${index}]` : findNonJson(item, `${path}[${index}]`);
      if (found) return found;
    }
    return undefined;
  }
  if (typeof value === 'object') {
    const prototype = Object.getPrototypeOf(value);
    if (prototype !== Object.prototype && prototype !== null) return path;
    for (const [key, item] of Object.entries(value)) {
      // An undefined property is simply absent once stored: harmless.
      const found = item === undefined ? undefined : findNonJson(item, `${path}.${key}`);
      if (found) return found;
    }
    return undefined;
  }
  return path;
}

/** A provider's data is stored as JSON: anything that does not survive the round trip unchanged is lost. */
export function assertJsonSerializable(value: unknown, label: string): void {
  const found = findNonJson(value ?? null, label);
  conformanceAssert(
    found === undefined,
    `${found} is not plain JSON (a Date, Map, class instance, bigint or non-finite number?): the payment module stores provider data as JSON, so return strings, numbers, booleans, arrays and plain objects.`,
  );
}
