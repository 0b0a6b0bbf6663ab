// @vitest-environment jsdom
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { handOverCustomerListPrePaint, HANDED_OVER_ATTRIBUTE } from '../../admin/src/customers/listHandOver';
import { paintCustomerListEarly, PRE_PAINT_WORDS } from '../../admin/src/customers/listPrePaint';
import { customersEn } from '../../admin/src/customers/messages.en';
import { customersZh } from '../../admin/src/customers/messages.zh';
import { enAppMessages, enMessages } from '../../admin/src/i18n/en';
import { zhAppMessages, zhMessages } from '../../admin/src/i18n/zh';

const row = (overrides: Record<string, unknown> = {}) => ({
  id: 'c-1',
  access: 'EDIT',
  version: 3,
  legalName: 'Hangzhou Han Trading Co., Ltd.',
  industry: 'Retail',
  lifecycleStage: 'REPEAT',
  grade: 'A',
  lastInteractionAt: '2026-03-05T14:07:00',
  lastOrderAt: null,
  createdAt: '2025-01-01T00:00:00',
  updatedAt: '2026-11-30T09:05:00',
  territory: { id: 't-1', name: 'Hangzhou', nameZh: '杭州' },
  region: { id: 'r-1', name: 'East', nameZh: '华东' },
  owner: { id: 'u-1', name: 'Han Hangzhou' },
  ...overrides,
});

const answer = (nodes: unknown[]) =>
  Promise.resolve(
    new Response(
      JSON.stringify({
        data: {
          customers: {
            totalCount: nodes.length,
            edges: nodes.map((node, i) => ({ cursor: `c${i}`, node })),
            pageInfo: { hasNextPage: false, endCursor: null },
          },
        },
      }),
      { status: 200, headers: { 'content-type': 'application/json' } },
    ),
  );

const table = () => document.querySelector('[data-testid="customer-table-prepaint"]');
const headers = () => [...document.querySelectorAll('thead th')].map((th) => th.textContent);
const cells = (index = 0) => [...document.querySelectorAll('tbody tr')[index]!.querySelectorAll('td')].map((td) => td.textContent);

beforeEach(() => {
  localStorage.clear();
  document.body.replaceChildren();
  document.documentElement.removeAttribute(HANDED_OVER_ATTRIBUTE);
  window.location.hash = '#/customers';
});

afterEach(() => {
  document.body.replaceChildren();
});

