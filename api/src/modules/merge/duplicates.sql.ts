import type { EntityManager } from '@mikro-orm/postgresql';
import type { Viewer } from '../../common/access/index.js';
import { DEFAULT_PAGE_SIZE, connectionOf, decodeCursor, encodeCursor, type Connection } from '../../common/graphql/connection.js';
import { requireId } from '../../common/graphql/ids.js';
import { lazy } from '../../common/graphql/thenable.js';
import { mayMatchContacts, mergeableSql } from './merge.permissions.js';
import { type DuplicateCandidate, type DuplicateCandidatesArgs, DuplicateReason } from './merge.types.js';

/** Trigram similarity at which two names are neighbours (pg_trgm.similarity_threshold for `%`). */
export const NEIGHBOUR_SIMILARITY = 0.3;
/** … and at which the likeness is a reason of its own. */
export const SIMILAR_NAME = 0.5;
/** Neighbours looked at per account, most similar first. */
const NEIGHBOURS = 8;
/** Public mail providers: a shared one says nothing about the company. */
const PUBLIC_MAIL = [
  'gmail.com',
  'qq.com',
  '163.com',
  '126.com',
  'outlook.com',
  'hotmail.com',
  'yahoo.com',
  'sina.com',
  'foxmail.com',
  'icloud.com',
  '139.com',
  'aliyun.com',
  'sohu.com',
  'yeah.net',
];
/**
 * Accounts a page reads per pair asked: each costs a nearest-neighbour walk (tens of ms among 100k
 * near-identical names), so a page reads no more accounts than pairs it may return.
 */
const STRETCH = 1;
const ZERO = '00000000-0000-0000-0000-000000000000';

/** The last 11 digits of a phone number with at least 7 (the key two spellings of one number share). */
const PHONE = (column: string) =>
  `case when length(regexp_replace(${column}, '\\D', '', 'g')) >= 7 then right(regexp_replace(${column}, '\\D', '', 'g'), 11) end`;
const DOMAIN = (column: string) => `nullif(lower(split_part(${column}, '@', 2)), '')`;

/** The candidates statement of one page (exported for the plan test, test/api/duplicates-scale.test.ts). */
export function candidatesStatement(
  viewer: Viewer,
  first: number,
  minScore: number,
  afterA: string,
  afterB: string,
): { sql: string; params: unknown[] } {
  const scan = first * STRETCH;
  const scopeA = mergeableSql(viewer, 'c');
  const scopeB = mergeableSql(viewer, 'b');
  const scopeZ = mergeableSql(viewer, 'z');
  // A key that may not read contacts (and their PII) learns nothing of them through a pair's score or reasons.
  const contacts = mayMatchContacts(viewer) ? 'true' : 'false';
  const publicMail = `'{${PUBLIC_MAIL.join(',')}}'::text[]`;
  return {
    sql: `with a as (
       select c.id, c.normalized_name, c.registration_key, app_trgm_text(c.normalized_name) as t, lower(c.city) as city from customer c
       where c.archived_at is null and c.merged_into_id is null and c.id >= ? and ${scopeA.sql} order by c.id limit ${scan}),
     keys as (
       select a.id, k.phone, null::text as domain from a join contact x on x.customer_id = a.id
         cross join lateral (values (${PHONE('x.mobile')}), (${PHONE('x.phone')})) k(phone) where k.phone is not null and ${contacts}
       union select a.id, null, ${DOMAIN('x.email')} from a join contact x on x.customer_id = a.id
         where ${contacts} and ${DOMAIN('x.email')} is not null and not ${DOMAIN('x.email')} = any(${publicMail})),
     near as (
       select a.id as a, n.id as b from a cross join lateral (
         select b.id from customer b where app_trgm_text(b.normalized_name) % a.t and b.id > a.id
         order by app_trgm_text(b.normalized_name) <-> a.t limit ${NEIGHBOURS}) n
       union select k.id, y.customer_id from keys k join contact y
         on (k.phone is not null and (${PHONE('y.mobile')} = k.phone or ${PHONE('y.phone')} = k.phone))
         or (k.domain is not null and ${DOMAIN('y.email')} = k.domain)
       where y.customer_id > k.id),
     pairs as (
       select a.id as a, b.id as b, similarity(a.t, app_trgm_text(b.normalized_name))::float8 as sim,
         exists (select 1 from keys k join contact y on y.customer_id = b.id where k.id = a.id and k.phone is not null
                 and (${PHONE('y.mobile')} = k.phone or ${PHONE('y.phone')} = k.phone)) as phone,
         exists (select 1 from keys k join contact y on y.customer_id = b.id where k.id = a.id and k.domain is not null
                 and ${DOMAIN('y.email')} = k.domain) as domain,
         a.city is not null and a.city = lower(b.city) as city, false as registration, false as name
       from near join a on a.id = near.a join customer b on b.id = near.b
       where b.archived_at is null and b.merged_into_id is null and ${scopeB.sql} and (a.id, b.id) > (?::uuid, ?::uuid)),
     twins as (
       select a.id as a, z.id as b, similarity(a.t, app_trgm_text(z.normalized_name))::float8 as sim, false as phone, false as domain,
         a.city is not null and a.city = lower(z.city) as city,
         coalesce(z.registration_key = a.registration_key, false) as registration, z.normalized_name = a.normalized_name as name
       from a join customer z on z.archived_at is not null and z.merged_into_id is null
         and (z.registration_key = a.registration_key or z.normalized_name = a.normalized_name)
       where ${scopeZ.sql} and (a.id, z.id) > (?::uuid, ?::uuid))
     select p.a, p.b, p.sim, p.phone, p.domain, p.city, p.registration, p.name from (select * from pairs union all select * from twins) p
     where (p.registration or p.name or least(1, p.sim + case when p.phone then 0.5 else 0 end + case when p.domain then 0.2 else 0 end) >= ?)
     order by p.a, p.b limit ${first + 1}`,
    params: [afterA, ...scopeA.params, ...scopeB.params, afterA, afterB, ...scopeZ.params, afterA, afterB, minScore],
  };
}

