import { lookup as dnsLookup, promises as dns, type LookupAddress } from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import { isIP, type LookupFunction } from 'node:net';
import { BadUserInputError } from '../../common/errors/errors.js';

// Where a webhook may point: a public address over http(s). Checked when the URL is saved and
// again on every connection, on the very address connected to (the lookup below is the socket's
// own), so a name that re-resolves to an internal address between the two is still refused.

const BLOCKED_V4: readonly [string, number][] = [
  ['0.0.0.0', 8], // "this network", unspecified
  ['10.0.0.0', 8],
  ['100.64.0.0', 10], // carrier-grade NAT
  ['127.0.0.0', 8],
  ['169.254.0.0', 16], // link-local, cloud metadata (169.254.169.254)
  ['172.16.0.0', 12],
  ['192.0.0.0', 24],
  ['192.0.2.0', 24],
  ['192.88.99.0', 24],
  ['192.168.0.0', 16],
  ['198.18.0.0', 15],
  ['198.51.100.0', 24],
  ['203.0.113.0', 24],
  ['224.0.0.0', 4], // multicast
  ['240.0.0.0', 4], // reserved, broadcast
];

function parseIpv4(text: string): number[] | null {
  if (isIP(text) !== 4) return null;
  return text.split('.').map(Number);
}

function parseIpv6(text: string): number[] | null {
  let s = text.replace(/^\[|\]$/g, '');
  const zone = s.indexOf('%');
  if (zone >= 0) s = s.slice(0, zone);
  if (isIP(s) !== 6) return null;
  const lastColon = s.lastIndexOf(':');
  const tail = s.slice(lastColon + 1);
  if (tail.includes('.')) {
    const v4 = parseIpv4(tail);
    if (!v4) return null;
    s = `${s.slice(0, lastColon + 1)}${((v4[0]! << 8) | v4[1]!).toString(16)}:${((v4[2]! << 8) | v4[3]!).toString(16)}`;
  }
  const [head, rest] = s.includes('::') ? s.split('::') : [s, undefined];
  const left = head ? head.split(':') : [];
  const right = rest === undefined ? null : rest ? rest.split(':') : [];
  const groups = right === null ? left : [...left, ...Array<string>(8 - left.length - right.length).fill('0'), ...right];
  if (groups.length !== 8) return null;
  return groups.flatMap((group) => {
    const value = parseInt(group, 16);
    return [value >> 8, value & 255];
  });
}

function v4Blocked(bytes: readonly number[]): boolean {
  const value = ((bytes[0]! << 24) >>> 0) + (bytes[1]! << 16) + (bytes[2]! << 8) + bytes[3]!;
  return BLOCKED_V4.some(([base, bits]) => {
    const start = parseIpv4(base)!.reduce((sum, byte) => sum * 256 + byte, 0);
    const size = 2 ** (32 - bits);
    return value >= start && value < start + size;
  });
}

const startsWith = (bytes: readonly number[], prefix: readonly number[]) => prefix.every((byte, index) => bytes[index] === byte);

