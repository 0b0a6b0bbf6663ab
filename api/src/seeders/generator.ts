/** The generator: deterministic rows for the reference data and for customers, chunk by chunk. */
import { randomUUID } from 'node:crypto';
import { Faker, base, en, zh_CN } from '@faker-js/faker';
import { normalizeDomain, normalizeName, registrationKey } from '../modules/customer/customer.normalize.js';
import { Channel, CreditStanding, LifecycleStage, OwnershipType, SizeBand } from '../modules/customer/customer.entity.js';
import { InteractionKind } from '../modules/interaction/interaction.entity.js';
import { OrderStatus } from '../modules/order/order.entity.js';
import { RegionKind } from '../modules/region/region.entity.js';
import { Role } from '../common/access/index.js';
import { batch, type Batch, Rows, textArrayLiteral } from './bulk-insert.js';
import {
  CATALOG_CHOICE,
  type CatalogItem,
  CONTACT_COUNT,
  CREDIT,
  DEFAULT,
  DISCOUNT,
  FREQUENCY,
  INSTALMENTS,
  KIND_CHANNEL,
  LATE,
  LINE_COUNT,
  OWNERSHIP_ZH,
  POST_PURCHASE,
  PRE_PURCHASE,
  PREFERRED_CHANNEL,
  RELATIONSHIP,
  SERVICE_KINDS,
  SIZE,
  SIZE_FACTOR,
  SIZE_LEVEL,
  SOURCE,
  STAGE_BY_AGE,
  STAGE_LEVEL,
  STANDING,
  TERMS,
  TLD,
} from './distributions.js';
import { type CityRow, type ProvinceDef, type RegionDef, REGIONS } from './geography.js';
import { Choice, Rng } from './random.js';
import { cnDay, cnYear, DAY, HOUR, hundredths, lineAmountCents, money, officeHours, thousandths } from './time-and-money.js';
import {
  BRAND_CHARS,
  type CatalogKind,
  EMAIL_HOSTS,
  EN_SUFFIXES,
  EXPOS_EN,
  EXPOS_ZH,
  INDUSTRIES,
  type IndustryDef,
  LEAD_TITLES,
  MOBILE_PREFIXES,
  NEXT_STEP,
  NOTES,
  ORG_WEIGHTS,
  OUTCOME,
  ROADS,
  SUMMARY,
  SURNAMES,
  TAGS_EN,
  TAGS_ZH,
  TITLE_CHOICE,
  USCC_CHARS,
  USCC_WEIGHTS,
  ZH_SUFFIXES,
} from './vocabulary.js';

type Lang = 'zh' | 'en';

/** Follow-ups each rep has booked for the coming week, at least (given enough open accounts). */
const FOLLOW_UPS_AHEAD = 4;
/** Two reps of different regions share the country's most common name: the console tells them apart by e-mail and region. */
const NAMESAKES: Record<string, string> = { 'rep1.east@demo.local': '王伟', 'rep2.south@demo.local': '王伟' };

export interface Territory {
  id: string;
  city: CityRow;
  province: ProvinceDef;
  region: RegionDef;
  managerId: string;
  repIds: string[];
}

const ALNUM = 'abcdefghijklmnopqrstuvwxyz0123456789';

export class DatasetGenerator {
  private readonly rng: Rng;
  private readonly fakerZh: Faker;
  private readonly fakerEn: Faker;
  private readonly now: number;
  private readonly reference: Batch;
  private readonly territories: Choice<Territory>;
  private readonly names = new Set<string>();
  private readonly domains = new Set<string>();
  private readonly registrations = new Set<string>();
  private readonly mobiles = new Set<string>();
  private readonly emails = new Set<string>();
  private readonly orderNumbers = new Map<number, number>();
  private contractNumber = 0;
  /** Per rep, their own interactions on their accounts with a follow-up in the coming week. */
  private readonly followUpsAhead = new Map<string, number>();

  constructor(seed: number, now: Date, passwordHash: string) {
    this.rng = new Rng(seed);
    this.fakerZh = new Faker({ locale: [zh_CN, en, base] });
    this.fakerZh.seed(this.rng.seed());
    this.fakerEn = new Faker({ locale: [en, base] });
    this.fakerEn.seed(this.rng.seed());
    this.now = now.getTime();
    const { statement: reference, territories } = this.buildReference(passwordHash);
    this.reference = reference;
    this.territories = new Choice(territories.map((t) => [t, t.region.weight * (t.city[3] ? 3 : 1)] as const));
  }

  referenceData(): Batch {
    return this.reference;
  }

  // -- regions and users ------------------------------------------------------------------------

