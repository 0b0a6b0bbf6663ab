import { Migration } from '@mikro-orm/migrations';

/**
 * Functions that name tables, run as their caller, with the caller's search_path: the policies'
 * helpers (app_linked_evaluation_ids, app_merge_survivor), the invariant triggers (an order's
 * total against its payments) and the directory's and exports' upkeep. An unqualified table name
 * is looked up in the session's temporary schema before public unless the path puts pg_temp last,
 * so a session allowed to create `temp table customer_merge_child` would have handed the
 * evaluation policy links of its own, and a temporary `payment` would have answered the totals
 * check. Each now runs with `public, pg_temp`, as most security-definer functions already did;
 * app_next_order_number (security definer, `pg_catalog, public`: pg_temp still first) too.
 * Settings-only helpers that the policies inline (app_all, app_ids, app_access, …) name no table
 * and stay as they are: a SET clause would stop them being inlined.
 */
const PINNED = [
  'app_change_actor()',
  'app_change_page(xid8, bigint, xid8, bigint, text[], text[], text[], integer)',
  'app_deciders(uuid, uuid)',
  'app_linked_evaluation_ids()',
  'app_manages(uuid, uuid)',
  'app_merge_survivor(uuid)',
  'app_next_order_number(text)',
  'contact_refresh_directory()',
  'customer_after_insert()',
  'customer_after_update()',
  'customer_export_reach()',
  'customer_last_interaction()',
  'customer_last_order()',
  'directory_refresh_contacts(uuid[])',
  'evaluation_cycle_published_guard()',
  'evaluation_export_lines()',
  'evaluation_published_guard()',
  'order_total_covers_payments()',
  'payment_within_order_total()',
];

export class Migration20261206000100 extends Migration {
  override async up(): Promise<void> {
    for (const fn of PINNED) this.addSql(`alter function ${fn} set search_path = public, pg_temp;`);
  }

  override async down(): Promise<void> {
    for (const fn of PINNED)
      this.addSql(
        fn === 'app_next_order_number(text)'
          ? `alter function ${fn} set search_path = pg_catalog, public;`
          : `alter function ${fn} reset search_path;`,
      );
  }
}
