import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer, Reach } from './common/access/index.js';
import type { BackgroundWork } from './common/background.js';
import { UnauthenticatedError } from './common/errors/errors.js';
import { Loaders, type Guard } from './common/orm/loaders.js';
import { maskContact, maskCustomer } from './modules/access/access.masks.js';
import { Contact } from './modules/contact/contact.entity.js';
import { Customer } from './modules/customer/customer.entity.js';
import type { Config } from './config.js';
import type { Logger } from 'pino';

/** Built once per request: a fresh EntityManager, the viewer and the request's loaders. */
export interface Context {
  requestId: string;
  /** Bound to the request's transaction, in which row-level security applies. */
  em: EntityManager;
  viewer: Viewer | null;
  /** The viewer's reach, as set for row-level security. */
  reach: Reach;
  loaders: Loaders;
  config: Config;
  logger: Logger;
  /** Where work that outlives the request is started (awaited on shutdown). */
  background: BackgroundWork;
}

export function createContext(parts: Omit<Context, 'loaders'>): Context {
  const { viewer, config } = parts;
  const guards = new Map<string, Guard>([
    [Customer.name, (row) => maskCustomer(row, viewer, config.territoryAccess)],
    [Contact.name, (row) => maskContact(row, viewer)],
  ]);
  return { ...parts, loaders: new Loaders(parts.em, guards) };
}

/** The viewer of a request that passed the auth checker. */
export function viewerOf(context: Context): Viewer {
  if (!context.viewer) throw new UnauthenticatedError();
  return context.viewer;
}