  private buildReference(passwordHash: string): { statement: Batch; territories: Territory[] } {
    const rng = this.rng;
    const at = this.now - 3 * 365 * DAY - 30 * DAY;
    const regions = new Rows('region');
    const users = new Rows('app_user');
    const managed = new Rows('user_managed_region');
    const members = new Rows('user_territory');
    const codes = new Set<string>();
    const addRegion = (
      code: string,
      name: string,
      nameZh: string,
      kind: RegionKind,
      parentId: string | null,
      path: string,
      keyCity: boolean,
    ) => {
      if (codes.has(code)) throw new Error(`dataset: region code ${code} is not unique`);
      codes.add(code);
      const id = randomUUID();
      regions.add(id, at, at, code, name, nameZh, kind, parentId, path, keyCity);
      return id;
    };
    const addUser = (email: string, name: string, role: Role) => {
      const id = randomUUID();
      users.add(id, at, at, email, name, passwordHash, role, true);
      return id;
    };

    addUser('admin@demo.local', 'Admin', Role.ADMIN);
    const territories: Territory[] = [];
    for (const region of REGIONS) {
      const regionId = addRegion(region.code, region.name, region.nameZh, RegionKind.REGION, null, region.code, false);
      const lower = region.code.toLowerCase();
      const managerId = addUser(`manager.${lower}@demo.local`, this.chineseName().name, Role.MANAGER);
      managed.add(managerId, regionId);
      const repIds = [1, 2, 3].map((n) => {
        const email = `rep${n}.${lower}@demo.local`;
        const drawn = this.chineseName().name;
        return addUser(email, NAMESAKES[email] ?? drawn, Role.REP);
      });

      const regionTerritories: Territory[] = [];
      for (const province of region.provinces) {
        const provincePath = `${region.code}/${province.code}`;
        const provinceId = addRegion(province.code, province.name, province.nameZh, RegionKind.PROVINCE, regionId, provincePath, false);
        for (const city of province.cities) {
          const id = addRegion(city[0], city[1], city[2], RegionKind.TERRITORY, provinceId, `${provincePath}/${city[0]}`, city[3] === 1);
          regionTerritories.push({ id, city, province, region, managerId, repIds: [] });
        }
      }
      // Every territory gets at least one rep (round robin over a shuffled list), reps overlap on some.
      const shuffled = regionTerritories
        .map((t) => [rng.next(), t] as const)
        .sort((a, b) => a[0] - b[0])
        .map(([, t]) => t);
      shuffled.forEach((territory, i) => {
        repIds.forEach((repId, r) => {
          if (i % repIds.length === r || rng.chance(0.3)) {
            territory.repIds.push(repId);
            members.add(repId, territory.id);
          }
        });
      });
      territories.push(...regionTerritories);
    }
    return { statement: batch([regions, users, managed, members]), territories };
  }

  // -- customers --------------------------------------------------------------------------------

  customerChunk(count: number): Batch {
    const rows: ChunkRows = {
      customer: new Rows('customer'),
      contact: new Rows('contact'),
      interaction: new Rows('interaction'),
      order: new Rows('sales_order'),
      line: new Rows('order_line'),
      payment: new Rows('payment'),
    };
    for (let i = 0; i < count; i++) this.customer(rows);
    return batch([rows.customer, rows.contact, rows.interaction, rows.order, rows.line, rows.payment]);
  }

