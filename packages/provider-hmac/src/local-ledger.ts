import type { ProviderData } from '@tender/core';

/** One capture or refund as recorded in the payment's provider data. */
export interface LedgerEntry {
  idempotency_key?: string;
  amount: string;
  /** The gateway's id for the capture/refund, when an API made it. */
  id?: string;
}

export type LedgerName = 'captures' | 'refunds';

export function ledger(data: ProviderData, name: LedgerName): LedgerEntry[] {
  const entries = data[name];
  return Array.isArray(entries) ? (entries as LedgerEntry[]) : [];
}

/**
 * The entry a previous attempt of this same operation already recorded. A retry whose data already holds it
 * must not capture or refund again.
 */
export function recordedEntry(data: ProviderData, name: LedgerName, idempotencyKey: string | undefined): LedgerEntry | undefined {
  if (!idempotencyKey) return undefined;
  return ledger(data, name).find((entry) => entry.idempotency_key === idempotencyKey);
}

export function withEntry(data: ProviderData, name: LedgerName, entry: LedgerEntry): ProviderData {
  const clean = Object.fromEntries(Object.entries(entry).filter(([, value]) => value !== undefined)) as unknown as LedgerEntry;
  return { ...data, [name]: [...ledger(data, name), clean] };
}
