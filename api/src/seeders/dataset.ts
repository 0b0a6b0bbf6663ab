/**
 * The demo / benchmark dataset: one deterministic generator for `seedDemo` (embedded PGlite at app
 * start) and the `seed` CLI (bulk loads into PostgreSQL).
 *
 * SQL goes through a `SqlExecutor`: one statement with `$1`-style parameters, e.g.
 * `(sql, params) => client.query(sql, params)`. Rows are generated in chunks of customers (each
 * with its contacts, interactions, orders, lines and payments) and inserted with one
 * `INSERT … SELECT … FROM unnest($1::uuid[], $2::int8[], …)` per table, in foreign-key order,
 * so that the tables' statement-level triggers (customer directory, ownership history) fire
 * exactly as they do for application inserts.
 *
 * - One executor function: every statement stands alone (no session state), so `pool.query` works
 *   and `concurrency` chunks are in flight; a caller holding one connection may wrap the whole run
 *   in its own BEGIN … COMMIT (seedDemo does).
 * - An array of executors, each bound to its own connection: chunks run in parallel, one per
 *   connection, each inside BEGIN … COMMIT (the CLI does this).
 *
 * Row-level security: the session must be allowed to write every row (a superuser, or the table
 * owner with `app.all` set to `on`, as the CLI and seedDemo do).
 *
 * Determinism: with the same `seed` and `now` the content is identical (names, numbers, amounts,
 * dates), whatever the concurrency; only the row ids differ (crypto.randomUUID()).
 */
import { randomUUID } from 'node:crypto';
import { Faker, base, en, zh_CN } from '@faker-js/faker';
import { hashPassword } from '../common/auth/password.js';
import { normalizeDomain, normalizeName, registrationKey } from '../modules/customer/customer.normalize.js';
import { PURCHASED_SQL } from '../modules/lifecycle/lifecycle.service.js';

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/** Runs one SQL statement with `$1`-style parameters. */
export type SqlExecutor = (sql: string, params: unknown[]) => Promise<unknown>;

export interface SeedStats {
  /** Rows inserted so far, all tables. */
  rows: number;
  elapsedMs: number;
}

/** `done`/`total` count customers in the `customers` phase; other phases report 0/1 then 1/1. */
export type SeedProgress = (done: number, total: number, phase: SeedPhase, stats: SeedStats) => void;
export type SeedPhase = 'reference data' | 'customers' | 'lifecycle history' | 'analyze';

export interface SeedOptions {
  customers: number;
  /** Seed of every random choice; default 20241123. */
  seed?: number;
  /** The "present" the history leads up to; default: now. Fix it to reproduce a dataset exactly. */
  now?: Date;
  onProgress?: SeedProgress;
  /** Chunks in flight at once with a single executor function (a pool); default 2. An array of executors runs one chunk per executor. */
  concurrency?: number;
  /** Customers per statement (with all their rows). Default 250: ~7k rows. */
  chunkSize?: number;
  /** Hash stored for every demo user; default: hashPassword('demo'), computed once. */
  passwordHash?: string;
  /** ANALYZE the tables at the end; default true. */
  analyze?: boolean;
}

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

export interface SeedResult {
  rows: Record<SeedTable, number>;
  /** Lifecycle transitions written for the customers' histories. */
  transitions: number;
  durationMs: number;
}

export const DEMO_PASSWORD = 'demo';
export const DEFAULT_SEED = 20241123;

/**
 * Inserts the demo dataset: the seven regions with their provinces and cities, the admin, one
 * manager per region, three reps per region, then `options.customers` customers with their
 * contacts, interactions, orders, order lines and payments. Expects empty tables.
 */
export async function seedDataset(executor: SqlExecutor | readonly SqlExecutor[], options: SeedOptions): Promise<SeedResult> {
  const started = performance.now();
  const sessions = typeof executor === 'function' ? null : [...executor];
  if (sessions?.length === 0) throw new Error('seedDataset: no executor');
  const first = sessions ? sessions[0] : (executor as SqlExecutor);
  const total = Math.max(0, Math.floor(options.customers));
  const chunkSize = Math.max(1, Math.floor(options.chunkSize ?? 250));
  const chunks = Math.ceil(total / chunkSize);
  const rows = Object.fromEntries(SEED_TABLES.map((table) => [table, 0])) as Record<SeedTable, number>;
  let inserted = 0;
  const report = (done: number, of: number, phase: SeedPhase) =>
    options.onProgress?.(done, of, phase, { rows: inserted, elapsedMs: performance.now() - started });
  const run = async (exec: SqlExecutor, batch: Batch, transaction: boolean) => {
    if (transaction) await exec('begin', []);
    try {
      for (const { sql, params } of batch.statements) await exec(sql, params);
      if (transaction) await exec('commit', []);
    } catch (error) {
      if (transaction) await exec('rollback', []).catch(() => undefined);
      throw error;
    }
    for (const [table, n] of Object.entries(batch.rows) as [SeedTable, number][]) {
      rows[table] += n;
      inserted += n;
    }
  };

  report(0, 1, 'reference data');
  const generator = new DatasetGenerator(
    options.seed ?? DEFAULT_SEED,
    options.now ?? new Date(),
    options.passwordHash ?? (await hashPassword(DEMO_PASSWORD)),
  );
  await run(first, generator.referenceData(), sessions !== null);
  report(1, 1, 'reference data');

  // Generation is synchronous and sequential (so the content does not depend on timing); while
  // the server inserts one chunk, the next is generated here.
  report(0, total, 'customers');
  let planned = 0;
  let done = 0;
  let failed = false;
  const worker = async (exec: SqlExecutor) => {
    while (!failed && planned < total) {
      const n = Math.min(chunkSize, total - planned);
      planned += n;
      try {
        await run(exec, generator.customerChunk(n), sessions !== null);
      } catch (error) {
        failed = true;
        throw error;
      }
      done += n;
      report(done, total, 'customers');
    }
  };
  const workers = sessions ?? Array.from({ length: Math.max(1, Math.floor(options.concurrency ?? 2)) }, () => first);
  const outcomes = await Promise.allSettled(workers.slice(0, Math.max(1, chunks)).map(worker));
  const failure = outcomes.find((outcome): outcome is PromiseRejectedResult => outcome.status === 'rejected');
  if (failure) throw failure.reason;

  report(0, 1, 'lifecycle history');
  const history = (await first(LIFECYCLE_HISTORY_SQL, [(options.now ?? new Date()).toISOString()])) as
    { rowCount?: number | null } | undefined;
  const transitions = history?.rowCount ?? 0;
  inserted += transitions;
  report(1, 1, 'lifecycle history');
  // The dataset writes SO-<year>-<sequence> numbers itself: generated ones must continue after them.
  await first(ORDER_NUMBER_COUNTERS_SQL, []);

  if (options.analyze ?? true) {
    report(0, 1, 'analyze');
    await first(`analyze ${[...SEED_TABLES, 'lifecycle_transition'].map((table) => `"${table}"`).join(', ')}`, []);
    report(1, 1, 'analyze');
  }
  return { rows, transitions, durationMs: performance.now() - started };
}

/** Each year's order number counter at the largest sequence the orders already use (never lowered). */
const ORDER_NUMBER_COUNTERS_SQL = `
  insert into order_number_counter as c (prefix, last_value)
  select substring(number from '^(SO-[0-9]+-)'), max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint)
  from sales_order where number ~ '^SO-[0-9]{1,10}-[0-9]{1,18}$'
  group by 1 having max(substring(number from '^SO-[0-9]+-([0-9]+)$')::bigint) > 0
  on conflict (prefix) do update set last_value = greatest(c.last_value, excluded.last_value)`;

/**
 * Each customer's way to its stage, set-based from what the dataset holds: qualified by its owner
 * (POTENTIAL → INTENTION) some time after creation, FIRST_PURCHASE and REPEAT at its first and
 * second purchase (trigger ORDER), DORMANT after the configured days (lifecycle_setting) without
 * an order or interaction (INACTIVITY) and LOST by its owner a month after it. Times never go backwards, and no step
 * lies in the future. So the funnel, dwell times and SLAs have a history to work on.
 */
const LIFECYCLE_HISTORY_SQL = `
insert into lifecycle_transition (id, customer_id, from_stage, to_stage, at, trigger, actor_id, reason)
with purchases as (
  select o.customer_id, min(o.ordered_at) as first_at, (array_agg(o.ordered_at order by o.ordered_at))[2] as second_at, max(o.ordered_at) as last_at
  from sales_order o where o.status in ${PURCHASED_SQL} group by o.customer_id
),
dormancy as (select coalesce((select dormant_after_days from lifecycle_setting where id = 1), 180) as days),
touches as (select i.customer_id, max(i.occurred_at) as last_at from interaction i group by i.customer_id),
base as (
  select c.id, c.owner_id, c.lifecycle_stage as stage, c.created_at, p.first_at, p.second_at,
    greatest(p.last_at, t.last_at, c.created_at) as last_activity,
    case c.lifecycle_stage when 'INTENTION' then 1 when 'FIRST_PURCHASE' then 2 when 'REPEAT' then 3
      else case when p.second_at is not null then 3 when p.first_at is not null then 2 else 1 end end as reached
  from customer c left join purchases p on p.customer_id = c.id left join touches t on t.customer_id = c.id
  where c.lifecycle_stage <> 'POTENTIAL'
),
step1 as (select b.*, b.created_at + (least(coalesce(b.first_at, $1::timestamptz), $1::timestamptz) - b.created_at) * 0.4 as intention_at from base b),
step2 as (select s.*, greatest(s.intention_at + interval '1 hour', coalesce(s.first_at, s.created_at + ($1::timestamptz - s.created_at) * 0.6)) as first_purchase_at from step1 s),
step3 as (select s.*, greatest(s.first_purchase_at + interval '1 day', coalesce(s.second_at, s.created_at + ($1::timestamptz - s.created_at) * 0.8)) as repeat_at from step2 s),
step4 as (
  select s.*, greatest(case s.reached when 1 then s.intention_at when 2 then s.first_purchase_at else s.repeat_at end + interval '1 hour',
    least(s.last_activity + case s.stage when 'LOST' then interval '30 days' else make_interval(days => d.days) end, $1::timestamptz - interval '1 hour')) as exit_at,
    d.days as dormant_days
  from step3 s cross join dormancy d
)
select gen_random_uuid(), s.id, x.from_stage::lifecycle_stage, x.to_stage::lifecycle_stage, least(x.at, $1::timestamptz), x.trigger::lifecycle_trigger, x.actor, x.reason
from step4 s cross join lateral (values
  (1, 'POTENTIAL', 'INTENTION', s.intention_at, 'MANUAL', s.owner_id, 'Qualified: need and budget confirmed'),
  (2, 'INTENTION', 'FIRST_PURCHASE', s.first_purchase_at, 'ORDER', null::uuid, null::text),
  (3, 'FIRST_PURCHASE', 'REPEAT', s.repeat_at, 'ORDER', null::uuid, null::text),
  (4, case s.reached when 1 then 'INTENTION' when 2 then 'FIRST_PURCHASE' else 'REPEAT' end, s.stage::text, s.exit_at,
    case s.stage when 'LOST' then 'MANUAL' else 'INACTIVITY' end, case s.stage when 'LOST' then s.owner_id end,
    case s.stage when 'LOST' then 'Lost to a competitor' else 'No order or interaction for ' || s.dormant_days || ' days' end)
) x(step, from_stage, to_stage, at, trigger, actor, reason)
where (x.step <= 3 and x.step <= s.reached) or (x.step = 4 and s.stage in ('DORMANT', 'LOST'))`;

// ---------------------------------------------------------------------------------------------
// Random numbers
// ---------------------------------------------------------------------------------------------

