import { Migration } from '@mikro-orm/migrations';

/**
 * Revert as a background job (docs/import.md, "Revert"): the status it runs in, who asked for it
 * (the worker reverts as that principal, with their reach), and how far it got: `reverted_line`
 * is the last line of the last committed revert batch, so a restarted or resumed revert goes on
 * after it, and `reverted_rows` is its progress.
 */
export class Migration20261203191000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "import_status" add value if not exists 'REVERTING';`);
    this.addSql(
      `alter table "import_job" add column "reverted_rows" int not null default 0, add column "reverted_line" int not null default 0, add column "revert_by_user_id" uuid null, add column "revert_by_key_id" uuid null;`,
    );
  }

  override async down(): Promise<void> {
    this.addSql(
      `alter table "import_job" drop column "reverted_rows", drop column "reverted_line", drop column "revert_by_user_id", drop column "revert_by_key_id";`,
    );
  }
}
