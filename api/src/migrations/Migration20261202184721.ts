import { Migration } from '@mikro-orm/migrations';

/**
 * Territory assignment rules and realignments (docs/assignment.md). Positions are unique, checked
 * at the end of each statement so a reorder rotates them in one UPDATE; the rule set's single row
 * is the lock every rule writer takes first and the version a realignment preview names.
 * Row-level security: every principal reads the rules (a create without a territory is placed by
 * them); only admins, and managers within their regions (`app.write_territories` of a principal
 * with no memberships and a user id: a manager), write them. A realignment row is its starter's
 * and the admins'.
 */
export class Migration20261202184721 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "realignment_status" as enum ('RUNNING', 'DONE', 'FAILED');`);
    this.addSql(`create table "assignment_rule_set" ("id" int not null default 1, "version" int not null default 0, "updated_at" timestamptz not null default now(), constraint "assignment_rule_set_pkey" primary key ("id"), constraint assignment_rule_set_single check (id = 1));`);

    this.addSql(`create table "realignment" ("id" uuid not null, "started_by_id" uuid not null, "status" "realignment_status" not null, "rule_set_version" int not null, "total" int not null, "done" int not null default 0, "moved" int not null default 0, "reason" text not null, "started_at" timestamptz not null default now(), "finished_at" timestamptz null, constraint "realignment_pkey" primary key ("id"));`);
    this.addSql(`create index "realignment_started_by_id_index" on "realignment" ("started_by_id");`);

    this.addSql(`create table "assignment_rule" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "position" int not null, "name" text not null, "provinces" text[] not null default '{}', "cities" text[] not null default '{}', "industries" text[] not null default '{}', "size_bands" text[] not null default '{}', "source_channels" text[] not null default '{}', "territory_id" uuid not null, "owner_id" uuid null, constraint "assignment_rule_pkey" primary key ("id"), constraint assignment_rule_position_positive check (position > 0));`);
    this.addSql(`create index "assignment_rule_territory_id_index" on "assignment_rule" ("territory_id");`);
    this.addSql(`create index "assignment_rule_owner_id_index" on "assignment_rule" ("owner_id");`);
    this.addSql(`alter table "assignment_rule" add constraint "assignment_rule_position_unique" unique ("position") deferrable initially immediate;`);

    this.addSql(`alter table "realignment" add constraint "realignment_started_by_id_foreign" foreign key ("started_by_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "assignment_rule" add constraint "assignment_rule_territory_id_foreign" foreign key ("territory_id") references "region" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "assignment_rule" add constraint "assignment_rule_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete restrict;`);

    // ── Hand-written: the rule set's row, grants, row-level security ──
    this.addSql(`insert into "assignment_rule_set" ("id", "version") values (1, 0);`);
    this.addSql(`grant select, insert, update, delete on "assignment_rule" to accountable_app;`);
    this.addSql(`grant select, update ("version", "updated_at") on "assignment_rule_set" to accountable_app;`);
    this.addSql(`grant select, insert, update ("status", "done", "moved", "finished_at") on "realignment" to accountable_app;`);
    for (const table of ['assignment_rule', 'assignment_rule_set', 'realignment']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
    }
    const writer = `app_all() or (app_viewer() is not null and cardinality(app_ids('app.member_territories')) = 0 and cardinality(app_ids('app.write_territories')) > 0)`;
    this.addSql(`create policy assignment_rule_read on "assignment_rule" for select using (true);`);
    this.addSql(`create policy assignment_rule_write_insert on "assignment_rule" for insert with check (app_all() or (app_viewer() is not null and cardinality(app_ids('app.member_territories')) = 0 and territory_id = any(app_ids('app.write_territories'))));`);
    this.addSql(`create policy assignment_rule_write_update on "assignment_rule" for update
      using (app_all() or (app_viewer() is not null and cardinality(app_ids('app.member_territories')) = 0 and territory_id = any(app_ids('app.write_territories'))))
      with check (app_all() or (app_viewer() is not null and cardinality(app_ids('app.member_territories')) = 0 and territory_id = any(app_ids('app.write_territories'))));`);
    this.addSql(`create policy assignment_rule_write_delete on "assignment_rule" for delete using (app_all() or (app_viewer() is not null and cardinality(app_ids('app.member_territories')) = 0 and territory_id = any(app_ids('app.write_territories'))));`);
    this.addSql(`create policy assignment_rule_set_read on "assignment_rule_set" for select using (true);`);
    this.addSql(`create policy assignment_rule_set_write on "assignment_rule_set" for update using (${writer}) with check (${writer});`);
    this.addSql(`create policy realignment_own on "realignment" using (app_all() or started_by_id = app_viewer()) with check (app_all() or started_by_id = app_viewer());`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop table if exists "assignment_rule_set" cascade;`);

    this.addSql(`drop table if exists "realignment" cascade;`);

    this.addSql(`drop table if exists "assignment_rule" cascade;`);

    this.addSql(`drop type "realignment_status";`);
  }

}
