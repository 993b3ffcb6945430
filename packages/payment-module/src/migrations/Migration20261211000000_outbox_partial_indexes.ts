import { Migration } from '@mikro-orm/migrations';
import { OUTBOX_INDEXES } from '../outbox/outbox-indexes.js';

/** The outbox's `(status, …)` indexes become one partial index per status (see outbox/outbox-indexes.ts). */
export class Migration20261211000000_outbox_partial_indexes extends Migration {
  override async up(): Promise<void> {
    for (const name of ['outbox_event_pending', 'outbox_event_due', 'outbox_event_delivered']) {
      this.addSql(`drop index if exists "${name}";`);
    }
    for (const index of OUTBOX_INDEXES) this.addSql(`${index.expression};`);
  }

  override async down(): Promise<void> {
    for (const index of OUTBOX_INDEXES) this.addSql(`drop index if exists "${index.name}";`);
    this.addSql(`create index "outbox_event_pending" on "outbox_event" ("status", "seq");`);
    this.addSql(`create index "outbox_event_due" on "outbox_event" ("status", "next_attempt_at");`);
    this.addSql(`create index "outbox_event_delivered" on "outbox_event" ("status", "delivered_at");`);
  }
}
