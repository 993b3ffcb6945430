import { randomUUID } from 'node:crypto';
import {
  type AccountHolderInput,
  type AccountHolderOutput,
  type PaymentMethodOutput,
  type ProviderData,
  TenderError,
} from '@tender/core';

function holderId(data: ProviderData | undefined): string {
  const id = data?.id;
  if (typeof id !== 'string' || !id.startsWith('sys_cus_')) {
    throw new TenderError('invalid_data', 'Account holder data has no system account holder id (data.id "sys_cus_…").');
  }
  return id;
}

/**
 * The system provider's account holders and saved payment methods. There is no gateway to keep them, so
 * they live in the provider instance: a holder's id is derived from the customer's (creating it again
 * gives the same one), and its methods last as long as the process.
 */
export class LocalWallet {
  private readonly methods = new Map<string, Map<string, PaymentMethodOutput>>();

  createAccountHolder(input: AccountHolderInput): AccountHolderOutput {
    const { customer } = input.context;
    const id = `sys_cus_${customer.id}`;
    return { id, data: { id, customer_id: customer.id, email: customer.email ?? null, name: customer.name ?? null } };
  }

  updateAccountHolder(input: AccountHolderInput & { data: ProviderData }): AccountHolderOutput {
    const id = holderId(input.data);
    const { customer } = input.context;
    const data = { ...input.data, ...(customer.email !== undefined ? { email: customer.email } : {}) };
    return { id, data: { ...data, ...(customer.name !== undefined ? { name: customer.name } : {}) } };
  }

  deleteAccountHolder(data: ProviderData): void {
    this.methods.delete(holderId(data));
  }

  list(holderData: ProviderData): PaymentMethodOutput[] {
    return [...(this.methods.get(holderId(holderData))?.values() ?? [])];
  }

  save(holderData: ProviderData, data: ProviderData = {}): PaymentMethodOutput {
    const holder = holderId(holderData);
    const id = `sys_pm_${randomUUID()}`;
    const method = { id, data: { ...data, id, account_holder_id: holder } };
    const saved = this.methods.get(holder) ?? new Map<string, PaymentMethodOutput>();
    saved.set(id, method);
    this.methods.set(holder, saved);
    return method;
  }

  /** Deleting a method twice, or one that is gone, is fine: the outcome is the same. */
  delete(holderData: ProviderData, id: string): void {
    this.methods.get(holderId(holderData))?.delete(id);
  }
}
