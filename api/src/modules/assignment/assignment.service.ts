import { randomUUID } from 'node:crypto';
import { UniqueConstraintViolationException } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import { Role, type Viewer } from '../../common/access/index.js';
import {
  AppError,
  BadUserInputError,
  ConflictError,
  ForbiddenError,
  NotFoundError,
  VersionConflictError,
} from '../../common/errors/errors.js';
import { requireId } from '../../common/graphql/ids.js';
import type { Row } from '../../common/orm/loaders.js';
import { pgArray } from '../../common/orm/pg-array.js';
import { systemTransaction } from '../../common/orm/system-transaction.js';
import { loadForUpdate, transactional } from '../../common/orm/transaction.js';
import type { RequestScope } from '../../context.js';
import { ownerFitsSql } from '../access/index.js';
import { recordAudit } from '../audit/index.js';
import { Region, RegionKind } from '../region/region.entity.js';
import { User } from '../user/user.entity.js';
import { AssignmentRule, RealignmentStatus } from './assignment.entity.js';
import {
  MAX_RULES,
  type ApplyRealignmentInput,
  type CreateAssignmentRuleInput,
  type MoveAssignmentRuleInput,
  type UpdateAssignmentRuleInput,
} from './assignment.inputs.js';
import { assertMayTarget, mayTarget } from './assignment.permissions.js';
import { conditionValue, ruleMatchSql } from './assignment.placement.js';

/** What the realignment asks of the bulk reassignment (transfer module, on `context.services`). */
export interface Reassigner {
  reassign(input: { customerIds: string[]; toOwnerId: string; toTerritoryId: string; reason: string }): Promise<{ count: number }>;
}

export interface RuleRow extends Row {
  position: number;
  name: string;
  provinces: string[];
  cities: string[];
  industries: string[];
  sizeBands: string[];
  sourceChannels: string[];
  territory: string;
  owner: string | null;
  version: number;
}

export interface RealignmentGroupRow {
  territoryId: string;
  ownerId: string;
  count: number;
}

export interface RealignmentMoveRow {
  customerId: string;
  ruleId: string;
  fromTerritoryId: string;
  fromOwnerId: string;
  toTerritoryId: string;
  toOwnerId: string;
}

export interface RealignmentPreviewRow {
  ruleSetVersion: number;
  digest: string;
  total: number;
  outsideRegions: number;
  ownerMisfits: number;
  groups: RealignmentGroupRow[];
  sample: RealignmentMoveRow[];
}

/** One account the apply moves. */
interface PlannedMove {
  id: string;
  toTerritory: string;
  toOwner: string;
  fromTerritory: string;
}

/** Accounts moved per reassignment call, and so per progress step. */
const BATCH = 1000;

const ACTION_REALIGNMENT_APPLIED = 'REALIGNMENT_APPLIED';

const CONSTRAINTS = {
  assignment_rule_position_unique: new ConflictError('Another rule took this position at the same moment; try again', { field: 'rank' }),
};

function cleanTexts(values: string[] | undefined, field: string): string[] | undefined {
  if (values === undefined || values === null) return undefined;
  const cleaned = [...new Set(values.map(conditionValue))];
  if (cleaned.some((value) => !value)) throw new BadUserInputError(field, `${field} may not contain blank values`);
  return cleaned;
}

function cleanCodes(values: string[] | undefined): string[] | undefined {
  return values === undefined || values === null ? undefined : [...new Set(values)].sort();
}

/**
 * The realignment plan, as SQL over the accounts the viewer may reassign (admins: every live
 * account; managers: those of their regions): each account's first matching rule, where it
 * would move (the rule's territory, and its owner or else the account's own), and why a move is
 * blocked — a target outside the manager's regions, or an owner who does not work there.
 * Accounts no rule matches, or already where their rule puts them, are not in it.
 */
