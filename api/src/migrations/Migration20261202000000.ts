import { Migration } from '@mikro-orm/migrations';
import { pgArray } from '../common/orm/pg-array.js';
import { normalizeName, normalizeRegistrationId, registrationKey } from '../modules/customer/customer.normalize.js';

/** A live customer's identity keys, as rows of `(kind, key)` (null keys are left out by the callers). */
const KEYS = `(values ('NAME'::identity_kind, n.normalized_name), ('REGISTRATION'::identity_kind, n.registration_key), ('DOMAIN'::identity_kind, n.website_domain)) as k(kind, key)`;
/** The columns whose change re-keys a customer. */
const KEYED = (row: string) => `(${row}.normalized_name, ${row}.registration_key, ${row}.website_domain, ${row}.archived_at is null)`;

/**
 * One company, one owner — as a database invariant. Each live customer's identity keys
 * (normalised name, registration id skeleton, website domain) become rows of `customer_identity`,
 * whose primary key refuses a second holder however requests interleave. Statement-level
 * triggers on `customer` keep it, so every writer (create, rename, restore from archive, bulk
 * loads) passes through it; requests can neither read nor write it, and learn of a match only
 * from `app_identity_holders` (who holds a key: id, owner, territory), which sees past row-level
 * security so that an API key bound to a few territories cannot create a second record of an
 * account owned elsewhere.
 *
 * Existing data: names are re-normalised with today's rules (look-alike letters, invisible
 * characters) and registration ids upper-cased without separators; where two live customers
 * already share a key, the oldest keeps it (the other is a duplicate, to be merged).
 */
export class Migration20261202000000 extends Migration {
  override async up(): Promise<void> {
    await this.execute(`create type "identity_kind" as enum ('NAME', 'REGISTRATION', 'DOMAIN');`);
    await this.execute(`create table "customer_identity" ("kind" "identity_kind" not null, "key" text not null, "customer_id" uuid not null, "owner_id" uuid not null, "territory_id" uuid not null, constraint "customer_identity_pkey" primary key ("kind", "key"));`);
    await this.execute(`create index "customer_identity_customer_id_index" on "customer_identity" ("customer_id");`);
    await this.execute(`alter table "customer_identity" add constraint "customer_identity_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    await this.execute(`alter table "customer_identity" add constraint "customer_identity_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete no action;`);
    await this.execute(`alter table "customer_identity" add constraint "customer_identity_territory_id_foreign" foreign key ("territory_id") references "region" ("id") on update cascade on delete no action;`);
    await this.execute(`alter table "customer" add column "registration_key" text null;`);
    // Requests never touch the keys themselves: only the triggers and the lookup below do, as
    // security definer functions owned by the migrating role — the one role a policy admits.
    await this.execute(`revoke all on "customer_identity" from accountable_app;`);
    await this.execute(`alter table "customer_identity" enable row level security;`);
    await this.execute(`alter table "customer_identity" force row level security;`);
    await this.execute(`do $$ begin
      execute format('create policy customer_identity_keeper on customer_identity to %I using (true) with check (true)', current_user);
    end $$;`);

    // Re-key existing customers (row-level security is forced: the backfill must see every row).
    await this.execute(`select set_config('app.all', 'on', true);`);
    const rows = (await this.execute(`select id, legal_name as "legalName", registration_id as "registrationId" from customer`)) as { id: string; legalName: string; registrationId: string | null }[];
    for (let start = 0; start < rows.length; start += 5000) {
      const chunk = rows.slice(start, start + 5000);
      const registration = chunk.map((row) => (row.registrationId === null ? null : (normalizeRegistrationId(row.registrationId) ?? row.registrationId.trim())));
      await this.execute(
        `update customer c set normalized_name = u.name, registration_id = u.registration, registration_key = u.key
         from unnest(?::uuid[], ?::text[], ?::text[], ?::text[]) as u(id, name, registration, key) where c.id = u.id`,
        [pgArray(chunk.map((row) => row.id)), pgArray(chunk.map((row) => normalizeName(row.legalName))), pgArray(registration), pgArray(registration.map((id) => (id === null ? null : registrationKey(id))))],
      );
    }
    await this.execute(`insert into customer_identity (kind, key, customer_id, owner_id, territory_id)
      select k.kind, k.key, n.id, n.owner_id, n.territory_id
      from (select * from customer where archived_at is null order by created_at, id) n cross join lateral ${KEYS}
      where k.key is not null and k.key <> ''
      on conflict do nothing;`);

    // Owner and territory follow the customer; keys are replaced when they (or live-ness) change.
    await this.execute(`create function customer_identity_sync() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      if tg_op = 'UPDATE' then
        update customer_identity i set owner_id = n.owner_id, territory_id = n.territory_id
          from new_rows n join old_rows o on o.id = n.id
          where i.customer_id = n.id and (n.owner_id, n.territory_id) is distinct from (o.owner_id, o.territory_id);
        delete from customer_identity i using new_rows n join old_rows o on o.id = n.id
          where i.customer_id = n.id and ${KEYED('n')} is distinct from ${KEYED('o')};
        insert into customer_identity (kind, key, customer_id, owner_id, territory_id)
          select k.kind, k.key, n.id, n.owner_id, n.territory_id
          from new_rows n join old_rows o on o.id = n.id cross join lateral ${KEYS}
          where n.archived_at is null and k.key is not null and k.key <> '' and ${KEYED('n')} is distinct from ${KEYED('o')};
      else
        insert into customer_identity (kind, key, customer_id, owner_id, territory_id)
          select k.kind, k.key, n.id, n.owner_id, n.territory_id
          from new_rows n cross join lateral ${KEYS}
          where n.archived_at is null and k.key is not null and k.key <> '';
      end if;
      return null;
    end $$;`);
    await this.execute(`create trigger customer_identity_insert after insert on customer referencing new table as new_rows for each statement execute function customer_identity_sync();`);
    await this.execute(`create trigger customer_identity_update after update on customer referencing old table as old_rows new table as new_rows for each statement execute function customer_identity_sync();`);

    // Who holds any of these keys, whoever asks: the holder's id, owner and territory, nothing else.
    await this.execute(`create function app_identity_holders(name_key text, registration_key text, domain_key text)
      returns table (kind identity_kind, customer_id uuid, owner_id uuid, territory_id uuid)
      language sql stable security definer set search_path = public, pg_temp as $$
        select i.kind, i.customer_id, i.owner_id, i.territory_id from customer_identity i
        where (i.kind = 'NAME' and i.key = name_key) or (i.kind = 'REGISTRATION' and i.key = registration_key) or (i.kind = 'DOMAIN' and i.key = domain_key)
      $$;`);
    await this.execute(`revoke all on function app_identity_holders(text, text, text) from public;`);
    await this.execute(`grant execute on function app_identity_holders(text, text, text) to accountable_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists customer_identity_insert on customer;`);
    this.addSql(`drop trigger if exists customer_identity_update on customer;`);
    this.addSql(`drop function if exists customer_identity_sync();`);
    this.addSql(`drop function if exists app_identity_holders(text, text, text);`);
    this.addSql(`drop table if exists "customer_identity" cascade;`);
    this.addSql(`alter table "customer" drop column "registration_key";`);
    this.addSql(`drop type "identity_kind";`);
  }
}
