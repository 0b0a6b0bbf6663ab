import { Migration } from '@mikro-orm/migrations';

const SIGNATURE = 'app_open_session(text, text, uuid, bigint, text, integer, integer, integer)';

/** Every region id at or below the regions of `membership` rows whose `owner` column is `who`. */
const SUBTREE = (membership: string, owner: string, who: string) => `coalesce((select array_agg(distinct d.id::text) from ${membership} m
          join region a on a.id = m.region_id join region d on (d.path = a.path or starts_with(d.path, a.path || '/'))
          where m.${owner} = ${who}), '{}')`;

/**
 * app_open_session (Migration20261204010000) noted a key's last use with a plain UPDATE of its row
 * when the read said stale. Concurrent requests with one key all read stale, and each UPDATE then
 * waited for the row lock of the request before it, which holds it until its whole transaction
 * ends: requests with one key ran one after another, each writing again, and one left idle in its
 * transaction kept the rest waiting until the idle timeout killed it. Now the write rechecks the
 * staleness under the lock and skips a row another request holds (FOR NO KEY UPDATE SKIP LOCKED).
 * The rest of the function is unchanged; CREATE OR REPLACE keeps its owner and grants.
 */
export class Migration20261204040000 extends Migration {
  override async up(): Promise<void> {
    this.addSql(`create or replace function app_open_session(bearer_key_prefix text, bearer_key_secret_hash text, bearer_user_id uuid,
        bearer_session_version bigint, territory_access text, statement_timeout_ms integer, lock_timeout_ms integer, idle_timeout_ms integer)
      returns table (kind text, id text, name text, email text, role text, scopes text[], member text[], managed text[], keyed text[],
        "all" boolean, "ownerId" text, read text[], write text[], "memberReach" text[], directory boolean)
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        key_id uuid;
        stale boolean;
      begin
        if territory_access is null or territory_access not in ('NONE', 'READ', 'EDIT') then
          raise exception 'unknown territory access %', territory_access using errcode = '22023';
        end if;
        if bearer_key_prefix is not null then
          select k.id, 'API_KEY', k.id::text, k.name, k.kind::text, k.scopes::text[], '{}', '{}',
              (k.last_used_at is null or k.last_used_at < now() - interval '1 minute'),
              ${SUBTREE('api_key_territory', 'api_key_id', 'k.id')}
            into key_id, kind, id, name, role, scopes, member, managed, stale, keyed
            from api_key k
            where k.prefix = bearer_key_prefix and k.secret_hash = bearer_key_secret_hash
              and k.revoked_at is null and (k.expires_at is null or k.expires_at > now());
          -- Last use is kept to the minute: one write a minute per key, not one per request.
          -- Rechecked under the row lock, and skipped while another request holds it (its own use,
          -- noted until its transaction ends): a request never queues behind another, nor writes twice.
          if stale then
            update api_key k set last_used_at = now()
              where k.id = (select s.id from api_key s where s.id = key_id
                and (s.last_used_at is null or s.last_used_at < now() - interval '1 minute') for no key update skip locked);
          end if;
        elsif bearer_user_id is not null then
          select 'USER', u.id::text, u.name, u.email::text, u.role::text, '{}', '{}',
              coalesce((select array_agg(t.region_id::text) from user_territory t where t.user_id = u.id), '{}'),
              ${SUBTREE('user_managed_region', 'user_id', 'u.id')}
            into kind, id, name, email, role, scopes, keyed, member, managed
            from app_user u
            where u.id = bearer_user_id and u.active and u.session_version = bearer_session_version;
        end if;

        "all" := coalesce(role = 'ADMIN', false);
        "ownerId" := case when role in ('MANAGER', 'REP') then id end;
        read := case role when 'MANAGER' then managed when 'REP' then case when territory_access = 'NONE' then '{}' else member end
          when 'INTEGRATOR' then keyed when 'BI' then keyed else '{}' end;
        -- The write scopes of WRITE_SCOPES (api/src/common/access/scope.ts).
        write := case role when 'MANAGER' then managed when 'REP' then case when territory_access = 'EDIT' then member else '{}' end
          when 'INTEGRATOR' then case when scopes && array['customers:write', 'customers:import', 'contacts:write', 'interactions:write', 'orders:write']
            then keyed else '{}' end
          else '{}' end;
        "memberReach" := case when role = 'REP' then member else '{}' end;
        directory := coalesce(role in ('ADMIN', 'MANAGER', 'REP'), false);

        perform set_config('app.viewer_id', case when kind = 'USER' then id else '' end, true),
          set_config('app.api_key_id', case when kind = 'API_KEY' then id else '' end, true),
          set_config('app.all', case when "all" then 'on' else '' end, true),
          set_config('app.owner_id', coalesce("ownerId", ''), true),
          set_config('app.read_territories', read::text, true),
          set_config('app.write_territories', write::text, true),
          set_config('app.member_territories', "memberReach"::text, true),
          set_config('app.directory', case when directory then 'on' else '' end, true),
          set_config('statement_timeout', statement_timeout_ms || 'ms', true),
          set_config('lock_timeout', lock_timeout_ms || 'ms', true),
          set_config('idle_in_transaction_session_timeout', idle_timeout_ms || 'ms', true);
        perform set_config('role', 'accountable_app', true);
        return next;
      end $$;`);
    this.addSql(`revoke all on function ${SIGNATURE} from public;`);
  }

