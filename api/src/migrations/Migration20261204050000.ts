import { Migration } from '@mikro-orm/migrations';

const ALL = `(select app_all())`;
const OWNER = `(select app_owner())`;
/** A reach setting's ids as one array computed once per statement (an InitPlan), then `= any`. */
const ANY = (setting: string) => `= any ((select app_ids('${setting}'))::uuid[])`;
const IN = (setting: string) => `in (select unnest(app_ids('${setting}')))`;

const CAN_READ = (owner: string, territory: string) =>
  `(${ALL} or ${territory} ${ANY('app.read_territories')} or (${owner} = ${OWNER} and ${territory} ${ANY('app.member_territories')}))`;
const OLD_CAN_READ = (owner: string, territory: string) =>
  `(${ALL} or ${territory} ${IN('app.read_territories')} or (${owner} = ${OWNER} and ${territory} ${IN('app.member_territories')}))`;
const DIRECTORY = `(select coalesce(current_setting('app.directory', true), '') = 'on')`;

/**
 * The read policies of accounts (Migration20261202000100) tested a territory with
 * `in (select unnest(app_ids(…)))`, a hashed SubPlan. Every table whose policy probes its account
 * (contacts, interactions, orders and through them lines and payments, evaluations, merges) gets
 * its own copy of the account policy in the plan, so one customer-360 carried some forty of those
 * SubPlans, each set up with its hash table on every execution whether it ran or not. `= any` of
 * the same array taken once per statement (an InitPlan) is the same test (true when an element
 * equals, null when none does and the array or the territory holds a null, else false; an empty
 * array is false) and costs a Result node: 0.3 ms less PostgreSQL CPU per rep customer-360
 * (docs/benchmarks.md §1). The rule is unchanged; app_can_read and app_access already used app_in.
 */
export class Migration20261204050000 extends Migration {
  override async up(): Promise<void> {
    this.policies(CAN_READ);
  }

  override async down(): Promise<void> {
    this.policies(OLD_CAN_READ);
  }

  private policies(canRead: typeof CAN_READ): void {
    this.addSql(`drop policy customer_read on customer;`);
    this.addSql(`create policy customer_read on customer for select using (${canRead('owner_id', 'territory_id')});`);
    this.addSql(`drop policy directory_read on customer_directory;`);
    this.addSql(`create policy directory_read on customer_directory for select using (${DIRECTORY} or ${canRead('owner_id', 'territory_id')});`);
    this.addSql(`drop policy evaluation_export_read on "evaluation_export";`);
    this.addSql(`create policy evaluation_export_read on "evaluation_export" for select using (${canRead('owner_id', 'territory_id')});`);
  }
}
