import 'reflect-metadata';
import { randomBytes } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { hashSecret } from '../../api/src/common/auth/session.js';
import { ApiKeyKind, Role, Scope, TerritoryAccess, type Viewer } from '../../api/src/common/access/index.js';
import { maskContact, maskCustomer } from '../../api/src/modules/access/access.masks.js';
import { ApiKey } from '../../api/src/modules/api-key/api-key.entity.js';
import { Contact } from '../../api/src/modules/contact/contact.entity.js';
import type { ContactRow } from '../../api/src/modules/contact/contact.rows.js';
import { Channel, CreditStanding, LifecycleStage, RelationshipLevel } from '../../api/src/modules/customer/customer.entity.js';
import type { CustomerRow } from '../../api/src/modules/customer/customer.rows.js';
import { Region } from '../../api/src/modules/region/region.entity.js';
import { createTestApp, type TestApp } from '../setup/app.js';

const TERRITORY = '00000000-0000-4000-8000-00000000000a';
const OTHER_TERRITORY = '00000000-0000-4000-8000-00000000000b';
const OWNER = '00000000-0000-4000-8000-000000000001';

/** A loaded customer row with a value in every column, so an absent property can only be the mask's doing. */
function customerRow(): CustomerRow {
  return {
    id: '00000000-0000-4000-8000-0000000000c1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    version: 3,
    legalName: 'Hangzhou Trading Co., Ltd.',
    normalizedName: 'hangzhou trading',
    registrationId: '913301000000000001',
    externalId: 'ERP-1',
    importId: null,
    registrationKey: '913301000000000001',
    industry: 'Retail',
    products: 'Tea',
    industryStanding: null,
    sizeBand: null,
    ownershipType: null,
    creditStanding: CreditStanding.GOOD,
    addressLine: '1 West Lake Road',
    city: 'Hangzhou',
    province: 'Zhejiang',
    postalCode: '310000',
    country: 'CN',
    websiteDomain: 'hz-trading.example.com',
    territory: TERRITORY,
    owner: OWNER,
    lifecycleStage: LifecycleStage.REPEAT,
    relationshipLevel: RelationshipLevel.BASIC,
    tags: ['key'],
    sourceChannel: Channel.FIELD,
    notes: 'Private notes',
    archivedAt: null,
    lastInteractionAt: '2025-03-01T00:00:00.000Z',
    lastOrderAt: '2025-04-01T00:00:00.000Z',
    mergedInto: null,
  };
}

function contactRow(): ContactRow {
  return {
    id: '00000000-0000-4000-8000-0000000000d1',
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-01T00:00:00.000Z',
    version: 1,
    customer: '00000000-0000-4000-8000-0000000000c1',
    name: 'Buyer',
    title: 'Purchasing manager',
    decisionRole: null,
    phone: '0571-0000000',
    mobile: '13800000001',
    email: 'buyer@customer.example',
    imHandles: { wechat: 'wx_1' },
    preferredChannel: null,
    preferredFrequency: null,
    importId: null,
    consent: true,
  };
}

function apiKey(scopes: Scope[]): Viewer {
  return {
    kind: 'API_KEY',
    id: '00000000-0000-4000-8000-0000000000e1',
    name: 'integration',
    email: null,
    role: ApiKeyKind.INTEGRATOR,
    memberTerritories: [],
    managedTerritories: [],
    keyTerritories: [TERRITORY],
    scopes,
  };
}

/** A rep of another territory: the directory tells them the account exists, and nothing more. */
const otherRep: Viewer = {
  kind: 'USER',
  id: '00000000-0000-4000-8000-000000000002',
  name: 'Other Rep',
  email: 'other@example.com',
  role: Role.REP,
  memberTerritories: [OTHER_TERRITORY],
  managedTerritories: [],
  keyTerritories: [],
  scopes: [],
};

function errorValues(row: object): string[] {
  return Object.entries(row)
    .filter(([, value]) => value instanceof Error)
    .map(([key]) => key);
}

