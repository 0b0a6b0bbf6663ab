import 'reflect-metadata';
import ExcelJS from 'exceljs';
import JSZip from 'jszip';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

/**
 * exceljs's streaming reader misreads a workbook whose zip stores a worksheet before
 * xl/sharedStrings.xml (upstream issue 683). Such a file is refused with a typed error naming the
 * problem; the same workbook in the usual order imports its values as written.
 */
let t: TestApp;
const suffix = Math.random().toString(36).slice(2, 7);

beforeAll(async () => {
  t = await createTestApp({ IMPORT_WORKER: 'off' });
});

afterAll(async () => {
  await t?.close();
});

const names = [`Order First ${suffix} Ltd`, `Order Second ${suffix} Ltd`, `Order Third ${suffix} Ltd`];

async function workbook(): Promise<Buffer> {
  const book = new ExcelJS.Workbook();
  const sheet = book.addWorksheet('Customers');
  sheet.addRow(['Legal name', 'Territory', 'Contact']);
  for (const [i, name] of names.entries()) sheet.addRow([name, 'HZ', `Person ${i}`]);
  return Buffer.from(await book.xlsx.writeBuffer({ useSharedStrings: true } as ExcelJS.XlsxWriteOptions));
}

/** The same entries, those matching `first` moved to the front (in that order), the others after in their order. */
async function reorder(file: Buffer, first: RegExp[]): Promise<Buffer> {
  const source = await JSZip.loadAsync(file);
  const paths = Object.keys(source.files).filter((path) => !source.files[path]!.dir);
  const front = first.flatMap((pattern) => paths.filter((path) => pattern.test(path)));
  const out = new JSZip();
  for (const path of [...front, ...paths.filter((path) => !front.includes(path))])
    out.file(path, await source.files[path]!.async('nodebuffer'));
  return out.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const SHEET = /^xl\/worksheets\/[^/]+\.xml$/;
const STRINGS = /^xl\/sharedStrings\.xml$/;

async function entries(file: Buffer): Promise<string[]> {
  const zip = await JSZip.loadAsync(file);
  return Object.keys(zip.files).filter((path) => SHEET.test(path) || STRINGS.test(path));
}

const upload = (file: Buffer, name: string) =>
  t
    .http()
    .post('/import')
    .set('authorization', `Bearer ${t.tokenFor('admin')}`)
    .attach('file', file, name);

async function without(file: Buffer, path: string): Promise<Buffer> {
  const zip = await JSZip.loadAsync(file);
  zip.remove(path);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

const jobsNamed = (name: string) => t.orm.em.fork().getConnection().execute('select id from import_job where file_name = ?', [name]);

describe('an XLSX storing its worksheet before its shared strings (exceljs issue 683)', () => {
  it('imports every text cell as written', async () => {
    const file = await reorder(await workbook(), [SHEET]);
    expect(await entries(file)).toEqual(['xl/worksheets/sheet1.xml', 'xl/sharedStrings.xml']);
    const response = await upload(file, `sheet-first-${suffix}.xlsx`);
    expect(response.status).toBe(201);
    expect(response.body.totalRows).toBe(3);
    expect(response.body.columns[0].samples).toEqual(names);
    expect(response.body.columns[2].samples).toEqual(['Person 0', 'Person 1', 'Person 2']);
  });

  it('a sheet whose shared strings the reader did not have is refused, naming the problem, and nothing is stored (never empty cells)', async () => {
    const file = await without(await reorder(await workbook(), [SHEET]), 'xl/sharedStrings.xml');
    expect(await entries(file)).toEqual(['xl/worksheets/sheet1.xml']);
    const name = `no-strings-${suffix}.xlsx`;
    const refused = await upload(file, name);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'file', reason: 'SHARED_STRINGS_UNREAD' });
    expect(refused.body.errors[0].message).toMatch(/worksheet before its shared strings/);
    expect(await jobsNamed(name)).toHaveLength(0);
  });

  it('the shared strings first and the workbook part last (which exceljs cannot read) get a typed 400, not a 500', async () => {
    const file = await reorder(await workbook(), [STRINGS]);
    const name = `strings-first-${suffix}.xlsx`;
    const refused = await upload(file, name);
    expect(refused.status).toBe(400);
    expect(refused.body.errors[0].extensions).toMatchObject({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(JSON.stringify(refused.body)).not.toMatch(/sheets|TypeError|at .*\.js/);
    expect(await jobsNamed(name)).toHaveLength(0);
  });
});
