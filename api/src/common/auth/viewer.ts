import type { Role } from '../../modules/user/user.entity.js';

/** Who is asking. Resolved once per request from the bearer token. */
export interface Viewer {
  id: string;
  name: string;
  email: string;
  role: Role;
}
