import { Migration } from '@mikro-orm/migrations';

/**
 * A change feed page as functions, for its plan and its bound. The feed is read a page at a time
 * in (xid, id) order, and the planner, which cannot estimate how many rows row-level security
 * keeps, would otherwise sort every event after the cursor (a bitmap scan and a sort: each page
 * cost the rest of the feed). Here the walk follows the index and stops at `n`, whatever the
 * estimate; PL/pgSQL keeps the plan for the session, where a SQL function plans on every call.
 *
 * A reader who may see few of the events (a rep among thousands of others' changes, a rare type)
 * would still walk everything after their cursor on every poll. So a page reads at most `m`
 * events: `app_change_scan_bound` names the last of the next `m` below the horizon (as the
 * definer: a position, never an event's content) and whether that is all there is, and the page
 * stops there; the feed hands that position back as the cursor.
 *
 * The page runs as the caller (security invoker), so the feed's policy still decides what it
 * returns. An update naming none of the columns the reader may learn of (`visible`, as
 * `entity.column`) is not news to them and is left out, so pages and counts agree.
 */
export class Migration20261203100000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function app_change_scan_bound(after_xid xid8, after_id bigint, m integer, out until_xid xid8, out until_id bigint, out complete boolean)
      language plpgsql stable security definer set search_path = public, pg_temp as $$
      declare seen bigint;
      begin
        select s.xid, s.id, s.n into until_xid, until_id, seen from (
          select e.xid, e.id, row_number() over (order by e.xid, e.id) as n from (
            select c.xid, c.id from change_event c
            where (c.xid, c.id) > (after_xid, after_id) and c.xid < pg_snapshot_xmin(pg_current_snapshot())
            order by c.xid, c.id limit m) e) s
        order by s.n desc limit 1;
        complete := coalesce(seen, 0) < m;
      end $$;`);
    this.addSql(`create function app_change_page(after_xid xid8, after_id bigint, until_xid xid8, until_id bigint, entities text[], types text[], visible text[], n integer)
      returns setof change_event language plpgsql stable set enable_bitmapscan = off set enable_sort = off as $$ begin
        return query select e.* from change_event e
          where (e.xid, e.id) > (after_xid, after_id)
            and (e.xid, e.id) <= (coalesce(until_xid, '18446744073709551615'::xid8), coalesce(until_id, 9223372036854775807))
            and e.xid < pg_snapshot_xmin(pg_current_snapshot())
            and e.entity = any(entities) and (types is null or e.type = any(types))
            and (e.type <> e.entity || '.updated' or exists (select from unnest(e.columns) c where e.entity || '.' || c = any(visible)))
          order by e.xid, e.id limit n;
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function app_change_page(xid8, bigint, xid8, bigint, text[], text[], text[], integer);`);
    this.addSql(`drop function app_change_scan_bound(xid8, bigint, integer);`);
  }

}
