import { Migration } from '@mikro-orm/migrations';

/**
 * A change feed page as a function, for its plan: the feed is read a page at a time in
 * (xid, id) order, and the planner, which cannot estimate how many rows row-level security keeps,
 * would otherwise sort every event after the cursor (a bitmap scan and a sort: each page costs
 * the rest of the feed). Here the walk follows the index and stops at `n`, whatever the estimate.
 * It runs as the caller (security invoker), so the feed's policy still decides what it returns;
 * PL/pgSQL keeps its plan for the session, where a SQL function would plan it on every call.
 * An update naming none of the columns the reader may learn of (`visible`, as `entity.column`)
 * is not news to them and is left out, so pages and counts agree.
 */
export class Migration20261203100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function app_change_page(after_xid xid8, after_id bigint, entities text[], types text[], visible text[], n integer)
      returns setof change_event language plpgsql stable set enable_bitmapscan = off set enable_sort = off as $$ begin
        return query select e.* from change_event e
          where (e.xid, e.id) > (after_xid, after_id) and e.xid < pg_snapshot_xmin(pg_current_snapshot())
            and e.entity = any(entities) and (types is null or e.type = any(types))
            and (e.type <> e.entity || '.updated' or exists (select from unnest(e.columns) c where e.entity || '.' || c = any(visible)))
          order by e.xid, e.id limit n;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function app_change_page(xid8, bigint, text[], text[], text[], integer);`);
  }

}
