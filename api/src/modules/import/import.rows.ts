import { normalizeDomain, normalizeName, normalizeRegistrationId, registrationKey } from '../customer/index.js';
import type { Channel, OwnershipType, SizeBand } from '../customer/customer.entity.js';
import { parseChannel, parseOwnershipType, parseSizeBand } from './import.mapping.js';
import { ImportField, ImportRowCode, type MappedColumn } from './import.types.js';

/** A customer as a row gives it, validated and normalised as CustomerService.create would. */
export interface CompanyValues {
  legalName: string | null;
  normalizedName: string | null;
  registrationId: string | null;
  registrationKey: string | null;
  externalId: string | null;
  websiteDomain: string | null;
  industry: string | null;
  products: string | null;
  sizeBand: SizeBand | null;
  ownershipType: OwnershipType | null;
  sourceChannel: Channel | null;
  addressLine: string | null;
  city: string | null;
  province: string | null;
  postalCode: string | null;
  country: string | null;
  tags: string[] | null;
  notes: string | null;
  territory: string | null;
  ownerEmail: string | null;
}

export interface ContactValues {
  name: string;
  title: string | null;
  mobile: string | null;
  phone: string | null;
  email: string | null;
}

export interface Fault {
  field: ImportField;
  code: ImportRowCode;
  params?: Record<string, unknown>;
}

export interface Interpreted {
  company: CompanyValues;
  contact: ContactValues | null;
  /** The row names a company (a name, registration id or external id); else it only adds a contact to the one before. */
  namesCompany: boolean;
  fault: Fault | null;
  /** Same company as the row before when equal: external id, else registration key, else name key. */
  groupKey: string | null;
}

const PRINTABLE = /^[^\p{Cc}]*$/u;
const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;

/** Limits of CreateCustomerInput / CreateContactInput, by field. */
const MAX: Partial<Record<ImportField, number>> = {
  [ImportField.LEGAL_NAME]: 300,
  [ImportField.REGISTRATION_ID]: 60,
  [ImportField.EXTERNAL_ID]: 100,
  [ImportField.INDUSTRY]: 100,
  [ImportField.PRODUCTS]: 2000,
  [ImportField.ADDRESS_LINE]: 300,
  [ImportField.CITY]: 100,
  [ImportField.PROVINCE]: 100,
  [ImportField.POSTAL_CODE]: 20,
  [ImportField.COUNTRY]: 100,
  [ImportField.WEBSITE]: 253,
  [ImportField.NOTES]: 10000,
  [ImportField.TERRITORY]: 100,
  [ImportField.OWNER_EMAIL]: 320,
  [ImportField.CONTACT_NAME]: 200,
  [ImportField.CONTACT_TITLE]: 200,
  [ImportField.CONTACT_MOBILE]: 40,
  [ImportField.CONTACT_PHONE]: 40,
  [ImportField.CONTACT_EMAIL]: 320,
};