/** True for every address a webhook may not reach: loopback, private, link-local, unspecified, multicast, reserved, and their IPv6 forms. */
export function isBlockedAddress(address: string): boolean {
  const v4 = parseIpv4(address);
  if (v4) return v4Blocked(v4);
  const v6 = parseIpv6(address);
  if (!v6) return true;
  const embedded = v6.slice(12);
  // In ::/8 (reserved) only an IPv4-mapped address (::ffff:0:0/96) is a real target, and its IPv4
  // address decides; the rest (unspecified, loopback, IPv4-compatible, SIIT's ::ffff:0:0:0/96…) is
  // refused. In NAT64's 64:ff9b::/32 the well-known /96 is decided by its IPv4, the rest refused.
  if (startsWith(v6, [0x00, 0x64, 0xff, 0x9b]))
    return startsWith(v6, [0x00, 0x64, 0xff, 0x9b, ...Array<number>(8).fill(0)]) ? v4Blocked(embedded) : true;
  if (v6[0] === 0) return startsWith(v6, [...Array<number>(10).fill(0), 0xff, 0xff]) ? v4Blocked(embedded) : true;
  if (startsWith(v6, [0x20, 0x02])) return v4Blocked(v6.slice(2, 6)); // 6to4
  if (startsWith(v6, [0x20, 0x01, 0x00, 0x00])) return true; // Teredo
  if (startsWith(v6, [0x20, 0x01, 0x0d, 0xb8])) return true; // documentation
  if (startsWith(v6, [0x01, 0x00, 0, 0, 0, 0, 0, 0])) return true; // discard
  const first = v6[0]!;
  const second = v6[1]!;
  if ((first & 0xfe) === 0xfc) return true; // fc00::/7 unique local
  if (first === 0xfe && (second & 0xc0) === 0x80) return true; // fe80::/10 link-local
  if (first === 0xfe && (second & 0xc0) === 0xc0) return true; // fec0::/10 site-local
  if (first === 0xff) return true; // multicast
  return false;
}

const INTERNAL_NAMES = /(^|\.)(localhost|localdomain|internal|local)\.?$/i;

/** Why the URL may not be a target before any lookup, or null. */
function staticRefusal(raw: string, allowPrivate: boolean): { reason: string } | { url: URL } {
  if (raw.length > 2048) return { reason: 'url must be at most 2048 characters' };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { reason: 'url must be an absolute http or https URL' };
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') return { reason: 'url must use http or https' };
  if (url.username || url.password) return { reason: 'url must not carry a user name or password' };
  if (!url.hostname) return { reason: 'url must name a host' };
  if (!allowPrivate) {
    const host = url.hostname.replace(/^\[|\]$/g, '');
    if (isIP(host) ? isBlockedAddress(host) : INTERNAL_NAMES.test(host)) return { reason: BLOCKED_MESSAGE };
  }
  return { url };
}

const BLOCKED_MESSAGE = 'url points to a loopback, private, link-local or otherwise internal address, which webhooks may not reach';

async function resolveAll(host: string, timeoutMs: number): Promise<LookupAddress[] | null> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      dns.lookup(host, { all: true, verbatim: true }),
      new Promise<null>((resolve) => {
        timer = setTimeout(() => resolve(null), timeoutMs);
      }),
    ]);
  } catch {
    return null;
  } finally {
    clearTimeout(timer);
  }
}

/** The URL to store, or BAD_USER_INPUT on `url`: checked literally, then by what its host resolves to now. */
export async function assertTargetUrl(raw: string, allowPrivate: boolean): Promise<string> {
  const checked = staticRefusal(raw.trim(), allowPrivate);
  if ('reason' in checked) throw new BadUserInputError('url', checked.reason);
  const host = checked.url.hostname.replace(/^\[|\]$/g, '');
  if (!allowPrivate && !isIP(host)) {
    const addresses = await resolveAll(host, 5000);
    if (!addresses?.length) throw new BadUserInputError('url', 'The host of url does not resolve');
    if (addresses.some((entry) => isBlockedAddress(entry.address))) throw new BadUserInputError('url', BLOCKED_MESSAGE);
  }
  return checked.url.href;
}

class BlockedAddressError extends Error {
  readonly code = 'EBLOCKEDADDRESS';
}

