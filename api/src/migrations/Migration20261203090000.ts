import { Migration } from '@mikro-orm/migrations';

/**
 * Why a realignment failed, and the apply's transaction (docs/assignment.md): a job still RUNNING
 * whose transaction PostgreSQL no longer reports in progress ended without committing, and is
 * read as FAILED. Both are written by system jobs, so the request role gets no new grant.
 */
export class Migration20261203090000 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`alter table "realignment" add column "error" text null, add column "apply_xid" xid8 null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`alter table "realignment" drop column "error", drop column "apply_xid";`);
  }

}
