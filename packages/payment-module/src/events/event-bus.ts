/** Domain events Tender writes to its outbox in the transaction of the change they describe. */
export const PaymentEvents = {
  COLLECTION_UPDATED: 'payment_collection.updated',
  SESSION_UPDATED: 'payment_session.updated',
  AUTHORIZED: 'payment.authorized',
  CAPTURED: 'payment.captured',
  FAILED: 'payment.failed',
  CANCELED: 'payment.canceled',
  REFUNDED: 'payment.refunded',
  CART_COMPLETED: 'cart.completed',
  WEBHOOK_DEAD: 'webhook.dead',
} as const;
export type PaymentEventName = (typeof PaymentEvents)[keyof typeof PaymentEvents];

/** An event as the outbox delivers it. Delivery is at least once: `id` is the key to deduplicate on. */
export interface DomainEvent<T = Record<string, unknown>> {
  id: string;
  name: string;
  /** Version of `data`'s shape for this name; it grows when a field changes meaning or goes away. */
  schema_version: number;
  tenant: string;
  /** The collection whose events arrive in commit order; null for an event about no collection. */
  payment_collection_id: string | null;
  data: T;
  created_at: Date;
}

/** An event to append to the outbox. */
export interface NewDomainEvent {
  name: string;
  data: Record<string, unknown>;
  /** Default: the collection's tenant, else `default`. */
  tenant?: string;
  /** Default: `data.payment_collection_id`. */
  payment_collection_id?: string | null;
  schema_version?: number;
  /** An event more than one try may write (a host-committed change): later writes with the key are dropped. */
  dedupe_key?: string;
}

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/**
 * A broker adapter (NATS JetStream, Redis Streams…): a named subscriber of every event. `publish` resolves
 * once the broker has the event; throwing leaves the event undelivered, to be published again later, so a
 * broker must drop a second publish of the same `event.id`.
 */
export interface EventBus {
  /** The subscriber name its delivery state is kept under; keep it stable across deploys. */
  readonly name: string;
  publish(event: DomainEvent): Promise<void>;
  close?(): Promise<void>;
}

export interface SubscribeOptions {
  /**
   * The subscriber's name, under which its delivery state is kept: keep it stable across restarts, or a
   * restarted process is a new subscriber. Default: `<event name>#<n>` (the n-th subscription to it here).
   */
  name?: string;
}
