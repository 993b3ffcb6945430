import type { NewDomainEvent } from '../events/event-bus.js';
import type { PaymentModule } from '../module/create-payment-module.js';
import { internalsOf } from '../module/internals.js';
import { writeOutboxEvents } from '../outbox/write-outbox-events.js';

/** Writes `events` to the module's outbox in a transaction of their own, as a change would; resolves with their ids. */
export function writeEvents(payments: PaymentModule, events: readonly NewDomainEvent[]): Promise<string[]> {
  return internalsOf(payments)
    .orm.em.fork()
    .transactional((em) => writeOutboxEvents(em, events));
}
