import { Migration } from '@mikro-orm/migrations';

export class Migration20261123120427 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "transfer_status" as enum ('PENDING', 'APPROVED', 'REJECTED', 'CANCELLED');`);
    this.addSql(`create type "api_key_kind" as enum ('INTEGRATOR', 'BI');`);
    this.addSql(`create table "audit_event" ("id" bigserial primary key, "at" timestamptz not null default now(), "actor_kind" text not null, "actor_id" uuid null, "actor_name" text null, "action" text not null, "entity_type" text null, "entity_id" uuid null, "region_paths" text[] not null default '{}', "before" jsonb null, "after" jsonb null, "reason" text null);`);
    this.addSql(`create index "audit_event_actor_id_index" on "audit_event" ("actor_id");`);
    this.addSql(`create index "audit_event_action_index" on "audit_event" ("action");`);
    this.addSql(`create index "audit_event_entity_type_entity_id_index" on "audit_event" ("entity_type", "entity_id");`);
    this.addSql(`create index "audit_event_at_id_index" on "audit_event" ("at", "id");`);

    this.addSql(`create table "transfer_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "customer_id" uuid not null, "from_owner_id" uuid not null, "from_territory_id" uuid not null, "to_owner_id" uuid not null, "to_territory_id" uuid not null, "requested_by_id" uuid not null, "reason" text not null, "status" "transfer_status" not null, "decided_by_id" uuid null, "decided_at" timestamptz null, "decision_comment" text null, constraint "transfer_request_pkey" primary key ("id"));`);
    this.addSql(`create index "transfer_request_customer_id_index" on "transfer_request" ("customer_id");`);
    this.addSql(`create index "transfer_request_from_owner_id_index" on "transfer_request" ("from_owner_id");`);
    this.addSql(`create index "transfer_request_from_territory_id_index" on "transfer_request" ("from_territory_id");`);
    this.addSql(`create index "transfer_request_to_owner_id_index" on "transfer_request" ("to_owner_id");`);
    this.addSql(`create index "transfer_request_to_territory_id_index" on "transfer_request" ("to_territory_id");`);
    this.addSql(`create index "transfer_request_requested_by_id_index" on "transfer_request" ("requested_by_id");`);
    this.addSql(`create index "transfer_request_decided_by_id_index" on "transfer_request" ("decided_by_id");`);
    this.addSql(`create index "transfer_request_status_created_at_index" on "transfer_request" ("status", "created_at");`);

    this.addSql(`create table "ownership_history" ("id" bigserial primary key, "customer_id" uuid not null, "owner_id" uuid not null, "territory_id" uuid not null, "valid_from" timestamptz not null, "valid_to" timestamptz null, "reason" text null, "changed_by_id" uuid null);`);
    this.addSql(`create index "ownership_history_owner_id_index" on "ownership_history" ("owner_id");`);
    this.addSql(`create index "ownership_history_territory_id_index" on "ownership_history" ("territory_id");`);
    this.addSql(`create index "ownership_history_changed_by_id_index" on "ownership_history" ("changed_by_id");`);
    this.addSql(`create index "ownership_history_customer_id_valid_from_index" on "ownership_history" ("customer_id", "valid_from");`);

    this.addSql(`create table "customer_directory" ("customer_id" uuid not null, "legal_name" text not null, "normalized_name" text not null, "registration_id" text null, "website_domain" text null, "phones" text[] not null, "email_domains" text[] not null, "territory_id" uuid not null, "owner_id" uuid not null, "archived_at" timestamptz null, constraint "customer_directory_pkey" primary key ("customer_id"));`);
    this.addSql(`create index "customer_directory_normalized_name_index" on "customer_directory" ("normalized_name");`);
    this.addSql(`create index "customer_directory_registration_id_index" on "customer_directory" ("registration_id");`);
    this.addSql(`create index "customer_directory_website_domain_index" on "customer_directory" ("website_domain");`);
    this.addSql(`create index "customer_directory_territory_id_index" on "customer_directory" ("territory_id");`);
    this.addSql(`create index "customer_directory_owner_id_index" on "customer_directory" ("owner_id");`);

    this.addSql(`create table "api_key" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "name" text not null, "prefix" text not null, "secret_hash" text not null, "kind" "api_key_kind" not null, "scopes" text[] not null, "expires_at" timestamptz null, "revoked_at" timestamptz null, "last_used_at" timestamptz null, "created_by_id" uuid not null, constraint "api_key_pkey" primary key ("id"));`);
    this.addSql(`alter table "api_key" add constraint "api_key_prefix_unique" unique ("prefix");`);
    this.addSql(`create index "api_key_created_by_id_index" on "api_key" ("created_by_id");`);

    this.addSql(`create table "api_key_territory" ("api_key_id" uuid not null, "region_id" uuid not null, constraint "api_key_territory_pkey" primary key ("api_key_id", "region_id"));`);

    this.addSql(`alter table "transfer_request" add constraint "transfer_request_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_from_owner_id_foreign" foreign key ("from_owner_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_from_territory_id_foreign" foreign key ("from_territory_id") references "region" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_to_owner_id_foreign" foreign key ("to_owner_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_to_territory_id_foreign" foreign key ("to_territory_id") references "region" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "transfer_request" add constraint "transfer_request_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "ownership_history" add constraint "ownership_history_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "ownership_history" add constraint "ownership_history_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "ownership_history" add constraint "ownership_history_territory_id_foreign" foreign key ("territory_id") references "region" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "ownership_history" add constraint "ownership_history_changed_by_id_foreign" foreign key ("changed_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "customer_directory" add constraint "customer_directory_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_directory" add constraint "customer_directory_territory_id_foreign" foreign key ("territory_id") references "region" ("id") on update cascade on delete no action;`);
    this.addSql(`alter table "customer_directory" add constraint "customer_directory_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete no action;`);

    this.addSql(`alter table "api_key" add constraint "api_key_created_by_id_foreign" foreign key ("created_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "api_key_territory" add constraint "api_key_territory_api_key_id_foreign" foreign key ("api_key_id") references "api_key" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "api_key_territory" add constraint "api_key_territory_region_id_foreign" foreign key ("region_id") references "region" ("id") on update cascade on delete cascade;`);

    // ── Row-level security ──────────────────────────────────────────────────────────────────
    // Each request runs in a transaction as role accountable_app with the viewer's reach in
    // transaction-local settings (see api/src/common/auth/session.ts); these policies hold even
    // if a resolver forgets to scope a query.
    this.addSql(`do $$ begin
      if not exists (select 1 from pg_roles where rolname = 'accountable_app') then create role accountable_app nologin; end if;
    end $$;`);
    this.addSql(`grant accountable_app to current_user;`);
    this.addSql(`grant usage on schema public to accountable_app;`);
    this.addSql(`grant select, insert, update, delete on all tables in schema public to accountable_app;`);
    this.addSql(`grant usage, select on all sequences in schema public to accountable_app;`);
    this.addSql(`revoke all on "mikro_orm_migrations" from accountable_app;`);

    this.addSql(`create function app_ids(setting text) returns uuid[] language sql stable as
      $$ select coalesce(nullif(current_setting(setting, true), ''), '{}')::uuid[] $$;`);
    this.addSql(`create function app_all() returns boolean language sql stable as
      $$ select coalesce(current_setting('app.all', true), '') = 'on' $$;`);
    this.addSql(`create function app_viewer() returns uuid language sql stable as
      $$ select nullif(current_setting('app.viewer_id', true), '')::uuid $$;`);
    this.addSql(`create function app_can_read(owner uuid, territory uuid) returns boolean language sql stable as
      $$ select app_all() or owner = nullif(current_setting('app.owner_id', true), '')::uuid or territory = any(app_ids('app.read_territories')) $$;`);
    this.addSql(`create function app_can_write(owner uuid, territory uuid) returns boolean language sql stable as
      $$ select app_all()
             or territory = any(app_ids('app.write_territories'))
             or (owner = nullif(current_setting('app.owner_id', true), '')::uuid and territory = any(app_ids('app.member_territories'))) $$;`);

    this.addSql(`create function app_normalize_phone(phone text) returns text language sql immutable as
      $$ select regexp_replace(regexp_replace(phone, '\\D', '', 'g'), '^(0086|86)(?=1[0-9]{10}$)', '') $$;`);

    // The directory and ownership history follow customer through statement-level triggers
    // (set-based, so bulk loads stay fast).
    this.addSql(`create function customer_after_insert() returns trigger language plpgsql as $$ begin
      insert into customer_directory (customer_id, legal_name, normalized_name, registration_id, website_domain, phones, email_domains, territory_id, owner_id, archived_at)
        select id, legal_name, normalized_name, registration_id, website_domain, '{}', '{}', territory_id, owner_id, archived_at from new_rows;
      insert into ownership_history (customer_id, owner_id, territory_id, valid_from, reason, changed_by_id)
        select id, owner_id, territory_id, created_at, nullif(current_setting('app.change_reason', true), ''), app_viewer() from new_rows;
      return null;
    end $$;`);
    this.addSql(`create trigger customer_after_insert after insert on customer referencing new table as new_rows for each statement execute function customer_after_insert();`);
    this.addSql(`create function customer_after_update() returns trigger language plpgsql as $$ begin
      update customer_directory d set legal_name = n.legal_name, normalized_name = n.normalized_name, registration_id = n.registration_id,
          website_domain = n.website_domain, territory_id = n.territory_id, owner_id = n.owner_id, archived_at = n.archived_at
        from new_rows n where d.customer_id = n.id;
      update ownership_history h set valid_to = now()
        from new_rows n join old_rows o on o.id = n.id
        where h.customer_id = n.id and h.valid_to is null and (n.owner_id, n.territory_id) is distinct from (o.owner_id, o.territory_id);
      insert into ownership_history (customer_id, owner_id, territory_id, valid_from, reason, changed_by_id)
        select n.id, n.owner_id, n.territory_id, now(), nullif(current_setting('app.change_reason', true), ''), app_viewer()
        from new_rows n join old_rows o on o.id = n.id
        where (n.owner_id, n.territory_id) is distinct from (o.owner_id, o.territory_id);
      return null;
    end $$;`);
    this.addSql(`create trigger customer_after_update after update on customer referencing old table as old_rows new table as new_rows for each statement execute function customer_after_update();`);

    this.addSql(`create function directory_refresh_contacts(customer_ids uuid[]) returns void language sql as $$
      update customer_directory d set
          phones = coalesce((select array_agg(distinct p) from (
            select app_normalize_phone(x) as p from contact ct cross join lateral unnest(array[ct.phone, ct.mobile]) as x
            where ct.customer_id = d.customer_id and x is not null) s where p <> ''), '{}'),
          email_domains = coalesce((select array_agg(distinct lower(split_part(ct.email, '@', 2))) from contact ct
            where ct.customer_id = d.customer_id and ct.email like '%_@_%'), '{}')
        where d.customer_id = any(customer_ids)
    $$;`);
    this.addSql(`create function contact_refresh_directory() returns trigger language plpgsql as $$ begin
      perform directory_refresh_contacts(array(select distinct customer_id from changed_rows));
      return null;
    end $$;`);
    this.addSql(`create trigger contact_after_insert after insert on contact referencing new table as changed_rows for each statement execute function contact_refresh_directory();`);
    this.addSql(`create trigger contact_after_update after update on contact referencing new table as changed_rows for each statement execute function contact_refresh_directory();`);
    this.addSql(`create trigger contact_after_delete after delete on contact referencing old table as changed_rows for each statement execute function contact_refresh_directory();`);

    // Policies. customer: readable where the viewer has read access, writable where write access.
    for (const table of ['customer', 'customer_directory', 'contact', 'interaction', 'sales_order', 'order_line', 'payment', 'evaluation', 'ownership_history', 'transfer_request']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
    }
    this.addSql(`create policy customer_read on customer for select using (app_can_read(owner_id, territory_id));`);
    this.addSql(`create policy customer_insert on customer for insert with check (app_can_write(owner_id, territory_id));`);
    this.addSql(`create policy customer_update on customer for update using (app_can_write(owner_id, territory_id)) with check (app_can_write(owner_id, territory_id));`);
    this.addSql(`create policy customer_delete on customer for delete using (app_can_write(owner_id, territory_id));`);

    // Every user may read the directory (that an account exists, and whose it is); keys only within their territories.
    this.addSql(`create policy directory_read on customer_directory for select using (coalesce(current_setting('app.directory', true), '') = 'on' or app_can_read(owner_id, territory_id));`);
    // Only the triggers write it; these policies must not widen reads (FOR ALL would include SELECT).
    this.addSql(`create policy directory_insert on customer_directory for insert with check (true);`);
    this.addSql(`create policy directory_update on customer_directory for update using (true) with check (true);`);
    this.addSql(`create policy directory_delete on customer_directory for delete using (true);`);

    for (const table of ['contact', 'interaction', 'sales_order', 'evaluation', 'ownership_history']) {
      this.addSql(`create policy ${table}_read on "${table}" for select using (exists (select 1 from customer c where c.id = customer_id));`);
      this.addSql(`create policy ${table}_write on "${table}" for all using (exists (select 1 from customer c where c.id = customer_id and app_can_write(c.owner_id, c.territory_id))) with check (exists (select 1 from customer c where c.id = customer_id and app_can_write(c.owner_id, c.territory_id)));`);
    }
    // History is appended by the customer trigger whatever the viewer could do before the change.
    this.addSql(`create policy ownership_history_append on ownership_history for insert with check (true);`);
    this.addSql(`create policy ownership_history_close on ownership_history for update using (true) with check (true);`);
    for (const table of ['order_line', 'payment']) {
      this.addSql(`create policy ${table}_read on "${table}" for select using (exists (select 1 from sales_order o where o.id = order_id));`);
      this.addSql(`create policy ${table}_write on "${table}" for all using (exists (select 1 from sales_order o join customer c on c.id = o.customer_id where o.id = order_id and app_can_write(c.owner_id, c.territory_id))) with check (exists (select 1 from sales_order o join customer c on c.id = o.customer_id where o.id = order_id and app_can_write(c.owner_id, c.territory_id)));`);
    }
    this.addSql(`create policy transfer_read on transfer_request for select using (app_all() or requested_by_id = app_viewer() or from_owner_id = app_viewer() or from_territory_id = any(app_ids('app.read_territories')) or to_territory_id = any(app_ids('app.read_territories')));`);
    this.addSql(`create policy transfer_request on transfer_request for insert with check (requested_by_id = app_viewer());`);
    this.addSql(`create policy transfer_decide on transfer_request for update using (app_all() or requested_by_id = app_viewer() or from_territory_id = any(app_ids('app.write_territories'))) with check (true);`);

    // Existing rows (a database migrated after data was loaded).
    this.addSql(`insert into customer_directory (customer_id, legal_name, normalized_name, registration_id, website_domain, phones, email_domains, territory_id, owner_id, archived_at)
      select id, legal_name, normalized_name, registration_id, website_domain, '{}', '{}', territory_id, owner_id, archived_at from customer;`);
    this.addSql(`select directory_refresh_contacts(array(select id from customer));`);
    this.addSql(`insert into ownership_history (customer_id, owner_id, territory_id, valid_from, reason) select id, owner_id, territory_id, created_at, 'initial' from customer;`);
  }

  override async down(): Promise<void> {
    for (const table of ['customer', 'customer_directory', 'contact', 'interaction', 'sales_order', 'order_line', 'payment', 'evaluation', 'ownership_history', 'transfer_request']) {
      this.addSql(`alter table "${table}" disable row level security;`);
    }
    for (const policy of ['customer_read on customer', 'customer_insert on customer', 'customer_update on customer', 'customer_delete on customer', 'contact_read on contact', 'contact_write on contact', 'interaction_read on interaction', 'interaction_write on interaction', 'sales_order_read on sales_order', 'sales_order_write on sales_order', 'evaluation_read on evaluation', 'evaluation_write on evaluation', 'order_line_read on order_line', 'order_line_write on order_line', 'payment_read on payment', 'payment_write on payment']) {
      this.addSql(`drop policy if exists ${policy};`);
    }
    this.addSql(`drop trigger if exists customer_after_insert on customer;`);
    this.addSql(`drop trigger if exists customer_after_update on customer;`);
    this.addSql(`drop trigger if exists contact_after_insert on contact;`);
    this.addSql(`drop trigger if exists contact_after_update on contact;`);
    this.addSql(`drop trigger if exists contact_after_delete on contact;`);
    this.addSql(`drop function if exists customer_after_insert, customer_after_update, contact_refresh_directory, directory_refresh_contacts, app_normalize_phone, app_can_write, app_can_read, app_viewer, app_all, app_ids;`);
    this.addSql(`alter table "api_key_territory" drop constraint "api_key_territory_api_key_id_foreign";`);

    this.addSql(`drop table if exists "audit_event" cascade;`);

    this.addSql(`drop table if exists "transfer_request" cascade;`);

    this.addSql(`drop table if exists "ownership_history" cascade;`);

    this.addSql(`drop table if exists "customer_directory" cascade;`);

    this.addSql(`drop table if exists "api_key" cascade;`);

    this.addSql(`drop table if exists "api_key_territory" cascade;`);

    this.addSql(`drop type "transfer_status";`);
    this.addSql(`drop type "api_key_kind";`);
  }

}