/**
 * Pairs of live accounts the viewer may merge (merge.permissions.ts, both accounts), read a
 * bounded stretch of accounts at a time in id order: for each account, its name's 8 nearest
 * trigram neighbours (`<->` distance, walked nearest first in the GiST index on
 * `app_trgm_text(normalized_name)`: a GIN index finds every name sharing a trigram, thousands for
 * a common word, which must then all be scored and sorted), and the accounts sharing a
 * contact phone or e-mail domain with it; each pair once, under its smaller id. The page ends
 * after `first` pairs or `first` accounts (STRETCH), whichever comes first; the cursor is the last pair
 * (or the last account read), so a page may hold fewer pairs than asked.
 *
 * Score: name similarity + 0.5 for a shared phone + 0.2 for a shared e-mail domain, at most 1.
 *
 * Archived twins: an archived (not merged) account holding the registration id or the normalised
 * name of a live one is the same company, which the identity invariant would refuse to restore;
 * such a pair is listed under the live account, first the live one then the archived one, score 1,
 * so it can be merged into the live one (a merge takes an archived record, not as survivor).
 */
export async function duplicateCandidates(
  em: EntityManager,
  viewer: Viewer,
  args: DuplicateCandidatesArgs,
): Promise<Connection<DuplicateCandidate>> {
  const first = args.first ?? DEFAULT_PAGE_SIZE;
  const minScore = args.minScore ?? 0.5;
  const scan = first * STRETCH;
  let afterA = ZERO;
  let afterB = ZERO;
  if (args.after) {
    const [a, b] = decodeCursor(args.after);
    afterA = requireId(String(a), 'after');
    afterB = requireId(b, 'after');
  }
  await em.execute(`select set_config('pg_trgm.similarity_threshold', ?, true)`, [String(NEIGHBOUR_SIMILARITY)]);
  const statement = candidatesStatement(viewer, first, minScore, afterA, afterB);
  const rows = await em.execute<
    { a: string; b: string; sim: number; phone: boolean; domain: boolean; city: boolean; registration: boolean; name: boolean }[]
  >(statement.sql, statement.params);
  const scopeA = mergeableSql(viewer, 'c');
  const page = rows.slice(0, first);
  const edges = page.map((row) => {
    const reasons: DuplicateReason[] = [];
    if (row.sim >= SIMILAR_NAME) reasons.push(DuplicateReason.SIMILAR_NAME);
    if (row.phone) reasons.push(DuplicateReason.SAME_PHONE);
    if (row.domain) reasons.push(DuplicateReason.SAME_EMAIL_DOMAIN);
    if (row.city) reasons.push(DuplicateReason.SAME_CITY);
    if (row.registration) reasons.push(DuplicateReason.ARCHIVED_SAME_REGISTRATION_ID);
    if (row.name) reasons.push(DuplicateReason.ARCHIVED_SAME_NAME);
    // An identity key shared with an archived record is the same company for certain (the key is what makes it one).
    const score = row.registration || row.name ? 1 : Math.min(1, row.sim + (row.phone ? 0.5 : 0) + (row.domain ? 0.2 : 0));
    const node: DuplicateCandidate = {
      id: `${row.a}:${row.b}`,
      firstId: row.a,
      secondId: row.b,
      score: Math.round(score * 1000) / 1000,
      nameSimilarity: Math.round(row.sim * 1000) / 1000,
      reasons,
    };
    return { node, cursor: encodeCursor(row.a, row.b) };
  });
  if (rows.length > first)
    return connectionOf(edges, { hasNextPage: true, after: args.after, totalCount: lazy(() => Promise.resolve(edges.length)) });
  // Fewer pairs than asked: the stretch read is done; more accounts may follow it.
  const [stretch] = await em.execute<{ last: string | null; scanned: number }[]>(
    `select max(s.id::text) as last, count(*)::int as scanned from (select c.id from customer c
       where c.archived_at is null and c.merged_into_id is null and c.id >= ? and ${scopeA.sql} order by c.id limit ${scan}) s`,
    [afterA, ...scopeA.params],
  );
  const more = (stretch?.scanned ?? 0) >= scan;
  const readTo =
    more && stretch?.last
      ? encodeCursor(stretch.last, 'ffffffff-ffff-ffff-ffff-ffffffffffff')
      : (edges.at(-1)?.cursor ?? args.after ?? null);
  return connectionOf(edges, { hasNextPage: more, after: args.after, readTo, totalCount: lazy(() => Promise.resolve(edges.length)) });
}
