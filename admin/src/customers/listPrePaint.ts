import type { AdminCustomersQuery, LifecycleStage } from '../../../schema/generated/graphql';
import { formatDateTime, regionName } from '../common/formatDate';
import { STAGE_COLORS } from '../common/stageColors';
import { canRoleAccess } from '../providers/permissions';
import type { Session } from '../providers/session';
import type { SignInLocale } from '../signIn/signInForm';
import { customerListDefaults } from './customerListDefaults';
import { HANDED_OVER_ATTRIBUTE, PRE_PAINT_ID, coverConsoleRoot, removeCustomerListPrePaint } from './listHandOver';
import type { CustomerMessages } from './messages.en';

/**
 * The customer list's first page drawn before React (issue 14): a fresh tab has the rows' answer
 * at ~200 ms (boot.ts asks for it early) but React's layout and table commit them only after
 * ~1 s. This draws that answer at once as a plain table, over the page, with the console's
 * columns, header labels and formats; the list removes it when its own rows commit
 * (handOverCustomerListPrePaint). Every value is text (textContent), never markup.
 */

/** A performance mark when the rows are in the document (their paint follows within a frame); the load e2e reads it. */
export const PRE_PAINT_MARK = 'customer-list-prepainted';

type Fields = CustomerMessages['customers']['fields'];
type ColumnKey =
  | 'legalName'
  | 'lifecycleStage'
  | 'regionId'
  | 'territory'
  | 'owner'
  | 'grade'
  | 'industry'
  | 'lastInteractionAt'
  | 'lastOrderAt'
  | 'updatedAt';

/**
 * The few words the table needs, the same as the console's catalogues (customers/messages.*.ts
 * for the headers, i18n/*.ts for the stages and the title; test/admin/listPrePaint.test.ts
 * compares them): the entry does not load the catalogues themselves.
 */
export interface PrePaintWords {
  /** The list's title: react-admin's `ra.page.list` with the resource's plural name. */
  title: string;
  fields: Pick<Fields, ColumnKey>;
  stages: Record<LifecycleStage, string>;
}

export const PRE_PAINT_WORDS: Record<SignInLocale, PrePaintWords> = {
  en: {
    title: 'Customers',
    fields: {
      legalName: 'Legal name',
      lifecycleStage: 'Lifecycle stage',
      regionId: 'Region',
      territory: 'Territory',
      owner: 'Owner',
      grade: 'Grade',
      industry: 'Industry',
      lastInteractionAt: 'Last interaction',
      lastOrderAt: 'Last order',
      updatedAt: 'Last updated',
    },
    stages: {
      POTENTIAL: 'Potential',
      INTENTION: 'Intention',
      FIRST_PURCHASE: 'First purchase',
      REPEAT: 'Repeat',
      DORMANT: 'Dormant',
      LOST: 'Lost',
    },
  },
  zh: {
    title: '客户',
    fields: {
      legalName: '客户名称',
      lifecycleStage: '生命周期阶段',
      regionId: '大区',
      territory: '区域',
      owner: '负责人',
      grade: '等级',
      industry: '行业',
      lastInteractionAt: '最近跟进',
      lastOrderAt: '最近订单',
      updatedAt: '最后更新',
    },
    stages: {
      POTENTIAL: '潜在',
      INTENTION: '意向',
      FIRST_PURCHASE: '初次购买',
      REPEAT: '历史客户',
      DORMANT: '休眠',
      LOST: '流失',
    },
  },
};

type Row = NonNullable<AdminCustomersQuery['customers']>['edges'][number]['node'];

interface Column {
  key: ColumnKey;
  /** Left out below 1200 px, as CustomerList leaves it out (`isMedium`). */
  wide?: boolean;
  /** Region and industry do not sort (`disableSort`): their headers have no sort arrow's room. */
  unsorted?: boolean;
  value(row: Row, locale: SignInLocale, words: PrePaintWords): string | HTMLElement;
}

function element<K extends keyof HTMLElementTagNameMap>(tag: K, className?: string, text?: string): HTMLElementTagNameMap[K] {
  const node = document.createElement(tag);
  if (className) node.className = className;
  if (text !== undefined) node.textContent = text;
  return node;
}

/** `#/customers/<id>/show`: where the list's rowClick="show" leads. */
export const customerShowHref = (id: string) => `#/customers/${encodeURIComponent(id)}/show`;

/** CustomerList's DataTable columns, in its order, formatted as its fields format them. */
const COLUMNS: readonly Column[] = [
  {
    key: 'legalName',
    value: (row) => {
      const link = element('a', 'prepaint-link', row.legalName);
      link.href = customerShowHref(row.id);
      return link;
    },
  },
  {
    key: 'lifecycleStage',
    // EnumField as a chip: the stage's colour, white text; a dash without a stage.
    value: (row, _locale, words) => {
      if (!row.lifecycleStage) return '—';
      const chip = element('span', 'prepaint-chip', words.stages[row.lifecycleStage] ?? row.lifecycleStage);
      const background = STAGE_COLORS[row.lifecycleStage];
      if (background) chip.style.backgroundColor = background;
      return chip;
    },
  },
  { key: 'regionId', wide: true, unsorted: true, value: (row, locale) => regionName(row.region, locale) },
  { key: 'territory', value: (row, locale) => regionName(row.territory, locale) },
  // Plain text columns show nothing for a null (react-admin's TextField).
  { key: 'owner', value: (row) => row.owner?.name ?? '' },
  { key: 'grade', value: (row) => row.grade ?? '' },
  { key: 'industry', wide: true, unsorted: true, value: (row) => row.industry ?? '' },
  { key: 'lastInteractionAt', wide: true, value: (row, locale) => formatDateTime(row.lastInteractionAt, locale) },
  { key: 'lastOrderAt', wide: true, value: (row, locale) => formatDateTime(row.lastOrderAt, locale) },
  { key: 'updatedAt', wide: true, value: (row, locale) => formatDateTime(row.updatedAt, locale) },
];

