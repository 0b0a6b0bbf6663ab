import { Migration } from '@mikro-orm/migrations';

/**
 * Duplicate candidates at 100k customers (docs/merge.md, "Candidates: cost"). Each account's
 * neighbours were found through the GIN trigram index, which returns every name sharing a
 * trigram with it (thousands when names share common words), all scored and sorted to keep 8: a
 * page timed out. A GiST trigram index walks names nearest first (`<->`) and stops at 8.
 */
export class Migration20261203180000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create index "customer_name_trgm_gist_idx" on "customer" using gist (app_trgm_text("normalized_name") gist_trgm_ops (siglen = 256));`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index if exists "customer_name_trgm_gist_idx";`);
  }
}
