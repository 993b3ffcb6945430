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

/** A provider's data is stored as JSON: anything that does not survive a round trip is lost. */
export function assertJsonSerializable(value: unknown, label: string): void {
  let copy: unknown;
  try {
    copy = JSON.parse(JSON.stringify(value ?? null));
  } catch (error) {
    throw new ConformanceFailure(`${label} is not JSON-serializable: ${describeError(error)}`);
  }
  conformanceAssert(
    JSON.stringify(copy) === JSON.stringify(value ?? null),
    `${label} changes when stored as JSON (Dates, Maps, undefined values, class instances?): return plain JSON data.`,
  );
}
