import { Migration } from '@mikro-orm/migrations';

/** Orders that count as placed for `last_order_at` (the evaluation's purchases: not quotes, not cancelled). */
const PLACED = `('CONFIRMED', 'SHIPPED', 'DELIVERED')`;

/**
 * A trigger function keeping `customer.<column>` = the latest `<time>` of the account's rows of
 * `table` that match `counts`. Inserts move it forward (`<` is re-checked on the locked row, so
 * concurrent inserts keep the greatest); updates that change `watched` or the account, and
 * deletes, recompute it for the accounts concerned (old and new), from the (customer_id, time)
 * timeline index.
 */
function activityFunction(name: string, column: string, table: string, time: string, counts: string, watched: string[]): string {
  const changed = (row: string) => `(${[...watched, 'customer_id'].map((col) => `${row}.${col}`).join(', ')})`;
  return `create function ${name}() returns trigger language plpgsql as $$
    declare touched uuid[];
    begin
      if tg_op = 'INSERT' then
        update customer c set ${column} = n.at
          from (select customer_id, max(${time}) as at from new_rows where ${counts} group by customer_id) n
          where c.id = n.customer_id and (c.${column} is null or c.${column} < n.at);
        return null;
      elsif tg_op = 'UPDATE' then
        select array_agg(distinct x.customer_id) into touched
          from new_rows n join old_rows o on o.id = n.id cross join lateral (values (n.customer_id), (o.customer_id)) x(customer_id)
          where ${changed('n')} is distinct from ${changed('o')};
      else
        select array_agg(distinct customer_id) into touched from old_rows;
      end if;
      if touched is null then return null; end if;
      -- Lock the accounts first, then read their rows in a statement of its own: under READ
      -- COMMITTED that statement's snapshot sees every writer that held the lock before us, so a
      -- concurrent insert's later time is never overwritten by an older maximum.
      perform 1 from customer c where c.id = any(touched) order by c.id for update;
      update customer c set ${column} = l.at
        from (select t.id, (select max(r.${time}) from ${table} r where r.customer_id = t.id and ${counts.replace('status', 'r.status')}) as at
              from unnest(touched) t(id)) l
        where c.id = l.id and c.${column} is distinct from l.at;
      return null;
    end $$;`;
}

/**
 * The customer list's activity sorts: `customer.last_interaction_at` and `last_order_at`, kept by
 * statement-level triggers on interaction and sales_order in the statement that writes them (so
 * the list never aggregates a customer's history per request), with an index per sort over the
 * same expression the list orders by. Inserts only move the value forward; updates and deletes
 * recompute it for the customers they touch, from the timeline indexes. The columns are
 * bookkeeping for the change feed (the interaction or order event is the news), like version.
 */
export class Migration20261202132823 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "customer" add column "last_interaction_at" timestamptz null, add column "last_order_at" timestamptz null;`);
    this.addSql(`create index "customer_industry_lower_idx" on "customer" (lower("industry"));`);
    this.addSql(`create index "customer_last_order_sort_idx" on "customer" (coalesce("last_order_at", '-infinity'::timestamptz), "id");`);
    this.addSql(`create index "customer_last_interaction_sort_idx" on "customer" (coalesce("last_interaction_at", '-infinity'::timestamptz), "id");`);
    this.addSql(`create index "customer_lifecycle_stage_id_index" on "customer" ("lifecycle_stage", "id");`);

    // ── Hand-written: the triggers that keep the two columns, and the backfill ──
    this.addSql(`create or replace function app_changed_columns(new_row jsonb, old_row jsonb) returns text[] language sql immutable as $$
      select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(coalesce(new_row, old_row)) k
      where k not in ('created_at', 'updated_at', 'version', 'normalized_name', 'registration_key', 'last_interaction_at', 'last_order_at')
        and (old_row is null or new_row is null or new_row -> k is distinct from old_row -> k)
    $$;`);
    this.addSql(activityFunction('customer_last_interaction', 'last_interaction_at', 'interaction', 'occurred_at', 'true', ['occurred_at']));
    this.addSql(activityFunction('customer_last_order', 'last_order_at', 'sales_order', 'ordered_at', `status in ${PLACED}`, ['ordered_at', 'status']));
    for (const [table, fn] of [['interaction', 'customer_last_interaction'], ['sales_order', 'customer_last_order']] as const) {
      this.addSql(`create trigger ${table}_last_activity_insert after insert on "${table}" referencing new table as new_rows for each statement execute function ${fn}();`);
      this.addSql(`create trigger ${table}_last_activity_update after update on "${table}" referencing old table as old_rows new table as new_rows for each statement execute function ${fn}();`);
      this.addSql(`create trigger ${table}_last_activity_delete after delete on "${table}" referencing old table as old_rows for each statement execute function ${fn}();`);
    }

    // Existing accounts (row-level security is forced: the backfill must see every row).
    this.addSql(`select set_config('app.all', 'on', true);`);
    this.addSql(`update customer c set
        last_interaction_at = (select max(i.occurred_at) from interaction i where i.customer_id = c.id),
        last_order_at = (select max(s.ordered_at) from sales_order s where s.customer_id = c.id and s.status in ${PLACED});`);
    this.addSql(`select set_config('app.all', '', true);`);
  }

  override async down(): Promise<void> {
    for (const table of ['interaction', 'sales_order']) {
      for (const op of ['insert', 'update', 'delete']) this.addSql(`drop trigger if exists ${table}_last_activity_${op} on "${table}";`);
    }
    this.addSql(`drop function if exists customer_last_interaction();`);
    this.addSql(`drop function if exists customer_last_order();`);
    this.addSql(`create or replace function app_changed_columns(new_row jsonb, old_row jsonb) returns text[] language sql immutable as $$
      select coalesce(array_agg(k order by k), '{}') from jsonb_object_keys(coalesce(new_row, old_row)) k
      where k not in ('created_at', 'updated_at', 'version', 'normalized_name', 'registration_key')
        and (old_row is null or new_row is null or new_row -> k is distinct from old_row -> k)
    $$;`);
    this.addSql(`drop index "customer_industry_lower_idx";`);
    this.addSql(`drop index "customer_last_order_sort_idx";`);
    this.addSql(`drop index "customer_last_interaction_sort_idx";`);
    this.addSql(`drop index "customer_lifecycle_stage_id_index";`);
    this.addSql(`alter table "customer" drop column "last_interaction_at", drop column "last_order_at";`);
  }

}
