import { Migration } from '@mikro-orm/migrations';

/**
 * Archived twins among the duplicate candidates (docs/merge.md, "Candidates"): for each live
 * account, the archived and unmerged accounts with its registration id key or normalised name.
 * Those are few among many archived rows, so the lookups are partial indexes over them alone.
 */
export class Migration20261203170000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "customer_archived_registration_key_idx" on "customer" ("registration_key") where "archived_at" is not null and "merged_into_id" is null;`);
    this.addSql(`create index "customer_archived_normalized_name_idx" on "customer" ("normalized_name") where "archived_at" is not null and "merged_into_id" is null;`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "customer_archived_normalized_name_idx";`);
    this.addSql(`drop index if exists "customer_archived_registration_key_idx";`);
  }
}
