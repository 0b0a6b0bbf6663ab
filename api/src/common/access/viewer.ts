import type { PrincipalRole } from './role.js';
import type { Scope } from './scope.js';

/** Who is asking, resolved once per request from the bearer token (a user token or an API key). */
export interface Viewer {
  kind: 'USER' | 'API_KEY';
  /** User id, or API key id. */
  id: string;
  name: string;
  email: string | null;
  role: PrincipalRole;
  /** Reps: the territories they are members of. */
  memberTerritories: string[];
  /** Managers: every region node at or below the regions they manage. */
  managedTerritories: string[];
  /** API keys: every region node at or below the key's territories. */
  keyTerritories: string[];
  /** API keys: what the key may do. Users have no scopes; their role decides. */
  scopes: Scope[];
}
