import 'reflect-metadata';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadConfig } from '../config.js';
import { openDatabase } from '../common/db/database.js';

/**
 * `db.js migrate` applies pending migrations; `check` fails when the entities and the migrations
 * disagree or a migration is pending in the code; `create [--initial | --blank]` writes a new migration (`--blank`: an empty one, for SQL the
 * entities do not describe, such as triggers).
 */
function registerMigration(fileName: string): void {
  const name = fileName.replace(/\.ts$/, '');
  const index = 'api/src/migrations/index.ts';
  const source = readFileSync(index, 'utf8')
    .replace(/^(import .*\n)(?!import)/m, `$1import { ${name} } from './${name}.js';\n`)
    .replace(/\];\s*$/, `, { name: '${name}', class: ${name} }];\n`);
  writeFileSync(index, source);
}

async function main(command: string | undefined): Promise<number> {
  const env: Record<string, string | undefined> = { ...process.env, DEMO_MODE: process.env.DEMO_MODE ?? 'true' };
  // The drift check must not touch anyone's data: without a URL it runs on a throwaway embedded database.
  const scratch = command === 'check' && !env.DATABASE_URL ? mkdtempSync(join(tmpdir(), 'accountable-check-')) : null;
  if (scratch) env.DATA_DIR = scratch;
  const config = loadConfig(env);
  const db = await openDatabase(config);
  const migrator = db.orm.getMigrator();
  try {
    switch (command) {
      case 'migrate': {
        const done = await migrator.up();
        console.log(done.length ? `applied ${done.map((m) => m.name).join(', ')}` : 'database is up to date');
        return 0;
      }
      case 'check': {
        await migrator.up();
        if (await migrator.checkMigrationNeeded()) {
          console.error('migration drift: the entities differ from the committed migrations; run `npm run db:migration:create`');
          return 1;
        }
        console.log('migrations match the entities');
        return 0;
      }
      case 'create': {
        await migrator.up();
        const initial = process.argv.includes('--initial');
        const blank = process.argv.includes('--blank');
        const result = initial ? await migrator.createInitialMigration() : await migrator.createMigration(undefined, blank);
        if (result.fileName) {
          registerMigration(result.fileName);
          console.log(`wrote api/src/migrations/${result.fileName} and registered it in api/src/migrations/index.ts`);
        } else {
          console.log('no changes');
        }
        return 0;
      }
      default:
        console.error('usage: db.js migrate | check | create [--initial | --blank]');
        return 2;
    }
  } finally {
    await db.close();
    if (scratch) rmSync(scratch, { recursive: true, force: true });
  }
}

process.exitCode = await main(process.argv[2]);
