import { Migration } from '@mikro-orm/migrations';

/** Text a spreadsheet program would run as a formula: `-` first, so it is literal. */
const FORMULA_START = `'^[-=+@\\t\\r]'`;

const CSV_FIELD = `create or replace function app_csv_field(value text) returns text language sql immutable as
  $$ select case when value is null then ''
    when value ~ ${FORMULA_START} then '"''' || replace(value, '"', '""') || '"'
    when value = '' or value ~ '[",\\r\\n]' then '"' || replace(value, '"', '""') || '"'
    else value end $$;`;

const CSV_FIELD_BEFORE = `create or replace function app_csv_field(value text) returns text language sql immutable as
  $$ select case when value is null then '' when value = '' or value ~ '[",\\r\\n]' then '"' || replace(value, '"', '""') || '"' else value end $$;`;

const CSV = (value: string) => `app_csv_field(${value})`;
const ISO_MS = (value: string) => `to_char(${value} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
const TEXT_COLUMNS = ['customer_name', 'registration_id', 'region_code', 'territory_code', 'grade', 'previous_grade'];

/**
 * Rewrites, with the current app_csv_field, the export lines of results with a text field starting
 * like a formula: the line parts exactly as the trigger evaluation_export_lines writes them
 * (Migration20261123150801). Results of published cycles stay as they are; only their lines change.
 */
const REWRITE_LINES = `update evaluation_export x set
    csv_head = n.customer_id::text || ',' || ${CSV('n.customer_name')},
    csv_pii = ',' || ${CSV('n.registration_id')},
    csv_tail = ',' || ${[
      CSV('n.region_code'),
      CSV('n.territory_code'),
      `coalesce(n.owner_id::text, '')`,
      `n.purchase_count::text`,
      `n.purchase_amount::text`,
      `n.amount_paid::text`,
      `coalesce(n.on_time_share::text, '')`,
      `coalesce(n.average_days_late::text, '')`,
      `coalesce(n.contribution::text, '')`,
      `coalesce(n.score::text, '')`,
      CSV('n.grade'),
      `coalesce(n.rank_in_region::text, '')`,
      `coalesce(n.rank_overall::text, '')`,
      CSV('n.previous_grade'),
      `coalesce(n.movement::text, '')`,
      `coalesce(n.quadrant::text, '')`,
      `coalesce(n.value_tier::text, '')`,
      `coalesce(n.customer_value::text, '')`,
      ISO_MS('n.updated_at'),
    ].join(` || ',' || `)} || e'\\r\\n'
  from evaluation n
  where n.id = x.evaluation_id and (${TEXT_COLUMNS.map((column) => `n.${column} ~ ${FORMULA_START}`).join(' or ')});`;

/**
 * Issue 10, orders.
 * 1. Order numbers come from a counter per `SO-<year>-` prefix that row-level security does not
 *    hide (the maximum over the orders a caller could see clashed for every rep and key), and a
 *    number typed by hand is unique within its account only, so a refusal never tells of an
 *    order the caller cannot read.
 * 2. Payments recorded on an order never add up to more than its total, whichever of the two
 *    changes: statement triggers lock the orders concerned (as the application does) and check.
 * 3. CSV text fields that start like a spreadsheet formula (`=`, `+`, `-`, `@`, tab, CR) get a
 *    leading `'` (OWASP), and the export lines already written with such text are rewritten.
 */
