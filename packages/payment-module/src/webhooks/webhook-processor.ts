// The contract between the worker and what processes its claimed webhook events (the workflow).
import type { PaymentAction, WebhookActionData } from '@tender/core';
import type { NewDomainEvent } from '../events/event-bus.js';

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
  /**
   * Domain events of a change the processing made outside the module's transactions (the order a host's
   * cart port commits): the worker writes them with the event's outcome, in its statement, and only if it
   * still holds the event. A retry returns them again; a `dedupe_key` makes them one event whichever try
   * writes them. They are not kept in the stored result.
   */
  events?: NewDomainEvent[];
  [key: string]: unknown;
}

/** A claimed event as the workflow receives it: the inbox row's id under the name the workflow knows. */
export type WorkflowInput = ClaimedWebhookEvent & { webhook_event_id: string };

/**
 * What the worker runs for each claimed event: the host's workflow, made once (`workflow(dependencies)`).
 * The events of a batch run at the same moment, so their writes share commits.
 */
export interface WebhookProcessor {
  /** Runs one event. */
  run(args: { input: WorkflowInput }): Promise<ProcessingResult>;
}
