import { randomUUID } from 'node:crypto';
import { PassThrough, Transform, type Readable, type Writable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import busboy from 'busboy';
import { parse as parseCsv } from 'csv-parse';
import ExcelJS from 'exceljs';
import type { EntityManager, MikroORM } from '@mikro-orm/postgresql';
import type { Request, RequestHandler, Response } from 'express';
import iconv from 'iconv-lite';
import type { Logger } from 'pino';
import { Scope, type Viewer } from '../../common/access/index.js';
import { withRequestTransaction } from '../../common/http/request-transaction.js';
import { isUuid } from '../../common/graphql/ids.js';
import type { Config } from '../../config.js';
import { isApiKey } from '../access/index.js';
import { MAX_COLUMNS } from './import.inputs.js';
import { detectMapping, mappingFromTemplate } from './import.mapping.js';
import { ImportField, ImportFormat, ImportStatus, type MappedColumn } from './import.types.js';

const ROWS_PER_INSERT = 1000;
const SAMPLES = 5;
const MAX_CELL = 10_000;
/** Longer lines are refused before parsing: a CSV without newlines or a row of a million empty cells would otherwise be held whole. */
export const MAX_LINE_BYTES = 1024 * 1024;

/** A refused upload, answered like a GraphQL error: `extensions.code` and the field at fault. */
export class UploadError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    readonly field?: string,
    /** Which refusal of its code and field it is, for a console to word it (SCREAMING_CASE). */
    readonly reason?: string,
  ) {
    super(message);
  }
}

function send(res: Response, error: UploadError): void {
  if (res.headersSent) return void res.destroy();
  res
    .status(error.status)
    .json({ errors: [{ message: error.message, extensions: { code: error.code, field: error.field, reason: error.reason } }] });
}

/**
 * exceljs's streaming reader hands over a text cell as `{ sharedString: n }` when it parsed the
 * worksheet without the shared strings (upstream issue 683: a sheet stored before
 * `xl/sharedStrings.xml` and read before them, or strings it never read). Such a cell is never
 * imported as anything else: the file is refused, naming the problem.
 */
export const SHARED_STRINGS_UNREAD = 'SHARED_STRINGS_UNREAD';

function sharedStringsUnread(): UploadError {
  return new UploadError(
    400,
    'BAD_USER_INPUT',
    'The XLSX file stores its worksheet before its shared strings in a way that cannot be read reliably (its text cells would import wrong); save it again in Excel and upload that copy',
    'file',
    SHARED_STRINGS_UNREAD,
  );
}

/** The bytes' text encoding: a BOM says it; otherwise UTF-8 when the start decodes as UTF-8, else GB18030 (a superset of GBK). */
export function detectEncoding(head: Buffer): 'utf8' | 'utf16le' | 'gb18030' {
  if (head[0] === 0xef && head[1] === 0xbb && head[2] === 0xbf) return 'utf8';
  if (head[0] === 0xff && head[1] === 0xfe) return 'utf16le';
  // A multi-byte character cut at the end of the sample is not a fault.
  for (let cut = 0; cut <= 3 && cut < head.length; cut += 1) {
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(head.subarray(0, head.length - cut));
      return 'utf8';
    } catch {
      // try shorter
    }
  }
  return 'gb18030';
}

/** Collects the first bytes of a stream (up to `size`), then passes everything through unchanged. */
class Head extends Transform {
  private chunks: Buffer[] = [];
  private length = 0;
  private released = false;
  constructor(
    private readonly size: number,
    private readonly onHead: (head: Buffer) => void,
  ) {
    super();
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: () => void): void {
    if (this.released) {
      this.push(chunk);
      return done();
    }
    this.chunks.push(chunk);
    this.length += chunk.length;
    if (this.length >= this.size) this.release();
    done();
  }
  override _flush(done: () => void): void {
    if (!this.released) this.release();
    done();
  }
  private release(): void {
    this.released = true;
    const head = Buffer.concat(this.chunks);
    this.chunks = [];
    this.onHead(head);
    this.push(head);
  }
}

/** Passes bytes through while no run of them without a newline exceeds MAX_LINE_BYTES; else fails with a typed error. */
class LineLimit extends Transform {
  private run = 0;
  override _transform(chunk: Buffer, _encoding: BufferEncoding, done: (error?: Error) => void): void {
    const last = chunk.lastIndexOf(0x0a);
    if (last < 0) this.run += chunk.length;
    else {
      const first = chunk.indexOf(0x0a);
      let longest = this.run + first;
      for (let from = first, next = chunk.indexOf(0x0a, from + 1); next >= 0; from = next, next = chunk.indexOf(0x0a, from + 1))
        longest = Math.max(longest, next - from - 1);
      if (longest > MAX_LINE_BYTES) return done(tooLongLine());
      this.run = chunk.length - last - 1;
    }
    if (this.run > MAX_LINE_BYTES) return done(tooLongLine());
    this.push(chunk);
    done();
  }
}

