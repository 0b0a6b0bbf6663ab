import type { MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import type { Logger } from 'pino';
import { Scope } from '../../common/access/index.js';
import { isUuid } from '../../common/graphql/ids.js';
import { withRequestTransaction } from '../../common/http/request-transaction.js';
import type { Config } from '../../config.js';
import { isApiKey } from '../access/index.js';
import { csvValue } from '../evaluation/index.js';

const PAGE = 2000;
const HEADER = ['line', 'action', 'field', 'code', 'params', 'applied', 'revert_code', 'customer_id', 'legal_name'];

function fail(res: Response, status: number, code: string, message: string, field?: string): void {
  res.status(status).json({ errors: [{ message, extensions: { code, field } }] });
}

/**
 * `GET /import/:id/report.csv`: one line per row of an import (what the dry run or run decided,
 * and why), read page by page in one request transaction as the viewer (row-level security: the
 * importer's and admins' jobs only). Text is neutralised for spreadsheets (csvValue). The matched
 * account's legal name comes from the directory card, which every user may see; API keys get
 * the name only of accounts within their reach.
 */
export function importReportHandler(orm: MikroORM, config: Config, logger: Logger): RequestHandler {
  return async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const id = String(req.params.id ?? '');
    try {
      await withRequestTransaction(
        orm,
        {
          authorization: req.headers.authorization,
          authSecret: config.authSecret,
          territoryAccess: config.territoryAccess,
          timeouts: config.timeouts,
        },
        async ({ em, viewer, commit }) => {
          if (!viewer) return fail(res, 401, 'UNAUTHENTICATED', 'Sign in first');
          if (isApiKey(viewer) && !viewer.scopes.includes(Scope.CUSTOMERS_IMPORT))
            return fail(res, 403, 'FORBIDDEN', 'This API key lacks the scope customers:import');
          if (!isUuid(id)) return fail(res, 404, 'NOT_FOUND', 'No such import', 'id');
          const [job] = await em.execute<{ id: string }[]>('select id from import_job where id = ?', [id]);
          if (!job) return fail(res, 404, 'NOT_FOUND', 'No such import', 'id');
          res.status(200);
          res.setHeader('content-type', 'text/csv; charset=utf-8; header=present');
          res.setHeader('content-disposition', `attachment; filename="import-${id}-report.csv"`);
          res.write(`\uFEFF${HEADER.join(',')}\r\n`);
          let after = 0;
          for (;;) {
            const rows = await em.execute<Record<string, string | number | boolean | null>[]>(
              `select r.line, r.action::text as action, r.field, r.code, r.params::text as params, r.applied, r.revert_code, r.customer_id::text as customer_id,
                 coalesce(c.legal_name, case when ? then d.legal_name end) as legal_name
               from import_row r left join customer c on c.id = r.customer_id left join customer_directory d on d.customer_id = r.customer_id
               where r.job_id = ? and r.line > ? order by r.line limit ?`,
              [viewer.kind === 'USER', id, after, PAGE],
            );
            if (!rows.length) break;
            const text = rows
              .map((row) =>
                HEADER.map((column) => csvValue(row[column] === null || row[column] === undefined ? null : String(row[column]))).join(','),
              )
              .join('\r\n');
            if (!res.write(`${text}\r\n`)) await new Promise((resolve) => res.once('drain', resolve));
            after = Number(rows.at(-1)!.line);
          }
          await commit();
          res.end();
        },
      );
    } catch (error) {
      logger.error({ err: { type: (error as Error)?.name } }, 'import report failed');
      if (res.headersSent) res.destroy();
      else fail(res, 500, 'INTERNAL_SERVER_ERROR', 'Report failed');
    }
  };
}
