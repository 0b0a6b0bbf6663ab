import { Migration } from '@mikro-orm/migrations';

const LINEAGE = `with recursive chain(id, next, depth) as (
        select c.id, c.merged_into_id, 0 from customer c where c.id = start and c.merged_into_id is not null
        union all
        select c.id, c.merged_into_id, chain.depth + 1 from chain join customer c on c.id = chain.next where chain.depth < 64)
      select s.id from chain end_of join customer s on s.id = end_of.id join customer m on m.id = start
      where end_of.next is null and app_access(m.owner_id, m.territory_id) <> 'NONE' and app_access(s.owner_id, s.territory_id) <> 'NONE'`;

/**
 * `app_merge_lineage` as PL/pgSQL, the same query. Two changes met here: `app_merge_survivor`
 * became PL/pgSQL so that its plan is kept per session (Migration20261203150000: a SQL function
 * with a SET clause is planned on every call, 0.22–0.26 ms of the backend's CPU per customer-360),
 * and then a SQL wrapper over the new `app_merge_lineage` (Migration20261203151000), which has the
 * same SET clause and so brought the per-call planning back. Both are PL/pgSQL now: inlined into
 * the customer-360's `c.id = app_merge_survivor($1)`, the SQL wrapper made the customer-360 of the
 * mixed load 5 times slower (p50 7.6 → 38 ms at 20 req/s; saturation 145 → 83 req/s).
 */
export class Migration20261203190000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_merge_lineage(start uuid) returns uuid language plpgsql stable security definer set search_path = public, pg_temp as $$
      begin
        return (${LINEAGE});
      end $$;`);
    this.addSql(`create or replace function app_merge_survivor(start uuid) returns uuid language plpgsql stable as $$
      begin
        return coalesce(app_merge_lineage(start), start);
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function app_merge_lineage(start uuid) returns uuid language sql stable security definer set search_path = public, pg_temp as $$
      ${LINEAGE}
    $$;`);
    this.addSql(`create or replace function app_merge_survivor(start uuid) returns uuid language sql stable as $$
      select coalesce(app_merge_lineage(start), start)
    $$;`);
  }
}
