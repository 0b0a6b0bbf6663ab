import 'reflect-metadata';
import { crc32, createDeflateRaw, deflateRawSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createTestApp, type TestApp } from '../setup/app.js';

/** Zip bombs in XLSX clothing get a typed 400 on `file` before they are inflated in memory or on disk. */
let t: TestApp;
const MiB = 1024 * 1024;

beforeAll(async () => {
  t = await createTestApp({
    IMPORT_WORKER: 'off',
    IMPORT_MAX_XLSX_UNPACKED_BYTES: String(4 * MiB),
    IMPORT_MAX_XLSX_SHARED_STRINGS_BYTES: String(MiB),
  });
}, 120_000);

afterAll(async () => {
  await t?.close();
});

interface Entry {
  name: string;
  /** The deflated bytes, with the uncompressed size and CRC they stand for. */
  data: Buffer;
  size: number;
  crc: number;
  /** What the local and central headers say the size is (a bomb may lie). */
  declared?: number;
}

const entry = (name: string, text: string): Entry => {
  const raw = Buffer.from(text, 'utf8');
  return { name, data: deflateRawSync(raw), size: raw.length, crc: crc32(raw) };
};

/** `repeat` copies of `unit` deflated as a stream, never held whole: a few hundred KiB that inflate to `repeat × unit`. */
async function bomb(name: string, head: string, unit: string, repeat: number, tail: string): Promise<Entry> {
  const deflate = createDeflateRaw({ level: 9 });
  const chunks: Buffer[] = [];
  deflate.on('data', (chunk: Buffer) => chunks.push(chunk));
  const done = new Promise((resolve) => deflate.on('end', resolve));
  let crc = 0;
  let size = 0;
  const write = (buffer: Buffer) => {
    crc = crc32(buffer, crc);
    size += buffer.length;
    return deflate.write(buffer) ? undefined : new Promise((resolve) => deflate.once('drain', resolve));
  };
  await write(Buffer.from(head));
  const block = Buffer.from(unit.repeat(Math.max(1, Math.floor(65536 / unit.length))));
  const blocks = Math.ceil((unit.length * repeat) / block.length);
  for (let i = 0; i < blocks; i += 1) await write(block);
  await write(Buffer.from(tail));
  deflate.end();
  await done;
  return { name, data: Buffer.concat(chunks), size, crc };
}

/** A zip archive: local headers, data, central directory (sizes as declared). */
function zip(entries: Entry[]): Buffer {
  const parts: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name);
    const declared = e.declared ?? e.size;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0, 6);
    local.writeUInt16LE(8, 8);
    local.writeUInt32LE(e.crc >>> 0, 14);
    local.writeUInt32LE(e.data.length, 18);
    local.writeUInt32LE(declared, 22);
    local.writeUInt16LE(name.length, 26);
    parts.push(local, name, e.data);
    const header = Buffer.alloc(46);
    header.writeUInt32LE(0x02014b50, 0);
    header.writeUInt16LE(20, 4);
    header.writeUInt16LE(20, 6);
    header.writeUInt16LE(8, 10);
    header.writeUInt32LE(e.crc >>> 0, 16);
    header.writeUInt32LE(e.data.length, 20);
    header.writeUInt32LE(declared, 24);
    header.writeUInt16LE(name.length, 28);
    header.writeUInt32LE(offset, 42);
    central.push(header, name);
    offset += local.length + name.length + e.data.length;
  }
  const directory = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(directory.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...parts, directory, end]);
}

const NS = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
const REL = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
const frame = (): Entry[] => [
  entry(
    '[Content_Types].xml',
    `<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="xml" ContentType="application/xml"/><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
  ),
  entry(
    '_rels/.rels',
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
  ),
  entry(
    'xl/workbook.xml',
    `<?xml version="1.0"?><workbook xmlns="${NS}" xmlns:r="${REL}"><sheets><sheet name="S" sheetId="1" r:id="rId1"/></sheets></workbook>`,
  ),
  entry(
    'xl/_rels/workbook.xml.rels',
    `<?xml version="1.0"?><Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${REL}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${REL}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
  ),
];
const sheet = (rows: string) =>
  entry('xl/worksheets/sheet1.xml', `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>${rows}</sheetData></worksheet>`);
const SMALL_SHEET = `<row r="1"><c r="A1" t="s"><v>0</v></c></row><row r="2"><c r="A2" t="s"><v>1</v></c></row>`;
const strings = (texts: string[]) =>
  entry('xl/sharedStrings.xml', `<?xml version="1.0"?><sst xmlns="${NS}">${texts.map((text) => `<si><t>${text}</t></si>`).join('')}</sst>`);
const sharedStringsBomb = (megabytes: number) =>
  bomb(
    'xl/sharedStrings.xml',
    `<?xml version="1.0"?><sst xmlns="${NS}"><si><t>Legal name</t></si><si><t>`,
    'A',
    megabytes * MiB,
    '</t></si></sst>',
  );

async function upload(file: Buffer) {
  return t
    .http()
    .post('/import')
    .set('authorization', `Bearer ${t.tokenFor('admin')}`)
    .attach('file', file, 'bomb.xlsx');
}

function heapAfterGc(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

describe('XLSX limits', () => {
  it('reads a small hand-made XLSX (the zip writer here is sound)', async () => {
    const response = await upload(zip([...frame(), strings(['Legal name', 'Tiny Zip Ltd']), sheet(SMALL_SHEET)]));
    expect(response.status).toBe(201);
    expect(response.body).toMatchObject({ format: 'XLSX', totalRows: 1 });
    expect(response.body.columns[0]).toMatchObject({ header: 'Legal name', field: 'LEGAL_NAME', samples: ['Tiny Zip Ltd'] });
  });

  it('refuses shared strings declared far above the limit, before inflating them', async () => {
    const strings = await sharedStringsBomb(96);
    expect(strings.data.length).toBeLessThan(MiB);
    const before = heapAfterGc();
    const response = await upload(zip([...frame(), sheet(SMALL_SHEET), strings]));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(response.body.errors[0].message).toMatch(/unpacks to more than/);
    expect(heapAfterGc() - before).toBeLessThan(32 * MiB);
  });

  it('refuses shared strings whose header lies about their size, by the bytes actually inflated', async () => {
    const strings = { ...(await sharedStringsBomb(96)), declared: 1000 };
    const before = heapAfterGc();
    const response = await upload(zip([...frame(), sheet(SMALL_SHEET), strings]));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'file' });
    expect(response.body.errors[0].message).toBe(`The XLSX file unpacks to more than ${MiB} bytes (shared strings)`);
    expect(heapAfterGc() - before).toBeLessThan(32 * MiB);
  });

  it('refuses a lying worksheet that would inflate past the total (spooled to disk, sheet before its strings)', async () => {
    const rows = await bomb(
      'xl/worksheets/sheet1.xml',
      `<?xml version="1.0"?><worksheet xmlns="${NS}"><sheetData>`,
      '<row/>',
      2 * MiB,
      '</sheetData></worksheet>',
    );
    const response = await upload(zip([...frame(), { ...rows, declared: 10 }, strings(['Legal name'])]));
    expect(response.status).toBe(400);
    expect(response.body.errors[0].message).toBe(`The XLSX file unpacks to more than ${4 * MiB} bytes (all entries)`);
    expect(response.body.errors[0].extensions).toEqual({ code: 'BAD_USER_INPUT', field: 'file' });
    // The server still answers afterwards.
    const again = await upload(zip([...frame(), strings(['Legal name', 'After Bomb Ltd']), sheet(SMALL_SHEET)]));
    expect(again.status).toBe(201);
  });
});
