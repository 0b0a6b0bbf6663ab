import { randomUUID } from 'node:crypto';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { enterSession, resolveViewer } from '../../common/auth/session.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Config } from '../../config.js';
import { hasScope, isApiKey, type Reach } from '../access/access.policy.js';
import { Scope } from '../api-key/api-key.entity.js';

/** Rows fetched from the server-side cursor at a time: memory stays flat whatever the cycle's size. */
export const EXPORT_FETCH_SIZE = 2000;

export type ExportFormat = 'csv' | 'ndjson';

interface Column {
  name: string;
  /** SQL over e (evaluation), y (cycle), c (customer), t (territory), r (region); text or null. */
  sql: string;
  /** Free text that may hold commas, quotes or line breaks (quoted in CSV as RFC 4180 asks). */
  text?: boolean;
  /** NDJSON: emitted as a JSON number / boolean rather than a string. */
  json?: 'number';
  /** Personal data: only for viewers with pii:read. */
  pii?: boolean;
  /** The same on every row: the cycle's own. */
  cycle?: boolean;
}

const ISO_MS = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The export's columns, in order. Stable: new columns are only ever appended (docs/bi-export.md).
 * Money is exact decimal text; shares and scores are decimal numbers; times are UTC ISO 8601.
 * The cycle's own columns are the same on every row and go into the query as one literal.
 */
export const EXPORT_COLUMNS: readonly Column[] = [
  { name: 'cycle_id', sql: '', cycle: true },
  { name: 'cycle_name', sql: '', text: true, cycle: true },
  { name: 'period_start', sql: '', cycle: true },
  { name: 'period_end', sql: '', cycle: true },
  { name: 'customer_id', sql: 'e.customer_id::text' },
  { name: 'customer_name', sql: 'c.legal_name', text: true },
  { name: 'registration_id', sql: 'c.registration_id', text: true, pii: true },
  { name: 'region_code', sql: 'r.code', text: true },
  { name: 'territory_code', sql: 't.code', text: true },
  { name: 'owner_id', sql: 'e.owner_id::text' },
  { name: 'purchase_count', sql: 'e.purchase_count::text', json: 'number' },
  { name: 'purchase_amount', sql: 'e.purchase_amount::text' },
  { name: 'amount_paid', sql: 'e.amount_paid::text' },
  { name: 'on_time_share', sql: 'e.on_time_share::text', json: 'number' },
  { name: 'average_days_late', sql: 'e.average_days_late::text', json: 'number' },
  { name: 'contribution', sql: 'e.contribution::text', json: 'number' },
  { name: 'score', sql: 'e.score::text', json: 'number' },
  { name: 'grade', sql: 'e.grade', text: true },
  { name: 'rank_in_region', sql: 'e.rank_in_region::text', json: 'number' },
  { name: 'rank_overall', sql: 'e.rank_overall::text', json: 'number' },
  { name: 'previous_grade', sql: 'e.previous_grade', text: true },
  { name: 'movement', sql: 'e.movement::text' },
  { name: 'quadrant', sql: 'e.quadrant::text' },
  { name: 'value_tier', sql: 'e.value_tier::text' },
  { name: 'customer_value', sql: 'e.customer_value::text' },
  { name: 'updated_at', sql: ISO_MS('e.updated_at') },
];

/** The columns a viewer gets: personal data only with pii:read. */
export function exportColumns(withPii: boolean): Column[] {
  return EXPORT_COLUMNS.filter((column) => withPii || !column.pii);
}

export interface ExportCycle {
  id: string;
  name: string;
  periodStart: string;
  periodEnd: string;
}

/** An SQL string literal (standard_conforming_strings is on in every supported PostgreSQL). */
function literal(value: string): string {
  return `'${value.replace(/'/g, "''")}'`;
}

