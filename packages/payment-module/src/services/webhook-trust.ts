import { compareAmounts, minAmount, normalizeAmount, type PaymentProvider, type ProviderData, TenderError } from '@tender/core';

/**
 * A verified webhook proves who sent it, not what it may change. These are the rules for what it may:
 * only its own provider's and tenant's sessions, only the payment object stored on the session, only in
 * the session's currency, and only for the money that is proven (by the gateway's own status where it
 * can be asked, else by the webhook's reported amount).
 */

/** Where a webhook came from: the route's provider and tenant, never the payload's word. */
export interface WebhookOrigin {
  provider_id: string;
  tenant?: string;
}

/** What a webhook says about a session's payment object and money. */
export interface WebhookClaim {
  /** Always set for a webhook that came through the route (the workflow does); absent, a host speaks. */
  origin?: WebhookOrigin;
  /** The provider's id of the payment object the event is about. */
  payment_reference?: string;
  currency_code?: string;
}

interface OwnedSession {
  id: string;
  provider_id: string;
  tenant: string;
  currency_code?: string;
  data?: Record<string, unknown> | null;
}

/** Why a webhook may not touch this session (or payment), or null when it may. */
export function foreignReason(session: OwnedSession, claim: WebhookClaim): string | null {
  const { origin } = claim;
  if (origin && session.provider_id !== origin.provider_id) {
    return `payment session ${session.id} belongs to provider ${session.provider_id}, not ${origin.provider_id}`;
  }
  if (origin?.tenant && session.tenant !== origin.tenant) return `payment session ${session.id} belongs to another tenant`;
  const stored = typeof session.data?.id === 'string' ? session.data.id : undefined;
  if (claim.payment_reference && stored && claim.payment_reference !== stored) {
    return `the event is about ${claim.payment_reference}, not the session's payment ${stored}`;
  }
  if (claim.currency_code && session.currency_code && claim.currency_code.toLowerCase() !== session.currency_code.toLowerCase()) {
    return `the event is in ${claim.currency_code.toLowerCase()}, the session in ${session.currency_code.toLowerCase()}`;
  }
  return null;
}

/** Thrown where a webhook is applied, under the collection lock, when the session is not the webhook's to change. */
export class ForeignWebhookError extends TenderError {
  constructor(readonly reason: string) {
    super('not_allowed', `The webhook may not change this payment: ${reason}.`, { details: { ignored: true, reason } });
  }

  static matches(error: unknown): error is ForeignWebhookError {
    return error instanceof ForeignWebhookError;
  }
}

export function assertOwnSession(session: OwnedSession, claim: WebhookClaim | undefined): void {
  if (!claim) return;
  const reason = foreignReason(session, claim);
  if (reason) throw new ForeignWebhookError(reason);
}

/**
 * The gateway's own status contradicts the webhook (it says the payment is not authorized, or captured less).
 * The gateway may lag its webhook, so the event is retried; a contradiction that lasts is rejected.
 */
export class ProviderContradictsWebhookError extends TenderError {
  constructor(
    sessionId: string,
    readonly providerStatus: string,
    claimed: string,
  ) {
    super('conflict', `The provider reports payment session ${sessionId} as ${providerStatus}, not ${claimed}; will retry.`, {
      details: { provider_status: providerStatus, webhook_status: claimed },
    });
  }

  static matches(error: unknown): error is ProviderContradictsWebhookError {
    return error instanceof ProviderContradictsWebhookError;
  }
}

/**
 * Whether the provider can be asked about this payment (its `canAskStatus`, true when it does not say): then
 * its own status, not the webhook, decides what is authorized or captured.
 */
export function gatewayCanBeAsked(provider: Pick<PaymentProvider, 'canAskStatus'>, data: ProviderData): boolean {
  return provider.canAskStatus ? provider.canAskStatus(data) : true;
}

/** A proven amount, never more than the session's: what Tender records beyond that it would have to invent. */
export function provenAmount(proven: string | undefined, sessionAmount: string): string {
  const amount = normalizeAmount(sessionAmount);
  if (proven === undefined) return amount;
  return compareAmounts(proven, '0') > 0 ? minAmount(normalizeAmount(proven), amount) : '0';
}
