import { randomUUID } from 'node:crypto';
import { pipeline } from 'node:stream/promises';
import type { MikroORM } from '@mikro-orm/postgresql';
import type pg from 'pg';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { type Viewer, Scope } from '../../common/access/index.js';
import { isUuid } from '../../common/graphql/ids.js';
import { CopyOutText } from '../../common/orm/copy-out.js';
import { withRequestTransaction } from '../../common/http/request-transaction.js';
import type { Config } from '../../config.js';
import { hasScope, isApiKey, mayOpenCycle } from '../access/index.js';
import { seesCompanyTotals } from './evaluation.permissions.js';

export type ExportFormat = 'csv' | 'ndjson';

interface Column {
  name: string;
  /** NDJSON: SQL over e (evaluation), text or null. (CSV lines are written ready-made, in this order, by the trigger evaluation_export_lines.) */
  sql: string;
  /** NDJSON: emitted as a JSON number / boolean rather than a string. */
  json?: 'number';
  /** Only for viewers with every one of these scopes (users have them all); otherwise the column is absent. */
  scopes?: readonly Scope[];
  /** The same on every row: the cycle's own. */
  cycle?: boolean;
  /** A company-wide figure: empty (CSV) or null (NDJSON) unless the viewer sees every account (evaluation.permissions.ts). */
  companyWide?: boolean;
}

const ISO_MS = (expr: string) => `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;

/**
 * The export's columns, in order. Stable: new columns are only ever appended (docs/bi-export.md).
 * Money is exact decimal text; shares and scores are decimal numbers; times are UTC ISO 8601.
 * The cycle's own columns are the same on every row and go into the query as one literal.
 */
export const EXPORT_COLUMNS: readonly Column[] = [
  { name: 'cycle_id', sql: '', cycle: true },
  { name: 'cycle_name', sql: '', cycle: true },
  { name: 'period_start', sql: '', cycle: true },
  { name: 'period_end', sql: '', cycle: true },
  { name: 'customer_id', sql: 'e.customer_id::text' },
  { name: 'customer_name', sql: 'e.customer_name' },
  // A profile field (customers:read, docs/permissions.md) that the export has always treated as personal data too.
  { name: 'registration_id', sql: 'e.registration_id', scopes: [Scope.CUSTOMERS_READ, Scope.PII_READ] },
  { name: 'region_code', sql: 'e.region_code' },
  { name: 'territory_code', sql: 'e.territory_code' },
  { name: 'owner_id', sql: 'e.owner_id::text' },
  { name: 'purchase_count', sql: 'e.purchase_count::text', json: 'number' },
  { name: 'purchase_amount', sql: 'e.purchase_amount::text' },
  { name: 'amount_paid', sql: 'e.amount_paid::text' },
  { name: 'on_time_share', sql: 'e.on_time_share::text', json: 'number' },
  { name: 'average_days_late', sql: 'e.average_days_late::text', json: 'number' },
  { name: 'contribution', sql: 'e.contribution::text', json: 'number', companyWide: true },
  { name: 'score', sql: 'e.score::text', json: 'number', companyWide: true },
  { name: 'grade', sql: 'e.grade' },
  { name: 'rank_in_region', sql: 'e.rank_in_region::text', json: 'number' },
  { name: 'rank_overall', sql: 'e.rank_overall::text', json: 'number' },
  { name: 'previous_grade', sql: 'e.previous_grade' },
  { name: 'movement', sql: 'e.movement::text' },
  { name: 'quadrant', sql: 'e.quadrant::text' },
  { name: 'value_tier', sql: 'e.value_tier::text' },
  { name: 'customer_value', sql: 'e.customer_value::text' },
  { name: 'updated_at', sql: ISO_MS('e.updated_at') },
];

/** The columns a viewer gets: each only with the scopes it needs. */
export function exportColumns(viewer: Viewer): Column[] {
  return EXPORT_COLUMNS.filter((column) => (column.scopes ?? []).every((scope) => hasScope(viewer, scope)));
}

/** The one optional column: it sits in the middle part of the ready-made CSV lines (csv_pii). */
function withRegistrationId(viewer: Viewer): boolean {
  return exportColumns(viewer).some((column) => column.name === 'registration_id');
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

/** Text a spreadsheet program would run as a formula (OWASP's list). */
const FORMULA_START = /^[=+\-@\t\r]/;

/**
 * A CSV text field per RFC 4180: null is empty; text with `,`, `"`, CR or LF (or empty text) is
 * quoted, quotes doubled. Text starting like a formula gets a leading `'` and is quoted, so a
 * spreadsheet shows it as text. The same rule as the SQL function app_csv_field, which writes the
 * ready-made lines; numbers never pass through either.
 */
