import { Migration } from '@mikro-orm/migrations';

/** Idempotency-Key records of API-key mutations (see api/src/common/http/idempotency.ts). */
export class Migration20261123122345 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "idempotency_key" ("id" uuid not null default gen_random_uuid(), "api_key_id" uuid not null, "key" text not null, "fingerprint" text not null, "status" smallint null, "response" text null, "created_at" timestamptz not null default now(), constraint "idempotency_key_pkey" primary key ("id"));`);
    this.addSql(`create index "idempotency_key_created_at_index" on "idempotency_key" ("created_at");`);
    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_api_key_id_key_unique" unique ("api_key_id", "key");`);

    this.addSql(`alter table "idempotency_key" add constraint "idempotency_key_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on update cascade on delete cascade;`);

    // Requests run as accountable_app; rows are scoped by api_key_id in code, so no row-level security.
    this.addSql(`grant select, insert, update, delete on idempotency_key to accountable_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "idempotency_key" cascade;`);
  }

}