  private customer(rows: ChunkRows): void {
    const rng = this.rng;
    const now = this.now;
    const territory = this.territories.pick(rng);
    const ownerId = rng.pick(territory.repIds);
    const lang: Lang = rng.chance(0.14) ? 'en' : 'zh';
    const industry = rng.pick(INDUSTRIES);
    const size = SIZE.pick(rng);
    const sizeFactor = SIZE_FACTOR[size];
    const ownership = lang === 'en' ? (rng.chance(0.85) ? OwnershipType.FOREIGN : OwnershipType.PRIVATE) : OWNERSHIP_ZH.pick(rng);
    const name = this.companyName(lang, territory, industry, ownership, size);
    const domain = rng.chance(size === SizeBand.MICRO ? 0.4 : 0.78) ? this.domain(lang, name.stems, territory) : null;

    // Life: created within the last three years, a stage consistent with its age and, for
    // dormant and lost accounts, an end of activity well in the past.
    const ageDays = 1 + Math.floor(1094 * rng.next() ** 1.15);
    const created = Math.min(officeHours(rng, now - ageDays * DAY), now - HOUR);
    const stage = STAGE_BY_AGE.find(([maxAge]) => ageDays < maxAge)![1].pick(rng);
    let lifeEnd = now;
    if (stage === LifecycleStage.DORMANT) lifeEnd = now - rng.int(150, Math.min(540, ageDays - 90)) * DAY;
    if (stage === LifecycleStage.LOST) lifeEnd = now - rng.int(240, Math.min(900, ageDays - 90)) * DAY;
    const span = Math.max(lifeEnd - created, HOUR);
    /** An office-hours instant in [from, to] (and in the past); drawn again rather than clamped, so nothing piles up on a bound. */
    const within = (from: number, to: number) => {
      const upper = Math.min(to, now - 60_000);
      if (upper <= from) return upper;
      for (let attempt = 0; attempt < 6; attempt++) {
        const at = officeHours(rng, from + rng.next() * (upper - from));
        if (at >= from && at <= upper) return at;
      }
      return Math.floor(from + rng.next() * (upper - from));
    };

    const credit =
      (stage === LifecycleStage.POTENTIAL || stage === LifecycleStage.INTENTION) && rng.chance(0.5)
        ? CreditStanding.UNKNOWN
        : CREDIT.pick(rng);
    const currency = lang === 'en' && rng.chance(0.35) ? (rng.chance(0.75) ? 'USD' : 'EUR') : 'CNY';
    const customerId = randomUUID();

    // Contacts.
    const contacts: { id: string; name: string }[] = [];
    const contactCount = CONTACT_COUNT.pick(rng);
    for (let i = 0; i < contactCount; i++) {
      const at = i === 0 ? created : within(created, Math.min(created + 90 * DAY, lifeEnd));
      contacts.push(this.contact(rows.contact, customerId, lang, domain, territory, i === 0, at));
    }

    // Orders: purchases (confirmed or later), open quotes, cancelled orders.
    const purchases: number[] = [];
    const quotes: number[] = [];
    const cancelled: number[] = [];
    const purchaseCount =
      stage === LifecycleStage.FIRST_PURCHASE
        ? 1
        : stage === LifecycleStage.REPEAT
          ? // An established account buys a few times a year, so most are loyal in a full year (two purchases or more).
            Math.min(30, 2 + Math.floor((span / (365 * DAY)) * (3 + rng.next() * 2) * Math.max(0.8, Math.sqrt(sizeFactor))))
          : stage === LifecycleStage.DORMANT || stage === LifecycleStage.LOST
            ? rng.int(1, 3)
            : 0;
    if (purchaseCount > 0) {
      const first = within(created + 7 * DAY, created + Math.max(8, Math.min(120, (span / DAY) * 0.5)) * DAY);
      purchases.push(first);
      for (let i = 1; i < purchaseCount; i++) purchases.push(within(first + 7 * DAY, lifeEnd));
      purchases.sort((a, b) => a - b);
    }
    const quoteCount =
      stage === LifecycleStage.INTENTION
        ? new Choice([
            [0, 35],
            [1, 45],
            [2, 20],
          ] as const).pick(rng)
        : stage === LifecycleStage.FIRST_PURCHASE
          ? Number(rng.chance(0.3))
          : stage === LifecycleStage.REPEAT
            ? Number(rng.chance(0.3))
            : stage === LifecycleStage.DORMANT
              ? Number(rng.chance(0.1))
              : stage === LifecycleStage.LOST
                ? Number(rng.chance(0.15))
                : 0;
    const stale = stage === LifecycleStage.DORMANT || stage === LifecycleStage.LOST;
    for (let i = 0; i < quoteCount; i++) quotes.push(within(Math.max(created, lifeEnd - (stale ? 30 : 120) * DAY), lifeEnd));
    const cancelChance = { POTENTIAL: 0, INTENTION: 0.05, FIRST_PURCHASE: 0.06, REPEAT: 0.12, DORMANT: 0.1, LOST: 0.3 }[stage];
    if (rng.chance(cancelChance)) cancelled.push(within(created, lifeEnd));

    const ordered: CatalogItem[] = [];
    const terms = TERMS.pick(rng);
    const risk = stale ? 2 : 1;
    for (const at of purchases) this.order(rows, customerId, lang, currency, 'purchase', at, sizeFactor, credit, terms, risk, ordered);
    for (const at of quotes) this.order(rows, customerId, lang, currency, 'quote', at, sizeFactor, credit, terms, risk, ordered);
    for (const at of cancelled) this.order(rows, customerId, lang, currency, 'cancelled', at, sizeFactor, credit, terms, risk, ordered);

    // Interactions over the customer's life; service kinds appear after the first purchase.
    const base = { POTENTIAL: 4.5, INTENTION: 7.5, FIRST_PURCHASE: 8.5, REPEAT: 8.5, DORMANT: 7.5, LOST: 6.5 }[stage];
    const interactionCount = Math.max(1, Math.round(base * (0.5 + rng.next())) + Math.round(purchaseCount * 0.9));
    const times: number[] = [created];
    for (let i = 1; i < interactionCount; i++) times.push(within(created, lifeEnd));
    // Every rep has follow-ups due in the coming days: a recent contact on an open account, its next step booked.
    const today = cnDay(now);
    const booked =
      !stale && ((this.followUpsAhead.get(ownerId) ?? 0) < FOLLOW_UPS_AHEAD || rng.chance(0.08))
        ? within(Math.max(created, now - 6 * DAY), now)
        : null;
    if (booked !== null) times.push(booked);
    times.sort((a, b) => a - b);
    const firstPurchase = purchases[0] ?? Infinity;
    const otherReps = territory.repIds.filter((id) => id !== ownerId);
    times.forEach((at, i) => {
      const last = i === times.length - 1;
      let kind: InteractionKind = at > firstPurchase ? POST_PURCHASE.pick(rng) : PRE_PURCHASE.pick(rng);
      if (stage === LifecycleStage.LOST && last) kind = rng.chance(0.5) ? InteractionKind.COMPLAINT : InteractionKind.CALL;
      const authorRoll = rng.next();
      const authorId =
        at === booked || authorRoll < 0.85 || (authorRoll >= 0.93 && otherReps.length === 0)
          ? ownerId
          : authorRoll < 0.93
            ? territory.managerId
            : rng.pick(otherReps);
      const contact = rng.chance(0.8) ? contacts[rng.chance(0.5) ? 0 : rng.int(0, contacts.length - 1)] : null;
      const product = ordered.length && rng.chance(0.7) ? rng.pick(ordered) : CATALOG_CHOICE.pick(rng);
      const text = (template: string) =>
        template
          .replace('{c}', contact?.name ?? (lang === 'zh' ? '客户' : 'the customer'))
          .replace('{p}', lang === 'zh' ? product[0] : product[1])
          .replace('{n}', String(rng.int(2, 12)));
      const outcomes = OUTCOME[lang];
      const outcome =
        stage === LifecycleStage.LOST && last
          ? rng.pick(outcomes.lost)
          : rng.chance(0.8)
            ? rng.pick(SERVICE_KINDS.has(kind) ? outcomes.service : outcomes.sales)
            : null;
      const nextStep =
        at === booked
          ? rng.pick(NEXT_STEP[lang])
          : stage === LifecycleStage.LOST && last
            ? null
            : rng.chance(0.6)
              ? rng.pick(NEXT_STEP[lang])
              : null;
      const followUp =
        at === booked
          ? today + rng.int(1, 6)
          : nextStep && rng.chance(last && !stale ? 0.8 : 0.35)
            ? cnDay(at + rng.int(2, 21) * DAY)
            : null;
      if (followUp !== null && followUp >= today && followUp <= today + 7 && authorId === ownerId)
        this.followUpsAhead.set(ownerId, (this.followUpsAhead.get(ownerId) ?? 0) + 1);
      const logged = Math.min(at + rng.int(5, 240) * 60_000, now);
      rows.interaction.add(
        randomUUID(),
        logged,
        logged,
        customerId,
        contact?.id ?? null,
        authorId,
        kind,
        KIND_CHANNEL[kind].pick(rng),
        at,
        text(rng.pick(SUMMARY[lang][kind])),
        outcome,
        nextStep,
        followUp,
      );
    });

    // The account itself.
    const lastActivity = Math.max(times[times.length - 1], purchases[purchases.length - 1] ?? 0, quotes[quotes.length - 1] ?? 0);
    const level = Math.floor(SIZE_LEVEL[size] + STAGE_LEVEL[stage] + rng.next() * 1.6 - 0.3);
    const relationship = RELATIONSHIP[Math.max(0, Math.min(RELATIONSHIP.length - 1, level))];
    const archivedAt = stage === LifecycleStage.LOST && rng.chance(0.3) ? Math.min(lifeEnd + rng.int(30, 200) * DAY, now - DAY) : null;
    const updated = archivedAt ?? Math.max(created, Math.min(lastActivity + rng.int(0, 3) * DAY, now));
    const address = this.address(lang, territory, industry);
    const products = lang === 'zh' ? this.some(industry.productsZh, 2, 3).join('、') : this.some(industry.productsEn, 2, 3).join(', ');
    const tags = this.tags(lang, size, stage, ownership);
    const notes = rng.chance(0.4) ? this.note(lang, sizeFactor) : null;
    const registrationId = rng.chance(0.92) ? this.registrationId(territory) : null;
    rows.customer.add(
      customerId,
      created,
      updated,
      name.legal,
      name.normalized,
      registrationId,
      registrationId && registrationKey(registrationId),
      industry.name,
      products,
      rng.chance(0.9) ? STANDING.pick(rng) : null,
      size,
      ownership,
      credit,
      address.line,
      address.city,
      address.province,
      address.postalCode,
      'CN',
      domain,
      territory.id,
      ownerId,
      stage,
      relationship,
      textArrayLiteral(tags),
      SOURCE.pick(rng),
      notes,
      archivedAt === null ? null : archivedAt,
    );
  }

