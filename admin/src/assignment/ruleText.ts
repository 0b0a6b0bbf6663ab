import type { TranslateFunction } from 'react-admin';
import { intlLocale } from '../common/format';
import { GraphQLRequestError } from '../providers/graphqlClient';
import type { AssignmentRuleRecord } from './assignmentRuleResource';

export const CONDITIONS = ['provinces', 'cities', 'industries', 'sizeBands', 'sourceChannels'] as const;
export type Condition = (typeof CONDITIONS)[number];

const ENUM_OF: Partial<Record<Condition, string>> = { sizeBands: 'SizeBand', sourceChannels: 'Channel' };

/** True for a rule without conditions: it matches every account. */
export function matchesAll(rule: Pick<AssignmentRuleRecord, Condition>): boolean {
  return CONDITIONS.every((condition) => rule[condition].length === 0);
}

/** "Province is Zhejiang or Jiangsu", one line per condition the rule asks for, in the console's language. */
export function conditionLines(rule: Pick<AssignmentRuleRecord, Condition>, translate: TranslateFunction, locale: string): string[] {
  const or = new Intl.ListFormat(intlLocale(locale), { type: 'disjunction' });
  return CONDITIONS.flatMap((condition) => {
    const values: readonly string[] = rule[condition];
    if (!values.length) return [];
    const enumName = ENUM_OF[condition];
    const words = enumName ? values.map((value) => translate(`enums.${enumName}.${value}`, { _: value })) : values;
    return [translate(`resources.assignmentRules.conditions.${condition}`, { values: or.format(words) })];
  });
}

/**
 * The refusals of rule writes the server-error catalogue cannot word well for this screen (a
 * manager's rule outside their regions, a move passing others' rules), as message keys; null
 * for everything else (a stale version, invalid input), which the console's usual handling shows.
 */
export function ruleRefusal(error: unknown): string | null {
  if (!(error instanceof GraphQLRequestError)) return null;
  const field = typeof error.extensions.field === 'string' ? error.extensions.field : null;
  if (error.code === 'FORBIDDEN' && field === 'territoryId') return 'resources.assignmentRules.errors.territoryOutside';
  if (error.code === 'FORBIDDEN' && field === 'id') return 'resources.assignmentRules.errors.ruleOutside';
  if (error.code === 'FORBIDDEN' && field === 'rank') return 'resources.assignmentRules.errors.movePasses';
  if (error.code === 'CONFLICT' && field === 'rank') return 'resources.assignmentRules.errors.rankTaken';
  return null;
}

/** What an apply's CONFLICT means: the preview is stale (rules or accounts changed), or the job id was used. */
export function applyRefusal(error: unknown): 'stale' | 'jobTaken' | null {
  if (!(error instanceof GraphQLRequestError) || error.code !== 'CONFLICT') return null;
  return error.extensions.field === 'jobId' ? 'jobTaken' : 'stale';
}

/** A UUID for the realignment job, chosen here so its progress can be followed while the apply runs. */
export function newJobId(): string {
  // crypto.randomUUID exists only in secure contexts; getRandomValues everywhere.
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  bytes[6] = (bytes[6]! & 0x0f) | 0x40;
  bytes[8] = (bytes[8]! & 0x3f) | 0x80;
  const hex = [...bytes].map((byte) => byte.toString(16).padStart(2, '0')).join('');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
