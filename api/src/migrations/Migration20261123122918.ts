import { Migration } from '@mikro-orm/migrations';

/** Issue 4: lifecycle transitions, approvals, SLAs and alerts; evaluation runs and result columns; sales targets. */
export class Migration20261123122918 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "evaluation_run_status" as enum ('RUNNING', 'DONE', 'FAILED');`);
    this.addSql(`create type "evaluation_run_phase" as enum ('METRICS', 'SCORING', 'FINISHED');`);
    this.addSql(`create type "lifecycle_trigger" as enum ('ORDER', 'INACTIVITY', 'MANUAL');`);
    this.addSql(`create type "stage_change_status" as enum ('PENDING', 'APPROVED', 'REJECTED');`);
    this.addSql(`create type "grade_movement" as enum ('UP', 'DOWN', 'SAME', 'NEW');`);
    this.addSql(`create type "evaluation_quadrant" as enum ('I', 'II', 'III', 'IV');`);
    this.addSql(`create type "value_tier" as enum ('MVC', 'MGC', 'BELOW_ZERO');`);
    this.addSql(`create table "evaluation_run" ("cycle_id" uuid not null, "token" uuid not null, "status" "evaluation_run_status" not null, "phase" "evaluation_run_phase" not null, "done" int not null default 0, "total" int not null default 0, "customers" int not null default 0, "started_at" timestamptz not null, "heartbeat_at" timestamptz not null, "finished_at" timestamptz null, "error" text null, constraint "evaluation_run_pkey" primary key ("cycle_id"));`);

    this.addSql(`create table "lifecycle_stage_sla" ("stage" "lifecycle_stage" not null, "max_days" int not null, "updated_at" timestamptz not null default now(), "updated_by_id" uuid null, constraint "lifecycle_stage_sla_pkey" primary key ("stage"), constraint lifecycle_stage_sla_max_days check (max_days > 0));`);

    this.addSql(`create table "sales_target" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "region_id" uuid null, "user_id" uuid null, "period_start" date not null, "period_end" date not null, "new_customers" int not null, "revenue" numeric(18,2) not null, "set_by_id" uuid not null, constraint "sales_target_pkey" primary key ("id"), constraint sales_target_period check (period_end >= period_start), constraint sales_target_one_node check ((region_id is null) <> (user_id is null)));`);
    this.addSql(`create index "sales_target_region_id_index" on "sales_target" ("region_id");`);
    this.addSql(`create index "sales_target_user_id_index" on "sales_target" ("user_id");`);
    this.addSql(`create index "sales_target_set_by_id_index" on "sales_target" ("set_by_id");`);
    this.addSql(`create index "sales_target_period_start_period_end_index" on "sales_target" ("period_start", "period_end");`);
    this.addSql(`alter table "sales_target" add constraint "sales_target_node_period_unique" unique nulls not distinct ("region_id", "user_id", "period_start", "period_end");`);

    this.addSql(`create table "lifecycle_setting" ("id" smallint not null default 1, "dormant_after_days" int not null default 180, "updated_at" timestamptz not null default now(), "updated_by_id" uuid null, constraint "lifecycle_setting_pkey" primary key ("id"), constraint lifecycle_setting_dormant_days check (dormant_after_days > 0), constraint lifecycle_setting_single_row check (id = 1));`);

    this.addSql(`create table "lifecycle_transition" ("id" uuid not null, "customer_id" uuid not null, "from_stage" "lifecycle_stage" null, "to_stage" "lifecycle_stage" not null, "at" timestamptz not null default now(), "trigger" "lifecycle_trigger" not null, "actor_id" uuid null, "approver_id" uuid null, "reason" text null, constraint "lifecycle_transition_pkey" primary key ("id"));`);
    this.addSql(`create index "lifecycle_transition_actor_id_index" on "lifecycle_transition" ("actor_id");`);
    this.addSql(`create index "lifecycle_transition_approver_id_index" on "lifecycle_transition" ("approver_id");`);
    this.addSql(`create index "lifecycle_transition_customer_id_at_index" on "lifecycle_transition" ("customer_id", "at");`);

    this.addSql(`create table "lifecycle_change_request" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "customer_id" uuid not null, "from_stage" "lifecycle_stage" not null, "to_stage" "lifecycle_stage" not null, "reason" text not null, "status" "stage_change_status" not null, "requested_by_id" uuid not null, "decided_by_id" uuid null, "decided_at" timestamptz null, "decision_comment" text null, constraint "lifecycle_change_request_pkey" primary key ("id"));`);
    this.addSql(`create index "lifecycle_change_request_customer_id_index" on "lifecycle_change_request" ("customer_id");`);
    this.addSql(`create index "lifecycle_change_request_requested_by_id_index" on "lifecycle_change_request" ("requested_by_id");`);
    this.addSql(`create index "lifecycle_change_request_decided_by_id_index" on "lifecycle_change_request" ("decided_by_id");`);
    this.addSql(`create unique index "lifecycle_change_request_one_pending" on "lifecycle_change_request" ("customer_id") where "status" = 'PENDING';`);
    this.addSql(`create index "lifecycle_change_request_status_created_at_index" on "lifecycle_change_request" ("status", "created_at");`);

    this.addSql(`create table "lifecycle_alert" ("id" uuid not null, "customer_id" uuid not null, "stage" "lifecycle_stage" not null, "entered_at" timestamptz not null, "due_at" timestamptz not null, "raised_at" timestamptz not null default now(), "owner_id" uuid not null, constraint "lifecycle_alert_pkey" primary key ("id"));`);
    this.addSql(`create index "lifecycle_alert_owner_id_index" on "lifecycle_alert" ("owner_id");`);
    this.addSql(`create index "lifecycle_alert_raised_at_id_index" on "lifecycle_alert" ("raised_at", "id");`);
    this.addSql(`alter table "lifecycle_alert" add constraint "lifecycle_alert_entry_unique" unique ("customer_id", "stage", "entered_at");`);

    this.addSql(`alter table "evaluation_run" add constraint "evaluation_run_cycle_id_foreign" foreign key ("cycle_id") references "evaluation_cycle" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "lifecycle_stage_sla" add constraint "lifecycle_stage_sla_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "sales_target" add constraint "sales_target_region_id_foreign" foreign key ("region_id") references "region" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sales_target" add constraint "sales_target_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "sales_target" add constraint "sales_target_set_by_id_foreign" foreign key ("set_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "lifecycle_setting" add constraint "lifecycle_setting_updated_by_id_foreign" foreign key ("updated_by_id") references "app_user" ("id") on update cascade on delete set null;`);

    this.addSql(`alter table "lifecycle_transition" add constraint "lifecycle_transition_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "lifecycle_transition" add constraint "lifecycle_transition_actor_id_foreign" foreign key ("actor_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "lifecycle_transition" add constraint "lifecycle_transition_approver_id_foreign" foreign key ("approver_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "lifecycle_change_request" add constraint "lifecycle_change_request_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "lifecycle_change_request" add constraint "lifecycle_change_request_requested_by_id_foreign" foreign key ("requested_by_id") references "app_user" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "lifecycle_change_request" add constraint "lifecycle_change_request_decided_by_id_foreign" foreign key ("decided_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "lifecycle_alert" add constraint "lifecycle_alert_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "lifecycle_alert" add constraint "lifecycle_alert_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "evaluation_cycle" add column "computed_at" timestamptz null;`);
    this.addSql(`alter table "evaluation_cycle" add constraint "evaluation_cycle_period_overlap" exclude using gist (daterange("period_start", "period_end", '[]') with &&);`);

    this.addSql(`alter table "evaluation" add column "territory_id" uuid null, add column "region_id" uuid null, add column "owner_id" uuid null, add column "rank_in_region" int null, add column "rank_overall" int null, add column "previous_grade" text null, add column "movement" "grade_movement" null, add column "quadrant" "evaluation_quadrant" null, add column "value_tier" "value_tier" null, add column "customer_value" numeric(18,2) null, add column "metrics" jsonb null;`);

    // ── Hand-written: settings, grants, row-level security, immutability of published cycles ──
    this.addSql(`insert into "lifecycle_setting" ("id") values (1);`);
    this.addSql(`grant select, insert, update, delete on "evaluation_run", "lifecycle_change_request", "lifecycle_alert", "lifecycle_stage_sla", "lifecycle_setting", "sales_target" to accountable_app;`);
    // Transitions are the record reps are assessed on: the app may add them, never edit or delete them.
    this.addSql(`grant select, insert on "lifecycle_transition" to accountable_app;`);

    for (const table of ['lifecycle_transition', 'lifecycle_change_request', 'lifecycle_alert', 'sales_target']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
    }
    // Lifecycle records follow their customer, like contacts and orders.
    for (const table of ['lifecycle_transition', 'lifecycle_change_request', 'lifecycle_alert']) {
      this.addSql(`create policy ${table}_read on "${table}" for select using (exists (select 1 from customer c where c.id = customer_id));`);
      this.addSql(`create policy ${table}_write on "${table}" for all using (exists (select 1 from customer c where c.id = customer_id and app_can_write(c.owner_id, c.territory_id))) with check (exists (select 1 from customer c where c.id = customer_id and app_can_write(c.owner_id, c.territory_id)));`);
    }
    // Targets follow the region node they plan for, or the territories and regions of the user they plan for.
    const targetScope = (setting: string) => `app_all()
      or region_id = any(app_ids('${setting}'))
      or exists (select 1 from user_territory ut where ut.user_id = sales_target.user_id and ut.region_id = any(app_ids('${setting}')))
      or exists (select 1 from user_managed_region um where um.user_id = sales_target.user_id and um.region_id = any(app_ids('${setting}')))`;
    this.addSql(`create policy sales_target_read on "sales_target" for select using (${targetScope('app.read_territories')}
      or region_id = any(app_ids('app.member_territories')) or user_id = app_viewer());`);
    this.addSql(`create policy sales_target_write on "sales_target" for all using (${targetScope('app.write_territories')}) with check (${targetScope('app.write_territories')});`);

    // A published cycle is a snapshot: neither it nor its results change, whoever asks.
    this.addSql(`create function evaluation_cycle_published_guard() returns trigger language plpgsql as $$ begin
      if old.status = 'PUBLISHED' then
        raise exception 'evaluation cycle % is published and cannot change', old.id using errcode = '55000';
      end if;
      return case when tg_op = 'DELETE' then old else new end;
    end $$;`);
    this.addSql(`create trigger evaluation_cycle_published_guard before update or delete on "evaluation_cycle" for each row execute function evaluation_cycle_published_guard();`);
    // Statement-level with transition tables, so a run writing 100k results pays once, not per row.
    // Nested IFs: a statement naming a transition table the trigger lacks must never be planned.
    this.addSql(`create function evaluation_published_guard() returns trigger language plpgsql as $$ begin
      if tg_op in ('INSERT', 'UPDATE') then
        if exists (select 1 from new_rows r join evaluation_cycle c on c.id = r.cycle_id where c.status = 'PUBLISHED') then
          raise exception 'results of a published evaluation cycle cannot change' using errcode = '55000';
        end if;
      end if;
      if tg_op in ('UPDATE', 'DELETE') then
        if exists (select 1 from old_rows r join evaluation_cycle c on c.id = r.cycle_id where c.status = 'PUBLISHED') then
          raise exception 'results of a published evaluation cycle cannot change' using errcode = '55000';
        end if;
      end if;
      return null;
    end $$;`);
    this.addSql(`create trigger evaluation_published_insert after insert on "evaluation" referencing new table as new_rows for each statement execute function evaluation_published_guard();`);
    this.addSql(`create trigger evaluation_published_update after update on "evaluation" referencing old table as old_rows new table as new_rows for each statement execute function evaluation_published_guard();`);
    this.addSql(`create trigger evaluation_published_delete after delete on "evaluation" referencing old table as old_rows for each statement execute function evaluation_published_guard();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists evaluation_published_insert on "evaluation";`);
    this.addSql(`drop trigger if exists evaluation_published_update on "evaluation";`);
    this.addSql(`drop trigger if exists evaluation_published_delete on "evaluation";`);
    this.addSql(`drop trigger if exists evaluation_cycle_published_guard on "evaluation_cycle";`);
    this.addSql(`drop function if exists evaluation_published_guard, evaluation_cycle_published_guard;`);
    this.addSql(`drop table if exists "evaluation_run" cascade;`);

    this.addSql(`drop table if exists "lifecycle_stage_sla" cascade;`);

    this.addSql(`drop table if exists "sales_target" cascade;`);

    this.addSql(`drop table if exists "lifecycle_setting" cascade;`);

    this.addSql(`drop table if exists "lifecycle_transition" cascade;`);

    this.addSql(`drop table if exists "lifecycle_change_request" cascade;`);

    this.addSql(`drop table if exists "lifecycle_alert" cascade;`);


    this.addSql(`alter table "evaluation" drop column "territory_id", drop column "region_id", drop column "owner_id", drop column "rank_in_region", drop column "rank_overall", drop column "previous_grade", drop column "movement", drop column "quadrant", drop column "value_tier", drop column "customer_value", drop column "metrics";`);

    this.addSql(`alter table "evaluation_cycle" drop constraint "evaluation_cycle_period_overlap";`);
    this.addSql(`alter table "evaluation_cycle" drop column "computed_at";`);

    this.addSql(`drop type "evaluation_run_status";`);
    this.addSql(`drop type "evaluation_run_phase";`);
    this.addSql(`drop type "lifecycle_trigger";`);
    this.addSql(`drop type "stage_change_status";`);
    this.addSql(`drop type "grade_movement";`);
    this.addSql(`drop type "evaluation_quadrant";`);
    this.addSql(`drop type "value_tier";`);
  }

}
