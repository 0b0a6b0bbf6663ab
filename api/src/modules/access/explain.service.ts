import { type Viewer, TerritoryAccess, ApiKeyKind, Scope, Role } from '../../common/access/index.js';
import { CUSTOMER_FIELD_GROUPS, GROUP_SCOPES, type CustomerGroup } from './access.masks.js';
import { AccessLevel, canRead, customerAccess, hasScope } from './access.rules.js';

/** The rule that decides what a principal may do with an account. */
export enum AccessRule {
  ADMIN = 'ADMIN',
  OWNER = 'OWNER',
  TERRITORY_MEMBER = 'TERRITORY_MEMBER',
  REGION_MANAGER = 'REGION_MANAGER',
  API_KEY_TERRITORY = 'API_KEY_TERRITORY',
  DIRECTORY_ONLY = 'DIRECTORY_ONLY',
  INACTIVE_USER = 'INACTIVE_USER',
}

/** What the explanation needs to know of the account: its directory card, with names for the reasons. */
export interface ExplainedAccount {
  id: string;
  owner: string;
  ownerName: string;
  territory: string;
  territoryPath: string;
}

export interface GroupExplanation {
  group: CustomerGroup;
  fields: readonly string[];
  allowed: boolean;
  level: AccessLevel;
  rule: AccessRule;
  reason: string;
  /** The scope an API key needs for this group; null for users and the directory. */
  scope: Scope | null;
}

export interface Explanation {
  level: AccessLevel;
  rule: AccessRule;
  reason: string;
  groups: GroupExplanation[];
}

const TERRITORY_ACCESS_LEVEL: Record<TerritoryAccess, string> = {
  [TerritoryAccess.NONE]: 'no access to',
  [TerritoryAccess.READ]: 'read access to',
  [TerritoryAccess.EDIT]: 'edit access to',
};

/** The account-level rule, mirroring `customerAccess` case by case. */
function accountRule(subject: Viewer, account: ExplainedAccount, territoryAccess: TerritoryAccess): { rule: AccessRule; reason: string } {
  const where = `territory ${account.territoryPath}`;
  switch (subject.role) {
    case Role.ADMIN:
      return { rule: AccessRule.ADMIN, reason: 'Admins may read and change every account.' };
    case Role.MANAGER:
      if (subject.managedTerritories.includes(account.territory))
        return { rule: AccessRule.REGION_MANAGER, reason: `The account is in ${where}, within a region this manager oversees.` };
      return account.owner === subject.id
        ? {
            rule: AccessRule.DIRECTORY_ONLY,
            reason: `This manager owns the account, but it is in ${where}, outside their regions: owning does not extend reach, so only the directory card (reassign the account).`,
          }
        : {
            rule: AccessRule.DIRECTORY_ONLY,
            reason: `The account is in ${where}, outside this manager's regions: only that it exists and who owns it (${account.ownerName}).`,
          };
    case Role.REP:
      if (account.owner === subject.id) {
        return subject.memberTerritories.includes(account.territory)
          ? { rule: AccessRule.OWNER, reason: `This rep owns the account and works in ${where}.` }
          : {
              rule: AccessRule.DIRECTORY_ONLY,
              reason: `This rep owns the account but does not work in ${where}: ownership gives access only while the owner works in the territory, so only the directory card.`,
            };
      }
      if (subject.memberTerritories.includes(account.territory)) {
        const setting = `TERRITORY_ACCESS=${territoryAccess} gives members ${TERRITORY_ACCESS_LEVEL[territoryAccess]} colleagues' accounts`;
        return territoryAccess === TerritoryAccess.NONE
          ? { rule: AccessRule.DIRECTORY_ONLY, reason: `This rep is a member of ${where} but not the owner, and ${setting}.` }
          : { rule: AccessRule.TERRITORY_MEMBER, reason: `This rep is a member of ${where}, and ${setting}.` };
      }
      return {
        rule: AccessRule.DIRECTORY_ONLY,
        reason: `The account is owned by ${account.ownerName} in ${where}, where this rep does not work: only that it exists and who owns it.`,
      };
    case ApiKeyKind.INTEGRATOR:
    case ApiKeyKind.BI:
      return subject.keyTerritories.includes(account.territory)
        ? { rule: AccessRule.API_KEY_TERRITORY, reason: `The account is in ${where}, within the key's territories.` }
        : {
            rule: AccessRule.API_KEY_TERRITORY,
            reason: `The account is in ${where}, outside the key's territories: invisible to the key.`,
          };
  }
}

/**
 * Which rule grants or denies each field group of a customer, and why — computed with the same
 * policy functions the masks use (`customerAccess`, `readableGroups`' scope table), so the
 * explanation cannot disagree with what the API returns.
 */
export function explainCustomerAccess(
  subject: Viewer,
  active: boolean,
  account: ExplainedAccount,
  territoryAccess: TerritoryAccess,
): Explanation {
  const groups = Object.keys(CUSTOMER_FIELD_GROUPS) as CustomerGroup[];
  if (!active) {
    const reason = 'The user is deactivated: they cannot sign in, so they see nothing.';
    return {
      level: AccessLevel.NONE,
      rule: AccessRule.INACTIVE_USER,
      reason,
      groups: groups.map((group) => ({
        group,
        fields: CUSTOMER_FIELD_GROUPS[group],
        allowed: false,
        level: AccessLevel.NONE,
        rule: AccessRule.INACTIVE_USER,
        reason,
        scope: null,
      })),
    };
  }
  const level = customerAccess(subject, account, territoryAccess);
  const base = accountRule(subject, account, territoryAccess);
  const key = subject.kind === 'API_KEY';
  const explained = groups.map((group): GroupExplanation => {
    const fields = CUSTOMER_FIELD_GROUPS[group];
    // Users always know the directory card; the account rule already says why.
    if (group === 'directory')
      return { group, fields, allowed: level !== AccessLevel.NONE, level, rule: base.rule, reason: base.reason, scope: null };
    const scope = GROUP_SCOPES[group];
    if (!canRead(level)) return { group, fields, allowed: false, level, rule: base.rule, reason: base.reason, scope: key ? scope : null };
    if (!hasScope(subject, scope)) {
      return {
        group,
        fields,
        allowed: false,
        level,
        rule: AccessRule.API_KEY_TERRITORY,
        reason: `The key reaches the account but lacks the scope ${scope}.`,
        scope,
      };
    }
    const pii =
      group === 'contacts' && key && !hasScope(subject, Scope.PII_READ)
        ? ` Contact details (email, phone, mobile, IM handles) stay hidden without ${Scope.PII_READ}.`
        : '';
    return { group, fields, allowed: true, level, rule: base.rule, reason: `${base.reason}${pii}`, scope: key ? scope : null };
  });
  return { level, rule: base.rule, reason: base.reason, groups: explained };
}