export interface PrePaintOptions {
  locale: SignInLocale;
  role: NonNullable<Session['viewer']>['role'] | null | undefined;
}

/**
 * The page as the console lays it out: the app bar with the title, the menu's room, the filter
 * bar's room and the table card. Rows are the answer's, in its order; a row is a link to the
 * customer's 360 (the legal name is the focusable link, a click elsewhere on the row follows it too).
 */
export function buildCustomerListPrePaint(rows: readonly Row[], { locale, role }: PrePaintOptions): HTMLElement {
  const words = PRE_PAINT_WORDS[locale];
  const page = element('div', 'prepaint');
  page.id = PRE_PAINT_ID;
  page.lang = locale === 'zh' ? 'zh-CN' : 'en';

  const bar = element('header', 'prepaint-bar');
  bar.append(element('span', 'prepaint-menu-button'), element('h1', 'prepaint-title', words.title));
  const body = element('div', 'prepaint-body');
  const main = element('main', 'prepaint-main');
  const card = element('div', 'prepaint-card');
  const table = element('table', 'prepaint-table');
  table.setAttribute('data-testid', 'customer-table-prepaint');
  table.setAttribute('aria-label', words.title);

  // Admins and managers see the bulk-selection column: its room, empty until the console's checkboxes.
  const selectable = canRoleAccess(role, 'customers', 'reassign');
  const head = element('thead');
  const headRow = element('tr');
  if (selectable) headRow.append(element('td', 'prepaint-select'));
  for (const column of COLUMNS) {
    const th = element('th', column.wide ? 'prepaint-wide' : undefined);
    th.scope = 'col';
    // As MUI's sort label: the words and the arrow's room side by side, the words wrapping beside it.
    th.append(column.unsorted ? words.fields[column.key] : element('span', 'prepaint-sort-label', words.fields[column.key]));
    if (column.key === customerListDefaults.sort.field) {
      th.setAttribute('aria-sort', customerListDefaults.sort.order === 'ASC' ? 'ascending' : 'descending');
      th.classList.add('prepaint-sorted');
    }
    headRow.append(th);
  }
  head.append(headRow);

  const tbody = element('tbody');
  rows.forEach((row, index) => {
    const tr = element('tr');
    tr.dataset.href = customerShowHref(row.id);
    if (selectable) tr.append(element('td', 'prepaint-select'));
    for (const column of COLUMNS) {
      const td = element('td', column.wide ? 'prepaint-wide' : undefined);
      td.append(column.value(row, locale, words));
      // When the rows were painted, by Element Timing (the load e2e reads it): a cell whose own text is its content.
      if (index === 0 && column.key === 'territory') td.setAttribute('elementtiming', 'customer-list-prepaint');
      tr.append(td);
    }
    tbody.append(tr);
  });
  tbody.addEventListener('click', (event) => {
    const target = event.target as Element;
    if (target.closest('a')) return;
    const href = target.closest('tr')?.dataset.href;
    if (href) window.location.hash = href;
  });

  table.append(head, tbody);
  card.append(table);
  main.append(element('div', 'prepaint-filters'), card);
  body.append(element('nav', 'prepaint-sidebar'), main);
  page.append(bar, body);
  return page;
}

const LIST_PARAMS_KEY = 'RaStore.customers.listParams';

/**
 * Whether the console opens the list on its default first page: react-admin keeps the last sort,
 * page and filter in its store, and a list that opens otherwise must not flash another page first.
 */
function opensOnDefaults(): boolean {
  try {
    const stored = JSON.parse(localStorage.getItem(LIST_PARAMS_KEY) ?? 'null') as Record<string, unknown> | null;
    if (!stored) return true;
    const filter = stored.filter as Record<string, unknown> | undefined;
    return (
      (stored.sort ?? customerListDefaults.sort.field) === customerListDefaults.sort.field &&
      (stored.order ?? customerListDefaults.sort.order) === customerListDefaults.sort.order &&
      Number(stored.page ?? 1) === 1 &&
      Number(stored.perPage ?? customerListDefaults.perPage) === customerListDefaults.perPage &&
      (!filter || Object.keys(filter).length === 0)
    );
  } catch {
    return false;
  }
}

const onTheList = () => /^#\/customers\/?$/.test(window.location.hash);
const handedOver = () => document.documentElement.hasAttribute(HANDED_OVER_ATTRIBUTE);

/**
 * Draws the early answer's rows once it is in, unless it is a refusal or an error (nothing then,
 * the console shows what it shows today), the list has committed already, or the user has moved on.
 * The answer is the API's for this viewer: what it masks stays masked.
 */
export async function paintCustomerListEarly(answer: Promise<Response>, options: PrePaintOptions): Promise<void> {
  if (!opensOnDefaults()) return;
  let rows: readonly Row[];
  try {
    const response = await answer;
    if (!response.ok) return;
    const body = (await response.json()) as { data?: AdminCustomersQuery | null; errors?: unknown[] };
    if (body.errors?.length || !body.data?.customers) return;
    rows = body.data.customers.edges.map((edge) => edge.node);
  } catch {
    return;
  }
  if (rows.length === 0 || handedOver() || !onTheList()) return;
  const page = buildCustomerListPrePaint(rows, options);
  const leave = () => {
    if (!onTheList()) removeCustomerListPrePaint();
  };
  window.addEventListener('hashchange', leave);
  page.addEventListener('prepaint:removed', () => window.removeEventListener('hashchange', leave));
  document.body.append(page);
  coverConsoleRoot();
  performance.mark(PRE_PAINT_MARK);
}