  // -- orders -----------------------------------------------------------------------------------

  private order(
    rows: ChunkRows,
    customerId: string,
    lang: Lang,
    currency: string,
    type: 'purchase' | 'quote' | 'cancelled',
    at: number,
    sizeFactor: number,
    credit: CreditStanding,
    terms: number,
    risk: number,
    ordered: CatalogItem[],
  ): void {
    const rng = this.rng;
    const now = this.now;
    const id = randomUUID();
    const year = cnYear(at);
    const sequence = (this.orderNumbers.get(year) ?? 0) + 1;
    this.orderNumbers.set(year, sequence);
    const number = `SO-${year}-${String(sequence).padStart(6, '0')}`;
    const age = now - at;
    let status: OrderStatus;
    if (type === 'quote') status = OrderStatus.QUOTE;
    else if (type === 'cancelled') status = OrderStatus.CANCELLED;
    else if (age < 7 * DAY) status = rng.chance(0.85) ? OrderStatus.CONFIRMED : OrderStatus.SHIPPED;
    else if (age < 25 * DAY)
      status = new Choice<OrderStatus>([
        [OrderStatus.CONFIRMED, 25],
        [OrderStatus.SHIPPED, 55],
        [OrderStatus.DELIVERED, 20],
      ]).pick(rng);
    else status = rng.chance(0.98) ? OrderStatus.DELIVERED : OrderStatus.SHIPPED;
    const winProbability = type === 'quote' ? rng.pick([10, 20, 25, 30, 40, 50, 60, 70, 75, 80, 90]) : null;
    const contractRef =
      type === 'purchase' ? `${lang === 'zh' ? 'HT' : 'CT'}-${year}-${String(++this.contractNumber).padStart(5, '0')}` : null;
    const created = at;
    const updated = Math.min(
      at + (status === OrderStatus.DELIVERED ? rng.int(10, 30) : status === OrderStatus.SHIPPED ? rng.int(3, 7) : rng.int(0, 2)) * DAY,
      now,
    );

    // Lines. quantity × unit price is always a whole number of cents here (half quantities only
    // for services, priced in whole units), so the subtotal does not depend on where it is rounded.
    const lineCount = LINE_COUNT.pick(rng);
    const items = new Set<CatalogItem>();
    while (items.size < lineCount) items.add(CATALOG_CHOICE.pick(rng));
    let grossThousandths = 0;
    let totalCents = 0;
    let position = 0;
    for (const item of items) {
      if (type === 'purchase') ordered.push(item);
      const [zhName, enName, listCents, kind] = item;
      const scale = Math.max(1, Math.round(sizeFactor * (0.5 + rng.next())));
      const quantity3 =
        kind === 'unit'
          ? rng.int(1, 4 * scale) * 1000
          : kind === 'small'
            ? rng.int(1, 12 * scale) * 5000
            : kind === 'bulk'
              ? rng.int(1, 10 * scale) * 100_000
              : kind === 'service'
                ? rng.int(1, 12 * scale) * 500
                : rng.int(1, sizeFactor >= 2 ? 3 : 1) * 1000;
      const priceCents = this.unitPrice(listCents, currency, kind);
      const discount2 = DISCOUNT.pick(rng);
      const amountCents = lineAmountCents(quantity3, priceCents, discount2);
      grossThousandths += quantity3 * priceCents;
      totalCents += amountCents;
      rows.line.add(
        randomUUID(),
        created,
        created,
        id,
        ++position,
        lang === 'zh' ? zhName : enName,
        thousandths(quantity3),
        money(priceCents),
        hundredths(discount2),
        money(amountCents),
      );
    }
    const subtotalCents = Math.floor((2 * grossThousandths + 1000) / 2000);
    rows.order.add(
      id,
      created,
      updated,
      customerId,
      number,
      status,
      created,
      winProbability,
      currency,
      contractRef,
      money(subtotalCents),
      money(subtotalCents - totalCents),
      money(totalCents),
    );

    if (type !== 'purchase') return;
    // Payments: 1–3 instalments (deposit, balance, retention) that add up to the total.
    const plan = INSTALMENTS.pick(rng);
    const dueOffsets = plan.length === 1 ? [terms] : plan.length === 2 ? [7, 30 + terms] : [7, 30 + terms, 365];
    let allocated = 0;
    plan.forEach((percent, i) => {
      const amount = i === plan.length - 1 ? totalCents - allocated : Math.floor((totalCents * percent) / 100);
      allocated += amount;
      const due = at + dueOffsets[i] * DAY;
      let paid: number | null;
      if (due > now) paid = rng.chance(0.15) ? Math.min(officeHours(rng, at + rng.next() * (now - at)), now - 60_000) : null;
      else if (rng.chance(DEFAULT[credit] * risk)) paid = null;
      else if (rng.chance(LATE[credit] * risk)) paid = officeHours(rng, due + rng.int(1, 75) * DAY);
      else paid = Math.max(at, officeHours(rng, due - rng.int(0, 10) * DAY));
      if (paid !== null && paid > now) paid = null;
      rows.payment.add(randomUUID(), created, paid === null ? created : paid, id, money(amount), cnDay(due), paid === null ? null : paid);
    });
  }

