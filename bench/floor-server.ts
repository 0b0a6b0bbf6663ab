import { createServer } from 'node:http';
import pg from 'pg';

/**
 * The raw-SQL floor: a minimal node:http server that answers the same JSON as the GraphQL
 * documents the benchmark sends, each from ONE prepared statement on `pg`, as a superuser with
 * no permissions, no GraphQL and no ORM. Our throughput is reported as a share of this.
 */
const CUSTOMER_JSON = `json_build_object(
  'id', c.id, 'version', c.version, 'legalName', c.legal_name, 'registrationId', c.registration_id, 'industry', c.industry,
  'lifecycleStage', c.lifecycle_stage, 'relationshipLevel', c.relationship_level, 'creditStanding', c.credit_standing, 'tags', c.tags,
  'websiteDomain', c.website_domain, 'notes', c.notes, 'archivedAt', c.archived_at, 'createdAt', c.created_at, 'updatedAt', c.updated_at,
  'address', json_build_object('line', c.address_line, 'city', c.city, 'province', c.province, 'postalCode', c.postal_code, 'country', c.country),
  'territory', (select json_build_object('id', r.id, 'code', r.code, 'name', r.name) from region r where r.id = c.territory_id),
  'owner', (select json_build_object('id', u.id, 'name', u.name) from app_user u where u.id = c.owner_id)`;

const C360_JSON = `${CUSTOMER_JSON},
  'contacts', coalesce((select json_agg(json_build_object('id', ct.id, 'name', ct.name, 'title', ct.title, 'email', ct.email, 'mobile', ct.mobile, 'phone', ct.phone) order by ct.name, ct.id)
                        from contact ct where ct.customer_id = c.id), '[]'),
  'interactions', json_build_object(
    'totalCount', (select count(*) from interaction i where i.customer_id = c.id),
    'edges', coalesce((select json_agg(json_build_object('node', json_build_object('id', i.id, 'kind', i.kind, 'channel', i.channel, 'occurredAt', i.occurred_at, 'summary', i.summary, 'outcome', i.outcome)) order by i.occurred_at desc, i.id desc)
                       from (select * from interaction x where x.customer_id = c.id order by x.occurred_at desc, x.id desc limit 10) i), '[]')),
  'orders', json_build_object('edges', coalesce((select json_agg(json_build_object('node', json_build_object(
      'id', o.id, 'number', o.number, 'status', o.status, 'orderedAt', o.ordered_at, 'currency', o.currency, 'total', o.total,
      'lines', coalesce((select json_agg(json_build_object('position', l.position, 'product', l.product, 'quantity', l.quantity, 'unitPrice', l.unit_price, 'discountPercent', l.discount_percent, 'amount', l.amount) order by l.position) from order_line l where l.order_id = o.id), '[]'),
      'payments', coalesce((select json_agg(json_build_object('amount', p.amount, 'dueDate', p.due_date, 'paidAt', p.paid_at) order by p.due_date) from payment p where p.order_id = o.id), '[]'))) order by o.ordered_at desc, o.id desc)
    from (select * from sales_order x where x.customer_id = c.id order by x.ordered_at desc, x.id desc limit 10) o), '[]')),
  'evaluations', coalesce((select json_agg(json_build_object('grade', e.grade, 'score', e.score)) from evaluation e where e.customer_id = c.id), '[]'))`;

const STATEMENTS = {
  c360: {
    name: 'c360',
    text: `select json_build_object('data', json_build_object('customer', ${C360_JSON}))::text as body from customer c where c.id = $1`,
  },
  page: {
    name: 'page',
    text: `select json_build_object('data', json_build_object('customers', json_build_object(
             'totalCount', (select count(*) from customer where archived_at is null),
             'edges', coalesce(json_agg(json_build_object('node', ${C360_JSON}) order by c.legal_name, c.id), '[]'))))::text as body
           from (select * from customer where archived_at is null order by legal_name, id limit 25) c`,
  },
  list: {
    name: 'list',
    text: `select json_build_object('data', json_build_object('customers', json_build_object(
             'totalCount', (select count(*) from customer where archived_at is null),
             'edges', coalesce(json_agg(json_build_object('node', ${CUSTOMER_JSON})) order by c.legal_name, c.id), '[]'))))::text as body
           from (select * from customer where archived_at is null order by legal_name, id limit 25) c`,
  },
  after: {
    name: 'after',
    text: `select json_build_object('data', json_build_object('customers', json_build_object(
             'edges', coalesce(json_agg(json_build_object('node', ${CUSTOMER_JSON})) order by c.legal_name, c.id), '[]'))))::text as body
           from (select * from customer where archived_at is null and (legal_name, id) > ($1, $2::uuid) order by legal_name, id limit 25) c`,
  },
};

const pool = new pg.Pool({ connectionString: process.env.DATABASE_URL, max: Number(process.env.DB_POOL_MAX ?? 8) });
const server = createServer(async (req, res) => {
  try {
    const url = new URL(req.url ?? '/', 'http://floor');
    const kind = url.pathname.slice(1) as keyof typeof STATEMENTS;
    const statement = STATEMENTS[kind];
    if (!statement) {
      res.writeHead(404).end();
      return;
    }
    const values =
      kind === 'c360' ? [url.searchParams.get('id')] : kind === 'after' ? [url.searchParams.get('name'), url.searchParams.get('id')] : [];
    const { rows } = await pool.query<{ body: string }>({ ...statement, values });
    res.writeHead(200, { 'content-type': 'application/json' }).end(rows[0]?.body ?? '{"data":null}');
  } catch {
    res.writeHead(500).end();
  }
});
server.listen(Number(process.env.PORT ?? 0), '127.0.0.1', () => {
  const address = server.address();
  process.stdout.write(`${JSON.stringify({ port: typeof address === 'object' && address ? address.port : 0 })}\n`);
});
process.on('SIGTERM', () => server.close(() => void pool.end().then(() => process.exit(0))));
