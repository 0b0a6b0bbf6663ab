import { Migration } from '@mikro-orm/migrations';

/** Session versions: tokens carry one and stop working once the user's version moves on. */
export class Migration20261202000300 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`alter table "app_user" add column "session_version" int not null default 1;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "app_user" drop column "session_version";`);
  }
}