/** sfc32, seeded through splitmix32: fast, good enough, and reproducible. */
class Rng {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number) {
    let state = seed >>> 0;
    const split = () => {
      state = (state + 0x9e3779b9) >>> 0;
      let z = state;
      z = Math.imul(z ^ (z >>> 16), 0x21f0aaad);
      z = Math.imul(z ^ (z >>> 15), 0x735a2d97);
      return (z ^ (z >>> 15)) >>> 0;
    };
    this.a = split();
    this.b = split();
    this.c = split();
    this.d = split();
    for (let i = 0; i < 12; i++) this.next();
  }

  /** Uniform in [0, 1). */
  next(): number {
    const t = (((this.a + this.b) >>> 0) + this.d) >>> 0;
    this.d = (this.d + 1) >>> 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) >>> 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) >>> 0;
    return t / 4294967296;
  }

  /** Integer in [min, max]. */
  int(min: number, max: number): number {
    return min + Math.floor(this.next() * (max - min + 1));
  }

  chance(p: number): boolean {
    return this.next() < p;
  }

  pick<T>(items: readonly T[]): T {
    return items[Math.floor(this.next() * items.length)];
  }

  digits(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += String(Math.floor(this.next() * 10));
    return out;
  }

  /** A random derived seed, for the fakers. */
  seed(): number {
    return Math.floor(this.next() * 2 ** 31);
  }
}

/** A weighted choice, precomputed. */
class Choice<T> {
  private readonly items: T[];
  private readonly cumulative: number[];
  private readonly total: number;

  constructor(entries: ReadonlyArray<readonly [T, number]>) {
    this.items = entries.map(([item]) => item);
    let sum = 0;
    this.cumulative = entries.map(([, weight]) => (sum += weight));
    this.total = sum;
  }

  pick(rng: Rng): T {
    const x = rng.next() * this.total;
    for (let i = 0; i < this.cumulative.length; i++) if (x < this.cumulative[i]) return this.items[i];
    return this.items[this.items.length - 1];
  }
}

// ---------------------------------------------------------------------------------------------
// Time and money
// ---------------------------------------------------------------------------------------------

const DAY = 86_400_000;
const HOUR = 3_600_000;
/** Business happens in China Standard Time (UTC+8, no DST). */
const CST = 8 * HOUR;

/** The calendar date in China of an instant, as days since 1970-01-01 (how `date` columns travel). */
const cnDay = (ms: number) => Math.floor((ms + CST) / DAY);
const cnYear = (ms: number) => new Date(ms + CST).getUTCFullYear();

/**
 * An instant on the same China calendar day as `ms`, during office hours (09:00–18:00 CST);
 * a weekend day mostly moves to a random weekday of the same week.
 */
function officeHours(rng: Rng, ms: number, weekendShift = 0.85): number {
  let day = Math.floor((ms + CST) / DAY) * DAY - CST;
  const weekday = new Date(day + CST).getUTCDay();
  if ((weekday === 0 || weekday === 6) && rng.chance(weekendShift)) day -= (weekday === 6 ? rng.int(1, 5) : rng.int(2, 6)) * DAY;
  return day + 9 * HOUR + Math.floor(rng.next() * 9 * HOUR);
}

/** Cents as a decimal string: 123456 → "1234.56". Cents are integers, never summed as floats. */
function money(cents: number): string {
  const sign = cents < 0 ? '-' : '';
  const abs = Math.abs(cents);
  const whole = Math.floor(abs / 100);
  const frac = abs - whole * 100;
  return `${sign}${whole}.${frac < 10 ? '0' : ''}${frac}`;
}

