/**
 * Normalisation keys for duplicate detection ("one customer, one record").
 * Two spellings of the same company, host or phone number must map to the same key.
 */

/** Legal-form words dropped from the end of a Latin-script name (after punctuation is removed). */
const LATIN_LEGAL_SUFFIXES = new Set([
  'co', 'company', 'ltd', 'limited', 'inc', 'incorporated', 'corp', 'corporation', 'llc', 'llp', 'lp', 'plc',
  'gmbh', 'ag', 'sa', 'sas', 'srl', 'bv', 'nv', 'pte', 'pty', 'kk', 'group', 'holding', 'holdings',
]);

/** Legal-form endings of Chinese names, longest first so that 股份有限公司 wins over 有限公司. */
const CJK_LEGAL_SUFFIXES = ['股份有限公司', '有限责任公司', '集团有限公司', '集团公司', '有限公司', '总公司', '集团', '公司'];

/**
 * The duplicate-detection key of a company name: NFKC, lower case, no punctuation or whitespace,
 * and without trailing legal-form words in English ("Co., Ltd.", "Inc", "LLC", "Limited"…) or
 * Chinese (有限公司, 股份有限公司, 集团…). `"Acme Co., Ltd."` and `"ACME"` share a key, as do
 * `"杭州恒达机械有限公司"` and `"杭州恒达机械"`. A name that is nothing but a legal form keeps it.
 */
export function normalizeName(name: string): string {
  const text = name
    .normalize('NFKC')
    .toLowerCase()
    .replace(/&/g, ' and ')
    // Apostrophes join ("O'Brien" = "OBrien"); every other punctuation or symbol separates words.
    .replace(/['’`]/g, '')
    .replace(/[\p{P}\p{S}]/gu, ' ');
  const tokens = text.split(/\s+/u).filter(Boolean);

  for (;;) {
    const last = tokens.at(-1);
    if (last === undefined || tokens.length === 1 && !hasCjkSuffix(last)) break;
    if (LATIN_LEGAL_SUFFIXES.has(last)) {
      tokens.pop();
      continue;
    }
    const suffix = CJK_LEGAL_SUFFIXES.find((candidate) => last.endsWith(candidate));
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
  return CJK_LEGAL_SUFFIXES.some((suffix) => token.length > suffix.length && token.endsWith(suffix));
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