function tooLongLine(): UploadError {
  return new UploadError(400, 'BAD_USER_INPUT', `A line of the file is longer than ${MAX_LINE_BYTES / 1024 / 1024} MiB`, 'file');
}

/** One cell of an XLSX row as text: rich text joined, a formula's result, a date as ISO date. */
function cellText(value: ExcelJS.CellValue): string {
  if (value === null || value === undefined) return '';
  if (value instanceof Date) return value.toISOString().slice(0, 10);
  if (typeof value === 'object') {
    if ('sharedString' in value) throw sharedStringsUnread();
    if ('richText' in value) return value.richText.map((part) => part.text).join('');
    if ('text' in value) return String(value.text);
    if ('result' in value) return cellText(value.result as ExcelJS.CellValue);
    if ('error' in value) return '';
    return '';
  }
  return String(value);
}

/** What an XLSX may inflate to (docs/import.md, Configuration). */
export interface XlsxLimits {
  unpackedBytes: number;
  sharedStringsBytes: number;
}

function tooLargeUnpacked(what: string, limit: number): UploadError {
  return new UploadError(400, 'BAD_USER_INPUT', `The XLSX file unpacks to more than ${limit} bytes (${what})`, 'file');
}

interface ZipEntry extends Readable {
  path: string;
  vars?: { flags: number; uncompressedSize: number };
}

/**
 * The upload on its way to exceljs, watching the zip entries its unzipper finds: each entry's
 * declared uncompressed size, and the bytes actually inflated (a header may lie or say nothing),
 * against the limits. exceljs takes no such limit itself, so the parser it pipes this stream into
 * is observed: its entries as it emits them, and their inflated chunks as they are pushed. Beyond a
 * limit `failed` rejects with the typed error and every stream involved is destroyed.
 */
class XlsxGuard extends PassThrough {
  readonly failed: Promise<never>;
  private fail!: (error: UploadError) => void;
  private unpacked = 0;
  private readonly targets = new Set<Writable>();

  constructor(private readonly limits: XlsxLimits) {
    super();
    this.failed = new Promise<never>((_resolve, reject) => {
      this.fail = (error) => {
        reject(error);
        for (const target of this.targets) target.destroy();
        this.destroy();
      };
    });
    // Observed only when a limit is passed; an unhandled rejection otherwise.
    this.failed.catch(() => undefined);
  }

  override pipe<T extends NodeJS.WritableStream>(destination: T, options?: { end?: boolean }): T {
    const parser = destination as unknown as Writable & { push: (chunk: unknown) => boolean };
    this.targets.add(parser);
    const push = parser.push.bind(parser);
    parser.push = (chunk: unknown) => {
      if (chunk && typeof chunk === 'object' && 'path' in chunk) this.watch(chunk as ZipEntry);
      return push(chunk);
    };
    return super.pipe(destination, options);
  }

  private watch(entry: ZipEntry): void {
    const limitOf = entry.path === 'xl/sharedStrings.xml' ? Math.min(this.limits.sharedStringsBytes, this.limits.unpackedBytes) : null;
    const declared = entry.vars?.uncompressedSize ?? 0;
    if (limitOf !== null && declared > limitOf) return this.fail(tooLargeUnpacked('shared strings', limitOf));
    if (this.unpacked + declared > this.limits.unpackedBytes) return this.fail(tooLargeUnpacked('all entries', this.limits.unpackedBytes));
    this.targets.add(entry as unknown as Writable);
    let inflated = 0;
    const push = entry.push.bind(entry);
    entry.push = (chunk: unknown, encoding?: BufferEncoding) => {
      if (chunk && typeof (chunk as Buffer).length === 'number') {
        const length = (chunk as Buffer).length;
        inflated += length;
        this.unpacked += length;
        if (limitOf !== null && inflated > limitOf) {
          this.fail(tooLargeUnpacked('shared strings', limitOf));
          return false;
        }
        if (this.unpacked > this.limits.unpackedBytes) {
          this.fail(tooLargeUnpacked('all entries', this.limits.unpackedBytes));
          return false;
        }
      }
      return push(chunk, encoding);
    };
  }
}

