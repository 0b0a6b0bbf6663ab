import { Migration20261123114556 } from './Migration20261123114556.js';
import { Migration20261123120427 } from './Migration20261123120427.js';
import { Migration20261123122345 } from './Migration20261123122345.js';
import { Migration20261123122918 } from './Migration20261123122918.js';
import { Migration20261123132000 } from './Migration20261123132000.js';
import { Migration20261123150801 } from './Migration20261123150801.js';
import { Migration20261202000000 } from './Migration20261202000000.js';
import { Migration20261202000100 } from './Migration20261202000100.js';
import { Migration20261202000200 } from './Migration20261202000200.js';
import { Migration20261202000300 } from './Migration20261202000300.js';
import { Migration20261202041610 } from './Migration20261202041610.js';
import { Migration20261202112455 } from './Migration20261202112455.js';
import { Migration20261202132823 } from './Migration20261202132823.js';
import { Migration20261202132903 } from './Migration20261202132903.js';
import { Migration20261202134030 } from './Migration20261202134030.js';
import { Migration20261202184721 } from './Migration20261202184721.js';
import { Migration20261202193146 } from './Migration20261202193146.js';
import { Migration20261203090000 } from './Migration20261203090000.js';
import { Migration20261203100000 } from './Migration20261203100000.js';
import { Migration20261203110000 } from './Migration20261203110000.js';
import { Migration20261203120000 } from './Migration20261203120000.js';
import { Migration20261203130000 } from './Migration20261203130000.js';
import { Migration20261203140000 } from './Migration20261203140000.js';
import { Migration20261203150000 } from './Migration20261203150000.js';

/** Every migration in order. `npm run db:migration:create` appends here. */
export const migrations = [{ name: 'Migration20261123114556', class: Migration20261123114556 }, { name: 'Migration20261123120427', class: Migration20261123120427 }, { name: 'Migration20261123122345', class: Migration20261123122345 }, { name: 'Migration20261123122918', class: Migration20261123122918 }, { name: 'Migration20261123132000', class: Migration20261123132000 }, { name: 'Migration20261123150801', class: Migration20261123150801 }, { name: 'Migration20261202000000', class: Migration20261202000000 }, { name: 'Migration20261202000100', class: Migration20261202000100 }, { name: 'Migration20261202000200', class: Migration20261202000200 }, { name: 'Migration20261202000300', class: Migration20261202000300 }, { name: 'Migration20261202041610', class: Migration20261202041610 }, { name: 'Migration20261202112455', class: Migration20261202112455 }, { name: 'Migration20261202132823', class: Migration20261202132823 }, { name: 'Migration20261202132903', class: Migration20261202132903 }, { name: 'Migration20261202134030', class: Migration20261202134030 }, { name: 'Migration20261202184721', class: Migration20261202184721 }, { name: 'Migration20261202193146', class: Migration20261202193146 }, { name: 'Migration20261203090000', class: Migration20261203090000 }, { name: 'Migration20261203100000', class: Migration20261203100000 }, { name: 'Migration20261203110000', class: Migration20261203110000 }, { name: 'Migration20261203120000', class: Migration20261203120000 }, { name: 'Migration20261203130000', class: Migration20261203130000 }, { name: 'Migration20261203140000', class: Migration20261203140000 }, { name: 'Migration20261203150000', class: Migration20261203150000 }];
