import type { CredentialFields, PaymentProvider } from '@tender/core';
import { ConformanceFailure, conformanceAssert, describeError, isTenderError } from '../conformance-failure.js';
import type { ConformanceProviderClass, ProviderConformanceFixtures } from '../fixtures.js';
import { toProviderPayload } from '../webhook-request.js';
import { type ConformancePayment, initiate } from './operations.js';
import { newConformanceEvent, primaryAction } from './webhooks.js';

// What the payment module relies on a provider for when it decides what a verified webhook may change.

/** Major units as a plain decimal string. */
const DECIMAL_STRING = /^\d+(\.\d+)?$/;

/**
 * The provider says which request fields carry a credential sent verbatim (so the inbox drops them), and
 * every query parameter the fixtures name as the callback's credential is among them.
 */
export function checkDeclaresCredentialFields(
  providerClass: ConformanceProviderClass & { credentialFields?: CredentialFields },
  fixtures: Pick<ProviderConformanceFixtures, 'signatureQueryParams'>,
): void {
  const declared = providerClass.credentialFields;
  conformanceAssert(
    declared !== undefined && typeof declared === 'object',
    'Declare `static credentialFields = { query: [...], headers: [...] }` (`{}` when the gateway sends no credential ' +
      'in the clear): the payment module drops those fields before it stores a webhook.',
  );
  const query = new Set(declared.query ?? []);
  const undeclared = (fixtures.signatureQueryParams ?? []).filter((name) => !query.has(name));
  conformanceAssert(
    undeclared.length === 0,
    `The callback carries its credential in the query (${undeclared.join(', ')}) but credentialFields.query does not list it: ` +
      'it would be stored in the inbox and printed by `tender webhooks show`.',
  );
}

/**
 * A provider that can ask its gateway (`canAskStatus` true, the default) must not answer "authorized" or
 * "captured" for a payment nobody has paid: for a webhook the module asks `getPaymentStatus`, and that
 * answer overrules the webhook.
 */
export async function checkStatusDeniesUnpaid(provider: PaymentProvider, unpaid: ConformancePayment): Promise<void> {
  const initiated = await initiate(provider, unpaid);
  // As the payment module stores it on the session.
  const data = { ...initiated.data, id: initiated.id };
  const asks = provider.canAskStatus ? provider.canAskStatus(data) : true;
  if (!asks) return;
  let state: Awaited<ReturnType<PaymentProvider['authorizePayment']>>;
  try {
    state = await provider.getPaymentStatus({ data, context: { idempotency_key: `conformance:status:${unpaid.session_id}` } });
  } catch (error) {
    throw new ConformanceFailure(`getPaymentStatus of an unpaid payment threw ${describeError(error)}`, { cause: error });
  }
  conformanceAssert(
    state.status !== 'authorized' && state.status !== 'captured',
    `getPaymentStatus says "${state.status}" for a payment nobody has paid. A provider whose canAskStatus() is true is the ` +
      'source of truth for webhooks: answer from the gateway, or override canAskStatus() to return false when it has no status call.',
  );
  for (const field of ['amount', 'captured_amount'] as const) {
    const value = state[field];
    conformanceAssert(
      value === undefined || (typeof value === 'string' && DECIMAL_STRING.test(value)),
      `getPaymentStatus's ${field} must be major units as a decimal string, got ${JSON.stringify(value)}.`,
    );
  }
}

/** A webhook that reports no money (0.00) for an action that moves money is refused as invalid_data at verification. */
export async function checkRefusesZeroAmount(provider: PaymentProvider, fixtures: ProviderConformanceFixtures): Promise<void> {
  const event = { ...newConformanceEvent(primaryAction(fixtures), fixtures.payment), amount: '0.00' };
  const webhook = await fixtures.signedWebhook(event, {});
  try {
    const result = await provider.getWebhookActionAndData(toProviderPayload(webhook));
    throw new ConformanceFailure(
      `A signed "${event.action}" webhook for 0.00 was accepted (${JSON.stringify(result.data)}): refuse non-positive amounts ` +
        "with TenderError('invalid_data') (core's webhookAmount does it).",
    );
  } catch (error) {
    if (error instanceof ConformanceFailure) throw error;
    conformanceAssert(
      isTenderError(error, 'invalid_data'),
      `A 0.00 webhook must be refused with TenderError('invalid_data'), got ${describeError(error)}.`,
    );
  }
}