/** The values of an iterator, until `failed` rejects first (exceljs may be left waiting on a stream that was destroyed). */
async function* until<T>(source: AsyncIterable<T>, failed: Promise<never>): AsyncGenerator<T> {
  const iterator = source[Symbol.asyncIterator]();
  for (;;) {
    const next = await Promise.race([iterator.next(), failed]);
    if (next.done) return;
    yield next.value;
  }
}

/** The rows of the file (header first), as arrays of text, streamed: CSV in any of the encodings above, or the first sheet of an XLSX. */
async function* fileRows(file: Readable, format: ImportFormat, limits: XlsxLimits): AsyncGenerator<string[]> {
  if (format === ImportFormat.XLSX) {
    const guard = new XlsxGuard(limits);
    file.on('error', (error) => guard.destroy(error));
    file.pipe(guard);
    const reader = new ExcelJS.stream.xlsx.WorkbookReader(guard, {
      sharedStrings: 'cache',
      hyperlinks: 'ignore',
      styles: 'ignore',
      worksheets: 'emit',
      entries: 'ignore',
    });
    let last = 0;
    // Anything exceljs throws (a workbook.xml stored after its sheets makes it fail on `sheets`) is a file it cannot read.
    try {
      for await (const sheet of until(reader, guard.failed)) {
        for await (const row of until(sheet as AsyncIterable<ExcelJS.Row>, guard.failed)) {
          const values = row.values as ExcelJS.CellValue[];
          const cells: string[] = [];
          // Cells past the last column a file may have are not read (the header's check refuses such a file; data rows are cut to the header).
          const end = Math.min(values.length, MAX_COLUMNS + 2);
          for (let index = 1; index < end; index += 1) cells.push(cellText(values[index]));
          // Blank rows in between keep their line number.
          for (let gap = row.number; gap > last + 1; gap -= 1) yield [];
          last = row.number;
          yield cells;
        }
        break;
      }
    } catch (error) {
      if (error instanceof UploadError) throw error;
      throw new UploadError(400, 'BAD_USER_INPUT', 'The file could not be read as XLSX', 'file');
    }
    return;
  }
  let decoder: NodeJS.ReadWriteStream | null = null;
  const parser = parseCsv({ relax_column_count: true, relax_quotes: true, skip_empty_lines: false, trim: false });
  const head = new Head(64 * 1024, (bytes) => {
    decoder = iconv.decodeStream(detectEncoding(bytes));
    void pipeline(head, decoder, parser).catch((error: unknown) => parser.destroy(error as Error));
  });
  const limit = new LineLimit();
  file.pipe(limit).pipe(head);
  file.on('error', (error) => parser.destroy(error));
  limit.on('error', (error) => parser.destroy(error));
  for await (const record of parser as AsyncIterable<string[]>) yield record;
  void decoder;
}

function formatOf(fileName: string, mimeType: string): ImportFormat | null {
  if (/\.xlsx$/i.test(fileName) || mimeType === 'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet')
    return ImportFormat.XLSX;
  if (/\.(csv|txt)$/i.test(fileName) || /^text\/(csv|plain)/.test(mimeType) || mimeType === 'application/vnd.ms-excel')
    return ImportFormat.CSV;
  return null;
}

interface Stored {
  id: string;
  format: ImportFormat;
  fileName: string;
  totalRows: number;
  columns: MappedColumn[];
}

