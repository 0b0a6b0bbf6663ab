import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from './common/auth/viewer.js';
import { UnauthenticatedError } from './common/errors/errors.js';
import { Loaders } from './common/orm/loaders.js';
import type { Config } from './config.js';

/** Built once per request: a fresh EntityManager, the viewer and the request's loaders. */
export interface Context {
  requestId: string;
  em: EntityManager;
  viewer: Viewer | null;
  loaders: Loaders;
  config: Config;
}

export function createContext(em: EntityManager, viewer: Viewer | null, requestId: string, config: Config): Context {
  return { requestId, em, viewer, loaders: new Loaders(em), config };
}

/** The viewer of a request that passed the auth checker. */
export function viewerOf(context: Context): Viewer {
  if (!context.viewer) throw new UnauthenticatedError();
  return context.viewer;
}
