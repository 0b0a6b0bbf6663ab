import 'reflect-metadata';
import { readFileSync, writeFileSync } from 'node:fs';
import { buildSchema as parseSdl, findBreakingChanges } from 'graphql';
import { createSchema, schemaSdl } from '../schema.js';

const FILE = 'schema/schema.graphql';

/**
 * Writes the public schema to schema/schema.graphql; with `--check`, fails when the committed
 * file differs from what the code produces, and lists the breaking changes among the differences.
 */
async function main(check: boolean): Promise<number> {
  const sdl = schemaSdl(await createSchema());
  if (!check) {
    writeFileSync(FILE, sdl);
    console.log(`wrote ${FILE}`);
    return 0;
  }
  let committed = '';
  try {
    committed = readFileSync(FILE, 'utf8');
  } catch {
    console.error(`${FILE} is missing; run npm run schema:emit`);
    return 1;
  }
  if (committed === sdl) {
    console.log(`${FILE} is up to date`);
    return 0;
  }
  const breaking = findBreakingChanges(parseSdl(committed), parseSdl(sdl));
  console.error(`${FILE} is out of date; run npm run schema:emit and commit it.`);
  for (const change of breaking) console.error(`  breaking: ${change.type}: ${change.description}`);
  return 1;
}

process.exitCode = await main(process.argv.includes('--check'));
