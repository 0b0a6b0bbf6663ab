import { Migration } from '@mikro-orm/migrations';

/** Columns whose change is bookkeeping, not news: versions, timestamps, derived keys. */
const QUIET = `'created_at', 'updated_at', 'version', 'normalized_name', 'registration_key'`;

/** The event columns every capture writes, in this order. */
const EVENT = `insert into change_event (type, entity, entity_id, customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)`;

const ACTOR = `cross join app_change_actor() a`;
const ACTOR_COLUMNS = `a.kind, a.id, a.origin`;

/**
 * The outbox of the change feed. Statement-level triggers on every table whose changes reach
 * integrators write one `change_event` per changed row in the statement that changes it, so the
 * event commits or rolls back with the change, whoever makes it (a request, a job, raw SQL).
 * Each event records the account's owner and territory after and before the change, so a reader
 * is shown what they could see then, and a reader who could see an account before but not after
 * gets a tombstone. The actor comes from the request's transaction-local settings.
 */
export class Migration20261202041610 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create table "change_event" ("id" bigserial primary key, "xid" xid8 not null default pg_current_xact_id(), "type" text not null, "entity" text not null, "entity_id" uuid not null, "customer_id" uuid null, "columns" text[] not null default '{}', "owner_id" uuid null, "territory_id" uuid null, "old_owner_id" uuid null, "old_territory_id" uuid null, "actor_kind" text not null, "actor_id" uuid null, "origin" text not null, "occurred_at" timestamptz not null default now());`);
    this.addSql(`create index "change_event_occurred_at_index" on "change_event" ("occurred_at");`);
    this.addSql(`create index "change_event_xid_id_index" on "change_event" ("xid", "id");`);
    this.addSql(`create table "change_feed_horizon" ("id" smallint not null, "pruned_xid" xid8 not null default '0', "pruned_id" bigint not null default 0, constraint "change_feed_horizon_pkey" primary key ("id"));`);
    this.addSql(`insert into "change_feed_horizon" ("id") values (1);`);

    // ── Hand-written: who acted, what changed, the captures, and who may read the events ──
    this.addSql(`create function app_change_actor(out kind text, out id uuid, out origin text) language sql stable as $$
      select case when s.viewer is not null then 'USER' when s.api_key is not null then 'API_KEY' else 'SYSTEM' end,
             coalesce(s.viewer, s.api_key)::uuid,
             coalesce(nullif(current_setting('app.origin', true), ''),
                      case when s.viewer is not null then 'console' when s.api_key is not null then 'api_key' else 'system' end)
      from (select nullif(current_setting('app.viewer_id', true), '') as viewer, nullif(current_setting('app.api_key_id', true), '') as api_key) s
    $$;`);
    this.addSql(`create function app_changed_columns(new_row jsonb, old_row jsonb) returns text[] language sql immutable as $$
      select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(coalesce(new_row, old_row)) k
      where k not in (${QUIET}) and (old_row is null or new_row is null or new_row -> k is distinct from old_row -> k)
    $$;`);

    this.addSql(`create function change_capture_customer() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      if tg_op = 'INSERT' then
        ${EVENT} select 'customer.created', 'customer', n.id, n.id, app_changed_columns(to_jsonb(n), null), n.owner_id, n.territory_id, null, null, ${ACTOR_COLUMNS}
          from new_rows n ${ACTOR};
      elsif tg_op = 'UPDATE' then
        ${EVENT} select case when o.archived_at is null and n.archived_at is not null then 'customer.archived'
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

    // Rows of an account (contacts, interactions, orders): the account's owner and territory decide who reads the event.
    this.addSql(`create function change_capture_child() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
    declare v_entity text := tg_argv[0];
    begin
      if tg_op = 'INSERT' then
        ${EVENT} select v_entity || '.created', v_entity, n.id, n.customer_id, app_changed_columns(to_jsonb(n), null), c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join customer c on c.id = n.customer_id ${ACTOR};
      elsif tg_op = 'UPDATE' then
        ${EVENT} select v_entity || '.updated', v_entity, n.id, n.customer_id, d.columns, c.owner_id, c.territory_id, p.owner_id, p.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join old_rows o on o.id = n.id join customer c on c.id = n.customer_id join customer p on p.id = o.customer_id
          cross join lateral (select app_changed_columns(to_jsonb(n), to_jsonb(o)) as columns) d ${ACTOR}
          where cardinality(d.columns) > 0;
      else
        ${EVENT} select v_entity || '.deleted', v_entity, o.id, o.customer_id, '{}', c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from old_rows o join customer c on c.id = o.customer_id ${ACTOR};
      end if;
      return null;
    end $$;`);

    // Lines and payments are part of their order: one order.updated per order and statement, naming the part.
    this.addSql(`create function change_capture_order_part() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
    declare v_part text := tg_argv[0];
    begin
      if tg_op = 'DELETE' then
        ${EVENT} select 'order.updated', 'order', s.id, s.customer_id, array[v_part], c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from (select distinct order_id from old_rows) r join sales_order s on s.id = r.order_id join customer c on c.id = s.customer_id ${ACTOR};
      else
        ${EVENT} select 'order.updated', 'order', s.id, s.customer_id, array[v_part], c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from (select distinct order_id from new_rows) r join sales_order s on s.id = r.order_id join customer c on c.id = s.customer_id ${ACTOR};
      end if;
      return null;
    end $$;`);

    // Decisions (transfers, stage changes): requested on insert, then the status they reach.
    this.addSql(`create function change_capture_request() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
    declare v_entity text := tg_argv[0];
    begin
      if tg_op = 'INSERT' then
        ${EVENT} select v_entity || '.requested', v_entity, n.id, n.customer_id, app_changed_columns(to_jsonb(n), null), c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join customer c on c.id = n.customer_id ${ACTOR};
      else
        ${EVENT} select v_entity || '.' || lower(n.status::text), v_entity, n.id, n.customer_id, app_changed_columns(to_jsonb(n), to_jsonb(o)), c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join old_rows o on o.id = n.id join customer c on c.id = n.customer_id ${ACTOR}
          where n.status is distinct from o.status;
      end if;
      return null;
    end $$;`);

    // A published cycle is company-wide news: every reader of evaluations may see it.
    this.addSql(`create function change_capture_cycle() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      ${EVENT} select 'evaluation_cycle.published', 'evaluation_cycle', n.id, null, array['status'], null, null, null, null, ${ACTOR_COLUMNS}
        from new_rows n join old_rows o on o.id = n.id ${ACTOR}
        where n.status = 'PUBLISHED' and o.status is distinct from 'PUBLISHED';
      return null;
    end $$;`);

    const capture = (table: string, fn: string, args = '') => {
      this.addSql(`create trigger ${table}_change_insert after insert on "${table}" referencing new table as new_rows for each statement execute function ${fn}(${args});`);
      this.addSql(`create trigger ${table}_change_update after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function ${fn}(${args});`);
      this.addSql(`create trigger ${table}_change_delete after delete on "${table}" referencing old table as old_rows for each statement execute function ${fn}(${args});`);
    };
    capture('customer', 'change_capture_customer');
    capture('contact', 'change_capture_child', `'contact'`);
    capture('interaction', 'change_capture_child', `'interaction'`);
    capture('sales_order', 'change_capture_child', `'order'`);
    capture('order_line', 'change_capture_order_part', `'lines'`);
    capture('payment', 'change_capture_order_part', `'payments'`);
    this.addSql(`create trigger transfer_request_change_insert after insert on "transfer_request" referencing new table as new_rows for each statement execute function change_capture_request('transfer');`);
    this.addSql(`create trigger transfer_request_change_update after update on "transfer_request" referencing old table as old_rows new table as new_rows for each statement execute function change_capture_request('transfer');`);
    this.addSql(`create trigger lifecycle_change_request_change_insert after insert on "lifecycle_change_request" referencing new table as new_rows for each statement execute function change_capture_request('stage_change');`);
    this.addSql(`create trigger lifecycle_change_request_change_update after update on "lifecycle_change_request" referencing old table as old_rows new table as new_rows for each statement execute function change_capture_request('stage_change');`);
    this.addSql(`create trigger evaluation_cycle_change_update after update on "evaluation_cycle" referencing old table as old_rows new table as new_rows for each statement execute function change_capture_cycle();`);

    // Requests read events (the feed filters them further) and never write them: only the captures do.
    this.addSql(`grant select on "change_event", "change_feed_horizon" to accountable_app;`);
    this.addSql(`alter table "change_event" enable row level security;`);
    this.addSql(`alter table "change_event" force row level security;`);
    // The captures and the pruning run as the migrating role (security definer, system jobs): its own policy admits them.
    this.addSql(`do $$ begin
      execute format('create policy change_event_keeper on change_event to %I using (true) with check (true)', current_user);
    end $$;`);
    this.addSql(`create policy change_event_read on "change_event" for select using (customer_id is null or app_can_read(owner_id, territory_id) or app_can_read(old_owner_id, old_territory_id));`);
  }

  override async down(): Promise<void> {
    for (const table of ['customer', 'contact', 'interaction', 'sales_order', 'order_line', 'payment']) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists ${table}_change_${op} on "${table}";`);
    }
    this.addSql(`drop trigger if exists transfer_request_change_insert on "transfer_request";`);
    this.addSql(`drop trigger if exists transfer_request_change_update on "transfer_request";`);
    this.addSql(`drop trigger if exists lifecycle_change_request_change_insert on "lifecycle_change_request";`);
    this.addSql(`drop trigger if exists lifecycle_change_request_change_update on "lifecycle_change_request";`);
    this.addSql(`drop trigger if exists evaluation_cycle_change_update on "evaluation_cycle";`);
    for (const fn of ['change_capture_customer', 'change_capture_child', 'change_capture_order_part', 'change_capture_request', 'change_capture_cycle']) {
      this.addSql(`drop function if exists ${fn}();`);
    }
    this.addSql(`drop function if exists app_changed_columns(jsonb, jsonb);`);
    this.addSql(`drop function if exists app_change_actor();`);
    this.addSql(`drop table if exists "change_event" cascade;`);
    this.addSql(`drop table if exists "change_feed_horizon" cascade;`);
  }
}
