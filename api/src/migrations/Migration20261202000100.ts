import { Migration } from '@mikro-orm/migrations';

/** Reach settings as values computed once per statement (InitPlans), not once per row. */
const ALL = `(select app_all())`;
const OWNER = `(select app_owner())`;
const IN = (setting: string) => `in (select unnest(app_ids('${setting}')))`;

/**
 * The read half of `accessOf` (api/src/modules/access/access.policy.ts) over the reach settings,
 * for an account's owner and territory; the write policies already had this shape. Ownership
 * counts only in a territory the owner works in (`app.member_territories`, empty for managers
 * and keys).
 */
const CAN_READ = (owner: string, territory: string) =>
  `(${ALL} or ${territory} ${IN('app.read_territories')} or (${owner} = ${OWNER} and ${territory} ${IN('app.member_territories')}))`;
const DIRECTORY = `(select coalesce(current_setting('app.directory', true), '') = 'on')`;

const OLD_CAN_READ = `${ALL} or owner_id = ${OWNER} or territory_id ${IN('app.read_territories')}`;

/**
 * Row-level security reads by the same rule as the application. The read policies admitted an
 * account's owner wherever the account was, while the application gave an owner outside their
 * reach (a manager owning accounts outside their regions, a rep who moved) only the directory
 * card; the database then served those accounts' contacts, interactions, orders, evaluations and
 * export lines in full. Reads now need what writes already needed: the territory in the reach, or
 * ownership in a territory the owner works in. `app_access` is the level by the same formula, so
 * tests can put the database's decision next to the application's.
 */
export class Migration20261202000100 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop policy customer_read on customer;`);
    this.addSql(`create policy customer_read on customer for select using (${CAN_READ('owner_id', 'territory_id')});`);
    this.addSql(`drop policy directory_read on customer_directory;`);
    this.addSql(`create policy directory_read on customer_directory for select using (${DIRECTORY} or ${CAN_READ('owner_id', 'territory_id')});`);
    this.addSql(`drop policy evaluation_export_read on "evaluation_export";`);
    this.addSql(`create policy evaluation_export_read on "evaluation_export" for select using (${CAN_READ('owner_id', 'territory_id')});`);
    // The per-call helpers (app_can_write already had this shape): app_in, no per-statement values to share.
    this.addSql(`create or replace function app_can_read(owner uuid, territory uuid) returns boolean language sql stable as
      $$ select app_all() or app_in('app.read_territories', territory) or (owner = app_owner() and app_in('app.member_territories', territory)) $$;`);
    this.addSql(`create function app_access(owner uuid, territory uuid) returns text language sql stable as
      $$ select case when app_can_write(owner, territory) then 'EDIT' when app_can_read(owner, territory) then 'READ'
                     when coalesce(current_setting('app.directory', true), '') = 'on' then 'DIRECTORY' else 'NONE' end $$;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop function if exists app_access(uuid, uuid);`);
    this.addSql(`create or replace function app_can_read(owner uuid, territory uuid) returns boolean language sql stable as
      $$ select app_all() or owner = nullif(current_setting('app.owner_id', true), '')::uuid or app_in('app.read_territories', territory) $$;`);
    this.addSql(`drop policy evaluation_export_read on "evaluation_export";`);
    this.addSql(`create policy evaluation_export_read on "evaluation_export" for select using (${OLD_CAN_READ});`);
    this.addSql(`drop policy directory_read on customer_directory;`);
    this.addSql(`create policy directory_read on customer_directory for select using (${DIRECTORY} or ${OLD_CAN_READ});`);
    this.addSql(`drop policy customer_read on customer;`);
    this.addSql(`create policy customer_read on customer for select using (${OLD_CAN_READ});`);
  }
}
