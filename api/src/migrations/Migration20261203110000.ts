import { Migration } from '@mikro-orm/migrations';

/** Columns whose change is bookkeeping, not news (as app_changed_columns leaves them out). */
const QUIET = `'{created_at,updated_at,version,normalized_name,registration_key,last_interaction_at,last_order_at}'::text[]`;

const EVENT = `insert into change_event (type, entity, entity_id, customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)`;
const ACTOR = `cross join app_change_actor() a`;
const ACTOR_COLUMNS = `a.kind, a.id, a.origin`;

/**
 * The outbox's cost on an account's bookkeeping updates. Every interaction and order updates its
 * account's last_interaction_at / last_order_at, which is no news, yet the account's capture
 * trigger ran its statement over the transition tables each time (about 0.3 ms a write: a query
 * over transition tables is planned on every run). Now a row trigger whose WHEN clause (an
 * expression, no query) sees a change beyond the quiet columns marks the statement, at its
 * trigger depth, and the capture returns at once unless its statement was marked.
 */
export class Migration20261203110000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function change_capture_customer_mark() returns trigger language plpgsql as $$ begin
      perform set_config('app.customer_changed_' || pg_trigger_depth(), 'on', true);
      return null;
    end $$;`);
    this.addSql(`create trigger customer_change_mark after update on "customer" for each row
      when ((to_jsonb(old) - ${QUIET}) is distinct from (to_jsonb(new) - ${QUIET})) execute function change_capture_customer_mark();`);
    this.addSql(`create or replace function change_capture_customer() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      if tg_op = 'INSERT' then
        ${EVENT} select 'customer.created', 'customer', n.id, n.id, app_changed_columns(to_jsonb(n), null), n.owner_id, n.territory_id, null, null, ${ACTOR_COLUMNS}
          from new_rows n ${ACTOR};
      elsif tg_op = 'UPDATE' then
        -- Only quiet columns changed (customer_change_mark did not fire for this statement): no news.
        if coalesce(current_setting('app.customer_changed_' || pg_trigger_depth(), true), '') <> 'on' then
          return null;
        end if;
        perform set_config('app.customer_changed_' || pg_trigger_depth(), '', true);
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
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists customer_change_mark on "customer";`);
    this.addSql(`drop function if exists change_capture_customer_mark();`);
  }

}
