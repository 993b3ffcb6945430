import { Migration } from '@mikro-orm/migrations';

/**
 * Idempotency keys belong to their payment: a capture or refund key is unique per payment (and so per
 * tenant), not across the whole table, and the arguments first given with it are kept as a digest so a
 * retry with other arguments can be refused. Refund reasons can be soft-deleted and, like account holders, carry metadata; a
 * deleted reason's code is free again.
 */
export class Migration20261202000000_service_parity extends Migration {
  override async up(): Promise<void> {
    for (const table of ['capture', 'refund']) {
      this.addSql(`alter table "${table}" drop constraint if exists "${table}_idempotency_key_unique";`);
      this.addSql(`alter table "${table}" add column "request_fingerprint" varchar(64) null;`);
      this.addSql(
        `alter table "${table}" add constraint "${table}_payment_id_idempotency_key_unique" unique ("payment_id", "idempotency_key");`,
      );
    }
    this.addSql(`alter table "refund_reason" add column "metadata" jsonb null, add column "deleted_at" timestamptz null;`);
    this.addSql(`alter table "refund_reason" drop constraint if exists "refund_reason_code_unique";`);
    this.addSql(`create unique index "refund_reason_code_unique" on "refund_reason" ("code") where "deleted_at" is null;`);
    this.addSql(`alter table "account_holder" add column "metadata" jsonb null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "account_holder" drop column "metadata";`);
    this.addSql(`drop index if exists "refund_reason_code_unique";`);
    this.addSql(`alter table "refund_reason" add constraint "refund_reason_code_unique" unique ("code");`);
    this.addSql(`alter table "refund_reason" drop column "metadata", drop column "deleted_at";`);
    for (const table of ['capture', 'refund']) {
      this.addSql(`alter table "${table}" drop constraint "${table}_payment_id_idempotency_key_unique";`);
      this.addSql(`alter table "${table}" drop column "request_fingerprint";`);
      this.addSql(`alter table "${table}" add constraint "${table}_idempotency_key_unique" unique ("idempotency_key");`);
    }
  }
}
