import { Migration } from '@mikro-orm/migrations';

/** Columns whose change is bookkeeping, not news (as Migration20261203110000). */
const EVENT = `insert into change_event (type, entity, entity_id, customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)`;
const ACTOR = `cross join app_change_actor() a`;
const ACTOR_COLUMNS = `a.kind, a.id, a.origin`;

/**
 * Duplicate candidates and merges (docs/merge.md).
 *
 * Candidates: trigram neighbours of the normalised name (pg_trgm). The test cluster and the
 * embedded database run without a locale, where pg_trgm counts only ASCII letters and digits as
 * word characters and a Chinese name has no trigrams at all; `app_trgm_text` therefore spells
 * each other character as three base-36 digits of its code point (within a run of such
 * characters, so a shared character is a shared trigram and neighbours share the boundaries),
 * and the GIN index is on that spelling.
 *
 * Merges: `customer.merged_into_id` is the lineage (a merged record is archived, so its identity
 * keys are free); `customer_merge` keeps each merge with the survivor's before-image, its members
 * with theirs, and every child moved (or evaluation linked) with the record it came from, so an
 * undo moves back exactly those. Row-level security: a merge is visible where its survivor is.
 * `app_merge_survivor` follows the lineage past row-level security (an id, nothing else).
 * The customer capture names a merge `customer.merged` (a tombstone in the feed).
 */
