import 'reflect-metadata';
import { parseArgs } from 'node:util';
import { loadConfig } from '../config.js';
import { openDatabase } from '../common/db/database.js';
import { Role } from '../common/access/index.js';
import { UserService } from '../modules/user/user.service.js';

/**
 * Creates a user from the command line: how a production install gets its first admin.
 * The password comes from the ACCOUNTABLE_PASSWORD environment variable, never an argument
 * (arguments show up in process lists and shell history).
 */
async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { email: { type: 'string' }, name: { type: 'string' }, role: { type: 'string', default: 'ADMIN' } },
  });
  const password = process.env.ACCOUNTABLE_PASSWORD;
  const role = values.role as Role;
  if (!values.email || !values.name || !password || password.length < 8 || !Object.values(Role).includes(role)) {
    console.error(
      'usage: ACCOUNTABLE_PASSWORD=<8+ characters> npm run user:create -- --email a@b.c --name "Full Name" [--role ADMIN|MANAGER|REP]',
    );
    return 2;
  }
  const db = await openDatabase(loadConfig({ ...process.env, DEMO_MODE: process.env.DEMO_MODE ?? 'true' }));
  try {
    const user = await new UserService({ em: db.orm.em.fork() }).create({ email: values.email, name: values.name, role, password });
    console.log(`created ${user.role} ${user.email} (${user.id})`);
    return 0;
  } catch (error) {
    console.error(`could not create the user: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  } finally {
    await db.close();
  }
}

process.exitCode = await main();
