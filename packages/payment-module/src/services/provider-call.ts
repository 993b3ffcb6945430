import { TenderError } from '@tender/core';

/**
 * Wraps a provider call so every failure reaching the caller is a TenderError naming the provider
 * and operation. A TenderError the provider raised on purpose keeps its type.
 */
export async function callProvider<T>(providerId: string, operation: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    if (error instanceof TenderError) throw error;
    const reason = error instanceof Error ? error.message : String(error);
    throw new TenderError('provider_error', `${providerId} failed to ${operation}: ${reason}`, { cause: error });
  }
}
