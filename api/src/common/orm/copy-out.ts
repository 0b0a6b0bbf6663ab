import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import type pg from 'pg';

/** `PGCOPY\n\377\r\n\0`, flags (int32), header extension length (int32): how binary COPY output opens. */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
const HEADER_BYTES = SIGNATURE.length + 8;

/** Backend messages (protocol 3) that matter here. */
const COPY_DATA = 0x64; // 'd'
const COPY_DONE = 0x63; // 'c'
const ERROR_RESPONSE = 0x45; // 'E'

const enum Tuple {
  HEADER,
  EXTENSION,
  FIELD_COUNT,
  FIELD_LENGTH,
  FIELD_DATA,
  END,
}

/** The part of node-postgres's connection a submittable sees. */
interface PgConnection {
  stream: Socket;
  query(text: string): void;
}

/**
 * `COPY (select <text columns>) TO STDOUT (FORMAT binary)` as a readable stream of the values,
 * concatenated byte for byte — a node-postgres submittable (`client.query(new CopyOutText(sql))`).
 * Binary COPY frames each value with its length and escapes nothing, so lines made of the values
 * (line ends included) pass through untouched.
 *
 * Fast because it allocates nothing per row: while the COPY runs it reads the socket itself (as
 * pg-copy-streams does), decodes the protocol's CopyData framing and the binary tuples in one
 * pass, and moves each chunk's values to the front of that same chunk (`copyWithin`), which then
 * goes downstream as one buffer. When the copy is done, or the server reports an error, the rest
 * of the input goes back to node-postgres, which finishes the query (CommandComplete,
 * ErrorResponse, ReadyForQuery). Backpressure pauses the socket, and with it the server.
 */
export class CopyOutText extends Readable implements pg.Submittable {
  private connection?: PgConnection;
  private pgOnData?: (chunk: Buffer) => void;
  private readonly onData = (chunk: Buffer) => {
    try {
      this.parse(chunk);
    } catch (error) {
      // Out of step with the server: the connection is of no further use.
      this.connection!.stream.destroy();
      this.destroy(error as Error);
    }
  };

  // Protocol message framing.
  private messageType = -1;
  private messageLeft = 0;
  /** A message header (type + length) split across chunks. */
  private readonly header = Buffer.alloc(5);
  private headerSize = 0;

  // Binary COPY framing inside the CopyData payloads.
  private tuple = Tuple.HEADER;
  private tupleLeft = HEADER_BYTES;
  /** A fixed-size field (file header, count, length) split across messages or chunks. */
  private readonly field = Buffer.alloc(HEADER_BYTES);
  private fieldSize = 0;
  /** Values still to come in the current row. */
  private fieldsLeft = 0;

  /** Where the next value bytes go in the chunk being parsed (always at or before the read position). */
  private written = 0;
  /** Rows received. */
  rows = 0;

  constructor(readonly text: string) {
    super();
  }

  /** Called by node-postgres when the query's turn comes. */
  submit(pgConnection: pg.Connection): void {
    const connection = pgConnection as unknown as PgConnection;
    this.connection = connection;
    const socket = connection.stream;
    const listeners = socket.listeners('data') as ((chunk: Buffer) => void)[];
    if (listeners.length !== 1) throw new Error('unexpected listeners on the database connection');
    this.pgOnData = listeners[0];
    socket.removeListener('data', this.pgOnData!);
    socket.on('data', this.onData);
    connection.query(this.text);
  }

  override _read(): void {
    this.connection?.stream.resume();
  }

  /** node-postgres: the server reported an error (after `release` handed it back). */
  handleError(error: Error): void {
    this.destroy(error);
  }

  handleCommandComplete(): void {}

  handleReadyForQuery(): void {}

  /** Gives the socket back to node-postgres, with the bytes from `at` on (the values before it are left alone). */
  private release(chunk: Buffer, at: number): void {
    const socket = this.connection!.stream;
    socket.removeListener('data', this.onData);
    socket.on('data', this.pgOnData!);
    if (at < chunk.length) this.pgOnData!(chunk.subarray(at));
    socket.resume();
  }

