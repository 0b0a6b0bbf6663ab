import { Channel, OwnershipType, SizeBand } from '../customer/customer.entity.js';
import { ImportField, type MappedColumn } from './import.types.js';

/** A header or enum word as compared: NFKC, lower case, without spaces, punctuation or a required-field star. */
export function headerKey(text: string): string {
  return text
    .normalize('NFKC')
    .toLowerCase()
    .replace(/[\s\p{P}\p{S}]+/gu, '');
}

/** The headers each field is recognised by, in English and Chinese (compared by `headerKey`). */
const HEADERS: Record<ImportField, string[]> = {
  [ImportField.LEGAL_NAME]: [
    'legal name',
    'company',
    'company name',
    'customer',
    'customer name',
    'account',
    'account name',
    'name',
    '法定名称',
    '公司名称',
    '客户名称',
    '企业名称',
    '单位名称',
    '客户',
    '公司',
  ],
  [ImportField.REGISTRATION_ID]: [
    'registration id',
    'registration number',
    'tax id',
    'uscc',
    'credit code',
    '统一社会信用代码',
    '信用代码',
    '税号',
    '纳税人识别号',
    '注册号',
  ],
  [ImportField.EXTERNAL_ID]: ['external id', 'external', 'erp id', 'source id', 'id', '外部编号', '外部id', '编号', '客户编号'],
  [ImportField.PROVINCE]: ['province', 'state', '省份', '省'],
  [ImportField.CITY]: ['city', '城市', '市'],
  [ImportField.ADDRESS_LINE]: ['address', 'street', 'address line', '地址', '详细地址', '街道'],
  [ImportField.POSTAL_CODE]: ['postal code', 'zip', 'postcode', '邮编', '邮政编码'],
  [ImportField.COUNTRY]: ['country', '国家'],
  [ImportField.INDUSTRY]: ['industry', 'sector', '行业', '所属行业'],
  [ImportField.PRODUCTS]: ['products', 'products and services', '产品', '主营产品', '经营范围'],
  [ImportField.SIZE_BAND]: ['size', 'size band', 'company size', '规模', '企业规模'],
  [ImportField.OWNERSHIP_TYPE]: ['ownership', 'ownership type', '所有制', '企业性质', '所有制类型'],
  [ImportField.SOURCE_CHANNEL]: ['source', 'channel', 'source channel', 'lead source', '来源', '渠道', '客户来源', '来源渠道'],
  [ImportField.WEBSITE]: ['website', 'web', 'url', 'domain', 'homepage', '网址', '网站', '官网', '主页'],
  [ImportField.TAGS]: ['tags', 'labels', '标签'],
  [ImportField.NOTES]: ['notes', 'note', 'remarks', 'comment', '备注', '说明'],
  [ImportField.TERRITORY]: ['territory', 'territory code', 'sales territory', '区域', '销售区域', '片区'],
  [ImportField.OWNER_EMAIL]: [
    'owner',
    'owner email',
    'owner e-mail',
    'account owner',
    'sales rep',
    '负责人',
    '负责人邮箱',
    '业务员',
    '销售',
  ],
  [ImportField.CONTACT_NAME]: ['contact', 'contact name', 'contact person', '联系人', '联系人姓名', '姓名'],
  [ImportField.CONTACT_MOBILE]: ['mobile', 'cell', 'mobile phone', 'contact mobile', '手机', '手机号', '手机号码', '移动电话'],
  [ImportField.CONTACT_PHONE]: ['phone', 'telephone', 'direct line', 'contact phone', '电话', '座机', '联系电话', '固定电话'],
  [ImportField.CONTACT_EMAIL]: ['email', 'e-mail', 'contact email', 'mail', '邮箱', '电子邮箱', '电子邮件', '联系人邮箱'],
  [ImportField.CONTACT_TITLE]: ['title', 'position', 'job title', 'role', '职位', '职务', '头衔'],
};

const BY_HEADER = new Map<string, ImportField>(
  (Object.entries(HEADERS) as [ImportField, string[]][]).flatMap(([field, names]) =>
    names.map((name) => [headerKey(name), field] as const),
  ),
);

/** The field a header names, if it is one we know. */
export function fieldOfHeader(header: string): ImportField | null {
  return BY_HEADER.get(headerKey(header)) ?? null;
}

/** Columns with the detected field of each header; a field goes to its first column only. */
export function detectMapping(headers: string[], samples: string[][]): MappedColumn[] {
  const taken = new Set<ImportField>();
  return headers.map((header, index) => {
    const detected = fieldOfHeader(header);
    const field = detected && !taken.has(detected) ? detected : null;
    if (field) taken.add(field);
    return { index, header, field, samples: samples[index] ?? [] };
  });
}

/** Columns mapped by a template: its header → field entries matched by `headerKey`. */
export function mappingFromTemplate(columns: MappedColumn[], template: { header: string; field: string }[]): MappedColumn[] {
  const byHeader = new Map(template.map((entry) => [headerKey(entry.header), entry.field as ImportField]));
  const taken = new Set<ImportField>();
  return columns.map((column) => {
    const field = byHeader.get(headerKey(column.header)) ?? null;
    const free = field && !taken.has(field) ? field : null;
    if (free) taken.add(free);
    return { ...column, field: free };
  });
}

function words<T extends string>(entries: [T, string[]][]): Map<string, T> {
  return new Map(entries.flatMap(([value, names]) => [value, ...names].map((name) => [headerKey(name), value] as const)));
}

const SIZE_WORDS = words<SizeBand>([
  [SizeBand.MICRO, ['微型', '微', 'micro']],
  [SizeBand.SMALL, ['小型', '小', 'small']],
  [SizeBand.MEDIUM, ['中型', '中', 'medium', 'mid']],
  [SizeBand.LARGE, ['大型', '大', 'large']],
  [SizeBand.ENTERPRISE, ['特大型', '超大型', '集团', 'enterprise']],
]);
const OWNERSHIP_WORDS = words<OwnershipType>([
  [OwnershipType.STATE_OWNED, ['国有', '国企', 'state owned', 'state']],
  [OwnershipType.PRIVATE, ['民营', '私营', '私企', 'private']],
  [OwnershipType.FOREIGN, ['外资', '外企', '合资', 'foreign']],
  [OwnershipType.OTHER, ['其他', 'other']],
]);
const CHANNEL_WORDS = words<Channel>([
  [Channel.FIELD, ['地推', '拜访', '上门', 'field', 'visit']],
  [Channel.PHONE, ['电话', 'phone', 'telephone']],
  [Channel.WEB, ['网站', '网络', '官网', 'web', 'website', 'online']],
  [Channel.CALL_CENTRE, ['呼叫中心', '客服', 'call centre', 'call center']],
  [Channel.EMAIL, ['邮件', '电子邮件', 'email', 'e-mail']],
  [Channel.REFERRAL, ['推荐', '介绍', '转介绍', 'referral']],
  [Channel.EVENT, ['展会', '活动', '会议', 'event', 'trade show', 'fair']],
  [Channel.OTHER, ['其他', 'other']],
]);

export const parseSizeBand = (value: string): SizeBand | null => SIZE_WORDS.get(headerKey(value)) ?? null;
export const parseOwnershipType = (value: string): OwnershipType | null => OWNERSHIP_WORDS.get(headerKey(value)) ?? null;
export const parseChannel = (value: string): Channel | null => CHANNEL_WORDS.get(headerKey(value)) ?? null;