  /** Back to Migration20261204010000's function. */
  override async down(): Promise<void> {
    this.addSql(`create or replace function app_open_session(bearer_key_prefix text, bearer_key_secret_hash text, bearer_user_id uuid,
        bearer_session_version bigint, territory_access text, statement_timeout_ms integer, lock_timeout_ms integer, idle_timeout_ms integer)
      returns table (kind text, id text, name text, email text, role text, scopes text[], member text[], managed text[], keyed text[],
        "all" boolean, "ownerId" text, read text[], write text[], "memberReach" text[], directory boolean)
      language plpgsql volatile set search_path = public, pg_temp as $$
      declare
        key_id uuid;
        stale boolean;
      begin
        if territory_access is null or territory_access not in ('NONE', 'READ', 'EDIT') then
          raise exception 'unknown territory access %', territory_access using errcode = '22023';
        end if;
        if bearer_key_prefix is not null then
          select k.id, 'API_KEY', k.id::text, k.name, k.kind::text, k.scopes::text[], '{}', '{}',
              (k.last_used_at is null or k.last_used_at < now() - interval '1 minute'),
              ${SUBTREE('api_key_territory', 'api_key_id', 'k.id')}
            into key_id, kind, id, name, role, scopes, member, managed, stale, keyed
            from api_key k
            where k.prefix = bearer_key_prefix and k.secret_hash = bearer_key_secret_hash
              and k.revoked_at is null and (k.expires_at is null or k.expires_at > now());
          -- Last use is kept to the minute: one write a minute per key, not one per request.
          if stale then
            update api_key k set last_used_at = now() where k.id = key_id;
          end if;
        elsif bearer_user_id is not null then
          select 'USER', u.id::text, u.name, u.email::text, u.role::text, '{}', '{}',
              coalesce((select array_agg(t.region_id::text) from user_territory t where t.user_id = u.id), '{}'),
              ${SUBTREE('user_managed_region', 'user_id', 'u.id')}
            into kind, id, name, email, role, scopes, keyed, member, managed
            from app_user u
            where u.id = bearer_user_id and u.active and u.session_version = bearer_session_version;
        end if;

        "all" := coalesce(role = 'ADMIN', false);
        "ownerId" := case when role in ('MANAGER', 'REP') then id end;
        read := case role when 'MANAGER' then managed when 'REP' then case when territory_access = 'NONE' then '{}' else member end
          when 'INTEGRATOR' then keyed when 'BI' then keyed else '{}' end;
        -- The write scopes of WRITE_SCOPES (api/src/common/access/scope.ts).
        write := case role when 'MANAGER' then managed when 'REP' then case when territory_access = 'EDIT' then member else '{}' end
          when 'INTEGRATOR' then case when scopes && array['customers:write', 'customers:import', 'contacts:write', 'interactions:write', 'orders:write']
            then keyed else '{}' end
          else '{}' end;
        "memberReach" := case when role = 'REP' then member else '{}' end;
        directory := coalesce(role in ('ADMIN', 'MANAGER', 'REP'), false);

        perform set_config('app.viewer_id', case when kind = 'USER' then id else '' end, true),
          set_config('app.api_key_id', case when kind = 'API_KEY' then id else '' end, true),
          set_config('app.all', case when "all" then 'on' else '' end, true),
          set_config('app.owner_id', coalesce("ownerId", ''), true),
          set_config('app.read_territories', read::text, true),
          set_config('app.write_territories', write::text, true),
          set_config('app.member_territories', "memberReach"::text, true),
          set_config('app.directory', case when directory then 'on' else '' end, true),
          set_config('statement_timeout', statement_timeout_ms || 'ms', true),
          set_config('lock_timeout', lock_timeout_ms || 'ms', true),
          set_config('idle_in_transaction_session_timeout', idle_timeout_ms || 'ms', true);
        perform set_config('role', 'accountable_app', true);
        return next;
      end $$;`);
  }
}