/** A CSV field per RFC 4180: null is empty; text with `,`, `"`, CR or LF (or empty text) is quoted, quotes doubled. */
export function csvValue(value: string | null): string {
  if (value === null) return '';
  return value === '' || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function csvField(column: Column): string {
  const value = `(${column.sql})`;
  if (!column.text) return `coalesce(${value}, '')`;
  return `case when ${value} is null then '' when ${value} = '' or ${value} ~ '[",\\r\\n]' then '"' || replace(${value}, '"', '""') || '"' else ${value} end`;
}

function jsonField(column: Column): string {
  return column.json === 'number' ? `'${column.name}', (${column.sql})::numeric` : `'${column.name}', ${column.sql}`;
}

function cycleValues(cycle: ExportCycle): Record<string, string> {
  return { cycle_id: cycle.id, cycle_name: cycle.name, period_start: cycle.periodStart, period_end: cycle.periodEnd };
}

/**
 * One text line per result, built by PostgreSQL so Node only concatenates. Row-level security
 * scopes the rows to the session's viewer; `scope` repeats it for viewers who do not see
 * everything, as plain values the planner can estimate. Rows come in no particular order
 * (customer_id is the key): sorting a million lines before the first one goes out would cost
 * more than the rest of the export.
 */
export function exportQuery(cycle: ExportCycle, format: ExportFormat, withPii: boolean, scope: Reach): string {
  if (!isUuid(cycle.id)) throw new Error('cycle id must be a UUID');
  const columns = exportColumns(withPii).filter((column) => !column.cycle);
  const constants = cycleValues(cycle);
  let line: string;
  if (format === 'csv') {
    const prefix = EXPORT_COLUMNS.filter((column) => column.cycle).map((column) => csvValue(constants[column.name]!)).join(',');
    line = `${literal(`${prefix},`)} || concat_ws(',', ${columns.map(csvField).join(', ')})`;
  } else {
    const prefix = EXPORT_COLUMNS.filter((column) => column.cycle).map((column) => `${JSON.stringify(column.name)}:${JSON.stringify(constants[column.name])}`).join(',');
    line = `${literal(`{${prefix},`)} || substr(json_build_object(${columns.map(jsonField).join(', ')})::text, 2)`;
  }
  const where = [`e.cycle_id = ${literal(cycle.id.toLowerCase())}::uuid`];
  if (!scope.all) {
    const ids = (values: string[]) => values.filter(isUuid).map((value) => `"${value}"`).join(',');
    where.push(`(c.owner_id = ${literal(scope.ownerId && isUuid(scope.ownerId) ? scope.ownerId : '00000000-0000-0000-0000-000000000000')}::uuid or c.territory_id = any(${literal(`{${ids(scope.read)}}`)}::uuid[]))`);
  }
  return `select ${line} as line
    from evaluation e
    join customer c on c.id = e.customer_id
    left join region t on t.id = e.territory_id
    left join region r on r.id = e.region_id
    where ${where.join(' and ')}`;
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/** Writes a chunk; when the socket's buffer is full, waits until it drains (or the client left). */
async function write(res: Response, chunk: string): Promise<void> {
  if (res.write(chunk)) return;
  await new Promise<void>((resolve) => {
    const done = () => {
      res.off('drain', done);
      res.off('close', done);
      resolve();
    };
    res.on('drain', done);
    res.on('close', done);
  });
}

/**
 * `GET /export/evaluations?cycle=<id>&format=csv|ndjson[&bom=true]`: a cycle's results, streamed
 * from a server-side cursor inside one transaction that runs, like a GraphQL request, as the
 * unprivileged role with the viewer's reach (row-level security). Users of any role and API keys
 * with evaluations:read; keys see published cycles only; registration ids need pii:read.
 */
export function exportEvaluationsHandler(orm: MikroORM, config: Config, logger: Logger): RequestHandler {
  return async (req: Request, res: Response) => {
    const requestId = randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'no-store');
    const cycleId = typeof req.query.cycle === 'string' ? req.query.cycle : '';
    const format = (typeof req.query.format === 'string' ? req.query.format : 'csv').toLowerCase();
    const bom = /^(1|true|yes)$/i.test(typeof req.query.bom === 'string' ? req.query.bom : '');
    const em = orm.em.fork({ clear: true, useContext: false }) as EntityManager;
    const connection = em.getConnection();
    let transaction: Awaited<ReturnType<typeof connection.begin>> | undefined;
    let cursorOpen = false;
    let closed = false;
    res.once('close', () => {
      closed = true;
    });
    try {
      transaction = await connection.begin();
      em.setTransactionContext(transaction);
      const viewer = await resolveViewer(em, req.headers.authorization, config.authSecret);
      if (!viewer) return fail(res, 401, 'Sign in first: send Authorization: Bearer <token or API key>');
      const reach = await enterSession(em, viewer, config.territoryAccess);
      if (isApiKey(viewer) && !viewer.scopes.includes(Scope.EVALUATIONS_READ)) return fail(res, 403, 'This API key lacks the scope evaluations:read');
      if (!isUuid(cycleId)) return fail(res, 400, 'cycle must be the id of an evaluation cycle');
      if (format !== 'csv' && format !== 'ndjson') return fail(res, 400, 'format must be csv or ndjson');
      const [cycle] = await em.execute<(ExportCycle & { status: string })[]>(
        `select id, name, status, to_char(period_start, 'YYYY-MM-DD') as "periodStart", to_char(period_end, 'YYYY-MM-DD') as "periodEnd" from evaluation_cycle where id = ?`,
        [cycleId],
      );
      if (!cycle || (isApiKey(viewer) && cycle.status !== 'PUBLISHED')) return fail(res, 404, 'No such evaluation cycle (API keys export published cycles only)');

      const withPii = hasScope(viewer, Scope.PII_READ);
      // One bulk read: plan it for all rows (hash joins), and skip JIT, which costs more than it saves here.
      await em.execute(`select set_config('cursor_tuple_fraction', '1.0', true), set_config('enable_nestloop', 'off', true), set_config('jit', 'off', true)`);
      await em.execute(`declare evaluation_export no scroll cursor for ${exportQuery(cycle, format as ExportFormat, withPii, reach)}`);
      cursorOpen = true;

      res.status(200);
      res.setHeader('content-type', format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8');
      res.setHeader('content-disposition', `attachment; filename="evaluations-${cycleId}.${format}"`);
      res.setHeader('x-evaluation-cycle-status', cycle.status);
      const separator = format === 'csv' ? '\r\n' : '\n';
      if (format === 'csv') await write(res, `${bom ? '\uFEFF' : ''}${exportColumns(withPii).map((column) => column.name).join(',')}\r\n`);
      while (!closed) {
        const rows = await em.execute<{ line: string }[]>(`fetch forward ${EXPORT_FETCH_SIZE} from evaluation_export`);
        if (rows.length === 0) break;
        let chunk = '';
        for (const row of rows) chunk += row.line + separator;
        await write(res, chunk);
        if (rows.length < EXPORT_FETCH_SIZE) break;
      }
      await em.execute('close evaluation_export');
      cursorOpen = false;
      await connection.commit(transaction);
      transaction = undefined;
      res.end();
    } catch (error) {
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      logger.error({ requestId, err: { type: name, code } }, 'evaluation export failed');
      // Once rows went out the status is sent: cutting the response short tells the client it is incomplete.
      if (res.headersSent) res.destroy();
      else fail(res, 500, `Export failed (request ${requestId})`);
    } finally {
      if (transaction) {
        if (cursorOpen) await em.execute('close evaluation_export').catch(() => undefined);
        await connection.rollback(transaction).catch(() => undefined);
      }
      em.resetTransactionContext();
    }
  };
}
