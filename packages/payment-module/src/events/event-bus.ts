/** Domain events Tender emits after the change they describe has committed. */
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

export interface DomainEvent<T = Record<string, unknown>> {
  name: string;
  data: T;
}

export type EventHandler = (event: DomainEvent) => void | Promise<void>;

/** The port a host can replace (Redis, a queue, …). */
export interface EventBus {
  emit(events: DomainEvent | DomainEvent[]): Promise<void>;
  subscribe(name: string | '*', handler: EventHandler): () => void;
}

/**
 * The in-process default. A failing subscriber is logged, never propagated: the payment change it
 * reacts to has already committed and must not be reported as failed.
 */
export class InProcessEventBus implements EventBus {
  private readonly handlers = new Map<string, Set<EventHandler>>();

  constructor(private readonly onHandlerError: (error: unknown, event: DomainEvent) => void = () => {}) {}

  subscribe(name: string, handler: EventHandler): () => void {
    const set = this.handlers.get(name) ?? new Set();
    set.add(handler);
    this.handlers.set(name, set);
    return () => set.delete(handler);
  }

  async emit(events: DomainEvent | DomainEvent[]): Promise<void> {
    for (const event of Array.isArray(events) ? events : [events]) {
      const targets = [...(this.handlers.get(event.name) ?? []), ...(this.handlers.get('*') ?? [])];
      for (const handler of targets) {
        try {
          await handler(event);
        } catch (error) {
          this.onHandlerError(error, event);
        }
      }
    }
  }
}
