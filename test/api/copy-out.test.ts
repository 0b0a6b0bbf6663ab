import { EventEmitter } from 'node:events';
import type pg from 'pg';
import { describe, expect, it } from 'vitest';
import { CopyOutText } from '../../api/src/common/orm/copy-out.js';

/** A backend message: type, length (counting itself), body. */
function message(type: string, body: Buffer = Buffer.alloc(0)): Buffer {
  const header = Buffer.alloc(5);
  header.write(type, 0, 'latin1');
  header.writeUInt32BE(body.length + 4, 1);
  return Buffer.concat([header, body]);
}

function int16(value: number): Buffer {
  const buffer = Buffer.alloc(2);
  buffer.writeInt16BE(value);
  return buffer;
}

function int32(value: number): Buffer {
  const buffer = Buffer.alloc(4);
  buffer.writeInt32BE(value);
  return buffer;
}

/** What PostgreSQL sends for `COPY (select one text column) TO STDOUT (FORMAT binary)`, then CommandComplete and ReadyForQuery. */
function copyOutput(values: (string | null)[] | (string | null)[][], extension = Buffer.alloc(0)): { bytes: Buffer; after: Buffer } {
  const header = Buffer.concat([Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1'), int32(0), int32(extension.length), extension]);
  const field = (value: string | null) =>
    value === null ? int32(-1) : Buffer.concat([int32(Buffer.byteLength(value)), Buffer.from(value)]);
  const tuples = values.map((row) =>
    Array.isArray(row) ? Buffer.concat([int16(row.length), ...row.map(field)]) : Buffer.concat([int16(1), field(row)]),
  );
  // The header travels with the first row, the trailer alone, as PostgreSQL does it.
  const data = [Buffer.concat([header, tuples[0] ?? Buffer.alloc(0)]), ...tuples.slice(1), int16(-1)].map((payload) =>
    message('d', payload),
  );
  // node-postgres gets the input back from CopyDone on (it ignores CopyDone and finishes the query on the rest).
  const after = Buffer.concat([message('c'), message('C', Buffer.from(`COPY ${values.length}\0`)), message('Z', Buffer.from('I'))]);
  return { bytes: Buffer.concat([message('H', Buffer.from([1, 0, 1, 0, 1])), ...data, after]), after };
}

/** A stand-in for node-postgres's connection: a socket-like emitter whose one 'data' listener is pg's parser. */
function fakeConnection() {
  const stream = Object.assign(new EventEmitter(), {
    paused: false,
    pause() {
      this.paused = true;
    },
    resume() {
      this.paused = false;
    },
    destroy() {},
  });
  const handedBack: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => handedBack.push(Buffer.from(chunk)));
  const sent: string[] = [];
  return { connection: { stream, query: (text: string) => sent.push(text) } as unknown as pg.Connection, stream, handedBack, sent };
}

async function run(chunks: Buffer[], copy = new CopyOutText('copy (select 1) to stdout (format binary)')) {
  const fake = fakeConnection();
  copy.submit(fake.connection);
  const out: Buffer[] = [];
  copy.on('data', (chunk: Buffer) => out.push(Buffer.from(chunk)));
  const ended = new Promise<void>((resolve, reject) => {
    copy.on('end', resolve);
    copy.on('error', reject);
  });
  // A socket hands over a fresh buffer per read (the decoder compacts values in place).
  for (const chunk of chunks) fake.stream.emit('data', Buffer.from(chunk));
  await ended;
  return { text: Buffer.concat(out).toString(), handedBack: Buffer.concat(fake.handedBack), sent: fake.sent, rows: copy.rows };
}

describe('CopyOutText (binary COPY decoding)', () => {
  const values = [
    'cycle,"Quote ""Co"", Ltd\nBranch",华东\r\n',
    'second,line\r\n',
    null,
    '',
    'x'.repeat(70_000) + '\r\n',
    'last\\line with a backslash\r\n',
  ];
  const expected = values.filter((value) => value !== null).join('');

  it('passes the values through byte for byte and hands the rest of the input back to node-postgres', async () => {
    const { bytes, after } = copyOutput(values);
    const result = await run([bytes]);
    expect(result.text).toBe(expected);
    expect(result.rows).toBe(values.length);
    expect(result.handedBack.equals(after)).toBe(true);
    expect(result.sent).toEqual(['copy (select 1) to stdout (format binary)']);
  });

  it('decodes the same whatever the chunk boundaries (every split point, and byte by byte)', async () => {
    const { bytes, after } = copyOutput(values.slice(0, 4), Buffer.from('ext'));
    const small = values
      .slice(0, 4)
      .filter((value) => value !== null)
      .join('');
    for (let cut = 1; cut < bytes.length; cut += 1) {
      const result = await run([bytes.subarray(0, cut), bytes.subarray(cut)]);
      expect(result.text, `split at ${cut}`).toBe(small);
      expect(result.handedBack.equals(after), `split at ${cut}`).toBe(true);
    }
    const single = await run([...bytes].map((byte) => Buffer.from([byte])));
    expect(single.text).toBe(small);
    expect(single.handedBack.equals(after)).toBe(true);
  });

  it('puts the values of several columns one after the other', async () => {
    const rows = [
      ['a1,"x, y"', ',REG-1', ',tail\r\n'],
      ['b1,', null, ',tail 2\r\n'],
      ['c1,"multi\nline"', '', ',t\r\n'],
    ];
    const { bytes, after } = copyOutput(rows);
    const expected = rows.map((row) => row.join('')).join('');
    for (let cut = 1; cut < bytes.length; cut += 7) {
      const result = await run(
        [bytes.subarray(0, cut), bytes.subarray(cut)],
        new CopyOutText('copy (select 1, 2, 3) to stdout (format binary)'),
      );
      expect(result.text, `split at ${cut}`).toBe(expected);
      expect(result.rows).toBe(3);
      expect(result.handedBack.equals(after)).toBe(true);
    }
  });

  it('hands an error response to node-postgres, which fails the stream', async () => {
    const fake = fakeConnection();
    const copy = new CopyOutText('copy (select 1/0) to stdout (format binary)');
    copy.submit(fake.connection);
    const failed = new Promise<Error>((resolve) => copy.on('error', resolve));
    copy.resume();
    const error = message('E', Buffer.from('SERROR\0C22012\0Mdivision by zero\0\0'));
    fake.stream.emit('data', error);
    expect(Buffer.concat(fake.handedBack).equals(error)).toBe(true);
    copy.handleError(new Error('division by zero'));
    expect((await failed).message).toBe('division by zero');
  });

  it('refuses a stream that is not binary COPY, and closes the connection', async () => {
    const fake = fakeConnection();
    let destroyed = false;
    fake.stream.destroy = () => {
      destroyed = true;
    };
    const copy = new CopyOutText('copy (select 1) to stdout');
    copy.submit(fake.connection);
    const failed = new Promise<Error>((resolve) => copy.on('error', resolve));
    copy.resume();
    fake.stream.emit('data', message('d', Buffer.from('1\tabc\n'.padEnd(19, ' '))));
    expect((await failed).message).toMatch(/not a binary COPY stream/);
    expect(destroyed).toBe(true);
  });
});
