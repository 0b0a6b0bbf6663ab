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
 * same SET clause and so brought the per-call planning back. The wrapper stays SQL (it is inlined);
 * the function it calls keeps its plan.
 */
export class Migration20261203190000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_merge_lineage(start uuid) returns uuid language plpgsql stable security definer set search_path = public, pg_temp as $$
      begin
        return (${LINEAGE});
      end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function app_merge_lineage(start uuid) returns uuid language sql stable security definer set search_path = public, pg_temp as $$
      ${LINEAGE}
    $$;`);
  }
}