  private unitPrice(listCents: number, currency: string, kind: CatalogKind): number {
    const rng = this.rng;
    const rate = currency === 'USD' ? 7.1 : currency === 'EUR' ? 7.8 : 1;
    let cents = listCents / rate;
    if (rng.chance(0.4)) cents *= 0.92 + rng.next() * 0.13; // negotiated
    // Services are sold by the half day / half hour: whole units keep quantity × price in cents.
    const step = kind === 'service' || cents >= 10_000 ? 100 : 10;
    return Math.max(step, Math.round(cents / step) * step);
  }

  // -- names, addresses, contacts ----------------------------------------------------------------

  private chineseName(): { name: string; surname: string } {
    const [surname, surnamePinyin] = SURNAMES.pick(this.rng);
    const sex = this.rng.chance(0.55) ? 'male' : 'female';
    return { name: surname + this.fakerZh.person.firstName(sex), surname: surnamePinyin };
  }

  private companyName(
    lang: Lang,
    t: Territory,
    industry: IndustryDef,
    ownership: OwnershipType,
    size: SizeBand,
  ): { legal: string; normalized: string; stems: string[] } {
    const rng = this.rng;
    const cityShort = t.province.municipality ? t.province.short : t.city[2].replace(/市$/, '');
    const cityEn = (t.province.municipality ? t.province.name : t.city[1]).replace(/ City$/, '');
    for (let attempt = 0; ; attempt++) {
      let legal: string;
      let stems: string[];
      if (lang === 'zh') {
        const [c1, p1] = rng.pick(BRAND_CHARS);
        let [c2, p2] = rng.pick(BRAND_CHARS);
        if (c2 === c1) [c2, p2] = rng.pick(BRAND_CHARS);
        const brand = c1 + c2;
        const pinyin = p1 + p2;
        const word = rng.pick(industry.zhWords);
        const roll = rng.next();
        if (ownership === OwnershipType.STATE_OWNED && roll < 0.6)
          legal = roll < 0.3 ? `${t.province.short}${brand}${word}集团有限公司` : `${cityShort}市${brand}${word}有限公司`;
        else if (roll < 0.1) legal = `${brand}${word}（${cityShort}）有限公司`;
        else if ((size === SizeBand.MICRO || size === SizeBand.SMALL) && roll < 0.18) legal = `${cityShort}市${brand}${word}厂`;
        else legal = `${cityShort}${brand}${word}${ZH_SUFFIXES.pick(rng)}`;
        stems = [
          pinyin,
          `${pinyin}${industry.slug}`,
          `${cityEn.toLowerCase().replace(/[^a-z]/g, '')}${pinyin}`,
          `${pinyin}-${industry.slug}`,
        ];
      } else {
        const last = this.fakerEn.person.lastName();
        const word = rng.pick(industry.enWords);
        const roll = rng.next();
        if (roll < 0.4) legal = `${last} ${word} (${cityEn}) Co., Ltd.`;
        else if (roll < 0.55) legal = `${last} & ${this.fakerEn.person.lastName()} ${word} ${EN_SUFFIXES.pick(rng)}`;
        else legal = `${last} ${word} ${EN_SUFFIXES.pick(rng)}`;
        const a = last.toLowerCase().replace(/[^a-z]/g, '');
        const b = word
          .split(' ')[0]
          .toLowerCase()
          .replace(/[^a-z]/g, '');
        stems = [`${a}${b}`, `${a}-${b}`, `${a}${b}-cn`, `${a}-china`];
      }
      if (attempt >= 40)
        legal = lang === 'zh' ? legal.replace(/(有限公司|厂)$/, `第${attempt}分厂$1`) : `${legal.replace(/\.$/, '')} No. ${attempt}`;
      const normalized = normalizeName(legal);
      if (!this.names.has(normalized)) {
        this.names.add(normalized);
        return { legal, normalized, stems };
      }
    }
  }

