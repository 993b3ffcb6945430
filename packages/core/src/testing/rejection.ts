import { TenderError } from '../errors.js';

/**
 * The TenderError `promise` rejects with, for a test to assert its type and message. A promise that resolves,
 * or rejects with anything else, fails the test: the first with an error saying so, the second with its own
 * error.
 */
export async function rejection(promise: Promise<unknown>): Promise<TenderError> {
  try {
    await promise;
  } catch (error) {
    if (error instanceof TenderError) return error;
    throw error;
  }
  throw new Error('expected a TenderError, but the promise resolved');
}

/** The TenderError `run` throws (see `rejection`): returning, or throwing anything else, fails the test. */
export function thrown(run: () => unknown): TenderError {
  try {
    run();
  } catch (error) {
    if (error instanceof TenderError) return error;
    throw error;
  }
  throw new Error('expected a TenderError, but nothing was thrown');
}

/** The TenderError a provider's `validateOptions` refuses `options` with (see `thrown`). */
export function optionsRefusal(provider: { validateOptions(options: unknown): unknown }, options: unknown): TenderError {
  return thrown(() => provider.validateOptions(options));
}