function planSql(viewer: Viewer): { sql: string; params: unknown[] } {
  const admin = viewer.role === Role.ADMIN;
  const managed = pgArray(viewer.managedTerritories);
  const match = ruleMatchSql('r', {
    province: 'c.province',
    city: 'c.city',
    industry: 'c.industry',
    sizeBand: 'c.size_band',
    sourceChannel: 'c.source_channel',
  });
  const sql = `plan as (
      select c.id, c.legal_name, c.territory_id as from_territory, c.owner_id as from_owner, r.id as rule_id,
        r.territory_id as to_territory, coalesce(r.owner_id, c.owner_id) as to_owner,
        case when not (${admin ? 'true' : 'r.territory_id = any(?::uuid[])'}) then 'OUTSIDE_REGIONS'
             when not ${ownerFitsSql('coalesce(r.owner_id, c.owner_id)', 'r.territory_id')} then 'OWNER_MISFIT' end as blocked
      from customer c
      cross join lateral (select r.id, r.territory_id, r.owner_id from assignment_rule r where ${match} order by r.position limit 1) r
      where c.archived_at is null ${admin ? '' : 'and c.territory_id = any(?::uuid[])'}
        and (r.territory_id, coalesce(r.owner_id, c.owner_id)) is distinct from (c.territory_id, c.owner_id)
    ), eligible as (select * from plan where blocked is null)`;
  return { sql, params: admin ? [] : [managed, managed] };
}

/** The digest of a plan: its moves, in id order. The preview and the apply compute it alike. */
const DIGEST_SQL = `(select md5(coalesce(string_agg(e.id || ':' || e.to_territory || ':' || e.to_owner, ',' order by e.id), '')) from eligible e)`;

/** The advisory lock (transaction-level) an apply holds for its job while its transaction is open. */
function jobLock(jobId: string): string {
  return `realignment:${jobId}`;
}

const ROLLED_BACK = 'The realignment was rolled back when its request did not commit, no account moved; preview again and retry';

/**
 * A job's status as it is: RUNNING only while its transaction is in progress. One that ended
 * without writing DONE or FAILED (a failed commit, a lost connection, a crashed server) rolled
 * back, so it is FAILED; no connection waits for it to find out.
 */
const JOB_STATUS = `case when r.status = 'RUNNING' and pg_xact_status(r.apply_xid) is distinct from 'in progress' then 'FAILED' else r.status::text end`;

export class AssignmentService {
  constructor(
    private readonly scope: RequestScope,
    private readonly reassignments: Reassigner,
  ) {}

  /** Every rule, in the order they are tried. */
  list(): Promise<RuleRow[]> {
    return this.scope.em.execute<RuleRow[]>(
      `select t.id, t.created_at as "createdAt", t.updated_at as "updatedAt", t.version, t.position, t.name, t.provinces, t.cities,
         t.industries, t.size_bands as "sizeBands", t.source_channels as "sourceChannels", t.territory_id as territory, t.owner_id as owner
       from assignment_rule t order by t.position`,
    );
  }

  /** Locks the rule set for this transaction and bumps its version: every rule write's first statement. */
  private async lockRuleSet(tx: EntityManager): Promise<number> {
    const [row] = await tx.execute<{ version: number }[]>(
      'update assignment_rule_set set version = version + 1, updated_at = now() where id = 1 returning version',
    );
    if (!row) throw new ForbiddenError('You may not change assignment rules');
    return row.version;
  }

  /** The rule's target, checked: a territory within the viewer's reach, and an owner who works there. */
  private async target(tx: EntityManager, territoryId: string, ownerId: string | null): Promise<void> {
    const territory = await tx.findOne(Region, { id: territoryId });
    if (!territory) throw new NotFoundError('Region', territoryId);
    if (territory.kind !== RegionKind.TERRITORY)
      throw new BadUserInputError('territoryId', 'Rules place accounts in a territory, the lowest level of the region tree');
    assertMayTarget(this.scope.viewer, territoryId, 'territoryId', 'The territory is outside your regions');
    if (!ownerId) return;
    const [row] = await tx.execute<{ fits: boolean }[]>(`select ${ownerFitsSql('?::uuid', '?::uuid')} as fits`, [ownerId, territoryId]);
    if (!row?.fits) throw new BadUserInputError('ownerId', 'The owner must be an active rep of the territory or a manager of its region');
  }

