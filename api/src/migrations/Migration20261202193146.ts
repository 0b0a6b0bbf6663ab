import { Migration } from '@mikro-orm/migrations';

export class Migration20261202193146 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create index "webhook_delivery_pending_idx" on "webhook_delivery" ("webhook_id", "id") where "state" = 'PENDING';`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop index "webhook_delivery_pending_idx";`);
  }

}