/** Streams the file's rows into import_row (a thousand a statement) and creates the job; returns what the answer shows. */
async function store(
  em: EntityManager,
  viewer: Viewer,
  file: Readable,
  fileName: string,
  format: ImportFormat,
  tooLarge: () => boolean,
  limits: XlsxLimits,
): Promise<Stored> {
  const id = randomUUID();
  await em.execute(
    `insert into import_job (id, created_by_user_id, created_by_key_id, file_name, format, status, mapping) values (?, ?, ?, ?, ?, ?, '[]')`,
    [
      id,
      viewer.kind === 'USER' ? viewer.id : null,
      viewer.kind === 'API_KEY' ? viewer.id : null,
      fileName.slice(0, 255),
      format,
      ImportStatus.UPLOADED,
    ],
  );
  let headers: string[] | null = null;
  const samples: string[][] = [];
  let lines: number[] = [];
  let values: string[] = [];
  let line = 1;
  let total = 0;
  const flush = async () => {
    if (!lines.length) return;
    await em.execute(
      `insert into import_row (job_id, line, values) select ?, (e ->> 0)::int, e -> 1 from jsonb_array_elements(?::jsonb) e`,
      [id, `[${lines.map((line, index) => `[${line},${values[index]}]`).join(',')}]`],
    );
    lines = [];
    values = [];
  };
  for await (const raw of fileRows(file, format, limits)) {
    if (tooLarge()) break;
    const cells = raw.map((cell) => cell.replaceAll('\u0000', '').slice(0, MAX_CELL));
    if (!headers) {
      if (cells.every((cell) => !cell.trim())) {
        line += 1;
        continue;
      }
      if (cells.length > MAX_COLUMNS)
        throw new UploadError(400, 'BAD_USER_INPUT', `A file may have at most ${MAX_COLUMNS} columns`, 'file');
      headers = cells.map((cell, index) => cell.trim() || `Column ${index + 1}`);
      line += 1;
      continue;
    }
    const current = line;
    line += 1;
    if (cells.every((cell) => !cell.trim())) continue;
    cells.length = Math.min(cells.length, headers.length);
    cells.forEach((cell, index) => {
      const sample = (samples[index] ??= []);
      if (sample.length < SAMPLES && cell.trim()) sample.push(cell.trim().slice(0, 100));
    });
    lines.push(current);
    values.push(JSON.stringify(cells.map((cell) => (cell.trim() ? cell : null))));
    total += 1;
    if (lines.length >= ROWS_PER_INSERT) await flush();
  }
  await flush();
  if (tooLarge()) throw new UploadError(413, 'PAYLOAD_TOO_LARGE', 'The file is too large', 'file');
  if (!headers) throw new UploadError(400, 'BAD_USER_INPUT', 'The file has no header row', 'file');
  if (!total) throw new UploadError(400, 'BAD_USER_INPUT', 'The file has no data rows', 'file');
  return { id, format, fileName, totalRows: total, columns: detectMapping(headers, samples) };
}

/** A mapping sent with the upload: `[{ "index": 0, "field": "LEGAL_NAME" }, …]` or `{ "<header>": "<field>" }`. */
function mappingOf(text: string, columns: MappedColumn[]): MappedColumn[] {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UploadError(400, 'BAD_USER_INPUT', 'mapping must be JSON', 'mapping');
  }
  const fields = new Set<string>(Object.values(ImportField));
  const entries: { header?: string; index?: number; field: unknown }[] = Array.isArray(parsed)
    ? (parsed as { index?: number; field: unknown }[])
    : Object.entries((parsed ?? {}) as Record<string, unknown>).map(([header, field]) => ({ header, field }));
  const byIndex = new Map<number, ImportField | null>();
  for (const entry of entries) {
    if (entry.field !== null && (typeof entry.field !== 'string' || !fields.has(entry.field)))
      throw new UploadError(400, 'BAD_USER_INPUT', `Unknown field ${String(entry.field)}`, 'mapping');
    const column = typeof entry.index === 'number' ? columns[entry.index] : columns.find((candidate) => candidate.header === entry.header);
    if (!column) throw new UploadError(400, 'BAD_USER_INPUT', `No such column: ${entry.header ?? entry.index}`, 'mapping');
    byIndex.set(column.index, entry.field as ImportField | null);
  }
  const used = [...byIndex.values()].filter(Boolean);
  if (new Set(used).size !== used.length)
    throw new UploadError(400, 'BAD_USER_INPUT', 'A field may be mapped from one column only', 'mapping');
  return columns.map((column) => ({ ...column, field: byIndex.has(column.index) ? byIndex.get(column.index)! : null }));
}

/**
 * `POST /import` (multipart/form-data: `file`, and optionally `templateId` or `mapping`): streams
 * the file's rows into the database in the request's own transaction, opened like a GraphQL
 * request's (the viewer from the bearer, row-level security on), creates the job and starts its
 * dry run. Users of any role; API keys with customers:import. 201 with the job id and mapping.
 */