/** The socket's own lookup: every address the name resolves to must be public, and the one connected to is one of them. */
function guardedLookup(allowPrivate: boolean): LookupFunction {
  return (hostname, options, callback) => {
    dnsLookup(hostname, { ...options, all: true }, (error, addresses) => {
      const reply = callback as (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;
      if (error) return reply(error, '', 0);
      const list = addresses as LookupAddress[];
      if (!allowPrivate && (list.length === 0 || list.some((entry) => isBlockedAddress(entry.address))))
        return reply(new BlockedAddressError('blocked address'), '', 0);
      if (options.all) return reply(null, list);
      return reply(null, list[0]!.address, list[0]!.family);
    });
  };
}

export interface AttemptOutcome {
  succeeded: boolean;
  statusCode: number | null;
  /** TIMEOUT, BLOCKED_ADDRESS, INVALID_URL, DNS, CONNECTION_REFUSED, CONNECTION_RESET, TLS, NETWORK; null when the receiver answered. */
  errorKind: string | null;
  latencyMs: number;
  /** The first characters of the response body, never its headers. */
  responseExcerpt: string | null;
}

export const EXCERPT_CHARS = 500;

function errorKindOf(error: unknown, timedOut: boolean): string {
  if (timedOut) return 'TIMEOUT';
  const { code, name } = (error ?? {}) as { code?: unknown; name?: unknown };
  const text = typeof code === 'string' ? code : '';
  if (text === 'EBLOCKEDADDRESS') return 'BLOCKED_ADDRESS';
  if (name === 'AbortError' || text === 'ABORT_ERR') return 'TIMEOUT';
  if (text === 'ENOTFOUND' || text === 'EAI_AGAIN' || text === 'ENODATA') return 'DNS';
  if (text === 'ECONNREFUSED') return 'CONNECTION_REFUSED';
  if (text === 'ECONNRESET' || text === 'EPIPE' || text === 'ECONNABORTED') return 'CONNECTION_RESET';
  if (/^(ERR_TLS|ERR_SSL|CERT_|DEPTH_ZERO|SELF_SIGNED|UNABLE_TO_)/.test(text)) return 'TLS';
  return 'NETWORK';
}

/**
 * One POST, never following redirects (a 3xx is a failure: a redirect could point anywhere), within
 * `timeoutMs` from connect to the last byte read. Only the start of the body is kept.
 */
export function postWebhook(
  rawUrl: string,
  body: string,
  headers: Record<string, string>,
  options: { timeoutMs: number; allowPrivateTargets: boolean },
): Promise<AttemptOutcome> {
  const started = performance.now();
  const outcome = (partial: Partial<AttemptOutcome>): AttemptOutcome => ({
    succeeded: false,
    statusCode: null,
    errorKind: null,
    responseExcerpt: null,
    ...partial,
    latencyMs: Math.round(performance.now() - started),
  });
  const checked = staticRefusal(rawUrl, options.allowPrivateTargets);
  if ('reason' in checked)
    return Promise.resolve(outcome({ errorKind: checked.reason === BLOCKED_MESSAGE ? 'BLOCKED_ADDRESS' : 'INVALID_URL' }));
  const client = checked.url.protocol === 'https:' ? https : http;
  const signal = AbortSignal.timeout(options.timeoutMs);
  return new Promise((resolve) => {
    let settled = false;
    const settle = (result: AttemptOutcome) => {
      if (settled) return;
      settled = true;
      resolve(result);
    };
    const request = client.request(
      checked.url,
      {
        method: 'POST',
        agent: false,
        lookup: guardedLookup(options.allowPrivateTargets),
        signal,
        headers: {
          ...headers,
          'Content-Type': 'application/json',
          'Content-Length': String(Buffer.byteLength(body)),
          'User-Agent': 'Accountable-Webhooks/1',
        },
      },
      (response) => {
        const statusCode = response.statusCode ?? null;
        let excerpt = '';
        const finish = () =>
          settle(
            outcome({
              statusCode,
              succeeded: statusCode !== null && statusCode >= 200 && statusCode < 300,
              responseExcerpt: excerpt ? excerpt.slice(0, EXCERPT_CHARS) : null,
            }),
          );
        response.setEncoding('utf8');
        response.on('data', (chunk: string) => {
          excerpt += chunk;
          if (excerpt.length >= EXCERPT_CHARS) {
            finish();
            response.destroy();
          }
        });
        response.on('end', finish);
        response.on('error', (error) => settle(outcome({ statusCode, errorKind: errorKindOf(error, signal.aborted) })));
        response.on('close', finish);
      },
    );
    request.on('error', (error) => settle(outcome({ errorKind: errorKindOf(error, signal.aborted) })));
    request.end(body);
  });
}
