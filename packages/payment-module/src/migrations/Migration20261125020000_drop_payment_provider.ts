import { Migration } from '@mikro-orm/migrations';

/**
 * The `payment_provider` table was never written or read: providers are the module's configuration, and
 * `listPaymentProviders` answers from the registry. An empty table that looks authoritative misleads.
 */
export class Migration20261125020000_drop_payment_provider extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop table if exists "payment_provider";`);
  }

  override async down(): Promise<void> {
    this.addSql(
      `create table "payment_provider" ("id" varchar(255) not null, "is_enabled" boolean not null default true, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
  }
}