export class Migration20261202000200 extends Migration {
  override async up(): Promise<void> {
    // The backfills below must see every order whoever runs the migration (row-level security is forced).
    this.addSql(`select set_config('app.all', 'on', true);`);

    this.addSql(`create table "order_number_counter" ("prefix" text not null, "last_value" bigint not null, constraint "order_number_counter_pkey" primary key ("prefix"), constraint order_number_counter_prefix check (prefix ~ '^SO-[0-9]+-$'), constraint order_number_counter_positive check (last_value > 0));`);
    // Existing numbers keep working: each counter starts at the largest sequence already used with
    // its prefix, generated or typed by hand (sequences beyond bigint can never be reached).
    this.addSql(`insert into "order_number_counter" ("prefix", "last_value")
      select substring(number from '^(SO-[0-9]+-)'), max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint)
      from sales_order where number ~ '^SO-[0-9]{1,10}-[0-9]{1,18}$'
      group by 1 having max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint) > 0;`);
    // The request role may only advance a counter, one step per call, through this function; the
    // row stays locked until the order commits, and a rollback gives the number back.
    this.addSql(`create function app_next_order_number(prefix text) returns bigint language sql volatile security definer set search_path = pg_catalog, public as
      $$ insert into public.order_number_counter as c (prefix, last_value) values ($1, 1)
         on conflict (prefix) do update set last_value = c.last_value + 1
         returning c.last_value $$;`);
    this.addSql(`revoke all on function app_next_order_number(text) from public;`);
    this.addSql(`grant execute on function app_next_order_number(text) to accountable_app;`);

    this.addSql(`alter table "sales_order" drop constraint "sales_order_number_unique";`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_number_customer_unique" unique ("number", "customer_id");`);
    this.addSql(`create unique index "sales_order_generated_number_unique" on "sales_order" ("number") where "number" ~ '^SO-[0-9]+-[0-9]+$';`);

    // The orders are locked (in id order) before the sums are read: a writer lowering a total and one
    // adding a payment take turns, and the second sees what the first committed (READ COMMITTED
    // takes a fresh snapshot per statement). Orders already over their total before this migration
    // are not checked until they change.
    this.addSql(`create function payment_within_order_total() returns trigger language plpgsql as $$ begin
      perform 1 from sales_order o where o.id in (select order_id from changed_rows) order by o.id for update of o;
      if exists (select 1 from sales_order o where o.id in (select order_id from changed_rows)
                 and o.total < (select coalesce(sum(p.amount), 0) from payment p where p.order_id = o.id)) then
        raise exception 'payments would exceed the order total' using errcode = '23514', constraint = 'payment_within_order_total';
      end if;
      return null;
    end $$;`);
    this.addSql(`create trigger payment_within_order_total_insert after insert on "payment" referencing new table as changed_rows for each statement execute function payment_within_order_total();`);
    this.addSql(`create trigger payment_within_order_total_update after update on "payment" referencing new table as changed_rows for each statement execute function payment_within_order_total();`);
    // The updated orders are locked by the update itself.
    this.addSql(`create function order_total_covers_payments() returns trigger language plpgsql as $$ begin
      if exists (select 1 from new_rows n join old_rows o on o.id = n.id where n.total < o.total
                 and n.total < (select coalesce(sum(p.amount), 0) from payment p where p.order_id = n.id)) then
        raise exception 'the order total would be less than the payments recorded on it' using errcode = '23514', constraint = 'payment_within_order_total';
      end if;
      return null;
    end $$;`);
    this.addSql(`create trigger order_total_covers_payments after update on "sales_order" referencing old table as old_rows new table as new_rows for each statement execute function order_total_covers_payments();`);

    // The trigger evaluation_export_lines calls app_csv_field: new lines follow at once.
    this.addSql(CSV_FIELD);
    this.addSql(REWRITE_LINES);
  }

  override async down(): Promise<void> {
    this.addSql(`select set_config('app.all', 'on', true);`);
    this.addSql(CSV_FIELD_BEFORE);
    this.addSql(REWRITE_LINES);
    this.addSql(`drop trigger if exists payment_within_order_total_insert on "payment";`);
    this.addSql(`drop trigger if exists payment_within_order_total_update on "payment";`);
    this.addSql(`drop trigger if exists order_total_covers_payments on "sales_order";`);
    this.addSql(`drop function if exists payment_within_order_total(), order_total_covers_payments();`);
    this.addSql(`drop index if exists "sales_order_generated_number_unique";`);
    this.addSql(`alter table "sales_order" drop constraint if exists "sales_order_number_customer_unique";`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_number_unique" unique ("number");`);
    this.addSql(`drop function if exists app_next_order_number(text);`);
    this.addSql(`drop table if exists "order_number_counter" cascade;`);
  }
}
