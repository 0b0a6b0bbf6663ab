import { Migration } from '@mikro-orm/migrations';

/**
 * Webhooks: subscriptions of API keys to the change feed, their delivery queue and log
 * (docs/webhooks.md). Requests act as accountable_app with row-level security forced: a key sees
 * and changes only its own webhooks, deliveries and attempts; admins (app.all) every key's. The
 * secret columns are not granted for select to the app role, so no GraphQL path can read them back;
 * they hold ciphertext anyway (webhook.signing.ts). The delivery worker runs as the table owner.
 */
export class Migration20261202132903 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "webhook" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "api_key_id" uuid not null, "url" text not null, "event_types" text[] not null, "field_filter" text[] not null default '{}', "description" text null, "enabled" boolean not null default true, "secret_ciphertext" text not null, "previous_secret_ciphertext" text null, "previous_secret_expires_at" timestamptz null, "secret_rotated_at" timestamptz null, "cursor" text null, "failing_since" timestamptz null, "last_success_at" timestamptz null, "disabled_at" timestamptz null, "disabled_reason" text null, constraint "webhook_pkey" primary key ("id"));`);
    this.addSql(`create index "webhook_api_key_id_index" on "webhook" ("api_key_id");`);

    this.addSql(`create table "webhook_delivery" ("id" bigserial primary key, "webhook_id" uuid not null, "event_id" bigint not null, "event_type" text not null, "entity" text not null, "entity_id" uuid not null, "payload" text not null, "state" text not null default 'PENDING', "attempts" int not null default 0, "next_attempt_at" timestamptz not null default now(), "created_at" timestamptz not null default now(), "delivered_at" timestamptz null);`);
    this.addSql(`create index "webhook_delivery_next_attempt_at_index" on "webhook_delivery" ("next_attempt_at");`);
    this.addSql(`create index "webhook_delivery_webhook_id_entity_entity_id_state_id_index" on "webhook_delivery" ("webhook_id", "entity", "entity_id", "state", "id");`);

    this.addSql(`create table "webhook_attempt" ("id" bigserial primary key, "delivery_id" bigint not null, "webhook_id" uuid not null, "event_id" bigint not null, "event_type" text not null, "attempt" int not null, "succeeded" boolean not null, "status_code" int null, "error_kind" text null, "latency_ms" int not null, "response_excerpt" text null, "attempted_at" timestamptz not null default now());`);
    this.addSql(`create index "webhook_attempt_delivery_id_index" on "webhook_attempt" ("delivery_id");`);
    this.addSql(`create index "webhook_attempt_webhook_id_id_index" on "webhook_attempt" ("webhook_id", "id");`);

    this.addSql(`alter table "webhook" add constraint "webhook_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_delivery" add constraint "webhook_delivery_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_delivery_id_foreign" foreign key ("delivery_id") references "webhook_delivery" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "webhook_attempt" add constraint "webhook_attempt_webhook_id_foreign" foreign key ("webhook_id") references "webhook" ("id") on update cascade on delete cascade;`);

    // ── Hand-written: grants, row-level security, secret rotation ──
    this.addSql(`create function app_webhook_visible(p_api_key uuid) returns boolean language sql stable as $$
      select coalesce(current_setting('app.all', true), '') = 'on'
          or coalesce(p_api_key = nullif(current_setting('app.api_key_id', true), '')::uuid, false)
    $$;`);
    // The app role may not read the current secret, so it cannot copy it to the previous one itself.
    this.addSql(`create function app_rotate_webhook_secret(p_id uuid, p_secret text, p_overlap_ms bigint) returns integer
      language sql volatile security definer set search_path = public, pg_temp as $$
      update webhook set previous_secret_ciphertext = secret_ciphertext, secret_ciphertext = p_secret,
          previous_secret_expires_at = now() + make_interval(secs => p_overlap_ms / 1000.0), secret_rotated_at = now(),
          version = version + 1, updated_at = now()
        where id = p_id and app_webhook_visible(api_key_id) returning version
    $$;`);
    this.addSql(`revoke all on function app_rotate_webhook_secret(uuid, text, bigint) from public;`);
    this.addSql(`grant execute on function app_rotate_webhook_secret(uuid, text, bigint) to accountable_app;`);
    this.addSql(`grant select ("id", "created_at", "updated_at", "version", "api_key_id", "url", "event_types", "field_filter", "description", "enabled",
      "previous_secret_expires_at", "secret_rotated_at", "cursor", "failing_since", "last_success_at", "disabled_at", "disabled_reason") on "webhook" to accountable_app;`);
    this.addSql(`grant insert, delete on "webhook" to accountable_app;`);
    this.addSql(`grant update ("updated_at", "version", "url", "event_types", "field_filter", "description", "enabled", "cursor", "failing_since",
      "disabled_at", "disabled_reason") on "webhook" to accountable_app;`);
    // A key's own fan-out (webhook.worker.ts) queues as the key; redelivery queues on request.
    this.addSql(`grant select, insert on "webhook_delivery" to accountable_app;`);
    this.addSql(`grant update ("next_attempt_at") on "webhook_delivery" to accountable_app;`);
    this.addSql(`grant usage on sequence "webhook_delivery_id_seq" to accountable_app;`);
    this.addSql(`grant select on "webhook_attempt" to accountable_app;`);
    for (const table of ['webhook', 'webhook_delivery', 'webhook_attempt']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
      this.addSql(`do $$ begin
        execute format('create policy ${table}_keeper on ${table} to %I using (true) with check (true)', current_user);
      end $$;`);
    }
    this.addSql(`create policy webhook_own on "webhook" using (app_webhook_visible(api_key_id)) with check (app_webhook_visible(api_key_id));`);
    for (const table of ['webhook_delivery', 'webhook_attempt']) {
      this.addSql(`create policy ${table}_own on "${table}" using (exists (select 1 from webhook w where w.id = webhook_id))
        with check (exists (select 1 from webhook w where w.id = webhook_id));`);
    }
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "webhook_delivery" drop constraint "webhook_delivery_webhook_id_foreign";`);

    this.addSql(`alter table "webhook_attempt" drop constraint "webhook_attempt_webhook_id_foreign";`);

    this.addSql(`alter table "webhook_attempt" drop constraint "webhook_attempt_delivery_id_foreign";`);

    this.addSql(`drop table if exists "webhook" cascade;`);

    this.addSql(`drop table if exists "webhook_delivery" cascade;`);

    this.addSql(`drop table if exists "webhook_attempt" cascade;`);

    this.addSql(`drop function if exists app_rotate_webhook_secret(uuid, text, bigint);`);
    this.addSql(`drop function if exists app_webhook_visible(uuid);`);
  }

}
