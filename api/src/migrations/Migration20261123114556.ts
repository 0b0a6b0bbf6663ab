import { Migration } from '@mikro-orm/migrations';

export class Migration20261123114556 extends Migration {

  override async up(): Promise<void> {
    this.addSql(`create type "cycle_status" as enum ('DRAFT', 'COMPUTED', 'PUBLISHED');`);
    this.addSql(`create type "region_kind" as enum ('REGION', 'PROVINCE', 'TERRITORY');`);
    this.addSql(`create type "role" as enum ('ADMIN', 'MANAGER', 'REP');`);
    this.addSql(`create type "industry_standing" as enum ('LEADER', 'CHALLENGER', 'FOLLOWER', 'NICHE');`);
    this.addSql(`create type "size_band" as enum ('MICRO', 'SMALL', 'MEDIUM', 'LARGE', 'ENTERPRISE');`);
    this.addSql(`create type "ownership_type" as enum ('STATE_OWNED', 'PRIVATE', 'FOREIGN', 'OTHER');`);
    this.addSql(`create type "credit_standing" as enum ('EXCELLENT', 'GOOD', 'FAIR', 'POOR', 'UNKNOWN');`);
    this.addSql(`create type "lifecycle_stage" as enum ('POTENTIAL', 'INTENTION', 'FIRST_PURCHASE', 'REPEAT', 'DORMANT', 'LOST');`);
    this.addSql(`create type "relationship_level" as enum ('BASIC', 'REACTIVE', 'ACCOUNTABLE', 'PROACTIVE', 'PARTNERSHIP');`);
    this.addSql(`create type "channel" as enum ('FIELD', 'PHONE', 'WEB', 'CALL_CENTRE', 'EMAIL', 'REFERRAL', 'EVENT', 'OTHER');`);
    this.addSql(`create type "order_status" as enum ('QUOTE', 'CONFIRMED', 'SHIPPED', 'DELIVERED', 'CANCELLED');`);
    this.addSql(`create type "decision_role" as enum ('DECISION_MAKER', 'INFLUENCER', 'BUYER', 'USER', 'GATEKEEPER', 'OTHER');`);
    this.addSql(`create type "contact_frequency" as enum ('WEEKLY', 'BIWEEKLY', 'MONTHLY', 'QUARTERLY', 'YEARLY', 'ON_DEMAND');`);
    this.addSql(`create type "interaction_kind" as enum ('VISIT', 'CALL', 'EMAIL', 'MEETING', 'DEMO', 'SERVICE_REQUEST', 'INSTALLATION', 'REPAIR', 'COMPLAINT', 'SUGGESTION');`);
    this.addSql(`create table "evaluation_cycle" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "name" text not null, "period_start" date not null, "period_end" date not null, "status" "cycle_status" not null default 'DRAFT', "settings" jsonb not null default '{}', "published_at" timestamptz null, constraint "evaluation_cycle_pkey" primary key ("id"));`);

    this.addSql(`create table "region" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "code" text not null, "name" text not null, "name_zh" text null, "kind" "region_kind" not null, "parent_id" uuid null, "path" text not null, "key_city" boolean not null default false, constraint "region_pkey" primary key ("id"));`);
    this.addSql(`alter table "region" add constraint "region_code_unique" unique ("code");`);
    this.addSql(`create index "region_parent_id_index" on "region" ("parent_id");`);
    this.addSql(`create index "region_path_prefix_idx" on "region" ("path" text_pattern_ops);`);

    this.addSql(`create table "app_user" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "email" text not null, "name" text not null, "password_hash" text not null, "role" "role" not null, "active" boolean not null default true, constraint "app_user_pkey" primary key ("id"));`);
    this.addSql(`alter table "app_user" add constraint "app_user_email_unique" unique ("email");`);

    this.addSql(`create table "customer" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "legal_name" text not null, "normalized_name" text not null, "registration_id" text null, "industry" text null, "products" text null, "industry_standing" "industry_standing" null, "size_band" "size_band" null, "ownership_type" "ownership_type" null, "credit_standing" "credit_standing" not null default 'UNKNOWN', "address_line" text null, "city" text null, "province" text null, "postal_code" text null, "country" text null, "website_domain" text null, "territory_id" uuid not null, "owner_id" uuid not null, "lifecycle_stage" "lifecycle_stage" not null default 'POTENTIAL', "relationship_level" "relationship_level" not null default 'BASIC', "tags" text[] not null default '{}', "source_channel" "channel" null, "notes" text null, "archived_at" timestamptz null, constraint "customer_pkey" primary key ("id"));`);
    this.addSql(`create index "customer_normalized_name_index" on "customer" ("normalized_name");`);
    this.addSql(`create index "customer_registration_id_index" on "customer" ("registration_id");`);
    this.addSql(`create index "customer_industry_index" on "customer" ("industry");`);
    this.addSql(`create index "customer_website_domain_index" on "customer" ("website_domain");`);
    this.addSql(`create index "customer_territory_id_index" on "customer" ("territory_id");`);
    this.addSql(`create index "customer_owner_id_index" on "customer" ("owner_id");`);
    this.addSql(`create index "customer_lifecycle_stage_index" on "customer" ("lifecycle_stage");`);
    this.addSql(`create index "customer_updated_at_id_index" on "customer" ("updated_at", "id");`);
    this.addSql(`create index "customer_created_at_id_index" on "customer" ("created_at", "id");`);
    this.addSql(`create index "customer_legal_name_id_index" on "customer" ("legal_name", "id");`);

    this.addSql(`create table "sales_order" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "customer_id" uuid not null, "number" text not null, "status" "order_status" not null, "ordered_at" timestamptz not null, "win_probability" smallint null, "currency" char(3) not null, "contract_ref" text null, "subtotal" numeric(18,2) not null default 0, "discount_total" numeric(18,2) not null default 0, "total" numeric(18,2) not null default 0, constraint "sales_order_pkey" primary key ("id"));`);
    this.addSql(`alter table "sales_order" add constraint "sales_order_number_unique" unique ("number");`);
    this.addSql(`create index "sales_order_status_index" on "sales_order" ("status");`);
    this.addSql(`create index "sales_order_ordered_at_id_index" on "sales_order" ("ordered_at", "id");`);
    this.addSql(`create index "sales_order_customer_timeline_idx" on "sales_order" ("customer_id", "ordered_at", "id");`);

    this.addSql(`create table "payment" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "order_id" uuid not null, "amount" numeric(18,2) not null, "due_date" date not null, "paid_at" timestamptz null, constraint "payment_pkey" primary key ("id"));`);
    this.addSql(`create index "payment_order_id_index" on "payment" ("order_id");`);
    this.addSql(`create index "payment_due_date_index" on "payment" ("due_date");`);

    this.addSql(`create table "order_line" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "order_id" uuid not null, "position" smallint not null, "product" text not null, "quantity" numeric(14,3) not null, "unit_price" numeric(18,2) not null, "discount_percent" numeric(5,2) not null default 0, "amount" numeric(18,2) not null, constraint "order_line_pkey" primary key ("id"));`);
    this.addSql(`create index "order_line_order_id_index" on "order_line" ("order_id");`);

    this.addSql(`create table "evaluation" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "cycle_id" uuid not null, "customer_id" uuid not null, "purchase_count" int not null default 0, "purchase_amount" numeric(18,2) not null default 0, "amount_paid" numeric(18,2) not null default 0, "on_time_share" double precision null, "average_days_late" double precision null, "contribution" double precision null, "score" double precision null, "grade" text null, constraint "evaluation_pkey" primary key ("id"));`);
    this.addSql(`create index "evaluation_cycle_id_updated_at_id_index" on "evaluation" ("cycle_id", "updated_at", "id");`);
    this.addSql(`create index "evaluation_customer_id_index" on "evaluation" ("customer_id");`);
    this.addSql(`alter table "evaluation" add constraint "evaluation_cycle_id_customer_id_unique" unique ("cycle_id", "customer_id");`);

    this.addSql(`create table "contact" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "customer_id" uuid not null, "name" text not null, "title" text null, "decision_role" "decision_role" null, "phone" text null, "mobile" text null, "email" text null, "im_handles" jsonb not null default '{}', "preferred_channel" "channel" null, "preferred_frequency" "contact_frequency" null, "consent" boolean not null default false, constraint "contact_pkey" primary key ("id"));`);
    this.addSql(`create index "contact_customer_id_index" on "contact" ("customer_id");`);
    this.addSql(`create index "contact_mobile_index" on "contact" ("mobile");`);
    this.addSql(`create index "contact_email_index" on "contact" ("email");`);

    this.addSql(`create table "interaction" ("id" uuid not null, "created_at" timestamptz not null default now(), "updated_at" timestamptz not null default now(), "version" int not null default 1, "customer_id" uuid not null, "contact_id" uuid null, "author_id" uuid not null, "kind" "interaction_kind" not null, "channel" "channel" not null, "occurred_at" timestamptz not null, "summary" text not null, "outcome" text null, "next_step" text null, "follow_up_on" date null, constraint "interaction_pkey" primary key ("id"));`);
    this.addSql(`create index "interaction_contact_id_index" on "interaction" ("contact_id");`);
    this.addSql(`create index "interaction_author_id_index" on "interaction" ("author_id");`);
    this.addSql(`create index "interaction_follow_up_on_index" on "interaction" ("follow_up_on");`);
    this.addSql(`create index "interaction_occurred_at_id_index" on "interaction" ("occurred_at", "id");`);
    this.addSql(`create index "interaction_customer_timeline_idx" on "interaction" ("customer_id", "occurred_at", "id");`);

    this.addSql(`create table "user_managed_region" ("user_id" uuid not null, "region_id" uuid not null, constraint "user_managed_region_pkey" primary key ("user_id", "region_id"));`);

    this.addSql(`create table "user_territory" ("user_id" uuid not null, "region_id" uuid not null, constraint "user_territory_pkey" primary key ("user_id", "region_id"));`);

    this.addSql(`alter table "region" add constraint "region_parent_id_foreign" foreign key ("parent_id") references "region" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "customer" add constraint "customer_territory_id_foreign" foreign key ("territory_id") references "region" ("id") on update cascade on delete restrict;`);
    this.addSql(`alter table "customer" add constraint "customer_owner_id_foreign" foreign key ("owner_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "sales_order" add constraint "sales_order_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "payment" add constraint "payment_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "order_line" add constraint "order_line_order_id_foreign" foreign key ("order_id") references "sales_order" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "evaluation" add constraint "evaluation_cycle_id_foreign" foreign key ("cycle_id") references "evaluation_cycle" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "evaluation" add constraint "evaluation_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "contact" add constraint "contact_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "interaction" add constraint "interaction_customer_id_foreign" foreign key ("customer_id") references "customer" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "interaction" add constraint "interaction_contact_id_foreign" foreign key ("contact_id") references "contact" ("id") on update cascade on delete set null;`);
    this.addSql(`alter table "interaction" add constraint "interaction_author_id_foreign" foreign key ("author_id") references "app_user" ("id") on update cascade on delete restrict;`);

    this.addSql(`alter table "user_managed_region" add constraint "user_managed_region_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_managed_region" add constraint "user_managed_region_region_id_foreign" foreign key ("region_id") references "region" ("id") on update cascade on delete cascade;`);

    this.addSql(`alter table "user_territory" add constraint "user_territory_user_id_foreign" foreign key ("user_id") references "app_user" ("id") on update cascade on delete cascade;`);
    this.addSql(`alter table "user_territory" add constraint "user_territory_region_id_foreign" foreign key ("region_id") references "region" ("id") on update cascade on delete cascade;`);
  }

}