  private parse(chunk: Buffer): void {
    this.written = 0;
    let at = 0;
    while (at < chunk.length) {
      if (this.messageLeft > 0) {
        const end = Math.min(chunk.length, at + this.messageLeft);
        if (this.messageType === COPY_DATA) this.payload(chunk, at, end);
        this.messageLeft -= end - at;
        at = end;
        continue;
      }
      // A message header: type (1) and length (4, counting itself).
      if (this.headerSize === 0 && (chunk[at] === ERROR_RESPONSE || chunk[at] === COPY_DONE)) {
        const done = chunk[at] === COPY_DONE;
        if (done && this.tuple !== Tuple.END) throw new Error('the binary COPY stream ended early');
        this.hand(chunk);
        if (done) this.push(null);
        return this.release(chunk, at);
      }
      if (this.headerSize === 0 && chunk.length - at >= 5) {
        this.messageType = chunk[at]!;
        this.messageLeft = chunk.readUInt32BE(at + 1) - 4;
        at += 5;
        continue;
      }
      const available = Math.min(5 - this.headerSize, chunk.length - at);
      chunk.copy(this.header, this.headerSize, at, at + available);
      this.headerSize += available;
      at += available;
      if (this.headerSize < 5) break;
      this.headerSize = 0;
      this.messageType = this.header[0]!;
      this.messageLeft = this.header.readUInt32BE(1) - 4;
    }
    if (!this.hand(chunk)) this.connection!.stream.pause();
  }

  /** Binary COPY tuples: each row is a field count (int16) and, per field, a length (int32) and the bytes. */
  private payload(chunk: Buffer, from: number, to: number): void {
    let at = from;
    while (at < to) {
      if (this.tuple === Tuple.FIELD_DATA || this.tuple === Tuple.EXTENSION) {
        const end = Math.min(to, at + this.tupleLeft);
        if (this.tuple === Tuple.FIELD_DATA) {
          if (at !== this.written) chunk.copyWithin(this.written, at, end);
          this.written += end - at;
        }
        this.tupleLeft -= end - at;
        at = end;
        if (this.tupleLeft === 0) this.nextField();
        continue;
      }
      // A fixed-size field (file header, count, length): read in place, or gathered when split.
      let field: Buffer;
      let offset: number;
      if (this.fieldSize === 0 && to - at >= this.tupleLeft) {
        field = chunk;
        offset = at;
        at += this.tupleLeft;
      } else {
        const available = Math.min(this.tupleLeft - this.fieldSize, to - at);
        chunk.copy(this.field, this.fieldSize, at, at + available);
        this.fieldSize += available;
        at += available;
        if (this.fieldSize < this.tupleLeft) return;
        field = this.field;
        offset = 0;
        this.fieldSize = 0;
      }
      this.fixedField(field, offset);
    }
  }

  private fixedField(field: Buffer, offset: number): void {
    switch (this.tuple) {
      case Tuple.HEADER:
        if (!field.subarray(offset, offset + SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
        this.tupleLeft = field.readUInt32BE(offset + SIGNATURE.length + 4);
        if (this.tupleLeft > 0) this.tuple = Tuple.EXTENSION;
        else this.expect(Tuple.FIELD_COUNT, 2);
        break;
      case Tuple.FIELD_COUNT: {
        const count = field.readInt16BE(offset);
        if (count === -1) {
          this.expect(Tuple.END, 1);
          break;
        }
        this.rows += 1;
        this.fieldsLeft = count;
        this.nextField();
        break;
      }
      case Tuple.FIELD_LENGTH: {
        const length = field.readInt32BE(offset);
        this.fieldsLeft -= 1;
        // NULL (-1) and empty values add nothing.
        if (length > 0) this.expect(Tuple.FIELD_DATA, length);
        else this.nextField();
        break;
      }
      default:
        throw new Error('data after the end of a binary COPY stream');
    }
  }

  /** The next value's length, or the next row's field count. */
  private nextField(): void {
    if (this.fieldsLeft > 0) this.expect(Tuple.FIELD_LENGTH, 4);
    else this.expect(Tuple.FIELD_COUNT, 2);
  }

  private expect(state: Tuple, bytes: number): void {
    this.tuple = state;
    this.tupleLeft = bytes;
  }

  /** Hands downstream the values gathered at the front of the chunk; false when it wants no more for now. */
  private hand(chunk: Buffer): boolean {
    if (this.written === 0) return true;
    const values = chunk.subarray(0, this.written);
    this.written = 0;
    return this.push(values);
  }
}
