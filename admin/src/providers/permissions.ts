import type { Role } from '../../../schema/generated/graphql';

export type Action = 'list' | 'show' | 'create' | 'edit' | 'delete' | 'export' | string;

/**
 * What the console offers each role. UI only: the API enforces every rule itself, and anything
 * missing here is denied.
 */
const RULES: Record<Role, Record<string, readonly Action[] | '*'>> = {
  ADMIN: {
    '*': '*',
  },
  MANAGER: {
    dashboard: '*',
    customers: ['list', 'show', 'create', 'edit', 'delete'],
    contacts: '*',
    interactions: '*',
    orders: '*',
    payments: '*',
    regions: ['list', 'show'],
    users: ['list', 'show'],
  },
  REP: {
    dashboard: '*',
    customers: ['list', 'show', 'create', 'edit'],
    contacts: '*',
    interactions: '*',
    orders: '*',
    payments: '*',
  },
};

export function canRoleAccess(role: Role | null | undefined, resource: string, action: Action): boolean {
  if (!role) return false;
  const rules = RULES[role];
  const allowed = rules[resource] ?? rules['*'];
  if (!allowed) return false;
  return allowed === '*' || allowed.includes(action);
}