describe('masked rows', () => {
  it('a directory-only viewer gets the card, its level and readable groups, and no other property', () => {
    const masked = maskCustomer(customerRow(), otherRep, TerritoryAccess.NONE);
    expect(masked).not.toBeNull();
    expect(errorValues(masked!)).toEqual([]);
    expect(Object.keys(masked!).sort()).toEqual(['access', 'id', 'legalName', 'owner', 'readable', 'territory']);
    expect(masked!.access).toBe('DIRECTORY');
    expect([...masked!.readable]).toEqual(['directory']);
  });

  it('a key with customers:read alone keeps the profile and loses the activity dates of interactions and orders', () => {
    const masked = maskCustomer(customerRow(), apiKey([Scope.CUSTOMERS_READ]), TerritoryAccess.NONE);
    expect(masked).not.toBeNull();
    expect(errorValues(masked!)).toEqual([]);
    expect('lastInteractionAt' in masked!).toBe(false);
    expect('lastOrderAt' in masked!).toBe(false);
    expect(masked!.notes).toBe('Private notes');
    expect(masked!.addressLine).toBe('1 West Lake Road');
    expect(masked!.access).toBe('READ');
    // customers:read opens the profile and the ownership history; every other group needs its own scope.
    expect([...masked!.readable].sort()).toEqual(['directory', 'ownership', 'profile']);
  });

  it('a key without pii:read gets the contact without its personal data, and no error in its place', () => {
    const masked = maskContact(contactRow(), apiKey([Scope.CONTACTS_READ]));
    expect(masked).not.toBeNull();
    expect(errorValues(masked!)).toEqual([]);
    for (const field of ['email', 'phone', 'mobile', 'imHandles']) expect(field in masked!, field).toBe(false);
    expect(masked!.piiReadable).toBe(false);
    expect(masked!.name).toBe('Buyer');
  });

  it('a key with pii:read gets the contact whole', () => {
    const masked = maskContact(contactRow(), apiKey([Scope.CONTACTS_READ, Scope.PII_READ]));
    expect(errorValues(masked!)).toEqual([]);
    expect(masked).toMatchObject({
      email: 'buyer@customer.example',
      mobile: '13800000001',
      imHandles: { wechat: 'wx_1' },
      piiReadable: true,
    });
  });
});

describe('a FORBIDDEN field answers as before', () => {
  let t: TestApp;

  beforeAll(async () => {
    t = await createTestApp();
  });

  afterAll(async () => {
    await t?.close();
  });

  /** graphql-js's location of the first `name` field after `after` in the one-line document. */
  function at(document: string, after: string, name: string): { line: number; column: number }[] {
    return [{ line: 1, column: document.indexOf(` ${name}`, document.indexOf(after)) + 2 }];
  }

  it("a rep of another territory selecting an account's profile: the card, and FORBIDDEN for each profile field", async () => {
    const hangzhou = t.baseline.customers[0]!;
    const document = 'query ($id: ID!) { customer(id: $id) { id legalName access registrationId notes version lastInteractionAt } }';
    const result = await t.gqlAs('repNingbo', document, { id: hangzhou.id });
    const forbidden = (field: string) => ({
      message: 'Not visible to you',
      locations: at(document, 'access', field),
      path: ['customer', field],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(result.status).toBe(200);
    expect(result.body).toEqual({
      errors: [forbidden('registrationId'), forbidden('notes'), forbidden('version'), forbidden('lastInteractionAt')],
      data: {
        customer: {
          id: hangzhou.id,
          legalName: hangzhou.legalName,
          access: 'DIRECTORY',
          registrationId: null,
          notes: null,
          version: null,
          lastInteractionAt: null,
        },
      },
    });
  });

  it('a key without pii:read reading a contact: its name, and FORBIDDEN for each personal detail', async () => {
    const em = t.orm.em.fork();
    const hangzhou = t.baseline.customers[0]!;
    const contact = await em.findOneOrFail(Contact, { customer: hangzhou.id });
    const prefix = randomBytes(6).toString('hex');
    const secret = randomBytes(32).toString('base64url');
    const key = em.create(ApiKey, {
      name: 'contacts without pii',
      prefix,
      secretHash: hashSecret(secret),
      kind: ApiKeyKind.INTEGRATOR,
      scopes: [Scope.CONTACTS_READ],
      createdBy: t.baseline.users.admin.id,
    });
    key.territories.add(em.getReference(Region, t.baseline.regions.hangzhou.id));
    await em.flush();

    const document = 'query ($id: ID!) { contact(id: $id) { id name email mobile imHandles { network handle } } }';
    const response = await t
      .http()
      .post('/graphql')
      .set('authorization', `Bearer acc_${prefix}_${secret}`)
      .send({ query: document, variables: { id: contact.id } });
    const forbidden = (field: string) => ({
      message: 'Not visible to you',
      locations: at(document, 'name', field),
      path: ['contact', field],
      extensions: { code: 'FORBIDDEN' },
    });
    expect(response.status).toBe(200);
    expect(response.body).toEqual({
      errors: [forbidden('email'), forbidden('mobile'), forbidden('imHandles')],
      data: { contact: { id: contact.id, name: contact.name, email: null, mobile: null, imHandles: null } },
    });
  });
});
