import { Migration } from '@mikro-orm/migrations';

/** The children that name their customer directly (payments go through their order); a stage change writes a transition. */
const CHILDREN = ['contact', 'interaction', 'sales_order', 'transfer_request', 'lifecycle_change_request', 'lifecycle_transition'];

/**
 * A merged record takes no new children (docs/merge.md, "Writes racing a merge").
 *
 * A child written while a merge runs passes its service's checks (the record was live), then
 * its foreign-key check waits on the merge's lock of the customer and succeeds once the merge
 * commits: the child would land on the archived record, moved by nobody. These statement-level
 * AFTER triggers run after the statement's row-level foreign-key checks, so after that wait; the
 * query in them takes a fresh snapshot (READ COMMITTED, a volatile function) and sees the
 * committed merge. They refuse with SQLSTATE 23514 and constraint `customer_merged` (the
 * customer's id in DETAIL), which the API answers as CONFLICT with reason CUSTOMER_MERGED.
 * Security definer: row-level security must not hide the merged record from the check.
 * No lock and no round trip is added: a write to a live customer costs one indexed lookup.
 */
export class Migration20261203140000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function app_refuse_merged_customer() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        merged uuid;
      begin
        select c.id into merged from customer c where c.id in (select n.customer_id from new_rows n) and c.merged_into_id is not null limit 1;
        if merged is not null then
          raise exception 'customer % was merged into another record', merged using errcode = '23514', constraint = 'customer_merged', detail = merged::text;
        end if;
        return null;
      end $$;`);
    this.addSql(`create function app_refuse_merged_order() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
      declare
        merged uuid;
      begin
        select c.id into merged from sales_order o join customer c on c.id = o.customer_id
          where o.id in (select n.order_id from new_rows n) and c.merged_into_id is not null limit 1;
        if merged is not null then
          raise exception 'customer % was merged into another record', merged using errcode = '23514', constraint = 'customer_merged', detail = merged::text;
        end if;
        return null;
      end $$;`);
    this.addSql(`revoke all on function app_refuse_merged_customer() from public;`);
    this.addSql(`revoke all on function app_refuse_merged_order() from public;`);
    for (const table of CHILDREN) {
      for (const event of ['insert', 'update']) {
        this.addSql(
          `create trigger "${table}_not_merged_${event}" after ${event} on "${table}" referencing new table as new_rows for each statement execute function app_refuse_merged_customer();`,
        );
      }
    }
    for (const event of ['insert', 'update']) {
      this.addSql(
        `create trigger "payment_not_merged_${event}" after ${event} on "payment" referencing new table as new_rows for each statement execute function app_refuse_merged_order();`,
      );
    }
  }

  override async down(): Promise<void> {
    for (const table of [...CHILDREN, 'payment']) {
      for (const event of ['insert', 'update']) this.addSql(`drop trigger if exists "${table}_not_merged_${event}" on "${table}";`);
    }
    this.addSql(`drop function if exists app_refuse_merged_order();`);
    this.addSql(`drop function if exists app_refuse_merged_customer();`);
  }
}
