import 'reflect-metadata';
import { MikroORM } from '@mikro-orm/postgresql';
import type { TestProject } from 'vitest/node';
import { ormConfig } from '../../api/src/mikro-orm.config.js';
import { startPgCluster } from '../../bench/pg-cluster.js';

export const TEMPLATE_DATABASE = 'accountable_template';

declare module 'vitest' {
  export interface ProvidedContext {
    pgAdminUrl: string;
    pgTemplateDatabase: string;
  }
}

/**
 * One throwaway PostgreSQL cluster for the run, and a template database with every migration
 * applied; each test file clones the template into a database of its own.
 */
export default async function setup(project: TestProject) {
  const cluster = await startPgCluster();
  await cluster.createDatabase(TEMPLATE_DATABASE);
  const orm = await MikroORM.init(ormConfig({ clientUrl: cluster.url(TEMPLATE_DATABASE), poolMax: 1 }));
  try {
    await orm.getMigrator().up();
  } finally {
    await orm.close(true);
  }
  project.provide('pgAdminUrl', cluster.adminUrl);
  project.provide('pgTemplateDatabase', TEMPLATE_DATABASE);
  return async () => {
    await cluster.stop();
  };
}
