import type { MikroORM } from '@mikro-orm/postgresql';
import { Router } from 'express';

const READY_TIMEOUT_MS = 2000;

/**
 * `/healthz`: the process answers. `/readyz`: it should get traffic — 503 while draining or when
 * the database does not answer in time.
 */
export function probes(orm: MikroORM, isDraining: () => boolean): Router {
  const router = Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    if (isDraining()) {
      res.status(503).json({ status: 'draining' });
      return;
    }
    let timer: NodeJS.Timeout | undefined;
    try {
      // A database that is down may not even refuse connections: do not wait for the pool.
      await Promise.race([
        orm.em.getConnection().execute('select 1'),
        new Promise((_resolve, reject) => {
          timer = setTimeout(() => reject(new Error('timeout')), READY_TIMEOUT_MS);
        }),
      ]);
      res.json({ status: 'ready' });
    } catch {
      res.status(503).json({ status: 'database unavailable' });
    } finally {
      clearTimeout(timer);
    }
  });
  return router;
}