  private domain(lang: Lang, stems: string[], t: Territory): string | null {
    const rng = this.rng;
    const first = rng.int(0, stems.length - 1);
    const candidates = [...stems.slice(first), ...stems.slice(0, first)].filter(Boolean);
    const tld = lang === 'en' ? (rng.chance(0.8) ? '.com' : '.cn') : TLD.pick(rng);
    const citySuffix = t.city[0].toLowerCase();
    for (const stem of [...candidates, ...candidates.map((c) => `${c}-${citySuffix}`)]) {
      const domain = normalizeDomain(`www.${stem}${tld}`);
      if (domain && !this.domains.has(domain)) {
        this.domains.add(domain);
        return domain;
      }
    }
    return null;
  }

  private address(lang: Lang, t: Territory, industry: IndustryDef): { line: string; city: string; province: string; postalCode: string } {
    const rng = this.rng;
    const [roadZh, roadEn] = rng.pick(ROADS);
    const kind = rng.next();
    const no = rng.int(1, 1888);
    const district = t.province.municipality;
    const postal = t.city[5];
    const postalCode = rng.chance(0.3) ? postal : postal.slice(0, 4) + String(rng.int(0, 99)).padStart(2, '0');
    const industrial =
      industry.name === 'Machinery' || industry.name === 'Metals' || industry.name === 'Chemicals' || industry.name === 'Automotive';
    if (lang === 'zh') {
      const road = `${roadZh}${kind < 0.6 ? '路' : kind < 0.8 ? '大道' : '街'}`;
      const building = rng.next();
      const suffix =
        industrial && building < 0.3
          ? `${rng.int(1, 12)}号厂房`
          : building < 0.3
            ? `${rng.int(1, 30)}栋${rng.int(1, 28)}层`
            : building < 0.5
              ? `${rng.pick(BRAND_CHARS)[0]}${rng.pick(BRAND_CHARS)[0]}大厦${rng.int(2, 35)}层`
              : '';
      const zone = !district && industrial && rng.chance(0.25) ? '经济技术开发区' : '';
      return {
        line: `${district ? t.city[2] : ''}${zone}${road}${no}号${suffix}`,
        city: district ? t.province.nameZh : t.city[2],
        province: t.province.nameZh,
        postalCode,
      };
    }
    const road = `${roadEn} ${kind < 0.6 ? 'Road' : kind < 0.8 ? 'Avenue' : 'Street'}`;
    const room = rng.chance(0.5)
      ? `Room ${rng.int(2, 30)}${String(rng.int(1, 20)).padStart(2, '0')}, `
      : industrial && rng.chance(0.5)
        ? `Plant ${rng.int(1, 12)}, `
        : '';
    return {
      line: `${room}No. ${no} ${road}${district ? `, ${t.city[1]}` : ''}`,
      city: district ? t.province.name : t.city[1],
      province: t.province.name,
      postalCode,
    };
  }

