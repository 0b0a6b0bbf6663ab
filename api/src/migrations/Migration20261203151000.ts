import { Migration } from '@mikro-orm/migrations';

const EVENT = `insert into change_event (type, entity, entity_id, customer_id, old_customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)`;
const OLD_EVENT = `insert into change_event (type, entity, entity_id, customer_id, columns, owner_id, territory_id, old_owner_id, old_territory_id, actor_kind, actor_id, origin)`;
const ACTOR = `cross join app_change_actor() a`;
const ACTOR_COLUMNS = `a.kind, a.id, a.origin`;

/**
 * Merge lineage is told only to those who may know both ends (docs/merge.md, "Lineage").
 *
 * `app_merge_survivor` followed `merged_into_id` for anyone holding a merged id: an API key
 * learnt that an account outside its territories had become one inside them, and a reader of
 * the merged record's territory learnt the id of a survivor it may not see. `app_merge_lineage`
 * now returns the survivor only when the viewer's level (`app_access`, the rule of row-level
 * security) is at least DIRECTORY on the merged record as it was left and on the survivor; else
 * null, and `app_merge_survivor` answers with the id asked for, which row-level security then
 * shows or hides as any other record (an archived one the viewer may read, or nothing: the same
 * null as an id that never existed).
 *
 * The feed: a child moved by a merge was captured as `*.updated` naming its new customer, shown
 * to readers of the old placement as a tombstone that still named the survivor. The event now
 * keeps the customer it came from (`old_customer_id`), which such a reader is shown instead.
 */
export class Migration20261203151000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "change_event" add column "old_customer_id" uuid null;`);
    this.addSql(`create function app_merge_lineage(start uuid) returns uuid language sql stable security definer set search_path = public, pg_temp as $$
      with recursive chain(id, next, depth) as (
        select c.id, c.merged_into_id, 0 from customer c where c.id = start and c.merged_into_id is not null
        union all
        select c.id, c.merged_into_id, chain.depth + 1 from chain join customer c on c.id = chain.next where chain.depth < 64)
      select s.id from chain end_of join customer s on s.id = end_of.id join customer m on m.id = start
      where end_of.next is null and app_access(m.owner_id, m.territory_id) <> 'NONE' and app_access(s.owner_id, s.territory_id) <> 'NONE'
    $$;`);
    this.addSql(`revoke all on function app_merge_lineage(uuid) from public;`);
    this.addSql(`grant execute on function app_merge_lineage(uuid) to accountable_app;`);
    this.addSql(`create or replace function app_merge_survivor(start uuid) returns uuid language sql stable as $$
      select coalesce(app_merge_lineage(start), start)
    $$;`);

    this.addSql(`create or replace function change_capture_child() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
    declare v_entity text := tg_argv[0];
    begin
      if tg_op = 'INSERT' then
        ${EVENT} select v_entity || '.created', v_entity, n.id, n.customer_id, null, app_changed_columns(to_jsonb(n), null), c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join customer c on c.id = n.customer_id ${ACTOR};
      elsif tg_op = 'UPDATE' then
        ${EVENT} select v_entity || '.updated', v_entity, n.id, n.customer_id, nullif(o.customer_id, n.customer_id), d.columns, c.owner_id, c.territory_id, p.owner_id, p.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join old_rows o on o.id = n.id join customer c on c.id = n.customer_id join customer p on p.id = o.customer_id
          cross join lateral (select app_changed_columns(to_jsonb(n), to_jsonb(o)) as columns) d ${ACTOR}
          where cardinality(d.columns) > 0;
      else
        ${EVENT} select v_entity || '.deleted', v_entity, o.id, o.customer_id, null, '{}', c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from old_rows o join customer c on c.id = o.customer_id ${ACTOR};
      end if;
      return null;
    end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`create or replace function app_merge_survivor(start uuid) returns uuid language sql stable security definer set search_path = public, pg_temp as $$
      with recursive chain(id, next, depth) as (
        select c.id, c.merged_into_id, 0 from customer c where c.id = start
        union all
        select c.id, c.merged_into_id, chain.depth + 1 from chain join customer c on c.id = chain.next where chain.depth < 64)
      select coalesce((select chain.id from chain where chain.next is null order by chain.depth desc limit 1), start)
    $$;`);
    this.addSql(`create or replace function change_capture_child() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$
    declare v_entity text := tg_argv[0];
    begin
      if tg_op = 'INSERT' then
        ${OLD_EVENT} select v_entity || '.created', v_entity, n.id, n.customer_id, app_changed_columns(to_jsonb(n), null), c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join customer c on c.id = n.customer_id ${ACTOR};
      elsif tg_op = 'UPDATE' then
        ${OLD_EVENT} select v_entity || '.updated', v_entity, n.id, n.customer_id, d.columns, c.owner_id, c.territory_id, p.owner_id, p.territory_id, ${ACTOR_COLUMNS}
          from new_rows n join old_rows o on o.id = n.id join customer c on c.id = n.customer_id join customer p on p.id = o.customer_id
          cross join lateral (select app_changed_columns(to_jsonb(n), to_jsonb(o)) as columns) d ${ACTOR}
          where cardinality(d.columns) > 0;
      else
        ${OLD_EVENT} select v_entity || '.deleted', v_entity, o.id, o.customer_id, '{}', c.owner_id, c.territory_id, c.owner_id, c.territory_id, ${ACTOR_COLUMNS}
          from old_rows o join customer c on c.id = o.customer_id ${ACTOR};
      end if;
      return null;
    end $$;`);
    this.addSql(`drop function if exists app_merge_lineage(uuid);`);
    this.addSql(`alter table "change_event" drop column "old_customer_id";`);
  }
}
