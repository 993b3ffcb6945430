import { Migration } from '@mikro-orm/migrations';

/** The initial schema, as MikroORM generates it from the models (a test keeps the two in step). */
export class Migration20261125000000_initial extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "account_holder" ("id" varchar(255) not null, "tenant" varchar(64) not null default 'default', "provider_id" varchar(255) not null, "customer_id" varchar(255) not null, "external_id" varchar(255) not null, "email" varchar(255) null, "data" jsonb not null default '{}', "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(
      `alter table "account_holder" add constraint "account_holder_tenant_provider_id_customer_id_unique" unique ("tenant", "provider_id", "customer_id");`,
    );
    this.addSql(
      `create table "payment_collection" ("id" varchar(255) not null, "tenant" varchar(64) not null default 'default', "currency_code" varchar(3) not null, "amount" numeric(20,6) not null, "authorized_amount" numeric(20,6) not null default '0', "captured_amount" numeric(20,6) not null default '0', "refunded_amount" numeric(20,6) not null default '0', "status" varchar(32) not null default 'not_paid', "completed_at" timestamptz null, "metadata" jsonb null, "deleted_at" timestamptz null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "payment_collection_tenant_index" on "payment_collection" ("tenant");`);
    this.addSql(
      `create table "payment_provider" ("id" varchar(255) not null, "is_enabled" boolean not null default true, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(
      `create table "payment_session" ("id" varchar(255) not null, "tenant" varchar(64) not null default 'default', "payment_collection_id" varchar(255) not null, "provider_id" varchar(255) not null, "currency_code" varchar(3) not null, "amount" numeric(20,6) not null, "status" varchar(32) not null default 'pending', "data" jsonb not null default '{}', "context" jsonb null, "authorized_at" timestamptz null, "metadata" jsonb null, "deleted_at" timestamptz null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "payment_session_payment_collection_id_index" on "payment_session" ("payment_collection_id");`);
    this.addSql(
      `create table "payment" ("id" varchar(255) not null, "tenant" varchar(64) not null default 'default', "payment_collection_id" varchar(255) not null, "payment_session_id" varchar(255) not null, "provider_id" varchar(255) not null, "currency_code" varchar(3) not null, "amount" numeric(20,6) not null, "data" jsonb not null default '{}', "captured_at" timestamptz null, "canceled_at" timestamptz null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "payment_payment_collection_id_index" on "payment" ("payment_collection_id");`);
    this.addSql(`alter table "payment" add constraint "payment_payment_session_id_unique" unique ("payment_session_id");`);
    this.addSql(
      `create table "capture" ("id" varchar(255) not null, "payment_id" varchar(255) not null, "amount" numeric(20,6) not null, "status" varchar(16) not null default 'pending', "idempotency_key" varchar(255) not null, "source" varchar(16) not null default 'merchant', "created_by" varchar(255) null, "error" text null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "capture_payment_id_index" on "capture" ("payment_id");`);
    this.addSql(`alter table "capture" add constraint "capture_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(
      `create table "refund_reason" ("id" varchar(255) not null, "code" varchar(255) not null, "label" varchar(255) not null, "description" text null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`alter table "refund_reason" add constraint "refund_reason_code_unique" unique ("code");`);
    this.addSql(
      `create table "refund" ("id" varchar(255) not null, "payment_id" varchar(255) not null, "amount" numeric(20,6) not null, "status" varchar(16) not null default 'pending', "idempotency_key" varchar(255) not null, "source" varchar(16) not null default 'merchant', "refund_reason_id" varchar(255) null, "note" text null, "created_by" varchar(255) null, "error" text null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "refund_payment_id_index" on "refund" ("payment_id");`);
    this.addSql(`alter table "refund" add constraint "refund_idempotency_key_unique" unique ("idempotency_key");`);
    this.addSql(
      `create table "webhook_event" ("id" varchar(255) not null, "tenant" varchar(64) not null default 'default', "provider_id" varchar(255) not null, "event_id" varchar(255) not null, "event_type" varchar(255) null, "action" varchar(32) not null, "data" jsonb null, "method" varchar(8) not null, "raw_body" bytea not null, "headers" jsonb not null, "query" jsonb null, "received_at" timestamptz not null default current_timestamp, "status" varchar(16) not null default 'pending', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default current_timestamp, "locked_until" timestamptz null, "locked_by" varchar(255) null, "last_error" text null, "result" jsonb null, "processed_at" timestamptz null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(`create index "webhook_event_due" on "webhook_event" ("status", "next_attempt_at");`);
    this.addSql(`alter table "webhook_event" add constraint "webhook_event_dedup" unique ("tenant", "provider_id", "event_id");`);
    this.addSql(
      `alter table "payment_session" add constraint "payment_session_payment_collection_id_foreign" foreign key ("payment_collection_id") references "payment_collection" ("id");`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_payment_collection_id_foreign" foreign key ("payment_collection_id") references "payment_collection" ("id");`,
    );
    this.addSql(
      `alter table "payment" add constraint "payment_payment_session_id_foreign" foreign key ("payment_session_id") references "payment_session" ("id");`,
    );
    this.addSql(
      `alter table "capture" add constraint "capture_payment_id_foreign" foreign key ("payment_id") references "payment" ("id");`,
    );
    this.addSql(
      `alter table "refund" add constraint "refund_payment_id_foreign" foreign key ("payment_id") references "payment" ("id");`,
    );
    this.addSql(
      `alter table "refund" add constraint "refund_refund_reason_id_foreign" foreign key ("refund_reason_id") references "refund_reason" ("id") on delete set null;`,
    );
  }
}