  private contact(
    rows: Rows,
    customerId: string,
    lang: Lang,
    domain: string | null,
    t: Territory,
    lead: boolean,
    at: number,
  ): { id: string; name: string } {
    const rng = this.rng;
    const id = randomUUID();
    const [titleZh, titleEn, role] = lead ? rng.pick(LEAD_TITLES) : TITLE_CHOICE.pick(rng);
    const sex = rng.chance(0.6) ? 'male' : 'female';
    let name: string;
    let localParts: string[];
    let surname = '';
    const im: Record<string, string> = {};
    let qq: string | null = null;
    if (lang === 'zh') {
      const person = this.chineseName();
      name = person.name;
      surname = person.surname;
      const english = this.fakerEn.person
        .firstName(sex)
        .toLowerCase()
        .replace(/[^a-z]/g, '');
      qq = rng.chance(0.5) ? String(rng.int(1, 9)) + rng.digits(rng.int(5, 9)) : null;
      if (qq) im.qq = qq;
      localParts = domain ? [rng.chance(0.5) ? `${english}.${person.surname}` : `${person.surname}${rng.int(1, 99)}`] : [];
      if (rng.chance(0.8)) im.wechat = rng.chance(0.5) ? `wxid_${this.alnum(10)}` : `${person.surname}${rng.digits(4)}`;
    } else {
      const first = this.fakerEn.person.firstName(sex);
      const last = this.fakerEn.person.lastName();
      name = `${first} ${last}`;
      localParts = [`${first}.${last}`.toLowerCase().replace(/[^a-z.]/g, '')];
      if (rng.chance(0.4)) im.wechat = `${first}${last}`.toLowerCase().replace(/[^a-z]/g, '') + rng.digits(2);
    }
    const mobile = rng.chance(0.9) ? this.mobile() : null;
    if (lang === 'zh' && mobile && im.wechat === undefined && rng.chance(0.5)) im.wechat = mobile;
    const area = t.city[6];
    const phone = rng.chance(0.7)
      ? `${area}-${rng.int(2, 8)}${rng.digits(area.length === 3 ? 7 : rng.chance(0.5) ? 6 : 7)}${rng.chance(0.15) ? `-${rng.int(100, 899)}` : ''}`
      : null;
    let email: string | null = null;
    if (rng.chance(0.85)) {
      if (domain && localParts.length && rng.chance(lang === 'en' ? 0.9 : 0.6)) email = `${localParts[0]}@${domain}`;
      else if (lang === 'zh' && qq) email = `${qq}@qq.com`;
      else
        email = `${lang === 'zh' ? `${surname}${rng.digits(rng.int(3, 4))}` : localParts[0]}@${lang === 'zh' ? rng.pick(EMAIL_HOSTS) : rng.pick(['gmail.com', 'outlook.com'])}`;
      while (this.emails.has(email)) email = email.replace('@', String(rng.int(0, 9)) + '@');
      this.emails.add(email);
    }
    const channel = lang === 'en' && rng.chance(0.4) ? Channel.EMAIL : PREFERRED_CHANNEL.pick(rng);
    const created = at;
    rows.add(
      id,
      created,
      created,
      customerId,
      name,
      lang === 'zh' ? titleZh : titleEn,
      role,
      phone,
      mobile,
      email,
      JSON.stringify(im),
      channel,
      FREQUENCY.pick(rng),
      rng.chance(0.6),
    );
    return { id, name };
  }

