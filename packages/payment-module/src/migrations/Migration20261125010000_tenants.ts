import { Migration } from '@mikro-orm/migrations';

/** Tenants and their encrypted provider configurations (multi-tenant webhooks). */
export class Migration20261125010000_tenants extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create table "tenant" ("id" varchar(64) not null, "name" varchar(255) null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(
      `create table "provider_config" ("id" varchar(255) not null, "tenant_id" varchar(64) not null, "provider_id" varchar(255) not null, "options" jsonb not null default '{}', "secrets_ciphertext" text null, "key_id" varchar(32) null, "created_at" timestamptz not null default current_timestamp, "updated_at" timestamptz not null default current_timestamp, primary key ("id"));`,
    );
    this.addSql(
      `alter table "provider_config" add constraint "provider_config_tenant_id_provider_id_unique" unique ("tenant_id", "provider_id");`,
    );
    this.addSql(
      `alter table "provider_config" add constraint "provider_config_tenant_id_foreign" foreign key ("tenant_id") references "tenant" ("id") on delete cascade;`,
    );
  }
}
