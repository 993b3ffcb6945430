export interface BackoffOptions {
  baseDelayMs: number;
  maxDelayMs: number;
  random?: () => number;
}

/**
 * Delay before attempt `attempts + 1`: exponential, capped, with "equal jitter" (half fixed, half
 * random) so a burst of failures does not retry in lockstep against a recovering dependency.
 */
export function retryDelayMs(attempts: number, options: BackoffOptions): number {
  const exponential = Math.min(options.maxDelayMs, options.baseDelayMs * 2 ** Math.max(0, attempts - 1));
  const random = options.random ?? Math.random;
  return Math.round(exponential / 2 + random() * (exponential / 2));
}
