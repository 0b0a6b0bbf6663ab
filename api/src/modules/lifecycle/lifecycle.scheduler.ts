import type { MikroORM } from '@mikro-orm/core';
import type { EntityManager } from '@mikro-orm/postgresql';
import type { Logger } from 'pino';
import { systemTransaction } from '../../common/orm/system-transaction.js';
import { DEFAULT_INACTIVITY_BATCH, moveInactiveBatch, raiseSlaAlerts } from './lifecycle.service.js';
import type { LifecycleCheckResult } from './lifecycle.types.js';

export interface LifecycleSchedulerDeps {
  orm: MikroORM;
  logger: Logger;
  /** Time between checks; default one hour. */
  intervalMs?: number;
  /** Delay of the first check after start; default one minute (after start-up settles). */
  initialDelayMs?: number;
  /** Customers moved per transaction; keeps each transaction short on the one-connection embedded database. */
  batchSize?: number;
}

export interface LifecycleScheduler {
  /** Runs a check now (waiting for one under way first). */
  runNow(): Promise<LifecycleCheckResult>;
  /** No further checks; resolves when a check under way has finished. */
  stop(): Promise<void>;
}

/** One check: inactive customers to DORMANT, a batch per transaction, then SLA alerts. */
export async function runScheduledLifecycleCheck(orm: MikroORM, batchSize = DEFAULT_INACTIVITY_BATCH): Promise<LifecycleCheckResult> {
  let dormant = 0;
  for (;;) {
    const moved = await systemTransaction(orm.em as EntityManager, (em) => moveInactiveBatch(em, batchSize));
    dormant += moved;
    if (moved < batchSize) break;
  }
  const alertsRaised = await systemTransaction(orm.em as EntityManager, raiseSlaAlerts);
  return { dormant, alertsRaised };
}

/**
 * Starts the lifecycle checks inside the server: inactivity → DORMANT and SLA alerts, every
 * `intervalMs`. Start it in createApp and stop it in app.close(). Timers are unref'd, so they
 * never keep a process alive; checks never overlap.
 */
export function startLifecycleScheduler(deps: LifecycleSchedulerDeps): LifecycleScheduler {
  const intervalMs = deps.intervalMs ?? 60 * 60 * 1000;
  const batchSize = deps.batchSize ?? DEFAULT_INACTIVITY_BATCH;
  let stopped = false;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<LifecycleCheckResult> | undefined;

  const check = (): Promise<LifecycleCheckResult> => {
    if (running) return running.then(() => check());
    const started = Date.now();
    running = runScheduledLifecycleCheck(deps.orm, batchSize)
      .then((result) => {
        if (result.dormant || result.alertsRaised) deps.logger.info({ ...result, ms: Date.now() - started }, 'lifecycle check');
        return result;
      })
      .finally(() => {
        running = undefined;
      });
    return running;
  };

  const schedule = (delay: number) => {
    if (stopped) return;
    timer = setTimeout(() => {
      check()
        .catch((error: unknown) => {
          const { name, code } = (error ?? {}) as { name?: string; code?: string };
          deps.logger.error({ err: { type: name, code } }, 'lifecycle check failed');
        })
        .finally(() => schedule(intervalMs));
    }, delay);
    timer.unref();
  };
  schedule(deps.initialDelayMs ?? 60 * 1000);

  return {
    runNow: check,
    async stop() {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running?.catch(() => undefined);
    },
  };
}
