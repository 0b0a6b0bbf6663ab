import { Readable } from 'node:stream';
import type { Socket } from 'node:net';
import type pg from 'pg';

/** `PGCOPY\n\377\r\n\0`, flags (int32), header extension length (int32): how binary COPY output opens. */
const SIGNATURE = Buffer.from([0x50, 0x47, 0x43, 0x4f, 0x50, 0x59, 0x0a, 0xff, 0x0d, 0x0a, 0x00]);
const HEADER_BYTES = SIGNATURE.length + 8;
/** Bytes handed downstream at a time. */
const OUT_BYTES = 256 * 1024;

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
 * `COPY (select <one text column>) TO STDOUT (FORMAT binary)` as a readable stream of the
 * column's values, concatenated byte for byte — a node-postgres submittable (`client.query(new
 * CopyOutText(sql))`). Binary COPY frames each value with its length and escapes nothing, so
 * lines built by the query (line ends included) pass through untouched.
 *
 * Fast because it does nothing per row but copy bytes: while the COPY runs it reads the socket
 * itself (as pg-copy-streams does), decodes the protocol's CopyData framing and the binary
 * tuples in one pass, and copies each value into a large output buffer, with no object per row.
 * When the copy is done, or the server reports an error, the rest of the input goes back to
 * node-postgres, which finishes the query (CommandComplete, ErrorResponse, ReadyForQuery).
 * Backpressure pauses the socket, and with it the server.
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

  /** Output arena: bytes before outStart are handed downstream and never touched again. */
  private out = Buffer.allocUnsafe(OUT_BYTES);
  private outStart = 0;
  private outSize = 0;
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

  /** Gives the socket back to node-postgres, with the bytes from `at` on. */
  private release(chunk: Buffer, at: number): void {
    const socket = this.connection!.stream;
    socket.removeListener('data', this.onData);
    socket.on('data', this.pgOnData!);
    if (at < chunk.length) this.pgOnData!(chunk.subarray(at));
    socket.resume();
  }

  private parse(chunk: Buffer): void {
    let at = 0;
    while (at < chunk.length) {
      if (this.messageLeft === 0) {
        // A message header: type (1) and length (4, counting itself).
        if (this.headerSize === 0 && (chunk[at] === ERROR_RESPONSE || chunk[at] === COPY_DONE)) {
          if (chunk[at] === COPY_DONE) {
            if (this.tuple !== Tuple.END) throw new Error('the binary COPY stream ended early');
            this.flush();
            this.push(null);
          }
          return this.release(chunk, at);
        }
        const available = Math.min(5 - this.headerSize, chunk.length - at);
        chunk.copy(this.header, this.headerSize, at, at + available);
        this.headerSize += available;
        at += available;
        if (this.headerSize < 5) break;
        this.headerSize = 0;
        this.messageType = this.header[0]!;
        this.messageLeft = this.header.readUInt32BE(1) - 4;
        continue;
      }
      const end = Math.min(chunk.length, at + this.messageLeft);
      if (this.messageType === COPY_DATA) this.payload(chunk, at, end);
      this.messageLeft -= end - at;
      at = end;
    }
    if (!this.flush()) this.connection!.stream.pause();
  }

  /** Binary COPY tuples: each row is a field count (int16) and, per field, a length (int32) and the bytes. */
  private payload(chunk: Buffer, from: number, to: number): void {
    let at = from;
    while (at < to) {
      if (this.tuple === Tuple.FIELD_DATA || this.tuple === Tuple.EXTENSION) {
        const end = Math.min(to, at + this.tupleLeft);
        if (this.tuple === Tuple.FIELD_DATA) this.append(chunk, at, end);
        this.tupleLeft -= end - at;
        at = end;
        if (this.tupleLeft === 0) this.expect(Tuple.FIELD_COUNT, 2);
        continue;
      }
      // A fixed-size field (header, count, length), possibly split across messages or chunks.
      const available = Math.min(this.tupleLeft, to - at);
      chunk.copy(this.field, this.fieldSize, at, at + available);
      this.fieldSize += available;
      this.tupleLeft -= available;
      at += available;
      if (this.tupleLeft > 0) return;
      const field = this.field;
      this.fieldSize = 0;
      switch (this.tuple) {
        case Tuple.HEADER:
          if (!field.subarray(0, SIGNATURE.length).equals(SIGNATURE)) throw new Error('not a binary COPY stream');
          this.tupleLeft = field.readUInt32BE(SIGNATURE.length + 4);
          if (this.tupleLeft > 0) this.tuple = Tuple.EXTENSION;
          else this.expect(Tuple.FIELD_COUNT, 2);
          break;
        case Tuple.FIELD_COUNT: {
          const count = field.readInt16BE(0);
          if (count === -1) this.expect(Tuple.END, 1);
          else if (count !== 1) throw new Error(`expected one column per row, got ${count}`);
          else this.expect(Tuple.FIELD_LENGTH, 4);
          break;
        }
        case Tuple.FIELD_LENGTH: {
          const length = field.readInt32BE(0);
          this.rows += 1;
          // NULL (-1) and empty values add nothing.
          if (length > 0) {
            this.tuple = Tuple.FIELD_DATA;
            this.tupleLeft = length;
          } else this.expect(Tuple.FIELD_COUNT, 2);
          break;
        }
        case Tuple.END:
          throw new Error('data after the end of a binary COPY stream');
      }
    }
  }

  private expect(state: Tuple, bytes: number): void {
    this.tuple = state;
    this.tupleLeft = bytes;
  }

  /** Copies value bytes into the output buffer, handing full buffers downstream. */
  private append(chunk: Buffer, from: number, to: number): void {
    let at = from;
    while (at < to) {
      if (this.outSize === OUT_BYTES) {
        this.flush();
        this.out = Buffer.allocUnsafe(OUT_BYTES);
        this.outStart = this.outSize = 0;
      }
      const n = Math.min(to - at, OUT_BYTES - this.outSize);
      chunk.copy(this.out, this.outSize, at, at + n);
      this.outSize += n;
      at += n;
    }
  }

  /** Hands downstream what was copied since the last time; false when it wants no more for now. */
  private flush(): boolean {
    if (this.outSize === this.outStart) return true;
    const bytes = this.out.subarray(this.outStart, this.outSize);
    this.outStart = this.outSize;
    return this.push(bytes);
  }
}
