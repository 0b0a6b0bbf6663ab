import { Migration } from '@mikro-orm/migrations';

/**
 * Live inboxes: every statement that writes notifications wakes each recipient once, with
 * `pg_notify('notification', <user id>)`. PostgreSQL delivers a notification only when its
 * transaction commits, so a rolled-back change wakes nobody. The payload is the id alone: the
 * server re-reads the lines as that user, through row-level security, and never trusts it for content.
 */
export class Migration20261202134030 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create function notification_wake() returns trigger language plpgsql set search_path = public, pg_temp as $$ begin
      perform pg_notify('notification', r.user_id::text) from (select distinct user_id from new_lines) r;
      return null;
    end $$;`);
    this.addSql(`create trigger notification_wake after insert on "notification" referencing new table as new_lines for each statement execute function notification_wake();`);
  }

  override async down(): Promise<void> {
    this.addSql(`drop trigger if exists notification_wake on "notification";`);
    this.addSql(`drop function if exists notification_wake();`);
  }

}
