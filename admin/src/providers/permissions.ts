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
    // reassign: bulk reassignment within their regions.
    customers: ['list', 'show', 'create', 'edit', 'delete', 'reassign'],
    contacts: '*',
    interactions: '*',
    orders: '*',
    payments: '*',
    // Imports into their regions; merges of accounts all in their regions (the API checks each record).
    imports: ['list', 'show', 'create'],
    duplicateCandidates: ['list'],
    merges: ['create', 'show'],
    regions: ['list', 'show'],
    users: ['list', 'show'],
    // Rules whose territory lies in their regions (the API refuses the rest); realignment of their accounts.
    assignmentRules: '*',
    // decide: approve or reject (the API checks they manage both territories).
    transfers: ['list', 'show', 'create', 'decide'],
    // Stage changes that need approval (backwards, or skipping a stage) in their regions.
    stageChanges: ['list', 'decide'],
    auditEvents: ['list'],
    // Managers review cycles; defining, running and publishing them is for admins.
    evaluationCycles: ['list', 'show'],
  },
  REP: {
    dashboard: '*',
    customers: ['list', 'show', 'create', 'edit'],
    contacts: '*',
    interactions: '*',
    orders: '*',
    payments: '*',
    // Imports into their own territories as owner; merges of accounts they own.
    imports: ['list', 'show', 'create'],
    duplicateCandidates: ['list'],
    merges: ['create', 'show'],
    // Their own requests (and those about accounts they own); they may cancel what they filed.
    transfers: ['list', 'show', 'create'],
    // Their stage change requests, and whether a manager decided them.
    stageChanges: ['list'],
  },
};

export function canRoleAccess(role: Role | null | undefined, resource: string, action: Action): boolean {
  if (!role) return false;
  const rules = RULES[role];
  const allowed = rules[resource] ?? rules['*'];
  if (!allowed) return false;
  return allowed === '*' || allowed.includes(action);
}

/** Every action the rules name, and react-admin's own: what a screen may ask canAccess about. */
export const KNOWN_ACTIONS: readonly Action[] = [
  ...new Set([
    'list',
    'show',
    'create',
    'edit',
    'delete',
    'export',
    ...Object.values(RULES).flatMap((rules) => Object.values(rules).flatMap((actions) => (actions === '*' ? [] : actions))),
  ]),
];
