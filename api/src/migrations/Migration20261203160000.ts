import { Migration } from '@mikro-orm/migrations';

const OWN = `(select app_all()) or exists (select 1 from customer c where c.id = customer_id)`;
/**
 * Linked to a survivor the reader may read (customer_merge_child and customer_merge are visible
 * where the survivor is) by a merge that stands, for a reader who may know the merged record:
 * every user does (a directory card at least); a key only by reading it, which OWN admits already.
 */
const LINKED = `((select coalesce(current_setting('app.directory', true), '') = 'on') and exists (
  select 1 from customer_merge_child mc join customer_merge m on m.id = mc.merge_id
  where mc.child_id = evaluation.id and mc.kind = 'EVALUATION' and m.undone_at is null))`;

/**
 * The survivor's evaluations list the snapshots of the records merged into it (docs/merge.md,
 * "Evaluations"): a merge links them, never moves them (published cycles are immutable), so
 * their rows still name the merged record, which the survivor's readers may not be able to open
 * (an admin merged another rep's account into theirs). Such a result is readable through its
 * survivor while the merge stands; an undo takes that away with the link.
 */
export class Migration20261203160000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`drop policy evaluation_read on "evaluation";`);
    this.addSql(`create policy evaluation_read on "evaluation" for select using (${OWN} or ${LINKED});`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop policy evaluation_read on "evaluation";`);
    this.addSql(`create policy evaluation_read on "evaluation" for select using (${OWN});`);
  }
}
