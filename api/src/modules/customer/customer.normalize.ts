/**
 * Keys for duplicate detection: two spellings of the same company, domain or phone number
 * normalise to the same string.
 */
const LEGAL_SUFFIXES = [
  '股份有限公司', '有限责任公司', '有限公司', '集团', '公司',
  'co., ltd', 'co.,ltd', 'co ltd', 'company limited', 'limited', 'ltd', 'incorporated', 'inc', 'llc', 'corporation', 'corp', 'gmbh', 'plc', 'co',
];

export function normalizeName(name: string): string {
  let text = name.normalize('NFKC').toLowerCase().trim();
  let changed = true;
  while (changed) {
    changed = false;
    const trimmed = text.replace(/[\s\p{P}\p{S}]+$/u, '');
    for (const suffix of LEGAL_SUFFIXES) {
      if (trimmed.endsWith(suffix) && trimmed.length > suffix.length) {
        text = trimmed.slice(0, -suffix.length);
        changed = true;
        break;
      }
    }
  }
  return text.replace(/[\s\p{P}\p{S}]+/gu, '');
}

export function normalizeDomain(value: string): string | null {
  let text = value.normalize('NFKC').trim().toLowerCase();
  if (!text) return null;
  if (!/^[a-z][a-z0-9+.-]*:\/\//.test(text)) text = `http://${text}`;
  try {
    const host = new URL(text).hostname.replace(/^www\./, '').replace(/\.$/, '');
    return /^[a-z0-9-]+(\.[a-z0-9-]+)+$/.test(host) ? host : null;
  } catch {
    return null;
  }
}

export function normalizePhone(phone: string): string {
  return phone.replace(/\D+/g, '').replace(/^(0086|86)(?=1\d{10}$)/, '');
}
