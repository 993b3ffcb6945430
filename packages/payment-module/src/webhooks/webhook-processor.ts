// The contract between the worker and what processes its claimed webhook events (the workflow).
import type { PaymentAction, WebhookActionData } from '@tender/core';

/** A webhook event as the worker hands it to the processor, once claimed. */
export interface ClaimedWebhookEvent {
  id: string;
  tenant: string;
  provider_id: string;
  event_id: string;
  event_type: string | null;
  action: PaymentAction;
  data: WebhookActionData | null;
  attempts: number;
}

export interface ProcessingResult {
  /**
   * `ignored`: nothing to do (unknown session, another provider's or tenant's…); `rejected`: the provider's
   * own status kept contradicting the webhook, so it was not applied. The reason says why.
   */
  outcome: 'processed' | 'ignored' | 'rejected';
  reason?: string;
  [key: string]: unknown;
}

/** What the worker runs for each claimed event (the events of a batch at the same moment, so their writes share commits). */
export interface WebhookProcessor {
  process(event: ClaimedWebhookEvent): Promise<ProcessingResult>;
}