export class Migration20261203130000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create extension if not exists pg_trgm;`);
    this.addSql(`create function app_trgm_text(name text) returns text language plpgsql immutable strict parallel safe as $$
      declare
        digits constant text := '0123456789abcdefghijklmnopqrstuvwxyz';
        result text := '';
        ch text;
        cp integer;
        kind integer;
        previous integer := 0;
      begin
        foreach ch in array regexp_split_to_array(name, '') loop
          cp := ascii(ch);
          kind := case when cp >= 128 then 2 when ch ~ '^[A-Za-z0-9]$' then 1 else 0 end;
          if kind <> previous and previous <> 0 then result := result || ' '; end if;
          if kind = 1 then result := result || ch;
          elsif kind = 2 then
            cp := cp % 46656;
            result := result || substr(digits, cp / 1296 + 1, 1) || substr(digits, (cp / 36) % 36 + 1, 1) || substr(digits, cp % 36 + 1, 1);
          end if;
          previous := kind;
        end loop;
        return result;
      end $$;`);
    this.addSql(`create index "customer_name_trgm_idx" on "customer" using gin (app_trgm_text("normalized_name") gin_trgm_ops);`);

    this.addSql(`alter table "customer" add column "merged_into_id" uuid null;`);
    this.addSql(`create index "customer_merged_into_id_index" on "customer" ("merged_into_id");`);
    this.addSql(`alter table "customer" add constraint "customer_merged_into_id_foreign" foreign key ("merged_into_id") references "customer" ("id") on update cascade on delete restrict;`);
    // A merged record is archived: its identity keys are free for the survivor to take.
    this.addSql(`alter table "customer" add constraint "customer_merged_is_archived" check ("merged_into_id" is null or "archived_at" is not null);`);

    this.addSql(`create type "merge_child_kind" as enum ('CONTACT', 'INTERACTION', 'ORDER', 'PAYMENT', 'LIFECYCLE_TRANSITION', 'LIFECYCLE_ALERT', 'EVALUATION');`);
    this.addSql(`create table "customer_merge" ("id" uuid not null, "survivor_id" uuid not null, "actor_kind" text not null, "actor_id" uuid null, "merged_at" timestamptz not null default now(), "undoable_until" timestamptz not null, "undone_at" timestamptz null, "survivor_before" jsonb not null, "survivor_version" int not null, "fields" jsonb not null, constraint "customer_merge_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_merge_survivor_id_index" on "customer_merge" ("survivor_id");`);
    this.addSql(`create index "customer_merge_merged_at_id_index" on "customer_merge" ("merged_at", "id");`);
    this.addSql(`create table "customer_merge_member" ("merge_id" uuid not null, "customer_id" uuid not null, "before" jsonb not null, "version_after" int not null, constraint "customer_merge_member_pkey" primary key ("merge_id", "customer_id"));`);
    this.addSql(`create index "customer_merge_member_customer_id_index" on "customer_merge_member" ("customer_id");`);
    this.addSql(`create table "customer_merge_child" ("merge_id" uuid not null, "kind" "merge_child_kind" not null, "child_id" uuid not null, "from_customer_id" uuid not null, "version_after" int null, constraint "customer_merge_child_pkey" primary key ("merge_id", "kind", "child_id"));`);
    this.addSql(`create index "customer_merge_child_child_id_index" on "customer_merge_child" ("child_id");`);
    this.addSql(`alter table "customer_merge" add constraint "customer_merge_survivor_id_foreign" foreign key ("survivor_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_merge_member" add constraint "customer_merge_member_merge_id_foreign" foreign key ("merge_id") references "customer_merge" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_merge_member" add constraint "customer_merge_member_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "customer_merge_child" add constraint "customer_merge_child_merge_id_foreign" foreign key ("merge_id") references "customer_merge" ("id") on update cascade on delete cascade;`);

    // ── Hand-written: grants, row-level security, the lineage lookup, the capture ──
    this.addSql(`grant select, insert on "customer_merge", "customer_merge_member", "customer_merge_child" to accountable_app;`);
    this.addSql(`grant update ("undone_at") on "customer_merge" to accountable_app;`);
    // A merge moves a record's lifecycle history with it (an undo moves it back); nothing else of it changes.
    this.addSql(`grant update ("customer_id") on "lifecycle_transition" to accountable_app;`);
    for (const table of ['customer_merge', 'customer_merge_member', 'customer_merge_child']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
    }
    this.addSql(`create policy customer_merge_read on "customer_merge" for select using (app_all() or exists (select 1 from customer c where c.id = survivor_id));`);
    this.addSql(`create policy customer_merge_write on "customer_merge" for insert with check (exists (select 1 from customer c where c.id = survivor_id and app_can_write(c.owner_id, c.territory_id)));`);
    this.addSql(`create policy customer_merge_undo on "customer_merge" for update using (exists (select 1 from customer c where c.id = survivor_id and app_can_write(c.owner_id, c.territory_id))) with check (true);`);
    for (const table of ['customer_merge_member', 'customer_merge_child']) {
      this.addSql(`create policy ${table}_read on "${table}" for select using (exists (select 1 from customer_merge m where m.id = merge_id));`);
      this.addSql(`create policy ${table}_write on "${table}" for insert with check (exists (select 1 from customer_merge m where m.id = merge_id));`);
    }
    // The lookup reads the lineage whoever asks (the definer's own policy): an id, nothing else.
    this.addSql(`do $$ begin
      execute format('create policy customer_lineage_keeper on customer for select to %I using (true)', current_user);
    end $$;`);
    this.addSql(`create function app_merge_survivor(start uuid) returns uuid language sql stable security definer set search_path = public, pg_temp as $$
      with recursive chain(id, next, depth) as (
        select c.id, c.merged_into_id, 0 from customer c where c.id = start
        union all
        select c.id, c.merged_into_id, chain.depth + 1 from chain join customer c on c.id = chain.next where chain.depth < 64)
      select coalesce((select chain.id from chain where chain.next is null order by chain.depth desc limit 1), start)
    $$;`);
    this.addSql(`revoke all on function app_merge_survivor(uuid) from public;`);
    this.addSql(`grant execute on function app_merge_survivor(uuid) to accountable_app;`);

    this.addSql(`create or replace function change_capture_customer() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      if tg_op = 'INSERT' then
        ${EVENT} select 'customer.created', 'customer', n.id, n.id, app_changed_columns(to_jsonb(n), null), n.owner_id, n.territory_id, null, null, ${ACTOR_COLUMNS}
          from new_rows n ${ACTOR};
      elsif tg_op = 'UPDATE' then
        if coalesce(current_setting('app.customer_changed_' || pg_trigger_depth(), true), '') <> 'on' then
          return null;
        end if;
        perform set_config('app.customer_changed_' || pg_trigger_depth(), '', true);
        ${EVENT} select case when o.merged_into_id is null and n.merged_into_id is not null then 'customer.merged'
                  when o.archived_at is null and n.archived_at is not null then 'customer.archived'
                  when o.archived_at is not null and n.archived_at is null then 'customer.restored'
                  when (n.owner_id, n.territory_id) is distinct from (o.owner_id, o.territory_id) then 'customer.owner_changed'
                  when n.lifecycle_stage is distinct from o.lifecycle_stage then 'customer.stage_changed'
                  else 'customer.updated' end,
            'customer', n.id, n.id, c.columns, n.owner_id, n.territory_id, o.owner_id, o.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join old_rows o on o.id = n.id cross join lateral (select app_changed_columns(to_jsonb(n), to_jsonb(o)) as columns) c ${ACTOR}
          where cardinality(c.columns) > 0;
      else
        ${EVENT} select 'customer.deleted', 'customer', o.id, o.id, '{}', null, null, o.owner_id, o.territory_id, ${ACTOR_COLUMNS}
          from old_rows o ${ACTOR};
      end if;
      return null;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_merge_survivor(uuid);`);
    this.addSql(`drop policy if exists customer_lineage_keeper on customer;`);
    this.addSql(`drop table if exists "customer_merge_child" cascade;`);
    this.addSql(`drop table if exists "customer_merge_member" cascade;`);
    this.addSql(`drop table if exists "customer_merge" cascade;`);
    this.addSql(`drop type "merge_child_kind";`);
    this.addSql(`alter table "customer" drop constraint "customer_merged_is_archived";`);
    this.addSql(`alter table "customer" drop column "merged_into_id";`);
    this.addSql(`drop index if exists "customer_name_trgm_idx";`);
    this.addSql(`drop function if exists app_trgm_text(text);`);
    this.addSql(`revoke update ("customer_id") on "lifecycle_transition" from accountable_app;`);
  }
}
