import { MikroORM } from '@mikro-orm/postgresql';
import type { Config } from '../../config.js';
import { ormConfig } from '../../mikro-orm.config.js';
import { startEmbeddedDatabase, type EmbeddedDatabase } from './embedded.js';

export interface Database {
  orm: MikroORM;
  embedded: boolean;
  close(): Promise<void>;
}

/**
 * Opens the configured PostgreSQL, or the embedded one under `dataDir` when no URL is given.
 * Both go through the same driver and the same migrations.
 */
export async function openDatabase(config: Pick<Config, 'databaseUrl' | 'dataDir' | 'dbPoolMax'>): Promise<Database> {
  let embedded: EmbeddedDatabase | null = null;
  let clientUrl = config.databaseUrl;
  if (clientUrl === null) {
    embedded = await startEmbeddedDatabase({ dataDir: config.dataDir });
    clientUrl = embedded.url;
  }
  try {
    // PGlite is single-session: one pooled connection serialises every request through it.
    const orm = await MikroORM.init(ormConfig({ clientUrl, poolMax: embedded ? 1 : config.dbPoolMax }));
    return {
      orm,
      embedded: embedded !== null,
      async close() {
        await orm.close(true);
        await embedded?.close();
      },
    };
  } catch (error) {
    await embedded?.close();
    throw error;
  }
}
