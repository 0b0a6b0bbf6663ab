import { defineConfig } from '@mikro-orm/postgresql';
import { Migrator } from '@mikro-orm/migrations';
import { resolve } from 'node:path';
import { entities } from './entities.js';
import { migrations } from './migrations/index.js';

export interface OrmOptions {
  clientUrl: string;
  poolMax: number;
}

/** One ORM configuration for the app, the CLI, tests and benchmarks. */
export function ormConfig({ clientUrl, poolMax }: OrmOptions) {
  return defineConfig({
    clientUrl,
    entities,
    discovery: { warnWhenNoEntities: true },
    extensions: [Migrator],
    pool: { min: 0, max: poolMax },
    // Every request works on a fork of its own (context.ts); the global EntityManager's identity
    // map would share entities between requests, so using it throws.
    allowGlobalContext: false,
    forceUndefined: false,
    ignoreUndefinedInQuery: true,
    debug: false,
    migrations: {
      tableName: 'mikro_orm_migrations',
      // Migrations run from this explicit list (the same in dist/, tests and the CLI); new ones
      // are generated into the sources, run from the repository root.
      migrationsList: migrations,
      path: resolve('api/src/migrations'),
      transactional: true,
      allOrNothing: true,
      emit: 'ts',
      snapshot: false,
    },
  });
}
