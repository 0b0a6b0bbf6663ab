import { Migration } from '@mikro-orm/migrations';

/**
 * Why a realignment failed (docs/assignment.md): written with FAILED by the job's watcher once the
 * apply's transaction ended without committing. The watcher runs as a system job, so the request
 * role gets no new grant.
 */
export class Migration20261203090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "realignment" add column "error" text null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "realignment" drop column "error";`);
  }

}
