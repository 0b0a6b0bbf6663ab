/**
 * The bulk-insert engine: rows collected column-wise per table, then one
 * `INSERT … SELECT … FROM unnest($1::uuid[], $2::int8[], …)` per table, so that statement-level
 * triggers (customer directory, ownership history) fire as they do for application inserts.
 */

export const SEED_TABLES = [
  'region',
  'app_user',
  'user_managed_region',
  'user_territory',
  'customer',
  'contact',
  'interaction',
  'sales_order',
  'order_line',
  'payment',
] as const;
export type SeedTable = (typeof SEED_TABLES)[number];

/** [column, element type of the array parameter, optional select expression over `u.<column>`] */
type ColumnSpec = readonly [string, string, string?];

const TABLES = {
  region: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['code', 'text'],
    ['name', 'text'],
    ['name_zh', 'text'],
    ['kind', 'region_kind'],
    ['parent_id', 'uuid'],
    ['path', 'text'],
    ['key_city', 'boolean'],
  ],
  app_user: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['email', 'text'],
    ['name', 'text'],
    ['password_hash', 'text'],
    ['role', 'role'],
    ['active', 'boolean'],
  ],
  user_managed_region: [
    ['user_id', 'uuid'],
    ['region_id', 'uuid'],
  ],
  user_territory: [
    ['user_id', 'uuid'],
    ['region_id', 'uuid'],
  ],
  customer: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['legal_name', 'text'],
    ['normalized_name', 'text'],
    ['registration_id', 'text'],
    ['registration_key', 'text'],
    ['industry', 'text'],
    ['products', 'text'],
    ['industry_standing', 'industry_standing'],
    ['size_band', 'size_band'],
    ['ownership_type', 'ownership_type'],
    ['credit_standing', 'credit_standing'],
    ['address_line', 'text'],
    ['city', 'text'],
    ['province', 'text'],
    ['postal_code', 'text'],
    ['country', 'text'],
    ['website_domain', 'text'],
    ['territory_id', 'uuid'],
    ['owner_id', 'uuid'],
    ['lifecycle_stage', 'lifecycle_stage'],
    ['relationship_level', 'relationship_level'],
    // text[] per row cannot travel inside an array parameter (it would be 2-D): each row's array goes as its literal.
    ['tags', 'text', 'u.tags::text[]'],
    ['source_channel', 'channel'],
    ['notes', 'text'],
    ['archived_at', 'timestamptz'],
  ],
  contact: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['customer_id', 'uuid'],
    ['name', 'text'],
    ['title', 'text'],
    ['decision_role', 'decision_role'],
    ['phone', 'text'],
    ['mobile', 'text'],
    ['email', 'text'],
    ['im_handles', 'jsonb'],
    ['preferred_channel', 'channel'],
    ['preferred_frequency', 'contact_frequency'],
    ['consent', 'boolean'],
  ],
  interaction: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['customer_id', 'uuid'],
    ['contact_id', 'uuid'],
    ['author_id', 'uuid'],
    ['kind', 'interaction_kind'],
    ['channel', 'channel'],
    ['occurred_at', 'timestamptz'],
    ['summary', 'text'],
    ['outcome', 'text'],
    ['next_step', 'text'],
    ['follow_up_on', 'date'],
  ],
  sales_order: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['customer_id', 'uuid'],
    ['number', 'text'],
    ['status', 'order_status'],
    ['ordered_at', 'timestamptz'],
    ['win_probability', 'smallint'],
    ['currency', 'text'],
    ['contract_ref', 'text'],
    ['subtotal', 'numeric'],
    ['discount_total', 'numeric'],
    ['total', 'numeric'],
  ],
  order_line: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['order_id', 'uuid'],
    ['position', 'smallint'],
    ['product', 'text'],
    ['quantity', 'numeric'],
    ['unit_price', 'numeric'],
    ['discount_percent', 'numeric'],
    ['amount', 'numeric'],
  ],
  payment: [
    ['id', 'uuid'],
    ['created_at', 'timestamptz'],
    ['updated_at', 'timestamptz'],
    ['order_id', 'uuid'],
    ['amount', 'numeric'],
    ['due_date', 'date'],
    ['paid_at', 'timestamptz'],
  ],
} as const satisfies Record<SeedTable, readonly ColumnSpec[]>;

/** Column-wise rows of one table. */
export class Rows {
  readonly columns: unknown[][];
  length = 0;

  constructor(readonly table: SeedTable) {
    this.columns = TABLES[table].map(() => []);
  }

  add(...values: unknown[]): void {
    for (let i = 0; i < values.length; i++) this.columns[i].push(values[i]);
    this.length += 1;
  }
}

export interface Statement {
  sql: string;
  params: unknown[];
}

/** The statements of one unit of work, one per table in foreign-key order. */
export interface Batch {
  statements: Statement[];
  rows: Partial<Record<SeedTable, number>>;
}

export function batch(tables: Rows[]): Batch {
  const nonEmpty = tables.filter((rows) => rows.length > 0);
  return { statements: nonEmpty.map(insert), rows: Object.fromEntries(nonEmpty.map((rows) => [rows.table, rows.length])) };
}

/**
 * `insert into t (…) select … from unnest($1::uuid[], …) as u(…)`. Each column travels as ONE
 * array literal built here (pg's own array serialiser escapes every element with two regexes,
 * which dominated the profile). Timestamps travel as epoch milliseconds and dates as day
 * numbers, which both sides convert much faster than ISO text.
 */
function insert(rows: Rows): Statement {
  const specs: readonly ColumnSpec[] = TABLES[rows.table];
  const params: unknown[] = [];
  const names = specs.map(([name]) => `"${name}"`).join(', ');
  const args = specs.map(([, type], i) => {
    const column = rows.columns[i];
    if (type === 'timestamptz') {
      params.push(arrayLiteral(column, String));
      return `$${params.length}::int8[]`;
    }
    if (type === 'date') {
      params.push(arrayLiteral(column, String));
      return `$${params.length}::int4[]`;
    }
    params.push(arrayLiteral(column, type === 'text' || type === 'jsonb' ? quote : String));
    return `$${params.length}::${type}[]`;
  });
  const select = specs
    .map(
      ([name, type, expr]) =>
        expr ??
        (type === 'timestamptz'
          ? `to_timestamp(u."${name}"::float8 / 1000)`
          : type === 'date'
            ? `date '1970-01-01' + u."${name}"`
            : `u."${name}"`),
    )
    .join(', ');
  return { sql: `insert into "${rows.table}" (${names}) select ${select} from unnest(${args.join(', ')}) as u(${names})`, params };
}

function arrayLiteral(values: unknown[], format: (value: unknown) => string): string {
  const parts = new Array<string>(values.length);
  for (let i = 0; i < values.length; i++) {
    const value = values[i];
    parts[i] = value === null || value === undefined ? 'NULL' : format(value);
  }
  return `{${parts.join(',')}}`;
}

const NEEDS_ESCAPE = /["\\]/;
/** An array element in double quotes (so NULL, commas, braces and spaces are literal). */
function quote(value: unknown): string {
  const text = String(value);
  return NEEDS_ESCAPE.test(text) ? `"${text.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"` : `"${text}"`;
}

/** A Postgres array literal of strings, for a per-row text[] value. */
export function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}