describe('customer list pre-paint', () => {
  it('draws the answer as a table with the list’s columns, headers and formats, in English', async () => {
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(table()).not.toBeNull();
    expect(document.querySelector('.prepaint-title')!.textContent).toBe('Customers');
    expect(headers()).toEqual([
      'Legal name',
      'Lifecycle stage',
      'Region',
      'Territory',
      'Owner',
      'Grade',
      'Industry',
      'Last interaction',
      'Last order',
      'Last updated',
    ]);
    expect(document.querySelectorAll('thead th[scope="col"]')).toHaveLength(10);
    expect(document.querySelector('thead th')!.getAttribute('aria-sort')).toBe('ascending');
    expect(cells()).toEqual([
      'Hangzhou Han Trading Co., Ltd.',
      'Repeat',
      'East',
      'Hangzhou',
      'Han Hangzhou',
      'A',
      'Retail',
      '5 Mar 2026, 14:07',
      '—',
      '30 Nov 2026, 09:05',
    ]);
    // The stage chip in the stage's colour (STAGE_COLORS.REPEAT, #2e7d32).
    expect((document.querySelector('.prepaint-chip') as HTMLElement).style.backgroundColor).toBe('rgb(46, 125, 50)');
    expect(performance.getEntriesByName('customer-list-prepainted').length).toBeGreaterThan(0);
  });

  it('draws it in Chinese when Chinese is the saved language: headers, stages and region names', async () => {
    await paintCustomerListEarly(answer([row()]), { locale: 'zh', role: 'REP' });
    expect(document.querySelector('.prepaint-title')!.textContent).toBe('客户');
    expect(headers()).toEqual(['客户名称', '生命周期阶段', '大区', '区域', '负责人', '等级', '行业', '最近跟进', '最近订单', '最后更新']);
    expect(cells().slice(0, 4)).toEqual(['Hangzhou Han Trading Co., Ltd.', '历史客户', '华东', '杭州']);
    expect(cells()[7]).toBe('2026年3月5日 14:07');
  });

  it('keeps markup in a value as text', async () => {
    await paintCustomerListEarly(answer([row({ legalName: '<img src=x onerror=alert(1)>', owner: { id: 'u-1', name: '<b>Bold</b>' } })]), {
      locale: 'en',
      role: 'REP',
    });
    expect(cells()[0]).toBe('<img src=x onerror=alert(1)>');
    expect(cells()[4]).toBe('<b>Bold</b>');
    expect(table()!.querySelector('img, b')).toBeNull();
  });

  it('shows a directory card as the API masks it: blank and dashes, never other values', async () => {
    const card = row({
      id: 'c-2',
      access: 'DIRECTORY',
      version: null,
      industry: null,
      lifecycleStage: null,
      grade: null,
      lastInteractionAt: null,
      lastOrderAt: null,
      updatedAt: null,
      owner: { id: 'u-2', name: 'Guo Guangzhou' },
    });
    await paintCustomerListEarly(answer([card]), { locale: 'en', role: 'REP' });
    expect(cells()).toEqual(['Hangzhou Han Trading Co., Ltd.', '—', 'East', 'Hangzhou', 'Guo Guangzhou', '', '', '—', '—', '—']);
    expect(document.querySelector('.prepaint-chip')).toBeNull();
  });

  it('links each row to its customer’s 360, by its name and by a click anywhere on the row', async () => {
    await paintCustomerListEarly(answer([row(), row({ id: 'c/2?x', legalName: 'Second' })]), { locale: 'en', role: 'REP' });
    const links = [...document.querySelectorAll('tbody a')].map((link) => link.getAttribute('href'));
    expect(links).toEqual(['#/customers/c-1/show', '#/customers/c%2F2%3Fx/show']);
    (document.querySelectorAll('tbody tr')[0]!.querySelectorAll('td')[3] as HTMLElement).click();
    expect(window.location.hash).toBe('#/customers/c-1/show');
    // Leaving the list takes the pre-paint away.
    window.dispatchEvent(new HashChangeEvent('hashchange'));
    expect(table()).toBeNull();
  });

  it('keeps the room of the bulk-selection column for those who reassign in bulk', async () => {
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'MANAGER' });
    expect(document.querySelectorAll('thead tr > *')).toHaveLength(11);
    expect(document.querySelectorAll('tbody tr > td')).toHaveLength(11);
    expect(headers()[0]).toBe('Legal name');
  });

  it('draws nothing for a refusal, an error, a failed request or an empty page', async () => {
    const errors = Promise.resolve(
      new Response(JSON.stringify({ data: null, errors: [{ message: 'Forbidden', extensions: { code: 'FORBIDDEN' } }] }), { status: 200 }),
    );
    await paintCustomerListEarly(errors, { locale: 'en', role: 'ADMIN' });
    const partial = Promise.resolve(
      new Response(
        JSON.stringify({ data: { customers: { totalCount: 1, edges: [{ cursor: 'c', node: row() }] } }, errors: [{ message: 'x' }] }),
        { status: 200 },
      ),
    );
    await paintCustomerListEarly(partial, { locale: 'en', role: 'ADMIN' });
    await paintCustomerListEarly(Promise.resolve(new Response('{"errors":[{"message":"Unauthenticated"}]}', { status: 401 })), {
      locale: 'en',
      role: 'ADMIN',
    });
    await paintCustomerListEarly(Promise.resolve(new Response('<html>bad gateway</html>', { status: 200 })), {
      locale: 'en',
      role: 'ADMIN',
    });
    await paintCustomerListEarly(Promise.reject(new TypeError('Failed to fetch')), { locale: 'en', role: 'ADMIN' });
    await paintCustomerListEarly(answer([]), { locale: 'en', role: 'ADMIN' });
    expect(document.body.children).toHaveLength(0);
  });

  it('draws nothing once the console’s list has committed, or when the list opens on another page than the first', async () => {
    handOverCustomerListPrePaint();
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(table()).toBeNull();

    document.documentElement.removeAttribute(HANDED_OVER_ATTRIBUTE);
    localStorage.setItem(
      'RaStore.customers.listParams',
      JSON.stringify({ sort: 'updatedAt', order: 'DESC', page: 1, perPage: 25, filter: {} }),
    );
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(table()).toBeNull();
    localStorage.setItem(
      'RaStore.customers.listParams',
      JSON.stringify({ sort: 'legalName', order: 'ASC', page: 1, perPage: 25, filter: { q: 'x' } }),
    );
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(table()).toBeNull();

    window.location.hash = '#/customers/c-1/show';
    localStorage.clear();
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(table()).toBeNull();
  });

  it('is removed whole when the console’s list hands over', async () => {
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(document.querySelectorAll('#customer-list-prepaint')).toHaveLength(1);
    handOverCustomerListPrePaint();
    expect(document.querySelectorAll('#customer-list-prepaint, [data-testid="customer-table-prepaint"]')).toHaveLength(0);
  });

  it('hides the console’s page underneath from screen readers and the keyboard while it covers it, and only then', async () => {
    const root = document.createElement('div');
    root.id = 'root';
    document.body.append(root);
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    expect(root.getAttribute('aria-hidden')).toBe('true');
    expect(root.hasAttribute('inert')).toBe(true);
    handOverCustomerListPrePaint();
    expect(root.hasAttribute('aria-hidden')).toBe(false);
    expect(root.hasAttribute('inert')).toBe(false);

    // Hidden by someone else (a dialog's focus trap) before: left as it was.
    document.body.replaceChildren(root);
    document.documentElement.removeAttribute(HANDED_OVER_ATTRIBUTE);
    root.setAttribute('aria-hidden', 'true');
    await paintCustomerListEarly(answer([row()]), { locale: 'en', role: 'REP' });
    handOverCustomerListPrePaint();
    expect(root.getAttribute('aria-hidden')).toBe('true');
  });

  it('uses the console’s own words (its catalogues are the reference)', () => {
    const plural = (name: string) => name.split('||||')[1]!.trim();
    const listTitle = (messages: typeof enMessages, name: string) =>
      (messages.ra as { page: { list: string } }).page.list.replace('%{name}', plural(name));
    for (const [locale, customers, app, messages] of [
      ['en', customersEn, enAppMessages, enMessages],
      ['zh', customersZh, zhAppMessages, zhMessages],
    ] as const) {
      const words = PRE_PAINT_WORDS[locale];
      expect(words.title).toBe(listTitle(messages, customers.customers.name));
      for (const [key, text] of Object.entries(words.fields))
        expect(text, `${locale} ${key}`).toBe(customers.customers.fields[key as keyof typeof words.fields]);
      expect(words.stages).toEqual(app.enums.LifecycleStage);
    }
  });
});
