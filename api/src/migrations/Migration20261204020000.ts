import { Migration } from '@mikro-orm/migrations';

/**
 * The dry run's in-file duplicates found by PostgreSQL instead of a Set in the worker that grew
 * with the file (docs/benchmarks.md §6): `import_key` holds each identity key a group head
 * claimed, its primary key says one holder per key and job. Unlogged: nothing in it outlives the
 * dry run that wrote it, and a dry run interrupted by a crash starts again from its first line
 * (clearing the job's keys), so the WAL it would cost buys nothing.
 *
 * `app_import_claim_keys(job, lines, keys)` takes one chunk's heads (each head's line once per key
 * it names, in any order) and returns the lines that are DUPLICATE_IN_FILE: a head naming a key
 * an earlier head claimed (in this chunk or an earlier one). A duplicate claims none of its keys,
 * so whether a head is one depends on the verdicts before it: the heads are taken one by one in
 * line order. When no key of the chunk is held yet and none repeats in it, no head can be a
 * duplicate and every key is claimed in one statement (the usual chunk). PL/pgSQL, as a function in
 * the dry run's path must be (a SQL function would be inlined); security invoker, so row-level
 * security (a job's keys are its importer's and admins', as its rows) applies to what it reads and writes.
 */
export class Migration20261204020000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(
      `create unlogged table "import_key" ("job_id" uuid not null, "key" text not null, "line" int not null, constraint "import_key_pkey" primary key ("job_id", "key"));`,
    );
    this.addSql(`grant select, insert, delete on "import_key" to accountable_app;`);
    this.addSql(`alter table "import_key" enable row level security;`);
    this.addSql(`alter table "import_key" force row level security;`);
    this.addSql(
      `create policy import_key_own on "import_key" using (exists (select 1 from import_job j where j.id = job_id)) with check (exists (select 1 from import_job j where j.id = job_id));`,
    );
    this.addSql(`create function app_import_claim_keys(p_job uuid, p_lines int[], p_keys text[]) returns int[]
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        head record;
        duplicates int[] := '{}';
      begin
        if not exists (select 1 from import_key k where k.job_id = p_job and k.key = any(p_keys))
           and (select count(distinct u.key) = count(*) from unnest(p_keys) u(key)) then
          insert into import_key (job_id, key, line) select p_job, u.key, u.line from unnest(p_lines, p_keys) u(line, key);
          return duplicates;
        end if;
        for head in select u.line, array_agg(u.key) as keys from unnest(p_lines, p_keys) u(line, key) group by u.line order by u.line loop
          if exists (select 1 from import_key k where k.job_id = p_job and k.key = any(head.keys)) then
            duplicates := duplicates || head.line;
          else
            insert into import_key (job_id, key, line) select p_job, k.key, head.line from unnest(head.keys) k(key);
          end if;
        end loop;
        return duplicates;
      end $$;`);
    this.addSql(`revoke all on function app_import_claim_keys(uuid, int[], text[]) from public;`);
    this.addSql(`grant execute on function app_import_claim_keys(uuid, int[], text[]) to accountable_app;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_import_claim_keys(uuid, int[], text[]);`);
    this.addSql(`drop table if exists "import_key" cascade;`);
  }
}
