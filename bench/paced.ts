import { Agent, request as httpRequest } from 'node:http';

export interface PacedRequest {
  headers: Record<string, string>;
  body: string;
}

export interface PacedResponse {
  /** Which request (0, 1, 2… in the order they were due). */
  index: number;
  status: number;
  /** From the moment the request was due to its last byte, including any wait for a free connection. */
  ms: number;
  /** Milliseconds after the start at which its last byte arrived. */
  doneAt: number;
}

export interface PacedOptions {
  /** `http://host:port/path` */
  url: string;
  /** Requests per second, spread evenly: request i is due at i / rate seconds. */
  rate: number;
  durationS: number;
  /** Keep-alive connections at most; a request due while all are busy waits for one, and that wait counts. */
  connections: number;
  request: (index: number) => PacedRequest;
}

export interface PacedResult {
  responses: PacedResponse[];
  /** Requests that failed on the wire (connection refused or reset). */
  errors: number;
  /** Requests still waiting or in flight 5 s after the last was due: a backlog, not answered. */
  unfinished: number;
}

/**
 * An open-loop load at a fixed rate: request i is due at start + i / rate whatever happened to the
 * ones before it, and its latency counts from that moment (no coordinated omission).
 *
 * autocannon's `overallRate` is not that. Each connection may send its share of a second
 * (rate / connections) as soon as its 1 s interval resets its counter, and every connection's
 * interval starts in the same tick, so 20 req/s over 16 connections arrives as 16 requests at
 * once at the top of each second: it measures how long a burst of 16 takes to drain.
 */
export async function runPaced(options: PacedOptions): Promise<PacedResult> {
  const { rate, durationS, connections } = options;
  const agent = new Agent({ keepAlive: true, maxSockets: connections, maxFreeSockets: connections });
  const responses: PacedResponse[] = [];
  let errors = 0;
  let pending = 0;
  let stopped = false;
  const started = performance.now();
  const send = (index: number, due: number) => {
    const { headers, body } = options.request(index);
    pending += 1;
    const req = httpRequest(
      options.url,
      { method: 'POST', agent, headers: { ...headers, 'content-length': String(Buffer.byteLength(body)) } },
      (res) => {
        res.resume();
        res.on('end', () => {
          pending -= 1;
          const now = performance.now();
          responses.push({ index, status: res.statusCode ?? 0, ms: now - due, doneAt: now - started });
        });
      },
    );
    req.on('error', () => {
      if (stopped) return;
      pending -= 1;
      errors += 1;
    });
    req.end(body);
  };
  const total = Math.floor(rate * durationS);
  for (let index = 0; index < total; index += 1) {
    const due = started + (index * 1000) / rate;
    const wait = due - performance.now();
    if (wait >= 1) await new Promise((resolve) => setTimeout(resolve, wait));
    send(index, due);
  }
  const grace = performance.now() + 5000;
  while (pending > 0 && performance.now() < grace) await new Promise((resolve) => setTimeout(resolve, 10));
  stopped = true;
  agent.destroy();
  return { responses, errors, unfinished: pending };
}
