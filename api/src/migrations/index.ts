import { Migration20261123114556 } from './Migration20261123114556.js';
import { Migration20261123120427 } from './Migration20261123120427.js';

/** Every migration in order. `npm run db:migration:create` appends here. */
export const migrations = [{ name: 'Migration20261123114556', class: Migration20261123114556 }, { name: 'Migration20261123120427', class: Migration20261123120427 }];
