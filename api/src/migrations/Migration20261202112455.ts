import { Migration } from '@mikro-orm/migrations';

/**
 * The in-app inbox: a notification per person concerned by an ownership change, a transfer or
 * stage change awaiting their decision and its outcome, an SLA alert on their account, or a grade
 * change when a cycle is published. Written by triggers on the change feed's outbox and on
 * lifecycle alerts, so each commits with the change that caused it.
 */
export class Migration20261202112455 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create table "notification" ("id" uuid not null default gen_random_uuid(), "user_id" uuid not null, "kind" text not null, "customer_id" uuid null, "subject_id" uuid null, "params" jsonb not null default '{}', "created_at" timestamptz not null default now(), "read_at" timestamptz null, constraint "notification_pkey" primary key ("id"));`);
    this.addSql(`create index "notification_user_id_created_at_id_index" on "notification" ("user_id", "created_at", "id");`);

    this.addSql(`alter table "notification" add constraint "notification_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);

    // ── Hand-written: who is told what, written by the database in the transaction that makes the news ──
    // Recipients are active users other than the one who acted; deciders are the managers whose
    // regions hold the territories (the decision rules of transfer.permissions.ts and
    // lifecycle.permissions.ts), or the admins when no manager may decide.
    this.addSql(`create function app_manages(p_user uuid, p_territory uuid) returns boolean language sql stable as $$
      select exists (select 1 from user_managed_region um join region a on a.id = um.region_id join region t on t.id = p_territory
        where um.user_id = p_user and (t.path = a.path or starts_with(t.path, a.path || '/')))
    $$;`);
    this.addSql(`create function app_deciders(p_from uuid, p_to uuid) returns table (user_id uuid) language sql stable as $$
      with m as (select u.id from app_user u where u.active and u.role = 'MANAGER' and app_manages(u.id, p_from) and app_manages(u.id, p_to))
      select id from m union all select u.id from app_user u where u.active and u.role = 'ADMIN' and not exists (select 1 from m)
    $$;`);
    this.addSql(`create function notify_from_changes() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      -- Most events (contacts, interactions, orders, edits) concern nobody's inbox: leave at once.
      if not exists (select 1 from new_events e where e.type in ('customer.owner_changed', 'transfer.requested', 'transfer.approved',
          'transfer.rejected', 'transfer.cancelled', 'stage_change.requested', 'stage_change.approved', 'stage_change.rejected',
          'evaluation_cycle.published')) then
        return null;
      end if;
      insert into notification (user_id, kind, customer_id, subject_id, params)
      select r.user_id, r.kind, e.customer_id, e.customer_id,
             jsonb_build_object('customerName', c.legal_name, 'territoryName', t.name, 'actorName', act.name)
        from new_events e join customer c on c.id = e.customer_id join region t on t.id = c.territory_id
        left join app_user act on e.actor_kind = 'USER' and act.id = e.actor_id
        cross join lateral (values (e.owner_id, 'ACCOUNT_ASSIGNED'), (e.old_owner_id, 'ACCOUNT_REMOVED')) r(user_id, kind)
        join app_user u on u.id = r.user_id and u.active
       where e.type = 'customer.owner_changed' and e.owner_id is distinct from e.old_owner_id and r.user_id is distinct from e.actor_id;

      insert into notification (user_id, kind, customer_id, subject_id, params)
      select distinct on (r.user_id, tr.id) r.user_id, r.kind, tr.customer_id, tr.id,
             jsonb_build_object('customerName', c.legal_name, 'actorName', rq.name, 'fromTerritoryName', ft.name, 'toTerritoryName', tt.name, 'toOwnerName', tow.name)
        from new_events e join transfer_request tr on tr.id = e.entity_id join customer c on c.id = tr.customer_id
        join app_user rq on rq.id = tr.requested_by_id join app_user tow on tow.id = tr.to_owner_id
        join region ft on ft.id = tr.from_territory_id join region tt on tt.id = tr.to_territory_id
        cross join lateral (select d.user_id, 'TRANSFER_AWAITING_DECISION' as kind from app_deciders(tr.from_territory_id, tr.to_territory_id) d
                            union all select tr.from_owner_id, 'TRANSFER_REQUESTED_FROM_YOU') r
        join app_user u on u.id = r.user_id and u.active
       where e.type = 'transfer.requested' and tr.status = 'PENDING' and r.user_id is distinct from e.actor_id
       order by r.user_id, tr.id, r.kind;

      insert into notification (user_id, kind, customer_id, subject_id, params)
      select distinct r.user_id, 'TRANSFER_DECIDED', tr.customer_id, tr.id,
             jsonb_build_object('customerName', c.legal_name, 'actorName', act.name, 'status', tr.status::text, 'toOwnerName', tow.name, 'toTerritoryName', tt.name)
        from new_events e join transfer_request tr on tr.id = e.entity_id join customer c on c.id = tr.customer_id
        join app_user tow on tow.id = tr.to_owner_id join region tt on tt.id = tr.to_territory_id
        left join app_user act on e.actor_kind = 'USER' and act.id = e.actor_id
        cross join lateral (values (tr.requested_by_id), (tr.to_owner_id), (tr.from_owner_id)) r(user_id)
        join app_user u on u.id = r.user_id and u.active
       where e.type in ('transfer.approved', 'transfer.rejected', 'transfer.cancelled') and r.user_id is distinct from e.actor_id;

      insert into notification (user_id, kind, customer_id, subject_id, params)
      select d.user_id, 'STAGE_CHANGE_AWAITING_DECISION', sc.customer_id, sc.id,
             jsonb_build_object('customerName', c.legal_name, 'actorName', rq.name, 'fromStage', sc.from_stage::text, 'toStage', sc.to_stage::text)
        from new_events e join lifecycle_change_request sc on sc.id = e.entity_id join customer c on c.id = sc.customer_id
        join app_user rq on rq.id = sc.requested_by_id
        cross join lateral app_deciders(c.territory_id, c.territory_id) d
       where e.type = 'stage_change.requested' and sc.status = 'PENDING' and d.user_id is distinct from e.actor_id;

      insert into notification (user_id, kind, customer_id, subject_id, params)
      select distinct r.user_id, 'STAGE_CHANGE_DECIDED', sc.customer_id, sc.id,
             jsonb_build_object('customerName', c.legal_name, 'actorName', act.name, 'status', sc.status::text, 'fromStage', sc.from_stage::text, 'toStage', sc.to_stage::text)
        from new_events e join lifecycle_change_request sc on sc.id = e.entity_id join customer c on c.id = sc.customer_id
        left join app_user act on e.actor_kind = 'USER' and act.id = e.actor_id
        cross join lateral (values (sc.requested_by_id), (c.owner_id)) r(user_id)
        join app_user u on u.id = r.user_id and u.active
       where e.type in ('stage_change.approved', 'stage_change.rejected') and r.user_id is distinct from e.actor_id;

      -- A published cycle tells each owner which of their accounts changed grade since the previous published cycle.
      insert into notification (user_id, kind, customer_id, subject_id, params)
      select c.owner_id, 'GRADE_CHANGED', c.id, cy.id,
             jsonb_build_object('customerName', c.legal_name, 'cycleName', cy.name, 'grade', ev.grade, 'previousGrade', prev.grade)
        from new_events e join evaluation_cycle cy on cy.id = e.entity_id
        join evaluation ev on ev.cycle_id = cy.id join customer c on c.id = ev.customer_id and c.archived_at is null
        join app_user u on u.id = c.owner_id and u.active
        cross join lateral (select p.grade from evaluation p join evaluation_cycle pc on pc.id = p.cycle_id
                             where p.customer_id = ev.customer_id and pc.status = 'PUBLISHED' and pc.id <> cy.id and pc.period_end < cy.period_start
                             order by pc.period_end desc limit 1) prev
       where e.type = 'evaluation_cycle.published' and ev.grade is distinct from prev.grade;
      return null;
    end $$;`);
    this.addSql(`create trigger change_event_notify after insert on "change_event" referencing new table as new_events for each statement execute function notify_from_changes();`);
    this.addSql(`create function notify_from_alerts() returns trigger language plpgsql security definer set search_path = public, pg_temp as $$ begin
      insert into notification (user_id, kind, customer_id, subject_id, params)
      select a.owner_id, 'SLA_OVERDUE', a.customer_id, a.id,
             jsonb_build_object('customerName', c.legal_name, 'stage', a.stage::text, 'dueAt', a.due_at)
        from new_alerts a join customer c on c.id = a.customer_id join app_user u on u.id = a.owner_id and u.active;
      return null;
    end $$;`);
    this.addSql(`create trigger lifecycle_alert_notify after insert on "lifecycle_alert" referencing new table as new_alerts for each statement execute function notify_from_alerts();`);

    // Requests read their own lines and mark them read; only the triggers above write them.
    this.addSql(`grant select on "notification" to accountable_app;`);
    this.addSql(`grant update ("read_at") on "notification" to accountable_app;`);
    this.addSql(`alter table "notification" enable row level security;`);
    this.addSql(`alter table "notification" force row level security;`);
    this.addSql(`do $$ begin
      execute format('create policy notification_keeper on notification to %I using (true) with check (true)', current_user);
    end $$;`);
    this.addSql(`create policy notification_own on "notification" using (user_id = nullif(current_setting('app.viewer_id', true), '')::uuid) with check (user_id = nullif(current_setting('app.viewer_id', true), '')::uuid);`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists change_event_notify on "change_event";`);
    this.addSql(`drop trigger if exists lifecycle_alert_notify on "lifecycle_alert";`);
    this.addSql(`drop function if exists notify_from_changes();`);
    this.addSql(`drop function if exists notify_from_alerts();`);
    this.addSql(`drop function if exists app_deciders(uuid, uuid);`);
    this.addSql(`drop function if exists app_manages(uuid, uuid);`);
    this.addSql(`drop table if exists "notification" cascade;`);
  }

}
