import { Migration } from '@mikro-orm/migrations';

/**
 * Revert as a background job (docs/import.md, "Revert"): the status it runs in, who asked for it
 * (the worker reverts as that principal, with their reach), and how far it got: `reverted_line`
 * is the last line of the last committed revert batch, so a restarted or resumed revert goes on
 * after it, and `reverted_rows` is its progress. And the keys a dry run found on each group's first row.
 */
export class Migration20261203150000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter type "import_status" add value if not exists 'REVERTING';`);
    this.addSql(
      `alter table "import_job" add column "reverted_rows" int not null default 0, add column "reverted_line" int not null default 0, add column "revert_by_user_id" uuid null, add column "revert_by_key_id" uuid null;`,
    );
    // The identity keys (and external id) a dry run found on a group's first row: later chunks look them up here
    // (DUPLICATE_IN_FILE) instead of keeping every key of the file in memory.
    this.addSql(`alter table "import_row" add column "keys" text[] null;`);
    this.addSql(`create index "import_row_keys_index" on "import_row" using gin ("keys");`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "import_row_keys_index";`);
    this.addSql(`alter table "import_row" drop column "keys";`);
    this.addSql(
      `alter table "import_job" drop column "reverted_rows", drop column "reverted_line", drop column "revert_by_user_id", drop column "revert_by_key_id";`,
    );
  }
}