export function importUploadHandler(orm: MikroORM, config: Config, logger: Logger, onStored: () => void): RequestHandler {
  return async (req: Request, res: Response) => {
    res.setHeader('cache-control', 'no-store');
    const requestId = typeof res.locals.requestId === 'string' ? res.locals.requestId : randomUUID();
    try {
      const answer = await withRequestTransaction(
        orm,
        {
          authorization: req.headers.authorization,
          authSecret: config.authSecret,
          territoryAccess: config.territoryAccess,
          // Reading a large upload leaves the transaction idle between statements for a while.
          timeouts: { ...config.timeouts, idleInTransactionMs: Math.max(config.timeouts.idleInTransactionMs, 300_000) },
        },
        async ({ em, viewer, commit }) => {
          if (!viewer) throw new UploadError(401, 'UNAUTHENTICATED', 'Sign in first: send Authorization: Bearer <token or API key>');
          if (isApiKey(viewer) && !viewer.scopes.includes(Scope.CUSTOMERS_IMPORT))
            throw new UploadError(403, 'FORBIDDEN', 'This API key lacks the scope customers:import');
          if (!/^multipart\/form-data/i.test(req.headers['content-type'] ?? ''))
            throw new UploadError(400, 'BAD_USER_INPUT', 'Send multipart/form-data with the file in the field "file"', 'file');
          const stored = await new Promise<{ stored: Stored; fields: Map<string, string> }>((resolve, reject) => {
            const fields = new Map<string, string>();
            let work: Promise<Stored> | null = null;
            let truncated = false;
            let parser: busboy.Busboy;
            try {
              parser = busboy({
                headers: req.headers,
                // Browsers send a file name as raw UTF-8 (客户.csv); busboy reads it as Latin-1 unless told.
                defParamCharset: 'utf8',
                limits: { files: 1, fields: 10, fieldSize: 256 * 1024, fileSize: config.imports.maxBytes },
              });
            } catch {
              return reject(new UploadError(400, 'BAD_USER_INPUT', 'Unreadable multipart body', 'file'));
            }
            parser.on('field', (name, value) => fields.set(name, value));
            parser.on('file', (name, file, info) => {
              if (name !== 'file' || work) return void file.resume();
              const format = formatOf(info.filename ?? '', info.mimeType ?? '');
              if (!format) {
                file.resume();
                work = Promise.reject(new UploadError(400, 'BAD_USER_INPUT', 'The file must be CSV or XLSX', 'file'));
                return;
              }
              file.on('limit', () => {
                truncated = true;
              });
              work = store(em, viewer, file, info.filename || `upload.${format.toLowerCase()}`, format, () => truncated, {
                unpackedBytes: config.imports.maxXlsxUnpackedBytes,
                sharedStringsBytes: config.imports.maxXlsxSharedStringsBytes,
              });
              work.catch(() => file.resume());
            });
            parser.on('error', () => reject(new UploadError(400, 'BAD_USER_INPUT', 'Unreadable multipart body', 'file')));
            parser.on('close', () => {
              if (!work) return reject(new UploadError(400, 'BAD_USER_INPUT', 'No file in the field "file"', 'file'));
              work.then((result) => resolve({ stored: result, fields }), reject);
            });
            req.pipe(parser);
          });
          const { fields } = stored;
          let columns = stored.stored.columns;
          let templateId: string | null = null;
          const template = fields.get('templateId');
          if (template) {
            if (!isUuid(template)) throw new UploadError(400, 'BAD_USER_INPUT', 'No such template', 'templateId');
            const [row] = await em.execute<{ columns: { header: string; field: string }[] }[]>(
              'select columns from import_template where id = ?',
              [template],
            );
            if (!row) throw new UploadError(400, 'BAD_USER_INPUT', 'No such template', 'templateId');
            columns = mappingFromTemplate(columns, row.columns);
            templateId = template;
          } else if (fields.get('mapping')) {
            columns = mappingOf(fields.get('mapping')!, columns);
          }
          await em.execute(
            `update import_job set mapping = ?::jsonb, template_id = ?, total_rows = ?, status = ?, analysis = 1, updated_at = now() where id = ?`,
            [JSON.stringify(columns), templateId, stored.stored.totalRows, ImportStatus.ANALYZING, stored.stored.id],
          );
          await commit();
          return { ...stored.stored, columns, status: ImportStatus.ANALYZING, templateId };
        },
      );
      onStored();
      res.status(201).json(answer);
    } catch (error) {
      if (error instanceof UploadError) return send(res, error);
      logger.error({ requestId, err: { type: (error as Error)?.name, message: (error as Error)?.message } }, 'import upload failed');
      const unreadable = /zip|end of central directory|invalid|corrupt/i.test(String((error as Error)?.message));
      send(
        res,
        unreadable
          ? new UploadError(400, 'BAD_USER_INPUT', 'The file could not be read as CSV or XLSX', 'file')
          : new UploadError(500, 'INTERNAL_SERVER_ERROR', `Upload failed (request ${requestId})`),
      );
    }
  };
}
