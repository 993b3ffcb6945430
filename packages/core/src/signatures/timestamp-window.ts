/**
 * Where a signed unix timestamp (seconds) falls relative to now ± `toleranceSeconds`: undefined when inside,
 * 'past' for a replay, 'future' for a signature dated ahead (a clock far off, or a delivery pre-signed to be
 * replayed later), 'invalid' when it is not a finite number. A tolerance of 0 disables the window.
 * Every scheme checks both sides: a window open towards the future lets one signed request be replayed
 * for as long as its date lies ahead.
 */
export function timestampOutsideTolerance(
  timestampSeconds: number,
  toleranceSeconds: number,
  nowMs: number = Date.now(),
): 'past' | 'future' | 'invalid' | undefined {
  if (!Number.isFinite(timestampSeconds)) return 'invalid';
  if (toleranceSeconds <= 0) return undefined;
  const skew = Math.floor(nowMs / 1000) - timestampSeconds;
  if (skew > toleranceSeconds) return 'past';
  if (-skew > toleranceSeconds) return 'future';
  return undefined;
}

/** The words for an out-of-window timestamp, for an error message. */
export function describeTimestampProblem(problem: 'past' | 'future' | 'invalid', toleranceSeconds: number): string {
  switch (problem) {
    case 'past':
      return `older than the ${toleranceSeconds}s tolerance (a replayed delivery, or a clock out of sync)`;
    case 'future':
      return `more than ${toleranceSeconds}s in the future (outside the tolerance: a clock out of sync, or a pre-dated signature)`;
    default:
      return 'not a unix timestamp';
  }
}