export function csvValue(value: string | null): string {
  if (value === null) return '';
  if (FORMULA_START.test(value)) return `"'${value.replace(/"/g, '""')}"`;
  return value === '' || /[",\r\n]/.test(value) ? `"${value.replace(/"/g, '""')}"` : value;
}

function jsonField(column: Column, withCompanyTotals: boolean): string {
  const sql = column.companyWide && !withCompanyTotals ? 'null' : column.sql;
  return column.json === 'number' ? `'${column.name}', (${sql})::numeric` : `'${column.name}', ${sql}`;
}

/** One RFC 4180 field with the comma before it, as the stored CSV parts write them. */
const CSV_FIELD = `,(?:"(?:[^"]|"")*"|[^,"]*)`;

/**
 * The stored CSV tail (every column after the personal data) with its company-wide fields
 * emptied: numbers, never quoted, found by position after the fields in front of them.
 */
function tailWithoutCompanyTotals(tail: string): string {
  const columns = EXPORT_COLUMNS.slice(EXPORT_COLUMNS.findIndex((column) => column.name === 'registration_id') + 1);
  let sql = tail;
  columns.forEach((column, index) => {
    if (column.companyWide) sql = `regexp_replace(${sql}, '^((?:${CSV_FIELD}){${index}},)[^,\\r]*', '\\1')`;
  });
  return sql;
}

function cycleValues(cycle: ExportCycle): Record<string, string> {
  return { cycle_id: cycle.id, cycle_name: cycle.name, period_start: cycle.periodStart, period_end: cycle.periodEnd };
}

/**
 * The COPY query for a cycle's results: text values that make the lines when put one after the
 * other. CSV lines come ready-made from `evaluation_export` in parts (statement triggers write
 * them with every result): the cycle's columns and the head, `,registration id` when the viewer may have it,
 * `,tail` with the CRLF. NDJSON objects are built here from the results.
 * Row-level security alone scopes the rows to the session's viewer (each export line carries
 * its customer's current owner and territory for it). Rows come in no particular order
 * (customer_id is the key): sorting a million lines before the first one goes out would cost more
 * than the rest.
 */
export function exportQuery(cycle: ExportCycle, format: ExportFormat, viewer: Viewer, withCompanyTotals: boolean): string {
  const withPii = withRegistrationId(viewer);
  if (!isUuid(cycle.id)) throw new Error('cycle id must be a UUID');
  const constants = cycleValues(cycle);
  const cycleColumns = EXPORT_COLUMNS.filter((column) => column.cycle);
  const where = `e.cycle_id = ${literal(cycle.id.toLowerCase())}::uuid`;
  if (format === 'csv') {
    const prefix = cycleColumns.map((column) => csvValue(constants[column.name]!)).join(',');
    return `select ${literal(`${prefix},`)} || e.csv_head${withPii ? ', e.csv_pii' : ''}, ${withCompanyTotals ? 'e.csv_tail' : tailWithoutCompanyTotals('e.csv_tail')} from evaluation_export e where ${where}`;
  }
  const columns = exportColumns(viewer).filter((column) => !column.cycle);
  const prefix = cycleColumns.map((column) => `${JSON.stringify(column.name)}:${JSON.stringify(constants[column.name])}`).join(',');
  return `select ${literal(`{${prefix},`)} || substr(json_build_object(${columns.map((column) => jsonField(column, withCompanyTotals)).join(', ')})::text, 2) || e'\\n' from evaluation e where ${where}`;
}

function fail(res: Response, status: number, error: string): void {
  res.status(status).json({ error });
}

/**
 * `GET /export/evaluations?cycle=<id>&format=csv|ndjson[&bom=true]`: a cycle's results, streamed
 * by PostgreSQL's COPY (CopyOutText) straight into the response,
 * with backpressure, inside one transaction that runs, like a GraphQL request, as the
 * unprivileged role with the viewer's reach (row-level security). Users of any role and API keys
 * with evaluations:read; keys see published cycles only; registration ids need customers:read and pii:read.
 */
export function exportEvaluationsHandler(orm: MikroORM, config: Config, logger: Logger): RequestHandler {
  const { exportMs, lockMs, idleInTransactionMs } = config.timeouts;
  return async (req: Request, res: Response) => {
    // The app's request id (standalone, as in tests, one of its own).
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : randomUUID();
    res.setHeader('x-request-id', requestId);
    res.setHeader('cache-control', 'no-store');
    const cycleId = typeof req.query.cycle === 'string' ? req.query.cycle : '';
    const format = (typeof req.query.format === 'string' ? req.query.format : 'csv').toLowerCase();
    const bom = /^(1|true|yes)$/i.test(typeof req.query.bom === 'string' ? req.query.bom : '');
    try {
      await withRequestTransaction(
        orm,
        {
          authorization: req.headers.authorization,
          authSecret: config.authSecret,
          territoryAccess: config.territoryAccess,
          // The export is one statement: it gets the export's time limit rather than a request's.
          timeouts: { statementMs: exportMs, lockMs, idleInTransactionMs },
        },
        async ({ em, transaction, viewer, reach, commit }) => {
          if (!viewer) return fail(res, 401, 'Sign in first: send Authorization: Bearer <token or API key>');
          if (isApiKey(viewer) && !viewer.scopes.includes(Scope.EVALUATIONS_READ))
            return fail(res, 403, 'This API key lacks the scope evaluations:read');
          if (!isUuid(cycleId)) return fail(res, 400, 'cycle must be the id of an evaluation cycle');
          if (format !== 'csv' && format !== 'ndjson') return fail(res, 400, 'format must be csv or ndjson');
          const [cycle] = await em.execute<(ExportCycle & { status: string })[]>(
            `select id, name, status, to_char(period_start, 'YYYY-MM-DD') as "periodStart", to_char(period_end, 'YYYY-MM-DD') as "periodEnd" from evaluation_cycle where id = ?`,
            [cycleId],
          );
          if (!cycle || !mayOpenCycle(viewer, cycle.status === 'PUBLISHED'))
            return fail(res, 404, 'No such evaluation cycle (API keys export published cycles only)');

          // One bulk read: JIT would cost more than it saves.
          await em.execute(`select set_config('jit', 'off', true)`);
          const client = (await transaction.client.acquireConnection()) as pg.ClientBase;
          try {
            const copy = client.query(
              new CopyOutText(
                `copy (${exportQuery(cycle, format as ExportFormat, viewer, seesCompanyTotals(reach))}) to stdout (format binary)`,
              ),
            );
            res.status(200);
            res.setHeader(
              'content-type',
              format === 'csv' ? 'text/csv; charset=utf-8; header=present' : 'application/x-ndjson; charset=utf-8',
            );
            res.setHeader('content-disposition', `attachment; filename="evaluations-${cycleId}.${format}"`);
            res.setHeader('x-evaluation-cycle-status', cycle.status);
            if (format === 'csv')
              res.write(
                `${bom ? '\uFEFF' : ''}${exportColumns(viewer)
                  .map((column) => column.name)
                  .join(',')}\r\n`,
              );
            await pipeline(copy, res, { end: false });
            await commit();
          } catch (error) {
            // A COPY cut short leaves its connection mid-stream: close it before the rollback (the pool
            // replaces it, the server rolls back).
            (client as pg.ClientBase & { connection: { stream: { destroy(): void } } }).connection.stream.destroy();
            throw error;
          }
          res.end();
        },
      );
    } catch (error) {
      const { name, code } = (error ?? {}) as { name?: string; code?: string };
      if (code !== 'ERR_STREAM_PREMATURE_CLOSE') logger.error({ requestId, err: { type: name, code } }, 'evaluation export failed');
      // Once rows went out the status is sent: cutting the response short tells the client it is incomplete.
      if (res.headersSent) res.destroy();
      else fail(res, 500, `Export failed (request ${requestId})`);
    }
  };
}
