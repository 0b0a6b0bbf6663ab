import { Migration } from '@mikro-orm/migrations';

const KEY = `nullif(current_setting('app.api_key_id', true), '')::uuid`;
const MINE = (user: string, key: string) => `(app_all() or ${user} = app_viewer() or ${key} = ${KEY})`;

/**
 * Bulk imports (docs/import.md): the job, its rows (raw values as uploaded, then what the dry run
 * and the run decided) and saved mappings; an account's external id, unique among live accounts;
 * the import that created an account or contact. Row-level security shows a job, its rows and
 * a template to their importer (user or API key) and to admins (app.all); the importer's own
 * transactions run with their reach, so an import writes customers and contacts only where the
 * importer may. `app_external_id_holder` tells who holds an external id past row-level security,
 * like `app_identity_holders` does for the identity keys, and nothing more (customer's row-level
 * security is forced, so the function reads it with app.all on for its own duration only).
 */
export class Migration20261203120000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "import_format" as enum ('CSV', 'XLSX');`);
    this.addSql(`create type "import_status" as enum ('UPLOADED', 'ANALYZING', 'READY', 'RUNNING', 'COMPLETED', 'CANCELLED', 'FAILED', 'REVERTED');`);
    this.addSql(`create type "import_action" as enum ('CREATE', 'UPDATE', 'CONTACT', 'DUPLICATE_OWNED', 'INVALID');`);
    this.addSql(`create table "import_job" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "created_by_user_id" uuid null, "created_by_key_id" uuid null, "file_name" text not null, "format" "import_format" not null, "status" "import_status" not null, "total_rows" int not null default 0, "analyzed_rows" int not null default 0, "processed_rows" int not null default 0, "processed_line" int not null default 0, "mapping" jsonb not null, "template_id" uuid null, "counts" jsonb not null default '{}', "result" jsonb not null default '{}', "analysis" int not null default 0, "error" text null, "lease_until" timestamptz null, "started_at" timestamptz null, "finished_at" timestamptz null, "reverted_at" timestamptz null, constraint "import_job_pkey" primary key ("id"));`);
    this.addSql(`create index "import_job_created_by_user_id_index" on "import_job" ("created_by_user_id");`);
    this.addSql(`create index "import_job_created_by_key_id_index" on "import_job" ("created_by_key_id");`);
    this.addSql(`create index "import_job_status_index" on "import_job" ("status");`);
    this.addSql(`create index "import_job_created_at_id_index" on "import_job" ("created_at", "id");`);

    this.addSql(`create table "import_row" ("job_id" uuid not null, "line" int not null, "values" jsonb not null, "group_line" int null, "action" "import_action" null, "field" text null, "code" text null, "params" jsonb null, "customer_id" uuid null, "contact_id" uuid null, "before" jsonb null, "version_after" int null, "applied" boolean not null default false, "revert_code" text null, constraint "import_row_pkey" primary key ("job_id", "line"));`);

    this.addSql(`create table "import_template" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "owner_user_id" uuid null, "owner_key_id" uuid null, "name" text not null, "columns" jsonb not null, constraint "import_template_pkey" primary key ("id"));`);
    this.addSql(`create unique index "import_template_owner_name_unique" on "import_template" (coalesce("owner_user_id", "owner_key_id"), lower("name"));`);

    this.addSql(`alter table "customer" add column "external_id" text null, add column "import_id" uuid null;`);
    this.addSql(`create index "customer_import_id_index" on "customer" ("import_id");`);
    this.addSql(`create unique index "customer_external_id_live_unique" on "customer" ("external_id") where "archived_at" is null and "external_id" is not null;`);

    this.addSql(`alter table "contact" add column "import_id" uuid null;`);
    this.addSql(`create index "contact_import_id_index" on "contact" ("import_id");`);

    // ── Hand-written: grants, row-level security, the external id lookup ──
    this.addSql(`alter table "import_job" add constraint "import_job_one_importer" check (num_nonnulls("created_by_user_id", "created_by_key_id") = 1);`);
    this.addSql(`alter table "import_template" add constraint "import_template_one_owner" check (num_nonnulls("owner_user_id", "owner_key_id") = 1);`);
    this.addSql(`grant select, insert, update on "import_job" to accountable_app;`);
    this.addSql(`grant select, insert, update, delete on "import_row", "import_template" to accountable_app;`);
    for (const table of ['import_job', 'import_row', 'import_template']) {
      this.addSql(`alter table "${table}" enable row level security;`);
      this.addSql(`alter table "${table}" force row level security;`);
    }
    this.addSql(`create policy import_job_own on "import_job" using (${MINE('created_by_user_id', 'created_by_key_id')}) with check (${MINE('created_by_user_id', 'created_by_key_id')});`);
    this.addSql(`create policy import_row_own on "import_row" using (exists (select 1 from import_job j where j.id = job_id)) with check (exists (select 1 from import_job j where j.id = job_id));`);
    this.addSql(`create policy import_template_own on "import_template" using (${MINE('owner_user_id', 'owner_key_id')}) with check (${MINE('owner_user_id', 'owner_key_id')});`);
    this.addSql(`create function app_external_id_holder(external text)
      returns table (customer_id uuid, owner_id uuid, territory_id uuid)
      language sql stable security definer set search_path = public, pg_temp set app."all" = 'on' as $$
        select c.id, c.owner_id, c.territory_id from customer c where c.external_id = external and c.archived_at is null
      $$;`);
    this.addSql(`revoke all on function app_external_id_holder(text) from public;`);
    this.addSql(`grant execute on function app_external_id_holder(text) to accountable_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_external_id_holder(text);`);
    this.addSql(`drop table if exists "import_job" cascade;`);

    this.addSql(`drop table if exists "import_row" cascade;`);

    this.addSql(`drop table if exists "import_template" cascade;`);

    this.addSql(`drop index "contact_import_id_index";`);
    this.addSql(`alter table "contact" drop column "import_id";`);

    this.addSql(`drop index "customer_import_id_index";`);
    this.addSql(`drop index "customer_external_id_live_unique";`);
    this.addSql(`alter table "customer" drop column "external_id", drop column "import_id";`);

    this.addSql(`drop type "import_format";`);
    this.addSql(`drop type "import_status";`);
    this.addSql(`drop type "import_action";`);
  }

}