  create(input: CreateAssignmentRuleInput): Promise<AssignmentRule> {
    const { em } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const territoryId = requireId(input.territoryId, 'territoryId');
        const ownerId = input.ownerId ? requireId(input.ownerId, 'ownerId') : null;
        const name = input.name.trim();
        if (!name) throw new BadUserInputError('name', 'name must be 1–200 characters');
        const conditions = {
          provinces: cleanTexts(input.provinces, 'provinces') ?? [],
          cities: cleanTexts(input.cities, 'cities') ?? [],
          industries: cleanTexts(input.industries, 'industries') ?? [],
          sizeBands: cleanCodes(input.sizeBands) ?? [],
          sourceChannels: cleanCodes(input.sourceChannels) ?? [],
        };
        await this.target(tx, territoryId, ownerId);
        await this.lockRuleSet(tx);
        // Read after the lock: the last writer has committed, so max + 1 is free.
        const [row] = await tx.execute<{ count: number; next: number }[]>(
          'select count(*)::int as count, coalesce(max(position), 0) + 1 as next from assignment_rule',
        );
        if ((row?.count ?? 0) >= MAX_RULES) throw new BadUserInputError('name', `At most ${MAX_RULES} rules`);
        const rule = tx.create(AssignmentRule, {
          name,
          position: row?.next ?? 1,
          ...conditions,
          territory: territoryId,
          owner: ownerId,
        });
        await tx.flush();
        return rule;
      },
      CONSTRAINTS,
    );
  }

  update(id: string, input: UpdateAssignmentRuleInput): Promise<AssignmentRule> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const ruleId = requireId(id, 'id');
      const territoryId = input.territoryId ? requireId(input.territoryId, 'territoryId') : undefined;
      const ownerId = input.ownerId === undefined ? undefined : input.ownerId ? requireId(input.ownerId, 'ownerId') : null;
      const texts = {
        provinces: cleanTexts(input.provinces, 'provinces'),
        cities: cleanTexts(input.cities, 'cities'),
        industries: cleanTexts(input.industries, 'industries'),
      };
      await this.lockRuleSet(tx);
      const rule = await loadForUpdate(tx, AssignmentRule, ruleId, input.version);
      assertMayTarget(viewer, rule.territory.id, 'id', 'This rule sends accounts outside your regions');
      const nextTerritory = territoryId ?? rule.territory.id;
      const nextOwner = ownerId === undefined ? (rule.owner?.id ?? null) : ownerId;
      if (territoryId !== undefined || ownerId !== undefined) await this.target(tx, nextTerritory, nextOwner);
      if (input.name != null) {
        const name = input.name.trim();
        if (!name) throw new BadUserInputError('name', 'name must be 1–200 characters');
        rule.name = name;
      }
      if (texts.provinces) rule.provinces = texts.provinces;
      if (texts.cities) rule.cities = texts.cities;
      if (texts.industries) rule.industries = texts.industries;
      const sizeBands = cleanCodes(input.sizeBands);
      if (sizeBands) rule.sizeBands = sizeBands;
      const sourceChannels = cleanCodes(input.sourceChannels);
      if (sourceChannels) rule.sourceChannels = sourceChannels;
      rule.territory = tx.getReference(Region, nextTerritory, { wrapped: true });
      rule.owner = nextOwner ? tx.getReference(User, nextOwner, { wrapped: true }) : null;
      return rule;
    });
  }

  remove(id: string, version: number): Promise<boolean> {
    const { em, viewer } = this.scope;
    return transactional(em, async (tx) => {
      const ruleId = requireId(id, 'id');
      await this.lockRuleSet(tx);
      const rule = await loadForUpdate(tx, AssignmentRule, ruleId, version);
      assertMayTarget(viewer, rule.territory.id, 'id', 'This rule sends accounts outside your regions');
      tx.remove(rule);
      return true;
    });
  }

  /**
   * Puts a rule at a rank, rotating the positions of the rules it passes in one statement (the
   * unique position is checked at its end). A manager may pass only rules within their regions:
   * reordering another region's rules would change where that region's accounts go.
   */
  move(input: MoveAssignmentRuleInput): Promise<string> {
    const { em, viewer } = this.scope;
    return transactional(
      em,
      async (tx) => {
        const ruleId = requireId(input.id, 'id');
        await this.lockRuleSet(tx);
        const rules = await tx.execute<{ id: string; position: number; territory: string; version: number }[]>(
          'select id, position, territory_id as territory, version from assignment_rule order by position',
        );
        const from = rules.findIndex((rule) => rule.id === ruleId);
        const moving = rules[from];
        if (!moving) throw new NotFoundError('AssignmentRule', ruleId);
        if (moving.version !== input.version) throw new VersionConflictError('AssignmentRule', ruleId, moving.version);
        assertMayTarget(viewer, moving.territory, 'id', 'This rule sends accounts outside your regions');
        const to = Math.min(input.rank, rules.length) - 1;
        const [low, high] = from < to ? [from, to] : [to, from];
        const passed = rules.slice(low, high + 1);
        if (passed.some((rule) => !mayTarget(viewer, rule.territory)))
          throw new ForbiddenError('The move passes rules that send accounts outside your regions', { field: 'rank' });
        const positions = passed.map((rule) => rule.position);
        const reordered = passed.filter((rule) => rule.id !== ruleId);
        reordered.splice(to - low, 0, moving);
        await tx.execute(
          `update assignment_rule r set position = v.position,
             version = r.version + (r.id = ?::uuid)::int, updated_at = case when r.id = ?::uuid then now() else r.updated_at end
           from unnest(?::uuid[], ?::int[]) as v(id, position) where r.id = v.id`,
          [ruleId, ruleId, pgArray(reordered.map((rule) => rule.id)), `{${positions.join(',')}}`],
        );
        return ruleId;
      },
      CONSTRAINTS,
    );
  }

  /** Who would move where under the current rules: counts per target, a sample, and what names this plan. */
  async preview(sampleSize: number): Promise<RealignmentPreviewRow> {
    const { em, viewer } = this.scope;
    const plan = planSql(viewer);
    const [row] = await em.execute<RealignmentPreviewRow[]>(
      `with ${plan.sql}
       select (select version from assignment_rule_set where id = 1) as "ruleSetVersion",
         ${DIGEST_SQL} as digest,
         (select count(*) from eligible)::int as total,
         (select count(*) from plan where blocked = 'OUTSIDE_REGIONS')::int as "outsideRegions",
         (select count(*) from plan where blocked = 'OWNER_MISFIT')::int as "ownerMisfits",
         (select coalesce(json_agg(g order by g.count desc, g."territoryId", g."ownerId"), '[]') from (
            select to_territory as "territoryId", to_owner as "ownerId", count(*)::int as count from eligible group by 1, 2) g) as groups,
         (select coalesce(json_agg(s order by s."legalName", s."customerId"), '[]') from (
            select e.id as "customerId", e.legal_name as "legalName", e.rule_id as "ruleId", e.from_territory as "fromTerritoryId",
              e.from_owner as "fromOwnerId", e.to_territory as "toTerritoryId", e.to_owner as "toOwnerId"
            from eligible e order by e.legal_name, e.id limit ?) s) as sample`,
      [...plan.params, sampleSize],
    );
    if (!row) throw new NotFoundError('AssignmentRuleSet');
    return row;
  }

  /**
   * Applies the previewed plan as bulk reassignments (the transfer module's, so ownership
   * history, audit, notifications and the change feed see them like any reassignment), all in
   * this mutation's transaction. The rule set is locked first, so no rule changes underneath;
   * the plan is recomputed and must be the one previewed (its digest), else CONFLICT. Progress
   * goes to the job row on a connection of its own after each batch; the job's watcher (in
   * `background`) marks it FAILED if this transaction ends without committing.
   */
  async apply(input: ApplyRealignmentInput): Promise<string> {
    const { em, viewer } = this.scope;
    if (viewer.kind !== 'USER') throw new ForbiddenError('API keys cannot apply realignments');
    const jobId = input.jobId ? requireId(input.jobId, 'jobId') : randomUUID();
    const reason = input.reason.trim();
    if (reason.length < 5 || reason.length > 1900) throw new BadUserInputError('reason', 'reason must be 5–1900 characters');
    let started = false;
    try {
      return await transactional(em, async (tx) => {
        // The job's lock, held until this transaction ends (a second apply of the same id is refused),
        // and this transaction's id, which the job row records.
        const [set] = await tx.execute<{ version: number; claimed: boolean; xid: string }[]>(
          `select version, pg_try_advisory_xact_lock(hashtextextended(?, 0)) as claimed, pg_current_xact_id()::text as xid
             from assignment_rule_set where id = 1 for update`,
          [jobLock(jobId)],
        );
        if (!set) throw new ForbiddenError('You may not apply realignments');
        if (!set.claimed) throw new ConflictError('A realignment with this id is running', { field: 'jobId' });
        if (set.version !== input.ruleSetVersion)
          throw new ConflictError('The rules changed since the preview; preview again', {
            field: 'ruleSetVersion',
            currentVersion: set.version,
          });
        const plan = planSql(viewer);
        // The digest's row joined to the moves: at least one row, so an empty plan's digest costs no round trip of its own.
        const rows = await tx.execute<(Partial<PlannedMove> & { digest: string })[]>(
          `with ${plan.sql}
           select e.id, e.to_territory as "toTerritory", e.to_owner as "toOwner", e.from_territory as "fromTerritory", d.digest
           from (select ${DIGEST_SQL} as digest) d left join eligible e on true
           order by e.to_territory, e.to_owner, e.id`,
          plan.params,
        );
        const digest = rows[0]!.digest;
        const moves = rows.filter((row): row is PlannedMove & { digest: string } => row.id != null);
        if (digest !== input.digest)
          throw new ConflictError('The accounts to move changed since the preview; preview again', { field: 'digest' });
        await this.startJob(jobId, set.version, moves.length, reason, set.xid);
        started = true;
        let done = 0;
        let moved = 0;
        const groups = new Map<string, typeof moves>();
        for (const move of moves) {
          const key = `${move.toTerritory}:${move.toOwner}`;
          groups.set(key, [...(groups.get(key) ?? []), move]);
        }
        for (const group of groups.values()) {
          for (let offset = 0; offset < group.length; offset += BATCH) {
            const batch = group.slice(offset, offset + BATCH);
            const result = await this.reassignments.reassign({
              customerIds: batch.map((move) => move.id),
              toOwnerId: batch[0]!.toOwner,
              toTerritoryId: batch[0]!.toTerritory,
              reason: `Realignment: ${reason}`,
            });
            moved += result.count;
            done += batch.length;
            await systemTransaction(em, (job) => job.execute('update realignment set done = ? where id = ?', [done, jobId]));
          }
        }
        await recordAudit(tx, viewer, {
          action: ACTION_REALIGNMENT_APPLIED,
          entityType: 'Realignment',
          entityId: jobId,
          regionIds: [...new Set(moves.flatMap((move) => [move.fromTerritory, move.toTerritory]))],
          after: { ruleSetVersion: set.version, digest, total: moves.length, moved, groups: groups.size },
          reason,
        });
        await tx.execute(`update realignment set status = ?, done = ?, moved = ?, finished_at = now() where id = ?`, [
          RealignmentStatus.DONE,
          done,
          moved,
          jobId,
        ]);
        return jobId;
      });
    } catch (error) {
      if (started) {
        const failure =
          error instanceof AppError
            ? `The realignment was rolled back, no account moved: ${error.message}`
            : 'The realignment failed and was rolled back, no account moved; preview again and retry (the server log has the details)';
        await systemTransaction(em, (job) =>
          job.execute(`update realignment set status = ?, error = ?, finished_at = now() where id = ? and status = ?`, [
            RealignmentStatus.FAILED,
            failure,
            jobId,
            RealignmentStatus.RUNNING,
          ]),
        );
      }
      throw error;
    }
  }

  /** The job row, committed at once on a connection of its own so that progress reads see it. */
  private async startJob(id: string, ruleSetVersion: number, total: number, reason: string, applyXid: string): Promise<void> {
    const { em, viewer } = this.scope;
    try {
      const taken = await systemTransaction(em, (job) =>
        // The same starter may run a failed job's id again (the server retries a request that
        // met a serialization failure, and the first attempt's row is committed): it is taken over.
        job.execute<{ id: string }[]>(
          `insert into realignment as r (id, started_by_id, status, rule_set_version, total, reason, apply_xid) values (?, ?, ?, ?, ?, ?, ?::xid8)
           on conflict (id) do update set status = excluded.status, rule_set_version = excluded.rule_set_version, total = excluded.total,
             done = 0, moved = 0, reason = excluded.reason, apply_xid = excluded.apply_xid, error = null, started_at = now(), finished_at = null
           where r.started_by_id = excluded.started_by_id and ${JOB_STATUS} = 'FAILED'
           returning r.id`,
          [id, viewer.id, RealignmentStatus.RUNNING, ruleSetVersion, total, reason, applyXid],
        ),
      );
      if (!taken.length) throw new ConflictError('A realignment with this id already exists', { field: 'jobId' });
    } catch (error) {
      if (error instanceof UniqueConstraintViolationException)
        throw new ConflictError('A realignment with this id already exists', { field: 'jobId' });
      throw error;
    }
  }

  /** A realignment job: its starter's and the admins' (row-level security on realignment). */
  async job(id: string): Promise<Row | null> {
    const [row] = await this.scope.em.execute<Row[]>(
      `select r.id, r.started_by_id as "startedBy", ${JOB_STATUS} as status, r.rule_set_version as "ruleSetVersion", r.total, r.done, r.moved,
         r.started_at as "startedAt", r.finished_at as "finishedAt",
         coalesce(r.error, case when ${JOB_STATUS} = 'FAILED' then ? end) as error
       from realignment r where r.id = ?`,
      [ROLLED_BACK, id],
    );
    return row ?? null;
  }
}