  private mobile(): string {
    for (;;) {
      const mobile = this.rng.pick(MOBILE_PREFIXES) + this.rng.digits(8);
      if (!this.mobiles.has(mobile)) {
        this.mobiles.add(mobile);
        return mobile;
      }
    }
  }

  /** 18 characters: 9 (industry & commerce) 1 (enterprise), the division code, an organisation code with its check digit, the check character. */
  private registrationId(t: Territory): string {
    const rng = this.rng;
    for (;;) {
      let org = '';
      let orgSum = 0;
      for (let i = 0; i < 8; i++) {
        const char = i > 0 && rng.chance(0.1) ? USCC_CHARS[rng.int(10, USCC_CHARS.length - 1)] : String(rng.int(0, 9));
        org += char;
        orgSum += (char >= 'A' ? char.charCodeAt(0) - 55 : Number(char)) * ORG_WEIGHTS[i];
      }
      const orgCheck = 11 - (orgSum % 11);
      org += orgCheck === 10 ? 'X' : orgCheck === 11 ? '0' : String(orgCheck);
      const body = `91${t.city[4]}${org}`;
      let sum = 0;
      for (let i = 0; i < 17; i++) sum += USCC_CHARS.indexOf(body[i]) * USCC_WEIGHTS[i];
      const id = body + USCC_CHARS[(31 - (sum % 31)) % 31];
      // Unique as identity keys, not only as strings (see registrationKey).
      const key = registrationKey(id);
      if (!this.registrations.has(key)) {
        this.registrations.add(key);
        return id;
      }
    }
  }

  private tags(lang: Lang, size: SizeBand, stage: LifecycleStage, ownership: OwnershipType): string[] {
    const rng = this.rng;
    const tags = new Set<string>();
    if ((size === SizeBand.LARGE || size === SizeBand.ENTERPRISE) && stage === LifecycleStage.REPEAT && rng.chance(0.6))
      tags.add(lang === 'zh' && rng.chance(0.4) ? '重点客户' : 'key-account');
    if (ownership === OwnershipType.STATE_OWNED && rng.chance(0.4)) tags.add(rng.chance(0.5) ? 'government' : 'tender');
    const extra = new Choice([
      [0, 45],
      [1, 35],
      [2, 15],
      [3, 5],
    ] as const).pick(rng);
    for (let i = 0; i < extra; i++) tags.add(lang === 'zh' && rng.chance(0.3) ? rng.pick(TAGS_ZH) : rng.pick(TAGS_EN));
    return [...tags];
  }

  private note(lang: Lang, sizeFactor: number): string {
    const rng = this.rng;
    const product = CATALOG_CHOICE.pick(rng);
    return rng
      .pick(NOTES[lang])
      .replace('{n}', String(Math.max(5, Math.round(sizeFactor * rng.int(10, 80)))))
      .replace('{expo}', rng.pick(lang === 'zh' ? EXPOS_ZH : EXPOS_EN))
      .replace('{p}', lang === 'zh' ? product[0] : product[1]);
  }

  private some<T>(items: readonly T[], min: number, max: number): T[] {
    const pool = [...items];
    const out: T[] = [];
    const n = Math.min(pool.length, this.rng.int(min, max));
    while (out.length < n) out.push(pool.splice(this.rng.int(0, pool.length - 1), 1)[0]);
    return out;
  }

  private alnum(n: number): string {
    let out = '';
    for (let i = 0; i < n; i++) out += ALNUM[this.rng.int(0, ALNUM.length - 1)];
    return out;
  }
}

interface ChunkRows {
  customer: Rows;
  contact: Rows;
  interaction: Rows;
  order: Rows;
  line: Rows;
  payment: Rows;
}