/** Thousandths as a decimal string: 2500 → "2.5", 3000 → "3". */
function thousandths(value: number): string {
  const whole = Math.floor(value / 1000);
  const frac = value - whole * 1000;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(3, '0').replace(/0+$/, '')}`;
}

/** Hundredths as a decimal string: 1250 → "12.5", 0 → "0". */
function hundredths(value: number): string {
  const whole = Math.floor(value / 100);
  const frac = value - whole * 100;
  return frac === 0 ? String(whole) : `${whole}.${String(frac).padStart(2, '0').replace(/0+$/, '')}`;
}

/**
 * Line amount in cents: round_half_up(quantity × unitPrice × (1 − discount/100), 2), exactly.
 * quantity in thousandths, price in cents, discount in hundredths of a percent.
 */
export function lineAmountCents(quantity3: number, unitPriceCents: number, discount2: number): number {
  const numerator = BigInt(quantity3) * BigInt(unitPriceCents) * BigInt(10_000 - discount2);
  const denominator = 10_000_000n; // 1000 (quantity) × 10000 (percent in hundredths)
  return Number((numerator * 2n + denominator) / (2n * denominator));
}

// ---------------------------------------------------------------------------------------------
// Geography: the seven regions, real provinces and cities
// ---------------------------------------------------------------------------------------------

/** [code, English name, Chinese name, key city, administrative division code, postal code, phone area code] */
type CityRow = readonly [string, string, string, 0 | 1, string, string, string];
interface ProvinceDef {
  code: string;
  name: string;
  nameZh: string;
  /** Short Chinese name used in company names (浙江, 广西). */
  short: string;
  /** Municipalities (北京, 上海…): their territories are districts. */
  municipality?: boolean;
  cities: readonly CityRow[];
}
interface RegionDef {
  code: string;
  name: string;
  nameZh: string;
  /** Relative share of the customers. */
  weight: number;
  provinces: readonly ProvinceDef[];
}

export const REGIONS: readonly RegionDef[] = [
  {
    code: 'NE',
    name: 'Northeast',
    nameZh: '东北',
    weight: 0.7,
    provinces: [
      {
        code: 'LN',
        name: 'Liaoning',
        nameZh: '辽宁省',
        short: '辽宁',
        cities: [
          ['SY', 'Shenyang', '沈阳市', 1, '210100', '110000', '024'],
          ['DL', 'Dalian', '大连市', 1, '210200', '116000', '0411'],
          ['AS', 'Anshan', '鞍山市', 0, '210300', '114000', '0412'],
        ],
      },
      {
        code: 'JL',
        name: 'Jilin',
        nameZh: '吉林省',
        short: '吉林',
        cities: [
          ['CC', 'Changchun', '长春市', 1, '220100', '130000', '0431'],
          ['JLS', 'Jilin City', '吉林市', 0, '220200', '132000', '0432'],
        ],
      },
      {
        code: 'HL',
        name: 'Heilongjiang',
        nameZh: '黑龙江省',
        short: '黑龙江',
        cities: [
          ['HRB', 'Harbin', '哈尔滨市', 1, '230100', '150000', '0451'],
          ['DQ', 'Daqing', '大庆市', 0, '230600', '163000', '0459'],
        ],
      },
    ],
  },
  {
    code: 'NORTH',
    name: 'North',
    nameZh: '华北',
    weight: 1.2,
    provinces: [
      {
        code: 'BJ',
        name: 'Beijing',
        nameZh: '北京市',
        short: '北京',
        municipality: true,
        cities: [
          ['HD', 'Haidian District', '海淀区', 1, '110108', '100080', '010'],
          ['CY', 'Chaoyang District', '朝阳区', 1, '110105', '100020', '010'],
          ['DC', 'Dongcheng District', '东城区', 0, '110101', '100010', '010'],
        ],
      },
      {
        code: 'TJ',
        name: 'Tianjin',
        nameZh: '天津市',
        short: '天津',
        municipality: true,
        cities: [
          ['BH', 'Binhai New Area', '滨海新区', 1, '120116', '300450', '022'],
          ['NK', 'Nankai District', '南开区', 0, '120104', '300100', '022'],
        ],
      },
      {
        code: 'HE',
        name: 'Hebei',
        nameZh: '河北省',
        short: '河北',
        cities: [
          ['SJZ', 'Shijiazhuang', '石家庄市', 1, '130100', '050000', '0311'],
          ['TS', 'Tangshan', '唐山市', 0, '130200', '063000', '0315'],
          ['BD', 'Baoding', '保定市', 0, '130600', '071000', '0312'],
        ],
      },
      {
        code: 'SX',
        name: 'Shanxi',
        nameZh: '山西省',
        short: '山西',
        cities: [
          ['TY', 'Taiyuan', '太原市', 1, '140100', '030000', '0351'],
          ['DT', 'Datong', '大同市', 0, '140200', '037000', '0352'],
        ],
      },
    ],
  },
  {
    code: 'EAST',
    name: 'East',
    nameZh: '华东',
    weight: 1.6,
    provinces: [
      {
        code: 'SH',
        name: 'Shanghai',
        nameZh: '上海市',
        short: '上海',
        municipality: true,
        cities: [
          ['PD', 'Pudong New Area', '浦东新区', 1, '310115', '200120', '021'],
          ['HP', 'Huangpu District', '黄浦区', 1, '310101', '200001', '021'],
          ['MH', 'Minhang District', '闵行区', 0, '310112', '201100', '021'],
        ],
      },
      {
        code: 'JS',
        name: 'Jiangsu',
        nameZh: '江苏省',
        short: '江苏',
        cities: [
          ['NJ', 'Nanjing', '南京市', 1, '320100', '210000', '025'],
          ['SZ', 'Suzhou', '苏州市', 1, '320500', '215000', '0512'],
          ['WX', 'Wuxi', '无锡市', 0, '320200', '214000', '0510'],
          ['NT', 'Nantong', '南通市', 0, '320600', '226000', '0513'],
        ],
      },
      {
        code: 'ZJ',
        name: 'Zhejiang',
        nameZh: '浙江省',
        short: '浙江',
        cities: [
          ['HZ', 'Hangzhou', '杭州市', 1, '330100', '310000', '0571'],
          ['NB', 'Ningbo', '宁波市', 1, '330200', '315000', '0574'],
          ['WZ', 'Wenzhou', '温州市', 0, '330300', '325000', '0577'],
        ],
      },
      {
        code: 'SD',
        name: 'Shandong',
        nameZh: '山东省',
        short: '山东',
        cities: [
          ['JN', 'Jinan', '济南市', 1, '370100', '250000', '0531'],
          ['QD', 'Qingdao', '青岛市', 1, '370200', '266000', '0532'],
          ['YT', 'Yantai', '烟台市', 0, '370600', '264000', '0535'],
        ],
      },
    ],
  },
  {
    code: 'SOUTH',
    name: 'South',
    nameZh: '华南',
    weight: 1.4,
    provinces: [
      {
        code: 'GD',
        name: 'Guangdong',
        nameZh: '广东省',
        short: '广东',
        cities: [
          ['GZ', 'Guangzhou', '广州市', 1, '440100', '510000', '020'],
          ['SZX', 'Shenzhen', '深圳市', 1, '440300', '518000', '0755'],
          ['DG', 'Dongguan', '东莞市', 0, '441900', '523000', '0769'],
          ['FS', 'Foshan', '佛山市', 0, '440600', '528000', '0757'],
        ],
      },
      {
        code: 'GX',
        name: 'Guangxi',
        nameZh: '广西壮族自治区',
        short: '广西',
        cities: [
          ['NN', 'Nanning', '南宁市', 1, '450100', '530000', '0771'],
          ['LZ', 'Liuzhou', '柳州市', 0, '450200', '545000', '0772'],
          ['GL', 'Guilin', '桂林市', 0, '450300', '541000', '0773'],
        ],
      },
      {
        code: 'FJ',
        name: 'Fujian',
        nameZh: '福建省',
        short: '福建',
        cities: [
          ['FZ', 'Fuzhou', '福州市', 1, '350100', '350000', '0591'],
          ['XM', 'Xiamen', '厦门市', 1, '350200', '361000', '0592'],
          ['QZ', 'Quanzhou', '泉州市', 0, '350500', '362000', '0595'],
        ],
      },
      {
        code: 'HI',
        name: 'Hainan',
        nameZh: '海南省',
        short: '海南',
        cities: [
          ['HK', 'Haikou', '海口市', 1, '460100', '570000', '0898'],
          ['SYA', 'Sanya', '三亚市', 0, '460200', '572000', '0898'],
        ],
      },
    ],
  },
  {
    code: 'CENTRAL',
    name: 'Central',
    nameZh: '华中',
    weight: 1.0,
    provinces: [
      {
        code: 'HB',
        name: 'Hubei',
        nameZh: '湖北省',
        short: '湖北',
        cities: [
          ['WH', 'Wuhan', '武汉市', 1, '420100', '430000', '027'],
          ['YC', 'Yichang', '宜昌市', 0, '420500', '443000', '0717'],
          ['XYA', 'Xiangyang', '襄阳市', 0, '420600', '441000', '0710'],
        ],
      },
      {
        code: 'HN',
        name: 'Hunan',
        nameZh: '湖南省',
        short: '湖南',
        cities: [
          ['CS', 'Changsha', '长沙市', 1, '430100', '410000', '0731'],
          ['ZHZ', 'Zhuzhou', '株洲市', 0, '430200', '412000', '0731'],
          ['XT', 'Xiangtan', '湘潭市', 0, '430300', '411100', '0731'],
        ],
      },
      {
        code: 'HA',
        name: 'Henan',
        nameZh: '河南省',
        short: '河南',
        cities: [
          ['ZZ', 'Zhengzhou', '郑州市', 1, '410100', '450000', '0371'],
          ['LY', 'Luoyang', '洛阳市', 0, '410300', '471000', '0379'],
          ['KF', 'Kaifeng', '开封市', 0, '410200', '475000', '0371'],
        ],
      },
      {
        code: 'JX',
        name: 'Jiangxi',
        nameZh: '江西省',
        short: '江西',
        cities: [
          ['NC', 'Nanchang', '南昌市', 1, '360100', '330000', '0791'],
          ['JJ', 'Jiujiang', '九江市', 0, '360400', '332000', '0792'],
        ],
      },
    ],
  },
  {
    code: 'NW',
    name: 'Northwest',
    nameZh: '西北',
    weight: 0.5,
    provinces: [
      {
        code: 'SN',
        name: 'Shaanxi',
        nameZh: '陕西省',
        short: '陕西',
        cities: [
          ['XA', "Xi'an", '西安市', 1, '610100', '710000', '029'],
          ['BJI', 'Baoji', '宝鸡市', 0, '610300', '721000', '0917'],
          ['XYN', 'Xianyang', '咸阳市', 0, '610400', '712000', '029'],
        ],
      },
      {
        code: 'GS',
        name: 'Gansu',
        nameZh: '甘肃省',
        short: '甘肃',
        cities: [
          ['LZH', 'Lanzhou', '兰州市', 1, '620100', '730000', '0931'],
          ['TSH', 'Tianshui', '天水市', 0, '620500', '741000', '0938'],
        ],
      },
      {
        code: 'NX',
        name: 'Ningxia',
        nameZh: '宁夏回族自治区',
        short: '宁夏',
        cities: [
          ['YCH', 'Yinchuan', '银川市', 1, '640100', '750000', '0951'],
          ['SZS', 'Shizuishan', '石嘴山市', 0, '640200', '753000', '0952'],
        ],
      },
      {
        code: 'XJ',
        name: 'Xinjiang',
        nameZh: '新疆维吾尔自治区',
        short: '新疆',
        cities: [
          ['URC', 'Urumqi', '乌鲁木齐市', 1, '650100', '830000', '0991'],
          ['KS', 'Kashgar', '喀什市', 0, '653101', '844000', '0998'],
        ],
      },
    ],
  },
  {
    code: 'SW',
    name: 'Southwest',
    nameZh: '西南',
    weight: 0.9,
    provinces: [
      {
        code: 'SC',
        name: 'Sichuan',
        nameZh: '四川省',
        short: '四川',
        cities: [
          ['CD', 'Chengdu', '成都市', 1, '510100', '610000', '028'],
          ['MY', 'Mianyang', '绵阳市', 0, '510700', '621000', '0816'],
          ['YB', 'Yibin', '宜宾市', 0, '511500', '644000', '0831'],
        ],
      },
      {
        code: 'CQ',
        name: 'Chongqing',
        nameZh: '重庆市',
        short: '重庆',
        municipality: true,
        cities: [
          ['YZ', 'Yuzhong District', '渝中区', 1, '500103', '400010', '023'],
          ['JB', 'Jiangbei District', '江北区', 0, '500105', '400020', '023'],
          ['YUB', 'Yubei District', '渝北区', 0, '500112', '401120', '023'],
        ],
      },
      {
        code: 'YN',
        name: 'Yunnan',
        nameZh: '云南省',
        short: '云南',
        cities: [
          ['KM', 'Kunming', '昆明市', 1, '530100', '650000', '0871'],
          ['DLI', 'Dali', '大理市', 0, '532901', '671000', '0872'],
          ['LJ', 'Lijiang', '丽江市', 0, '530700', '674100', '0888'],
        ],
      },
    ],
  },
];

// ---------------------------------------------------------------------------------------------
// Vocabulary
// ---------------------------------------------------------------------------------------------

interface IndustryDef {
  /** The stored value (a fixed list; the console translates it). */
  name: string;
  zhWords: readonly string[];
  enWords: readonly string[];
  /** Pinyin for web domains. */
  slug: string;
  productsZh: readonly string[];
  productsEn: readonly string[];
}

export const INDUSTRIES: readonly IndustryDef[] = [
  {
    name: 'Machinery',
    zhWords: ['机械', '精密机械', '重工', '机床'],
    enWords: ['Machinery', 'Precision Engineering', 'Heavy Industries'],
    slug: 'jixie',
    productsZh: ['数控机床', '液压设备', '传动部件', '注塑机', '包装机械'],
    productsEn: ['CNC machine tools', 'hydraulic equipment', 'drive components', 'injection moulding machines', 'packaging machinery'],
  },
  {
    name: 'Electronics',
    zhWords: ['电子', '微电子', '光电'],
    enWords: ['Electronics', 'Microelectronics', 'Optoelectronics'],
    slug: 'dianzi',
    productsZh: ['印制电路板', '电子元器件', 'LED 模组', '电源适配器', '连接器'],
    productsEn: ['PCBs', 'electronic components', 'LED modules', 'power adapters', 'connectors'],
  },
  {
    name: 'Automotive',
    zhWords: ['汽车零部件', '汽车配件', '车辆'],
    enWords: ['Auto Parts', 'Automotive Systems'],
    slug: 'qipei',
    productsZh: ['底盘总成', '汽车线束', '制动系统', '座椅骨架', '车灯'],
    productsEn: ['chassis assemblies', 'wiring harnesses', 'brake systems', 'seat frames', 'vehicle lighting'],
  },
  {
    name: 'Chemicals',
    zhWords: ['化工', '新材料', '涂料'],
    enWords: ['Chemicals', 'Advanced Materials', 'Coatings'],
    slug: 'huagong',
    productsZh: ['工业涂料', '精细化学品', '塑料粒子', '胶粘剂'],
    productsEn: ['industrial coatings', 'fine chemicals', 'plastic resins', 'adhesives'],
  },
  {
    name: 'Energy',
    zhWords: ['能源', '电力', '新能源', '光伏'],
    enWords: ['Energy', 'Power', 'Solar'],
    slug: 'nengyuan',
    productsZh: ['光伏组件', '储能系统', '电力工程', '风电设备'],
    productsEn: ['solar modules', 'energy storage systems', 'power engineering', 'wind turbines'],
  },
  {
    name: 'Food & Beverage',
    zhWords: ['食品', '饮料', '乳业'],
    enWords: ['Foods', 'Beverages', 'Dairy'],
    slug: 'shipin',
    productsZh: ['乳制品', '饮料', '休闲食品', '调味品'],
    productsEn: ['dairy products', 'soft drinks', 'snacks', 'condiments'],
  },
  {
    name: 'Pharmaceuticals',
    zhWords: ['制药', '医药', '生物科技'],
    enWords: ['Pharma', 'Biotech', 'Life Sciences'],
    slug: 'yiyao',
    productsZh: ['原料药', '口服制剂', '生物制品', '中成药'],
    productsEn: ['APIs', 'oral dosage forms', 'biologics', 'traditional Chinese medicines'],
  },
  {
    name: 'Medical Devices',
    zhWords: ['医疗器械', '医疗科技'],
    enWords: ['Medical', 'Healthcare Technologies'],
    slug: 'yiliao',
    productsZh: ['医用耗材', '诊断设备', '康复器械'],
    productsEn: ['medical consumables', 'diagnostic equipment', 'rehabilitation devices'],
  },
  {
    name: 'Logistics',
    zhWords: ['物流', '供应链', '仓储'],
    enWords: ['Logistics', 'Supply Chain'],
    slug: 'wuliu',
    productsZh: ['仓储配送', '冷链运输', '供应链管理', '跨境物流'],
    productsEn: ['warehousing', 'cold-chain transport', 'supply-chain management', 'cross-border logistics'],
  },
  {
    name: 'Construction',
    zhWords: ['建设', '建筑工程', '建材'],
    enWords: ['Construction', 'Building Materials'],
    slug: 'jianshe',
    productsZh: ['建筑施工', '预制构件', '装饰材料', '钢结构'],
    productsEn: ['building construction', 'precast components', 'finishing materials', 'steel structures'],
  },
  {
    name: 'Textiles',
    zhWords: ['纺织', '服饰', '织造'],
    enWords: ['Textiles', 'Apparel'],
    slug: 'fangzhi',
    productsZh: ['化纤面料', '服装', '家纺', '工业用布'],
    productsEn: ['synthetic fabrics', 'garments', 'home textiles', 'technical textiles'],
  },
  {
    name: 'Software & IT',
    zhWords: ['信息技术', '软件', '网络科技'],
    enWords: ['Software', 'Technologies', 'Systems'],
    slug: 'tech',
    productsZh: ['企业软件', '系统集成', '云服务', '数据中心运维'],
    productsEn: ['enterprise software', 'systems integration', 'cloud services', 'data-centre operations'],
  },
  {
    name: 'Environmental Services',
    zhWords: ['环保', '水务', '环境工程'],
    enWords: ['Environmental', 'Water'],
    slug: 'huanbao',
    productsZh: ['污水处理', '环保设备', '固废处置', '废气治理'],
    productsEn: ['wastewater treatment', 'environmental equipment', 'solid-waste disposal', 'emission control'],
  },
  {
    name: 'Packaging & Printing',
    zhWords: ['包装', '印务', '纸业'],
    enWords: ['Packaging', 'Printing'],
    slug: 'baozhuang',
    productsZh: ['纸箱包装', '软包装', '标签印刷'],
    productsEn: ['corrugated packaging', 'flexible packaging', 'label printing'],
  },
  {
    name: 'Metals',
    zhWords: ['钢铁', '金属制品', '铝业'],
    enWords: ['Steel', 'Metals'],
    slug: 'jinshu',
    productsZh: ['钢材', '铝型材', '金属结构件', '紧固件'],
    productsEn: ['steel products', 'aluminium profiles', 'metal structures', 'fasteners'],
  },
  {
    name: 'Agriculture',
    zhWords: ['农业', '农牧', '种业'],
    enWords: ['Agri', 'Agritech'],
    slug: 'nongye',
    productsZh: ['饲料', '种子', '农产品加工', '农机服务'],
    productsEn: ['animal feed', 'seeds', 'agri-food processing', 'farm machinery services'],
  },
  {
    name: 'Home Appliances',
    zhWords: ['电器', '家电', '智能家居'],
    enWords: ['Appliances', 'Smart Home'],
    slug: 'dianqi',
    productsZh: ['小家电', '空调', '智能家居产品', '厨房电器'],
    productsEn: ['small appliances', 'air conditioners', 'smart-home devices', 'kitchen appliances'],
  },
  {
    name: 'Mining',
    zhWords: ['矿业', '矿产'],
    enWords: ['Mining', 'Resources'],
    slug: 'kuangye',
    productsZh: ['煤炭', '铁矿石', '矿山设备', '有色金属'],
    productsEn: ['coal', 'iron ore', 'mining equipment', 'non-ferrous metals'],
  },
];

/** Characters of Chinese trade names, with pinyin for web domains. */
const BRAND_CHARS: ReadonlyArray<readonly [string, string]> = [
  ['恒', 'heng'],
  ['达', 'da'],
  ['鑫', 'xin'],
  ['源', 'yuan'],
  ['华', 'hua'],
  ['信', 'xin'],
  ['博', 'bo'],
  ['远', 'yuan'],
  ['盛', 'sheng'],
  ['泰', 'tai'],
  ['隆', 'long'],
  ['金', 'jin'],
  ['瑞', 'rui'],
  ['德', 'de'],
  ['海', 'hai'],
  ['天', 'tian'],
  ['宏', 'hong'],
  ['宇', 'yu'],
  ['嘉', 'jia'],
  ['荣', 'rong'],
  ['创', 'chuang'],
  ['新', 'xin'],
  ['正', 'zheng'],
  ['和', 'he'],
  ['润', 'run'],
  ['丰', 'feng'],
  ['永', 'yong'],
  ['安', 'an'],
  ['康', 'kang'],
  ['明', 'ming'],
  ['辉', 'hui'],
  ['腾', 'teng'],
  ['飞', 'fei'],
  ['凯', 'kai'],
  ['佳', 'jia'],
  ['立', 'li'],
  ['通', 'tong'],
  ['力', 'li'],
  ['美', 'mei'],
  ['东', 'dong'],
  ['方', 'fang'],
  ['中', 'zhong'],
  ['兴', 'xing'],
  ['万', 'wan'],
  ['科', 'ke'],
  ['联', 'lian'],
  ['汇', 'hui'],
  ['亿', 'yi'],
  ['鼎', 'ding'],
  ['弘', 'hong'],
  ['昌', 'chang'],
  ['锦', 'jin'],
  ['星', 'xing'],
  ['光', 'guang'],
  ['诚', 'cheng'],
  ['益', 'yi'],
  ['富', 'fu'],
  ['运', 'yun'],
  ['启', 'qi'],
  ['航', 'hang'],
  ['晟', 'sheng'],
  ['睿', 'rui'],
  ['拓', 'tuo'],
  ['捷', 'jie'],
  ['欧', 'ou'],
  ['奥', 'ao'],
  ['威', 'wei'],
  ['龙', 'long'],
  ['顺', 'shun'],
  ['合', 'he'],
];

/** Common surnames, weighted roughly by frequency, with pinyin. Given names come from faker (zh_CN). */
const SURNAMES = new Choice<readonly [string, string]>([
  [['王', 'wang'], 72],
  [['李', 'li'], 70],
  [['张', 'zhang'], 66],
  [['刘', 'liu'], 54],
  [['陈', 'chen'], 46],
  [['杨', 'yang'], 32],
  [['黄', 'huang'], 24],
  [['赵', 'zhao'], 20],
  [['吴', 'wu'], 20],
  [['周', 'zhou'], 19],
  [['徐', 'xu'], 14],
  [['孙', 'sun'], 14],
  [['马', 'ma'], 13],
  [['朱', 'zhu'], 12],
  [['胡', 'hu'], 11],
  [['郭', 'guo'], 11],
  [['何', 'he'], 10],
  [['林', 'lin'], 10],
  [['高', 'gao'], 10],
  [['罗', 'luo'], 9],
  [['郑', 'zheng'], 9],
  [['梁', 'liang'], 8],
  [['谢', 'xie'], 7],
  [['宋', 'song'], 7],
  [['唐', 'tang'], 7],
  [['许', 'xu'], 6],
  [['韩', 'han'], 6],
  [['冯', 'feng'], 6],
  [['邓', 'deng'], 6],
  [['曹', 'cao'], 6],
  [['彭', 'peng'], 6],
  [['曾', 'zeng'], 5],
  [['肖', 'xiao'], 5],
  [['田', 'tian'], 5],
  [['董', 'dong'], 5],
  [['袁', 'yuan'], 5],
  [['潘', 'pan'], 5],
  [['于', 'yu'], 5],
  [['蒋', 'jiang'], 5],
  [['蔡', 'cai'], 5],
  [['余', 'yu'], 5],
  [['杜', 'du'], 4],
  [['叶', 'ye'], 4],
  [['程', 'cheng'], 4],
  [['苏', 'su'], 4],
  [['魏', 'wei'], 4],
  [['吕', 'lv'], 4],
  [['丁', 'ding'], 4],
  [['任', 'ren'], 4],
  [['沈', 'shen'], 4],
  [['姚', 'yao'], 3],
  [['卢', 'lu'], 3],
  [['姜', 'jiang'], 3],
  [['崔', 'cui'], 3],
  [['钟', 'zhong'], 3],
  [['谭', 'tan'], 3],
  [['陆', 'lu'], 3],
  [['汪', 'wang'], 3],
  [['范', 'fan'], 3],
  [['金', 'jin'], 3],
  [['石', 'shi'], 3],
  [['廖', 'liao'], 3],
  [['贾', 'jia'], 3],
  [['夏', 'xia'], 3],
  [['韦', 'wei'], 3],
  [['方', 'fang'], 3],
  [['白', 'bai'], 2],
  [['邹', 'zou'], 2],
  [['孟', 'meng'], 2],
  [['熊', 'xiong'], 2],
  [['秦', 'qin'], 2],
  [['邱', 'qiu'], 2],
  [['江', 'jiang'], 2],
  [['尹', 'yin'], 2],
  [['薛', 'xue'], 2],
  [['闫', 'yan'], 2],
  [['段', 'duan'], 2],
  [['雷', 'lei'], 2],
  [['侯', 'hou'], 2],
  [['龙', 'long'], 2],
  [['史', 'shi'], 2],
  [['陶', 'tao'], 2],
  [['黎', 'li'], 2],
  [['贺', 'he'], 2],
  [['顾', 'gu'], 2],
  [['毛', 'mao'], 2],
  [['郝', 'hao'], 2],
  [['龚', 'gong'], 2],
  [['邵', 'shao'], 2],
  [['欧阳', 'ouyang'], 1],
  [['司马', 'sima'], 0.3],
  [['诸葛', 'zhuge'], 0.2],
  [['上官', 'shangguan'], 0.2],
]);

/** [Chinese, pinyin] street names. */
const ROADS: ReadonlyArray<readonly [string, string]> = [
  ['人民', 'Renmin'],
  ['解放', 'Jiefang'],
  ['中山', 'Zhongshan'],
  ['建设', 'Jianshe'],
  ['科技', 'Keji'],
  ['创新', 'Chuangxin'],
  ['长江', 'Changjiang'],
  ['黄河', 'Huanghe'],
  ['新华', 'Xinhua'],
  ['和平', 'Heping'],
  ['文化', 'Wenhua'],
  ['滨江', 'Binjiang'],
  ['东风', 'Dongfeng'],
  ['金融', 'Jinrong'],
  ['高新', 'Gaoxin'],
  ['工业', 'Gongye'],
  ['迎宾', 'Yingbin'],
  ['光明', 'Guangming'],
  ['胜利', 'Shengli'],
  ['学府', 'Xuefu'],
  ['友谊', 'Youyi'],
  ['复兴', 'Fuxing'],
  ['振兴', 'Zhenxing'],
  ['发展', 'Fazhan'],
  ['江南', 'Jiangnan'],
  ['湖滨', 'Hubin'],
  ['世纪', 'Shiji'],
  ['青年', 'Qingnian'],
  ['北京', 'Beijing'],
  ['南京', 'Nanjing'],
  ['延安', 'Yan’an'],
  ['天府', 'Tianfu'],
  ['望江', 'Wangjiang'],
  ['金桥', 'Jinqiao'],
  ['星湖', 'Xinghu'],
];

/** [zh title, en title, decision role] */
const TITLES: ReadonlyArray<readonly [string, string, string, number]> = [
  ['总经理', 'General Manager', 'DECISION_MAKER', 10],
  ['董事长', 'Chairman', 'DECISION_MAKER', 3],
  ['副总经理', 'Deputy General Manager', 'DECISION_MAKER', 6],
  ['采购经理', 'Purchasing Manager', 'BUYER', 14],
  ['采购专员', 'Procurement Specialist', 'BUYER', 8],
  ['技术总监', 'Technical Director', 'INFLUENCER', 8],
  ['生产经理', 'Plant Manager', 'INFLUENCER', 8],
  ['设备主管', 'Maintenance Supervisor', 'USER', 8],
  ['工艺工程师', 'Process Engineer', 'USER', 7],
  ['财务经理', 'Finance Manager', 'OTHER', 5],
  ['总经理助理', 'Executive Assistant', 'GATEKEEPER', 4],
  ['IT 经理', 'IT Manager', 'INFLUENCER', 4],
  ['项目经理', 'Project Manager', 'INFLUENCER', 6],
  ['质量经理', 'Quality Manager', 'USER', 3],
];
const TITLE_CHOICE = new Choice(TITLES.map((title) => [title, title[3]] as const));
const LEAD_TITLES = TITLES.filter(([, , role]) => role === 'DECISION_MAKER' || role === 'BUYER');

/** What the demo company sells: industrial automation. [zh, en, list price in cents, kind] */
type CatalogKind = 'unit' | 'small' | 'bulk' | 'service' | 'capital';
const CATALOG: ReadonlyArray<readonly [string, string, number, CatalogKind]> = [
  ['PLC 控制器 AC-1200', 'PLC controller AC-1200', 368_000, 'unit'],
  ['PLC 扩展 I/O 模块', 'PLC I/O expansion module', 86_000, 'unit'],
  ['伺服电机 SM-750W', 'Servo motor SM-750W', 215_000, 'unit'],
  ['伺服驱动器 SD-750', 'Servo drive SD-750', 198_000, 'unit'],
  ['变频器 VF-22kW', 'Frequency inverter VF-22kW', 645_000, 'unit'],
  ['工业触摸屏 10 英寸', '10-inch HMI touch panel', 289_000, 'unit'],
  ['工业以太网交换机 8 口', 'Industrial Ethernet switch, 8-port', 126_000, 'unit'],
  ['光电传感器 PS-30', 'Photoelectric sensor PS-30', 18_500, 'small'],
  ['接近开关 M18', 'Proximity switch M18', 9_650, 'small'],
  ['温度变送器', 'Temperature transmitter', 42_000, 'small'],
  ['压力变送器', 'Pressure transmitter', 115_000, 'unit'],
  ['电磁流量计 DN50', 'Electromagnetic flowmeter DN50', 580_000, 'unit'],
  ['六轴工业机器人 RB-10', '6-axis industrial robot RB-10', 16_800_000, 'capital'],
  ['机器视觉相机 MV-5M', 'Machine-vision camera MV-5M', 790_000, 'unit'],
  ['定制控制柜', 'Custom control cabinet', 2_850_000, 'capital'],
  ['低压断路器', 'Low-voltage circuit breaker', 23_800, 'small'],
  ['控制电缆 RVV 4×1.5（米）', 'Control cable RVV 4×1.5 (m)', 680, 'bulk'],
  ['SCADA 软件授权', 'SCADA software licence', 1_800_000, 'capital'],
  ['MES 系统年度订阅', 'MES annual subscription', 9_600_000, 'capital'],
  ['安装调试服务（人天）', 'Installation and commissioning (person-day)', 180_000, 'service'],
  ['技术培训（人天）', 'Technical training (person-day)', 150_000, 'service'],
  ['年度维保合同', 'Annual maintenance contract', 1_200_000, 'capital'],
  ['现场维修服务（小时）', 'On-site repair (hour)', 38_000, 'service'],
  ['备品备件包', 'Spare parts kit', 260_000, 'unit'],
  ['UPS 电源 3kVA', 'UPS 3 kVA', 420_000, 'unit'],
  ['工控机 IPC-610', 'Industrial PC IPC-610', 880_000, 'unit'],
  ['远程监控网关', 'Remote monitoring gateway', 330_000, 'unit'],
  ['增量编码器', 'Incremental encoder', 64_000, 'small'],
  ['标准气缸', 'Pneumatic cylinder', 31_000, 'small'],
  ['电磁阀', 'Solenoid valve', 27_500, 'small'],
];

const TAGS_EN = [
  'key-account',
  'tender',
  'government',
  'export',
  'price-sensitive',
  'referral',
  'strategic',
  'new-project',
  'after-sales',
  'distributor',
  'expo-lead',
  'upsell',
];
const TAGS_ZH = ['重点客户', '老客户', '招投标', '政府项目', '需回访'];

const EXPOS_ZH = ['工博会', '上海国际工业博览会', '广交会', '汉诺威工业博览会（深圳）', '智能制造大会'];
const EXPOS_EN = ['the China International Industry Fair', 'the Canton Fair', 'Automation Asia', 'the smart-manufacturing summit'];

// Interaction texts. {c}: contact, {p}: product, {n}: a number.
type Kind = 'VISIT' | 'CALL' | 'EMAIL' | 'MEETING' | 'DEMO' | 'SERVICE_REQUEST' | 'INSTALLATION' | 'REPAIR' | 'COMPLAINT' | 'SUGGESTION';
const SUMMARY: Record<'zh' | 'en', Record<Kind, readonly string[]>> = {
  zh: {
    VISIT: [
      '拜访{c}，介绍{p}产品线，了解其产线自动化改造需求。',
      '上门拜访，与{c}沟通年度采购计划。',
      '陪同区域经理拜访{c}，讨论{p}的替换方案。',
      '实地查看客户车间，收集设备清单和现场照片。',
      '拜访{c}，了解新厂区建设进度及设备选型。',
    ],
    CALL: [
      '电话联系{c}，确认{p}的技术参数和交期。',
      '致电{c}跟进上次报价，客户表示正在内部审批。',
      '电话回访{c}，了解设备运行情况。',
      '与{c}电话沟通付款安排。',
      '{c}来电咨询{p}的价格和供货周期。',
    ],
    EMAIL: [
      '向{c}发送{p}报价单及产品资料。',
      '邮件发送技术方案和项目时间表给{c}。',
      '回复{c}关于{p}兼容性的邮件咨询。',
      '向{c}发送合同草案，请其法务审核。',
    ],
    MEETING: [
      '与{c}及其技术团队召开项目启动会。',
      '在客户处召开季度业务回顾会议。',
      '参加客户组织的供应商评审会。',
      '与{c}商务谈判，讨论{n}台{p}的价格。',
    ],
    DEMO: ['为{c}现场演示{p}的功能。', '线上演示远程监控平台，{c}和两位工程师参加。', '在公司展厅为客户演示{p}，客户反馈积极。'],
    SERVICE_REQUEST: ['客户来电报修：{p}报警停机，要求尽快派人。', '{c}反映{p}通讯异常，提交服务请求。', '客户申请{p}固件升级支持。'],
    INSTALLATION: [
      '完成{p}的现场安装与调试，客户签字验收。',
      '安装{p}，因现场条件推迟半天完成。',
      '派两名工程师进场安装{p}，预计{n}天完成。',
    ],
    REPAIR: ['上门维修{p}，更换故障模块后恢复运行。', '远程诊断后到场维修，问题为接线松动。', '{p}维修完成，建议客户签订年度维保合同。'],
    COMPLAINT: [
      '{c}投诉交货延迟一周，影响其生产计划。',
      '客户投诉{p}故障率偏高，要求给出改进方案。',
      '{c}对发票开具错误表示不满。',
      '客户投诉售后响应太慢。',
    ],
    SUGGESTION: ['{c}建议增加中文操作手册和培训视频。', '客户建议缩短备件供货周期。', '{c}希望在当地设立备件库。'],
  },
  en: {
    VISIT: [
      'Visited {c} to present the {p} range and discuss their line-automation plans.',
      'On-site visit with {c} to review the annual purchasing plan.',
      'Joint visit with the regional manager; discussed replacing their current {p}.',
      'Walked the plant floor and collected the equipment list.',
      'Met {c} about equipment selection for the new plant.',
    ],
    CALL: [
      'Called {c} to confirm the {p} specifications and lead time.',
      'Followed up with {c} on the last quote; it is in internal approval.',
      'Courtesy call to {c} to check how the equipment is running.',
      'Call with {c} about the payment schedule.',
      '{c} called asking for {p} pricing and availability.',
    ],
    EMAIL: [
      'Sent {c} the {p} quotation and datasheets.',
      'Emailed the technical proposal and project timeline to {c}.',
      "Answered {c}'s question on {p} compatibility.",
      'Sent the draft contract to {c} for legal review.',
    ],
    MEETING: [
      'Project kick-off with {c} and their engineering team.',
      "Quarterly business review at the customer's office.",
      "Attended the customer's supplier review.",
      'Commercial negotiation with {c} on {n} units of {p}.',
    ],
    DEMO: [
      'Live demo of the {p} for {c}.',
      'Online demo of the remote-monitoring platform for {c} and two engineers.',
      'Showroom demo of the {p}; positive feedback.',
    ],
    SERVICE_REQUEST: [
      'Service call: {p} alarm stopped the line, engineer requested urgently.',
      '{c} reported a {p} communication fault.',
      'Customer requested help with a {p} firmware upgrade.',
    ],
    INSTALLATION: [
      'Installed and commissioned the {p}; customer signed the acceptance.',
      'Installed the {p}; finished half a day late because of site conditions.',
      'Two engineers on site installing the {p}, {n} days planned.',
    ],
    REPAIR: [
      'On-site repair of the {p}; replaced the faulty module.',
      'Remote diagnosis, then on-site fix of a loose connection.',
      'Repaired the {p} and proposed an annual maintenance contract.',
    ],
    COMPLAINT: [
      '{c} complained the delivery was a week late and disrupted production.',
      'Complaint about the {p} failure rate; they want a corrective plan.',
      '{c} unhappy about an incorrect invoice.',
      'Complaint that after-sales response is too slow.',
    ],
    SUGGESTION: [
      '{c} suggested adding training videos to the manuals.',
      'Customer suggested shorter spare-parts lead times.',
      '{c} would like a local spare-parts stock.',
    ],
  },
};
const OUTCOME = {
  zh: {
    sales: [
      '客户有明确采购意向，预算已批。',
      '需求尚不明确，需继续跟进。',
      '客户要求补充技术资料。',
      '已获得口头确认。',
      '客户暂无需求。',
      '价格偏高，客户在比价。',
      '需要总经理最终拍板。',
      '客户同意安排技术交流。',
    ],
    service: ['问题已解决，客户满意。', '临时处理，待备件到货后彻底解决。', '客户认可处理结果。', '已升级至技术支持部。'],
    lost: ['客户已选择其他供应商。', '项目暂停，客户无预算。', '多次联系未回复。'],
  },
  en: {
    sales: [
      'Clear intent to buy; budget approved.',
      'Needs are still vague; keep following up.',
      'They asked for more technical documentation.',
      'Verbal confirmation received.',
      'No current need.',
      'Price seen as high; they are comparing offers.',
      'Final decision rests with the general manager.',
      'They agreed to a technical workshop.',
    ],
    service: [
      'Resolved; customer satisfied.',
      'Temporary fix until the spare part arrives.',
      'Customer accepted the resolution.',
      'Escalated to technical support.',
    ],
    lost: ['They chose another supplier.', 'Project on hold, no budget.', 'No reply after several attempts.'],
  },
} as const;
const NEXT_STEP = {
  zh: [
    '一周内提交正式报价。',
    '安排技术工程师上门交流。',
    '寄送样品供测试。',
    '邀请客户参观公司展厅。',
    '下周电话跟进审批进度。',
    '准备合同草案。',
    '安排售后回访。',
    '跟进回款。',
  ],
  en: [
    'Send the formal quote within a week.',
    'Arrange a visit by an application engineer.',
    'Ship samples for testing.',
    'Invite them to the showroom.',
    'Call next week about the approval.',
    'Prepare the draft contract.',
    'Schedule an after-sales follow-up.',
    'Chase the outstanding payment.',
  ],
} as const;
const NOTES = {
  zh: [
    '客户对价格较敏感，需提前准备报价方案。',
    '年度采购预算约 {n} 万元，决策链较长。',
    '通过{expo}结识，对{p}感兴趣。',
    '老板亲自参与采购决策，重视本地服务。',
    '与竞争对手有长期合作，需要差异化方案。',
    '付款流程较慢，注意账期管理。',
  ],
  en: [
    'Price-sensitive; prepare the quote options early.',
    'Annual purchasing budget about CNY {n}0,000; long decision chain.',
    'Met at {expo}; interested in the {p}.',
    'The owner takes part in every purchase and values local service.',
    'Long-standing relationship with a competitor; we need a differentiated offer.',
    'Slow payment process; watch the credit terms.',
  ],
} as const;

const EN_SUFFIXES = new Choice([
  ['Co., Ltd.', 40],
  ['Ltd.', 15],
  ['Limited', 12],
  ['Inc.', 10],
  ['LLC', 6],
  ['GmbH', 6],
  ['Corporation', 5],
  ['Pte. Ltd.', 6],
] as const);
const ZH_SUFFIXES = new Choice([
  ['有限公司', 62],
  ['股份有限公司', 16],
  ['有限责任公司', 10],
  ['集团有限公司', 6],
  ['实业有限公司', 6],
] as const);
const SIZE = new Choice([
  ['MICRO', 10],
  ['SMALL', 30],
  ['MEDIUM', 35],
  ['LARGE', 18],
  ['ENTERPRISE', 7],
] as const);
const SIZE_FACTOR: Record<string, number> = { MICRO: 0.3, SMALL: 0.6, MEDIUM: 1, LARGE: 2, ENTERPRISE: 4 };
const STANDING = new Choice([
  ['LEADER', 10],
  ['CHALLENGER', 25],
  ['FOLLOWER', 45],
  ['NICHE', 20],
] as const);
const CREDIT = new Choice([
  ['EXCELLENT', 15],
  ['GOOD', 40],
  ['FAIR', 25],
  ['POOR', 8],
  ['UNKNOWN', 12],
] as const);
const LATE: Record<string, number> = { EXCELLENT: 0.04, GOOD: 0.12, FAIR: 0.25, POOR: 0.45, UNKNOWN: 0.15 };
const DEFAULT: Record<string, number> = { EXCELLENT: 0.003, GOOD: 0.01, FAIR: 0.04, POOR: 0.15, UNKNOWN: 0.02 };
const SOURCE = new Choice([
  ['FIELD', 25],
  ['PHONE', 15],
  ['WEB', 20],
  ['CALL_CENTRE', 5],
  ['EMAIL', 5],
  ['REFERRAL', 15],
  ['EVENT', 12],
  ['OTHER', 3],
] as const);
const RELATIONSHIP = ['BASIC', 'REACTIVE', 'ACCOUNTABLE', 'PROACTIVE', 'PARTNERSHIP'] as const;
const FREQUENCY = new Choice([
  ['MONTHLY', 35],
  ['QUARTERLY', 25],
  ['BIWEEKLY', 15],
  ['WEEKLY', 8],
  ['YEARLY', 5],
  ['ON_DEMAND', 12],
] as const);
const PREFERRED_CHANNEL = new Choice([
  ['PHONE', 35],
  ['EMAIL', 18],
  ['FIELD', 22],
  ['OTHER', 20],
  ['WEB', 5],
] as const);
const CONTACT_COUNT = new Choice([
  [1, 30],
  [2, 35],
  [3, 22],
  [4, 13],
] as const);
const LINE_COUNT = new Choice([
  [1, 25],
  [2, 25],
  [3, 22],
  [4, 15],
  [5, 13],
] as const);
const DISCOUNT = new Choice([
  [0, 55],
  [300, 8],
  [500, 12],
  [800, 7],
  [1000, 8],
  [1250, 4],
  [1500, 4],
  [2000, 2],
] as const);
const INSTALMENTS = new Choice([
  [[100], 50],
  [[30, 70], 30],
  [[30, 60, 10], 20],
] as const);
const TERMS = new Choice([
  [0, 10],
  [30, 45],
  [60, 30],
  [90, 15],
] as const);
const MOBILE_PREFIXES = [
  '130',
  '131',
  '132',
  '133',
  '135',
  '136',
  '137',
  '138',
  '139',
  '150',
  '151',
  '152',
  '155',
  '156',
  '157',
  '158',
  '159',
  '166',
  '176',
  '177',
  '180',
  '181',
  '182',
  '183',
  '186',
  '187',
  '188',
  '189',
  '191',
  '199',
];
const EMAIL_HOSTS = ['qq.com', '163.com', '126.com', 'sina.com', 'foxmail.com'];

const PRE_PURCHASE = new Choice<Kind>([
  ['VISIT', 30],
  ['CALL', 30],
  ['EMAIL', 15],
  ['MEETING', 12],
  ['DEMO', 10],
  ['SUGGESTION', 1],
]);
const POST_PURCHASE = new Choice<Kind>([
  ['VISIT', 22],
  ['CALL', 25],
  ['EMAIL', 12],
  ['MEETING', 8],
  ['DEMO', 3],
  ['SERVICE_REQUEST', 10],
  ['INSTALLATION', 5],
  ['REPAIR', 7],
  ['COMPLAINT', 4],
  ['SUGGESTION', 4],
]);
const KIND_CHANNEL: Record<Kind, Choice<string>> = {
  VISIT: new Choice([['FIELD', 1]]),
  CALL: new Choice([
    ['PHONE', 90],
    ['CALL_CENTRE', 10],
  ]),
  EMAIL: new Choice([['EMAIL', 1]]),
  MEETING: new Choice([
    ['FIELD', 70],
    ['EVENT', 20],
    ['WEB', 10],
  ]),
  DEMO: new Choice([
    ['FIELD', 60],
    ['WEB', 40],
  ]),
  SERVICE_REQUEST: new Choice([
    ['CALL_CENTRE', 50],
    ['PHONE', 30],
    ['WEB', 20],
  ]),
  INSTALLATION: new Choice([['FIELD', 1]]),
  REPAIR: new Choice([
    ['FIELD', 85],
    ['PHONE', 15],
  ]),
  COMPLAINT: new Choice([
    ['CALL_CENTRE', 40],
    ['PHONE', 35],
    ['EMAIL', 20],
    ['WEB', 5],
  ]),
  SUGGESTION: new Choice([
    ['WEB', 40],
    ['EMAIL', 35],
    ['FIELD', 25],
  ]),
};
const SERVICE_KINDS = new Set<Kind>(['SERVICE_REQUEST', 'INSTALLATION', 'REPAIR', 'COMPLAINT', 'SUGGESTION']);

/** Unified social credit code (统一社会信用代码) alphabet and weights, GB 32100-2015. */
const USCC_CHARS = '0123456789ABCDEFGHJKLMNPQRTUWXY';
const USCC_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28];
const ORG_WEIGHTS = [3, 7, 9, 10, 5, 8, 4, 2];

// ---------------------------------------------------------------------------------------------
// SQL: one statement per unit of work
// ---------------------------------------------------------------------------------------------

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
class Rows {
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

interface Statement {
  sql: string;
  params: unknown[];
}

/** The statements of one unit of work, one per table in foreign-key order. */
interface Batch {
  statements: Statement[];
  rows: Partial<Record<SeedTable, number>>;
}

function batch(tables: Rows[]): Batch {
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
function textArrayLiteral(values: readonly string[]): string {
  return `{${values.map((value) => `"${value.replace(/\\/g, '\\\\').replace(/"/g, '\\"')}"`).join(',')}}`;
}

// ---------------------------------------------------------------------------------------------
// The generator
// ---------------------------------------------------------------------------------------------

type Lang = 'zh' | 'en';
type Stage = 'POTENTIAL' | 'INTENTION' | 'FIRST_PURCHASE' | 'REPEAT' | 'DORMANT' | 'LOST';
type CatalogItem = (typeof CATALOG)[number];

interface Territory {
  id: string;
  city: CityRow;
  province: ProvinceDef;
  region: RegionDef;
  managerId: string;
  repIds: string[];
}

/** Stage by customer age in days: young accounts cannot be repeat buyers or dormant yet. */
const STAGE_BY_AGE: ReadonlyArray<readonly [number, Choice<Stage>]> = [
  [
    30,
    new Choice<Stage>([
      ['POTENTIAL', 60],
      ['INTENTION', 35],
      ['FIRST_PURCHASE', 5],
    ]),
  ],
  [
    180,
    new Choice<Stage>([
      ['POTENTIAL', 30],
      ['INTENTION', 30],
      ['FIRST_PURCHASE', 30],
      ['REPEAT', 10],
    ]),
  ],
  [
    400,
    new Choice<Stage>([
      ['POTENTIAL', 15],
      ['INTENTION', 15],
      ['FIRST_PURCHASE', 27],
      ['REPEAT', 43],
    ]),
  ],
  [
    Infinity,
    new Choice<Stage>([
      ['POTENTIAL', 9],
      ['INTENTION', 9],
      ['FIRST_PURCHASE', 15],
      ['REPEAT', 47],
      ['DORMANT', 12],
      ['LOST', 8],
    ]),
  ],
];
const STAGE_LEVEL: Record<Stage, number> = { POTENTIAL: -0.6, INTENTION: 0, FIRST_PURCHASE: 0.4, REPEAT: 1.4, DORMANT: 0.5, LOST: 0 };
const SIZE_LEVEL: Record<string, number> = { MICRO: -0.6, SMALL: 0, MEDIUM: 0.4, LARGE: 1.1, ENTERPRISE: 1.7 };
const OWNERSHIP_ZH = new Choice([
  ['PRIVATE', 70],
  ['STATE_OWNED', 22],
  ['OTHER', 8],
] as const);
const CATALOG_CHOICE = new Choice<CatalogItem>(
  CATALOG.map((item) => [item, { unit: 10, small: 8, bulk: 3, service: 4, capital: 1 }[item[3]]] as const),
);
const TLD = new Choice([
  ['.com', 55],
  ['.cn', 25],
  ['.com.cn', 20],
] as const);
const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

class DatasetGenerator {
  private readonly rng: Rng;
  private readonly fakerZh: Faker;
  private readonly fakerEn: Faker;
  private readonly now: number;
  private readonly reference: Batch;
  private readonly territories: Choice<Territory>;
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly registrations = new Set<string>();
  private readonly mobiles = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly orderNumbers = new Map<number, number>();
  private contractNumber = 0;

  constructor(seed: number, now: Date, passwordHash: string) {
    this.rng = new Rng(seed);
    this.fakerZh = new Faker({ locale: [zh_CN, en, base] });
    this.fakerZh.seed(this.rng.seed());
    this.fakerEn = new Faker({ locale: [en, base] });
    this.fakerEn.seed(this.rng.seed());
    this.now = now.getTime();
    const { statement: reference, territories } = this.buildReference(passwordHash);
    this.reference = reference;
    this.territories = new Choice(territories.map((t) => [t, t.region.weight * (t.city[3] ? 3 : 1)] as const));
  }

  referenceData(): Batch {
    return this.reference;
  }

  // -- regions and users ------------------------------------------------------------------------

  private buildReference(passwordHash: string): { statement: Batch; territories: Territory[] } {
    const rng = this.rng;
    const at = this.now - 3 * 365 * DAY - 30 * DAY;
    const regions = new Rows('region');
    const users = new Rows('app_user');
    const managed = new Rows('user_managed_region');
    const members = new Rows('user_territory');
    const codes = new Set<string>();
    const addRegion = (
      code: string,
      name: string,
      nameZh: string,
      kind: string,
      parentId: string | null,
      path: string,
      keyCity: boolean,
    ) => {
      if (codes.has(code)) throw new Error(`dataset: region code ${code} is not unique`);
      codes.add(code);
      const id = randomUUID();
      regions.add(id, at, at, code, name, nameZh, kind, parentId, path, keyCity);
      return id;
    };
    const addUser = (email: string, name: string, role: string) => {
      const id = randomUUID();
      users.add(id, at, at, email, name, passwordHash, role, true);
      return id;
    };

    addUser('admin@demo.local', 'Admin', 'ADMIN');
    const territories: Territory[] = [];
    for (const region of REGIONS) {
      const regionId = addRegion(region.code, region.name, region.nameZh, 'REGION', null, region.code, false);
      const lower = region.code.toLowerCase();
      const managerId = addUser(`manager.${lower}@demo.local`, this.chineseName().name, 'MANAGER');
      managed.add(managerId, regionId);
      const repIds = [1, 2, 3].map((n) => addUser(`rep${n}.${lower}@demo.local`, this.chineseName().name, 'REP'));

      const regionTerritories: Territory[] = [];
      for (const province of region.provinces) {
        const provincePath = `${region.code}/${province.code}`;
        const provinceId = addRegion(province.code, province.name, province.nameZh, 'PROVINCE', regionId, provincePath, false);
        for (const city of province.cities) {
          const id = addRegion(city[0], city[1], city[2], 'TERRITORY', provinceId, `${provincePath}/${city[0]}`, city[3] === 1);
          regionTerritories.push({ id, city, province, region, managerId, repIds: [] });
        }
      }
      // Every territory gets at least one rep (round robin over a shuffled list), reps overlap on some.
      const shuffled = regionTerritories
        .map((t) => [rng.next(), t] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, t]) => t);
      shuffled.forEach((territory, i) => {
        repIds.forEach((repId, r) => {
          if (i % repIds.length === r || rng.chance(0.3)) {
            territory.repIds.push(repId);
            members.add(repId, territory.id);
          }
        });
      });
      territories.push(...regionTerritories);
    }
    return { statement: batch([regions, users, managed, members]), territories };
  }

  // -- customers --------------------------------------------------------------------------------

  customerChunk(count: number): Batch {
    const rows: ChunkRows = {
      customer: new Rows('customer'),
      contact: new Rows('contact'),
      interaction: new Rows('interaction'),
      order: new Rows('sales_order'),
      line: new Rows('order_line'),
      payment: new Rows('payment'),
    };
    for (let i = 0; i < count; i++) this.customer(rows);
    return batch([rows.customer, rows.contact, rows.interaction, rows.order, rows.line, rows.payment]);
  }

  private customer(rows: ChunkRows): void {
    const rng = this.rng;
    const now = this.now;
    const territory = this.territories.pick(rng);
    const ownerId = rng.pick(territory.repIds);
    const lang: Lang = rng.chance(0.14) ? 'en' : 'zh';
    const industry = rng.pick(INDUSTRIES);
    const size = SIZE.pick(rng);
    const sizeFactor = SIZE_FACTOR[size];
    const ownership = lang === 'en' ? (rng.chance(0.85) ? 'FOREIGN' : 'PRIVATE') : OWNERSHIP_ZH.pick(rng);
    const name = this.companyName(lang, territory, industry, ownership, size);
    const domain = rng.chance(size === 'MICRO' ? 0.4 : 0.78) ? this.domain(lang, name.stems, territory) : null;

    // Life: created within the last three years, a stage consistent with its age and, for
    // dormant and lost accounts, an end of activity well in the past.
    const ageDays = 1 + Math.floor(1094 * rng.next() ** 1.15);
    const created = Math.min(officeHours(rng, now - ageDays * DAY), now - HOUR);
    const stage = STAGE_BY_AGE.find(([maxAge]) => ageDays < maxAge)![1].pick(rng);
    let lifeEnd = now;
    if (stage === 'DORMANT') lifeEnd = now - rng.int(150, Math.min(540, ageDays - 90)) * DAY;
    if (stage === 'LOST') lifeEnd = now - rng.int(240, Math.min(900, ageDays - 90)) * DAY;
    const span = Math.max(lifeEnd - created, HOUR);
    /** An office-hours instant in [from, to] (and in the past); drawn again rather than clamped, so nothing piles up on a bound. */
    const within = (from: number, to: number) => {
      const upper = Math.min(to, now - 60_000);
      if (upper <= from) return upper;
      for (let attempt = 0; attempt < 6; attempt++) {
        const at = officeHours(rng, from + rng.next() * (upper - from));
        if (at >= from && at <= upper) return at;
      }
      return Math.floor(from + rng.next() * (upper - from));
    };

    const credit = (stage === 'POTENTIAL' || stage === 'INTENTION') && rng.chance(0.5) ? 'UNKNOWN' : CREDIT.pick(rng);
    const currency = lang === 'en' && rng.chance(0.35) ? (rng.chance(0.75) ? 'USD' : 'EUR') : 'CNY';
    const customerId = randomUUID();

    // Contacts.
    const contacts: { id: string; name: string }[] = [];
    const contactCount = CONTACT_COUNT.pick(rng);
    for (let i = 0; i < contactCount; i++) {
      const at = i === 0 ? created : within(created, Math.min(created + 90 * DAY, lifeEnd));
      contacts.push(this.contact(rows.contact, customerId, lang, domain, territory, i === 0, at));
    }

    // Orders: purchases (confirmed or later), open quotes, cancelled orders.
    const purchases: number[] = [];
    const quotes: number[] = [];
    const cancelled: number[] = [];
    const purchaseCount =
      stage === 'FIRST_PURCHASE'
        ? 1
        : stage === 'REPEAT'
          ? Math.min(16, 2 + Math.floor((span / (365 * DAY)) * (1 + rng.next() * 3) * Math.sqrt(sizeFactor)))
          : stage === 'DORMANT' || stage === 'LOST'
            ? rng.int(1, 3)
            : 0;
    if (purchaseCount > 0) {
      const first = within(created + 7 * DAY, created + Math.max(8, Math.min(120, (span / DAY) * 0.5)) * DAY);
      purchases.push(first);
      for (let i = 1; i < purchaseCount; i++) purchases.push(within(first + 7 * DAY, lifeEnd));
      purchases.sort((a, b) => a - b);
    }
    const quoteCount =
      stage === 'INTENTION'
        ? new Choice([
            [0, 35],
            [1, 45],
            [2, 20],
          ] as const).pick(rng)
        : stage === 'FIRST_PURCHASE'
          ? Number(rng.chance(0.3))
          : stage === 'REPEAT'
            ? Number(rng.chance(0.3))
            : stage === 'DORMANT'
              ? Number(rng.chance(0.1))
              : stage === 'LOST'
                ? Number(rng.chance(0.15))
                : 0;
    const stale = stage === 'DORMANT' || stage === 'LOST';
    for (let i = 0; i < quoteCount; i++) quotes.push(within(Math.max(created, lifeEnd - (stale ? 30 : 120) * DAY), lifeEnd));
    const cancelChance = { POTENTIAL: 0, INTENTION: 0.05, FIRST_PURCHASE: 0.06, REPEAT: 0.12, DORMANT: 0.1, LOST: 0.3 }[stage];
    if (rng.chance(cancelChance)) cancelled.push(within(created, lifeEnd));

    const ordered: CatalogItem[] = [];
    const terms = TERMS.pick(rng);
    const risk = stale ? 2 : 1;
    for (const at of purchases) this.order(rows, customerId, lang, currency, 'purchase', at, sizeFactor, credit, terms, risk, ordered);
    for (const at of quotes) this.order(rows, customerId, lang, currency, 'quote', at, sizeFactor, credit, terms, risk, ordered);
    for (const at of cancelled) this.order(rows, customerId, lang, currency, 'cancelled', at, sizeFactor, credit, terms, risk, ordered);

    // Interactions over the customer's life; service kinds appear after the first purchase.
    const base = { POTENTIAL: 4.5, INTENTION: 7.5, FIRST_PURCHASE: 8.5, REPEAT: 8.5, DORMANT: 7.5, LOST: 6.5 }[stage];
    const interactionCount = Math.max(1, Math.round(base * (0.5 + rng.next())) + Math.round(purchaseCount * 0.9));
    const times: number[] = [created];
    for (let i = 1; i < interactionCount; i++) times.push(within(created, lifeEnd));
    times.sort((a, b) => a - b);
    const firstPurchase = purchases[0] ?? Infinity;
    const otherReps = territory.repIds.filter((id) => id !== ownerId);
    times.forEach((at, i) => {
      const last = i === times.length - 1;
      let kind: Kind = at > firstPurchase ? POST_PURCHASE.pick(rng) : PRE_PURCHASE.pick(rng);
      if (stage === 'LOST' && last) kind = rng.chance(0.5) ? 'COMPLAINT' : 'CALL';
      const authorRoll = rng.next();
      const authorId =
        authorRoll < 0.85 || (authorRoll >= 0.93 && otherReps.length === 0)
          ? ownerId
          : authorRoll < 0.93
            ? territory.managerId
            : rng.pick(otherReps);
      const contact = rng.chance(0.8) ? contacts[rng.chance(0.5) ? 0 : rng.int(0, contacts.length - 1)] : null;
      const product = ordered.length && rng.chance(0.7) ? rng.pick(ordered) : CATALOG_CHOICE.pick(rng);
      const text = (template: string) =>
        template
          .replace('{c}', contact?.name ?? (lang === 'zh' ? '客户' : 'the customer'))
          .replace('{p}', lang === 'zh' ? product[0] : product[1])
          .replace('{n}', String(rng.int(2, 12)));
      const outcomes = OUTCOME[lang];
      const outcome =
        stage === 'LOST' && last
          ? rng.pick(outcomes.lost)
          : rng.chance(0.8)
            ? rng.pick(SERVICE_KINDS.has(kind) ? outcomes.service : outcomes.sales)
            : null;
      const nextStep = stage === 'LOST' && last ? null : rng.chance(0.6) ? rng.pick(NEXT_STEP[lang]) : null;
      const followUp = nextStep && rng.chance(last && !stale ? 0.8 : 0.35) ? cnDay(at + rng.int(2, 21) * DAY) : null;
      const logged = Math.min(at + rng.int(5, 240) * 60_000, now);
      rows.interaction.add(
        randomUUID(),
        logged,
        logged,
        customerId,
        contact?.id ?? null,
        authorId,
        kind,
        KIND_CHANNEL[kind].pick(rng),
        at,
        text(rng.pick(SUMMARY[lang][kind])),
        outcome,
        nextStep,
        followUp,
      );
    });

    // The account itself.
    const lastActivity = Math.max(times[times.length - 1], purchases[purchases.length - 1] ?? 0, quotes[quotes.length - 1] ?? 0);
    const level = Math.floor(SIZE_LEVEL[size] + STAGE_LEVEL[stage] + rng.next() * 1.6 - 0.3);
    const relationship = RELATIONSHIP[Math.max(0, Math.min(RELATIONSHIP.length - 1, level))];
    const archivedAt = stage === 'LOST' && rng.chance(0.3) ? Math.min(lifeEnd + rng.int(30, 200) * DAY, now - DAY) : null;
    const updated = archivedAt ?? Math.max(created, Math.min(lastActivity + rng.int(0, 3) * DAY, now));
    const address = this.address(lang, territory, industry);
    const products = lang === 'zh' ? this.some(industry.productsZh, 2, 3).join('、') : this.some(industry.productsEn, 2, 3).join(', ');
    const tags = this.tags(lang, size, stage, ownership);
    const notes = rng.chance(0.4) ? this.note(lang, sizeFactor) : null;
    const registrationId = rng.chance(0.92) ? this.registrationId(territory) : null;
    rows.customer.add(
      customerId,
      created,
      updated,
      name.legal,
      name.normalized,
      registrationId,
      registrationId && registrationKey(registrationId),
      industry.name,
      products,
      rng.chance(0.9) ? STANDING.pick(rng) : null,
      size,
      ownership,
      credit,
      address.line,
      address.city,
      address.province,
      address.postalCode,
      'CN',
      domain,
      territory.id,
      ownerId,
      stage,
      relationship,
      textArrayLiteral(tags),
      SOURCE.pick(rng),
      notes,
      archivedAt === null ? null : archivedAt,
    );
  }

  // -- orders -----------------------------------------------------------------------------------

  private order(
    rows: ChunkRows,
    customerId: string,
    lang: Lang,
    currency: string,
    type: 'purchase' | 'quote' | 'cancelled',
    at: number,
    sizeFactor: number,
    credit: string,
    terms: number,
    risk: number,
    ordered: CatalogItem[],
  ): void {
    const rng = this.rng;
    const now = this.now;
    const id = randomUUID();
    const year = cnYear(at);
    const sequence = (this.orderNumbers.get(year) ?? 0) + 1;
    this.orderNumbers.set(year, sequence);
    const number = `SO-${year}-${String(sequence).padStart(6, '0')}`;
    const age = now - at;
    let status: string;
    if (type === 'quote') status = 'QUOTE';
    else if (type === 'cancelled') status = 'CANCELLED';
    else if (age < 7 * DAY) status = rng.chance(0.85) ? 'CONFIRMED' : 'SHIPPED';
    else if (age < 25 * DAY)
      status = new Choice([
        ['CONFIRMED', 25],
        ['SHIPPED', 55],
        ['DELIVERED', 20],
      ] as const).pick(rng);
    else status = rng.chance(0.98) ? 'DELIVERED' : 'SHIPPED';
    const winProbability = type === 'quote' ? rng.pick([10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90]) : null;
    const contractRef =
      type === 'purchase' ? `${lang === 'zh' ? 'HT' : 'CT'}-${year}-${String(++this.contractNumber).padStart(5, '0')}` : null;
    const created = at;
    const updated = Math.min(
      at + (status === 'DELIVERED' ? rng.int(10, 30) : status === 'SHIPPED' ? rng.int(3, 7) : rng.int(0, 2)) * DAY,
      now,
    );

    // Lines. quantity × unit price is always a whole number of cents here (half quantities only
    // for services, priced in whole units), so the subtotal does not depend on where it is rounded.
    const lineCount = LINE_COUNT.pick(rng);
    const items = new Set<CatalogItem>();
    while (items.size < lineCount) items.add(CATALOG_CHOICE.pick(rng));
    let grossThousandths = 0;
    let totalCents = 0;
    let position = 0;
    for (const item of items) {
      if (type === 'purchase') ordered.push(item);
      const [zhName, enName, listCents, kind] = item;
      const scale = Math.max(1, Math.round(sizeFactor * (0.5 + rng.next())));
      const quantity3 =
        kind === 'unit'
          ? rng.int(1, 4 * scale) * 1000
          : kind === 'small'
            ? rng.int(1, 12 * scale) * 5000
            : kind === 'bulk'
              ? rng.int(1, 10 * scale) * 100_000
              : kind === 'service'
                ? rng.int(1, 12 * scale) * 500
                : rng.int(1, sizeFactor >= 2 ? 3 : 1) * 1000;
      const priceCents = this.unitPrice(listCents, currency, kind);
      const discount2 = DISCOUNT.pick(rng);
      const amountCents = lineAmountCents(quantity3, priceCents, discount2);
      grossThousandths += quantity3 * priceCents;
      totalCents += amountCents;
      rows.line.add(
        randomUUID(),
        created,
        created,
        id,
        ++position,
        lang === 'zh' ? zhName : enName,
        thousandths(quantity3),
        money(priceCents),
        hundredths(discount2),
        money(amountCents),
      );
    }
    const subtotalCents = Math.floor((2 * grossThousandths + 1000) / 2000);
    rows.order.add(
      id,
      created,
      updated,
      customerId,
      number,
      status,
      created,
      winProbability,
      currency,
      contractRef,
      money(subtotalCents),
      money(subtotalCents - totalCents),
      money(totalCents),
    );

    if (type !== 'purchase') return;
    // Payments: 1–3 instalments (deposit, balance, retention) that add up to the total.
    const plan = INSTALMENTS.pick(rng);
    const dueOffsets = plan.length === 1 ? [terms] : plan.length === 2 ? [7, 30 + terms] : [7, 30 + terms, 365];
    let allocated = 0;
    plan.forEach((percent, i) => {
      const amount = i === plan.length - 1 ? totalCents - allocated : Math.floor((totalCents * percent) / 100);
      allocated += amount;
      const due = at + dueOffsets[i] * DAY;
      let paid: number | null;
      if (due > now) paid = rng.chance(0.15) ? Math.min(officeHours(rng, at + rng.next() * (now - at)), now - 60_000) : null;
      else if (rng.chance(DEFAULT[credit] * risk)) paid = null;
      else if (rng.chance(LATE[credit] * risk)) paid = officeHours(rng, due + rng.int(1, 75) * DAY);
      else paid = Math.max(at, officeHours(rng, due - rng.int(0, 10) * DAY));
      if (paid !== null && paid > now) paid = null;
      rows.payment.add(randomUUID(), created, paid === null ? created : paid, id, money(amount), cnDay(due), paid === null ? null : paid);
    });
  }

  private unitPrice(listCents: number, currency: string, kind: CatalogKind): number {
    const rng = this.rng;
    const rate = currency === 'USD' ? 7.1 : currency === 'EUR' ? 7.8 : 1;
    let cents = listCents / rate;
    if (rng.chance(0.4)) cents *= 0.92 + rng.next() * 0.13; // negotiated
    // Services are sold by the half day / half hour: whole units keep quantity × price in cents.
    const step = kind === 'service' || cents >= 10_000 ? 100 : 10;
    return Math.max(step, Math.round(cents / step) * step);
  }

  // -- names, addresses, contacts ----------------------------------------------------------------

  private chineseName(): { name: string; surname: string } {
    const [surname, surnamePinyin] = SURNAMES.pick(this.rng);
    const sex = this.rng.chance(0.55) ? 'male' : 'female';
    return { name: surname + this.fakerZh.person.firstName(sex), surname: surnamePinyin };
  }

  private companyName(
    lang: Lang,
    t: Territory,
    industry: IndustryDef,
    ownership: string,
    size: string,
  ): { legal: string; normalized: string; stems: string[] } {
    const rng = this.rng;
    const cityShort = t.province.municipality ? t.province.short : t.city[2].replace(/市$/, '');
    const cityEn = (t.province.municipality ? t.province.name : t.city[1]).replace(/ City$/, '');
    for (let attempt = 0; ; attempt++) {
      let legal: string;
      let stems: string[];
      if (lang === 'zh') {
        const [c1, p1] = rng.pick(BRAND_CHARS);
        let [c2, p2] = rng.pick(BRAND_CHARS);
        if (c2 === c1) [c2, p2] = rng.pick(BRAND_CHARS);
        const brand = c1 + c2;
        const pinyin = p1 + p2;
        const word = rng.pick(industry.zhWords);
        const roll = rng.next();
        if (ownership === 'STATE_OWNED' && roll < 0.6)
          legal = roll < 0.3 ? `${t.province.short}${brand}${word}集团有限公司` : `${cityShort}市${brand}${word}有限公司`;
        else if (roll < 0.1) legal = `${brand}${word}（${cityShort}）有限公司`;
        else if ((size === 'MICRO' || size === 'SMALL') && roll < 0.18) legal = `${cityShort}市${brand}${word}厂`;
        else legal = `${cityShort}${brand}${word}${ZH_SUFFIXES.pick(rng)}`;
        stems = [
          pinyin,
          `${pinyin}${industry.slug}`,
          `${cityEn.toLowerCase().replace(/[^a-z]/g, '')}${pinyin}`,
          `${pinyin}-${industry.slug}`,
        ];
      } else {
        const last = this.fakerEn.person.lastName();
        const word = rng.pick(industry.enWords);
        const roll = rng.next();
        if (roll < 0.4) legal = `${last} ${word} (${cityEn}) Co., Ltd.`;
        else if (roll < 0.55) legal = `${last} & ${this.fakerEn.person.lastName()} ${word} ${EN_SUFFIXES.pick(rng)}`;
        else legal = `${last} ${word} ${EN_SUFFIXES.pick(rng)}`;
        const a = last.toLowerCase().replace(/[^a-z]/g, '');
        const b = word
          .split(' ')[0]
          .toLowerCase()
          .replace(/[^a-z]/g, '');
        stems = [`${a}${b}`, `${a}-${b}`, `${a}${b}-cn`, `${a}-china`];
      }
      if (attempt >= 40)
        legal = lang === 'zh' ? legal.replace(/(有限公司|厂)$/, `第${attempt}分厂$1`) : `${legal.replace(/\.$/, '')} No. ${attempt}`;
      const normalized = normalizeName(legal);
      if (!this.names.has(normalized)) {
        this.names.add(normalized);
        return { legal, normalized, stems };
      }
    }
  }

  private domain(lang: Lang, stems: string[], t: Territory): string | null {
    const rng = this.rng;
    const first = rng.int(0, stems.length - 1);
    const candidates = [...stems.slice(first), ...stems.slice(0, first)].filter(Boolean);
    const tld = lang === 'en' ? (rng.chance(0.8) ? '.com' : '.cn') : TLD.pick(rng);
    const citySuffix = t.city[0].toLowerCase();
    for (const stem of [...candidates, ...candidates.map((c) => `${c}-${citySuffix}`)]) {
      const domain = normalizeDomain(`www.${stem}${tld}`);
      if (domain && !this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
    return null;
  }

  private address(lang: Lang, t: Territory, industry: IndustryDef): { line: string; city: string; province: string; postalCode: string } {
    const rng = this.rng;
    const [roadZh, roadEn] = rng.pick(ROADS);
    const kind = rng.next();
    const no = rng.int(1, 1888);
    const district = t.province.municipality;
    const postal = t.city[5];
    const postalCode = rng.chance(0.3) ? postal : postal.slice(0, 4) + String(rng.int(0, 99)).padStart(2, '0');
    const industrial =
      industry.name === 'Machinery' || industry.name === 'Metals' || industry.name === 'Chemicals' || industry.name === 'Automotive';
    if (lang === 'zh') {
      const road = `${roadZh}${kind < 0.6 ? '路' : kind < 0.8 ? '大道' : '街'}`;
      const building = rng.next();
      const suffix =
        industrial && building < 0.3
          ? `${rng.int(1, 12)}号厂房`
          : building < 0.3
            ? `${rng.int(1, 30)}栋${rng.int(1, 28)}层`
            : building < 0.5
              ? `${rng.pick(BRAND_CHARS)[0]}${rng.pick(BRAND_CHARS)[0]}大厦${rng.int(2, 35)}层`
              : '';
      const zone = !district && industrial && rng.chance(0.25) ? '经济技术开发区' : '';
      return {
        line: `${district ? t.city[2] : ''}${zone}${road}${no}号${suffix}`,
        city: district ? t.province.nameZh : t.city[2],
        province: t.province.nameZh,
        postalCode,
      };
    }
    const road = `${roadEn} ${kind < 0.6 ? 'Road' : kind < 0.8 ? 'Avenue' : 'Street'}`;
    const room = rng.chance(0.5)
      ? `Room ${rng.int(2, 30)}${String(rng.int(1, 20)).padStart(2, '0')}, `
      : industrial && rng.chance(0.5)
        ? `Plant ${rng.int(1, 12)}, `
        : '';
    return {
      line: `${room}No. ${no} ${road}${district ? `, ${t.city[1]}` : ''}`,
      city: district ? t.province.name : t.city[1],
      province: t.province.name,
      postalCode,
    };
  }

  private contact(
    rows: Rows,
    customerId: string,
    lang: Lang,
    domain: string | null,
    t: Territory,
    lead: boolean,
    at: number,
  ): { id: string; name: string } {
    const rng = this.rng;
    const id = randomUUID();
    const [titleZh, titleEn, role] = lead ? rng.pick(LEAD_TITLES) : TITLE_CHOICE.pick(rng);
    const sex = rng.chance(0.6) ? 'male' : 'female';
    let name: string;
    let localParts: string[];
    let surname = '';
    const im: Record<string, string> = {};
    let qq: string | null = null;
    if (lang === 'zh') {
      const person = this.chineseName();
      name = person.name;
      surname = person.surname;
      const english = this.fakerEn.person
        .firstName(sex)
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      qq = rng.chance(0.5) ? String(rng.int(1, 9)) + rng.digits(rng.int(5, 9)) : null;
      if (qq) im.qq = qq;
      localParts = domain ? [rng.chance(0.5) ? `${english}.${person.surname}` : `${person.surname}${rng.int(1, 99)}`] : [];
      if (rng.chance(0.8)) im.wechat = rng.chance(0.5) ? `wxid_${this.alnum(10)}` : `${person.surname}${rng.digits(4)}`;
    } else {
      const first = this.fakerEn.person.firstName(sex);
      const last = this.fakerEn.person.lastName();
      name = `${first} ${last}`;
      localParts = [`${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '')];
      if (rng.chance(0.4)) im.wechat = `${first}${last}`.toLowerCase().replace(/[^a-z]/g, '') + rng.digits(2);
    }
    const mobile = rng.chance(0.9) ? this.mobile() : null;
    if (lang === 'zh' && mobile && im.wechat === undefined && rng.chance(0.5)) im.wechat = mobile;
    const area = t.city[6];
    const phone = rng.chance(0.7)
      ? `${area}-${rng.int(2, 8)}${rng.digits(area.length === 3 ? 7 : rng.chance(0.5) ? 6 : 7)}${rng.chance(0.15) ? `-${rng.int(100, 899)}` : ''}`
      : null;
    let email: string | null = null;
    if (rng.chance(0.85)) {
      if (domain && localParts.length && rng.chance(lang === 'en' ? 0.9 : 0.6)) email = `${localParts[0]}@${domain}`;
      else if (lang === 'zh' && qq) email = `${qq}@qq.com`;
      else
        email = `${lang === 'zh' ? `${surname}${rng.digits(rng.int(3, 4))}` : localParts[0]}@${lang === 'zh' ? rng.pick(EMAIL_HOSTS) : rng.pick(['gmail.com', 'outlook.com'])}`;
      while (this.emails.has(email)) email = email.replace('@', String(rng.int(0, 9)) + '@');
      this.emails.add(email);
    }
    const channel = lang === 'en' && rng.chance(0.4) ? 'EMAIL' : PREFERRED_CHANNEL.pick(rng);
    const created = at;
    rows.add(
      id,
      created,
      created,
      customerId,
      name,
      lang === 'zh' ? titleZh : titleEn,
      role,
      phone,
      mobile,
      email,
      JSON.stringify(im),
      channel,
      FREQUENCY.pick(rng),
      rng.chance(0.6),
    );
    return { id, name };
  }

  private mobile(): string {
    for (;;) {
      const mobile = this.rng.pick(MOBILE_PREFIXES) + this.rng.digits(8);
      if (!this.mobiles.has(mobile)) {
        this.mobiles.add(mobile);
        return mobile;
      }
    }
  }

  /** 18 characters: 9 (industry & commerce) 1 (enterprise), the division code, an organisation code with its check digit, the check character. */
  private registrationId(t: Territory): string {
    const rng = this.rng;
    for (;;) {
      let org = '';
      let orgSum = 0;
      for (let i = 0; i < 8; i++) {
        const char = i > 0 && rng.chance(0.1) ? USCC_CHARS[rng.int(10, USCC_CHARS.length - 1)] : String(rng.int(0, 9));
        org += char;
        orgSum += (char >= 'A' ? char.charCodeAt(0) - 55 : Number(char)) * ORG_WEIGHTS[i];
      }
      const orgCheck = 11 - (orgSum % 11);
      org += orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
      const body = `91${t.city[4]}${org}`;
      let sum = 0;
      for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body[i]) * USCC_WEIGHTS[i];
      const id = body + USCC_CHARS[(31 - (sum % 31)) % 31];
      // Unique as identity keys, not only as strings (see registrationKey).
      const key = registrationKey(id);
      if (!this.registrations.has(key)) {
        this.registrations.add(key);
        return id;
      }
    }
  }

  private tags(lang: Lang, size: string, stage: Stage, ownership: string): string[] {
    const rng = this.rng;
    const tags = new Set<string>();
    if ((size === 'LARGE' || size === 'ENTERPRISE') && stage === 'REPEAT' && rng.chance(0.6))
      tags.add(lang === 'zh' && rng.chance(0.4) ? '重点客户' : 'key-account');
    if (ownership === 'STATE_OWNED' && rng.chance(0.4)) tags.add(rng.chance(0.5) ? 'government' : 'tender');
    const extra = new Choice([
      [0, 45],
      [1, 35],
      [2, 15],
      [3, 5],
    ] as const).pick(rng);
    for (let i = 0; i < extra; i++) tags.add(lang === 'zh' && rng.chance(0.3) ? rng.pick(TAGS_ZH) : rng.pick(TAGS_EN));
    return [...tags];
  }

  private note(lang: Lang, sizeFactor: number): string {
    const rng = this.rng;
    const product = CATALOG_CHOICE.pick(rng);
    return rng
      .pick(NOTES[lang])
      .replace('{n}', String(Math.max(5, Math.round(sizeFactor * rng.int(10, 80)))))
      .replace('{expo}', rng.pick(lang === 'zh' ? EXPOS_ZH : EXPOS_EN))
      .replace('{p}', lang === 'zh' ? product[0] : product[1]);
  }

  private some<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    const n = Math.min(pool.length, this.rng.int(min, max));
    while (out.length < n) out.push(pool.splice(this.rng.int(0, pool.length - 1), 1)[0]);
    return out;
  }

  private alnum(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += ALNUM[this.rng.int(0, ALNUM.length - 1)];
    return out;
  }
}

interface ChunkRows {
  customer: Rows;
  contact: Rows;
  interaction: Rows;
  order: Rows;
  line: Rows;
  payment: Rows;
}
