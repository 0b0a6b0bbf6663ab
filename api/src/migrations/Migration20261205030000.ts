import { Migration } from '@mikro-orm/migrations';

const OWN = `(select app_all()) or exists (select 1 from customer c where c.id = customer_id)`;
const DIRECTORY = `(select coalesce(current_setting('app.directory', true), '') = 'on')`;
const LINKS = `select mc.child_id from customer_merge_child mc join customer_merge m on m.id = mc.merge_id
    where mc.kind = 'EVALUATION' and m.undone_at is null`;
const OLD_LINKED = `(${DIRECTORY} and exists (
  select 1 from customer_merge_child mc join customer_merge m on m.id = mc.merge_id
  where mc.child_id = evaluation.id and mc.kind = 'EVALUATION' and m.undone_at is null))`;
const LINKED = `(${DIRECTORY} and id in (select unnest(app_linked_evaluation_ids())))`;

/**
 * evaluation_read's merge-linked branch (Migration20261203160000) asks the same question through
 * a PL/pgSQL function: the ids of evaluations linked by a standing merge, read as the caller, so
 * customer_merge_child's and customer_merge's own policies (and through them the survivor's
 * account policy) still decide which links count. Inline, the branch was planned as a hashed
 * SubPlan of two merge scans, each with its copy of the merge policy and the account policy:
 * some twenty plan nodes set up on every execution of every statement that reads evaluations,
 * though it runs only for a row its account does not admit. Now the plan holds one call, its
 * body planned once per connection, and the set is still taken once per statement and hashed.
 * The rule is unchanged: the same rows under the same policies, an empty set admits nothing,
 * and child ids are never null.
 */
export class Migration20261205030000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create function app_linked_evaluation_ids() returns uuid[] language plpgsql stable as $$
      begin
        return array(${LINKS});
      end $$;`);
    this.addSql(`drop policy evaluation_read on "evaluation";`);
    this.addSql(`create policy evaluation_read on "evaluation" for select using (${OWN} or ${LINKED});`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop policy evaluation_read on "evaluation";`);
    this.addSql(`create policy evaluation_read on "evaluation" for select using (${OWN} or ${OLD_LINKED});`);
    this.addSql(`drop function app_linked_evaluation_ids();`);
  }
}
