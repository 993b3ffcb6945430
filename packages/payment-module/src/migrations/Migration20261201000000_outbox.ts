import { Migration } from '@mikro-orm/migrations';

/** The transactional outbox of domain events (see models/outbox-event.ts). */
export class Migration20261201000000_outbox extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "outbox_event" ("id" varchar(255) not null, "seq" bigserial, "name" varchar(255) not null, "schema_version" int not null default 1, "tenant" varchar(64) not null default 'default', "payment_collection_id" varchar(255) null, "payload" jsonb not null, "dedupe_key" varchar(255) null, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default current_timestamp, "locked_until" timestamptz null, "locked_by" varchar(255) null, "deliveries" jsonb not null default '{}', "last_error" text null, "created_at" timestamptz not null default current_timestamp, "delivered_at" timestamptz null, primary key ("id"));`,
    );
    this.addSql(`create index "outbox_event_pending" on "outbox_event" ("status", "seq");`);
    this.addSql(`create index "outbox_event_due" on "outbox_event" ("status", "next_attempt_at");`);
    this.addSql(`create index "outbox_event_collection" on "outbox_event" ("payment_collection_id", "seq");`);
    this.addSql(`create index "outbox_event_delivered" on "outbox_event" ("status", "delivered_at");`);
    this.addSql(`alter table "outbox_event" add constraint "outbox_event_dedupe_key" unique ("dedupe_key");`);
  }
}