/** Reads one row under a mapping: every value trimmed, checked and normalised; the first fault found, in column order of the fields. */
export function interpret(values: (string | null)[], mapping: MappedColumn[]): Interpreted {
  const raw = new Map<ImportField, string>();
  for (const column of mapping) {
    const value = column.field ? values[column.index]?.trim() : undefined;
    if (column.field && value) raw.set(column.field, value);
  }
  let fault: Fault | null = null;
  const fail = (field: ImportField, code: ImportRowCode, params?: Record<string, unknown>) => {
    fault ??= { field, code, ...(params ? { params } : {}) };
    return null;
  };
  const text = (field: ImportField): string | null => {
    const value = raw.get(field);
    if (value === undefined) return null;
    const max = MAX[field];
    if (max && value.length > max) return fail(field, ImportRowCode.TOO_LONG, { max });
    if (!PRINTABLE.test(value)) return fail(field, ImportRowCode.INVALID_FORMAT);
    return value;
  };
  const legalName = text(ImportField.LEGAL_NAME);
  const normalizedName = legalName ? normalizeName(legalName) : null;
  if (legalName && !normalizedName) fail(ImportField.LEGAL_NAME, ImportRowCode.INVALID_FORMAT);
  const registrationText = text(ImportField.REGISTRATION_ID);
  const registrationId = registrationText ? normalizeRegistrationId(registrationText) : null;
  if (registrationText && !registrationId) fail(ImportField.REGISTRATION_ID, ImportRowCode.INVALID_FORMAT);
  const externalId = text(ImportField.EXTERNAL_ID);
  const website = text(ImportField.WEBSITE);
  const websiteDomain = website ? normalizeDomain(website) : null;
  if (website && !websiteDomain) fail(ImportField.WEBSITE, ImportRowCode.INVALID_FORMAT);
  const coded = <T>(field: ImportField, parse: (value: string) => T | null): T | null => {
    const value = text(field);
    if (!value) return null;
    const parsed = parse(value);
    return parsed ?? fail(field, ImportRowCode.UNKNOWN_VALUE, { value: value.slice(0, 100) });
  };
  const tagsText = text(ImportField.TAGS);
  const tags = tagsText
    ? [
        ...new Set(
          tagsText
            .split(/[,;，；、|]/)
            .map((tag) => tag.trim())
            .filter(Boolean),
        ),
      ]
    : null;
  if (tags && (tags.length > 30 || tags.some((tag) => tag.length > 50))) fail(ImportField.TAGS, ImportRowCode.TOO_LONG, { max: 50 });
  const company: CompanyValues = {
    legalName,
    normalizedName: normalizedName || null,
    registrationId,
    registrationKey: registrationId ? registrationKey(registrationId) : null,
    externalId,
    websiteDomain,
    industry: text(ImportField.INDUSTRY),
    products: text(ImportField.PRODUCTS),
    sizeBand: coded(ImportField.SIZE_BAND, parseSizeBand),
    ownershipType: coded(ImportField.OWNERSHIP_TYPE, parseOwnershipType),
    sourceChannel: coded(ImportField.SOURCE_CHANNEL, parseChannel),
    addressLine: text(ImportField.ADDRESS_LINE),
    city: text(ImportField.CITY),
    province: text(ImportField.PROVINCE),
    postalCode: text(ImportField.POSTAL_CODE),
    country: text(ImportField.COUNTRY),
    tags,
    notes: text(ImportField.NOTES),
    territory: text(ImportField.TERRITORY),
    ownerEmail: text(ImportField.OWNER_EMAIL)?.toLowerCase() ?? null,
  };
  const contactName = text(ImportField.CONTACT_NAME);
  const email = text(ImportField.CONTACT_EMAIL);
  if (email && !EMAIL.test(email)) fail(ImportField.CONTACT_EMAIL, ImportRowCode.INVALID_FORMAT);
  const mobile = text(ImportField.CONTACT_MOBILE);
  if (mobile && !/^[+\d][\d\s\-()]{4,}$/.test(mobile.normalize('NFKC'))) fail(ImportField.CONTACT_MOBILE, ImportRowCode.INVALID_FORMAT);
  const phone = text(ImportField.CONTACT_PHONE);
  const title = text(ImportField.CONTACT_TITLE);
  const anyContact = Boolean(email || mobile || phone || title);
  if (anyContact && !contactName) fail(ImportField.CONTACT_NAME, ImportRowCode.REQUIRED);
  const contact = contactName
    ? { name: contactName, title, mobile: mobile?.normalize('NFKC') ?? null, phone, email: email?.toLowerCase() ?? null }
    : null;
  const namesCompany = Boolean(raw.get(ImportField.LEGAL_NAME) || raw.get(ImportField.REGISTRATION_ID) || raw.get(ImportField.EXTERNAL_ID));
  if (namesCompany && !legalName && !fault) fail(ImportField.LEGAL_NAME, ImportRowCode.REQUIRED);
  if (!namesCompany && !contact && !fault) fail(ImportField.LEGAL_NAME, ImportRowCode.REQUIRED);
  const groupKey = externalId
    ? `e:${externalId}`
    : company.registrationKey
      ? `r:${company.registrationKey}`
      : normalizedName
        ? `n:${normalizedName}`
        : null;
  return { company, contact, namesCompany, fault, groupKey };
}
