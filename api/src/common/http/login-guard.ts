import type { ApolloServerPlugin } from '@apollo/server';
import { Kind, type DocumentNode, type FieldNode, type OperationDefinitionNode, type SelectionSetNode } from 'graphql';
import { RequestRejectedError } from '../errors/errors.js';
import type { RateLimitConfig } from '../../config.js';
import type { Context } from '../../context.js';
import { requestStateOf } from './request-state.js';
import { FailureWindow } from './rate-limit.js';

interface Attempt {
  responseKey: string;
  account: string | null;
}

/** Root fields of the operation, through inline fragments and fragment spreads. */
function rootFields(set: SelectionSetNode, document: DocumentNode, seen = new Set<string>()): FieldNode[] {
  const fields: FieldNode[] = [];
  for (const selection of set.selections) {
    if (selection.kind === Kind.FIELD) fields.push(selection);
    else if (selection.kind === Kind.INLINE_FRAGMENT) fields.push(...rootFields(selection.selectionSet, document, seen));
    else if (!seen.has(selection.name.value)) {
      seen.add(selection.name.value);
      const fragment = document.definitions.find((definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value);
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) fields.push(...rootFields(fragment.selectionSet, document, seen));
    }
  }
  return fields;
}

function emailArgument(field: FieldNode, variables: Record<string, unknown>): string | null {
  const value = field.arguments?.find((argument) => argument.name.value === 'email')?.value;
  const raw = value?.kind === Kind.STRING ? value.value : value?.kind === Kind.VARIABLE ? variables[value.name.value] : null;
  return typeof raw === 'string' ? raw.trim().toLowerCase() : null;
}

function loginAttempts(operation: OperationDefinitionNode, document: DocumentNode, variables: Record<string, unknown>): Attempt[] {
  if (operation.operation !== 'mutation') return [];
  return rootFields(operation.selectionSet, document)
    .filter((field) => field.name.value === 'login')
    .map((field) => ({ responseKey: field.alias?.value ?? field.name.value, account: emailArgument(field, variables) }));
}

/**
 * Sign-in throttling: failures are counted per submitted account name and per client address in
 * a sliding window; once either reaches its limit, sign-ins are refused with 429 before the
 * password is checked. Unknown and known accounts are counted alike, so the limiter says
 * nothing about which accounts exist. A success clears the account's count, not the address's.
 */
export function loginGuardPlugin(config: RateLimitConfig): ApolloServerPlugin<Context> {
  const windowMs = config.loginWindowSeconds * 1000;
  const perAccount = new FailureWindow(config.loginFailuresPerAccount, windowMs);
  const perAddress = new FailureWindow(config.loginFailuresPerAddress, windowMs);
  return {
    async requestDidStart() {
      let attempts: Attempt[] = [];
      let address = 'unknown';
      return {
        async didResolveOperation({ operation, document, request, contextValue }) {
          attempts = operation ? loginAttempts(operation, document, request.variables ?? {}) : [];
          if (attempts.length === 0) return;
          address = requestStateOf(contextValue)?.address ?? 'unknown';
          const verdicts = [perAddress.check(address), ...attempts.map((attempt) => perAccount.check(attempt.account ?? ''))];
          const refused = verdicts.filter((verdict) => !verdict.allowed);
          if (refused.length > 0) {
            const retryAfter = Math.max(...refused.map((verdict) => verdict.retryAfterSeconds));
            throw new RequestRejectedError('Too many failed sign-ins; try again later', 'RATE_LIMITED', 429, { 'retry-after': String(retryAfter) });
          }
        },
        async willSendResponse({ response }) {
          if (attempts.length === 0 || response.body.kind !== 'single') return;
          const { data, errors } = response.body.singleResult;
          for (const attempt of attempts) {
            const account = attempt.account ?? '';
            if (data?.[attempt.responseKey]) {
              perAccount.reset(account);
            } else if (errors?.some((error) => error.path?.[0] === attempt.responseKey && error.extensions?.code === 'UNAUTHENTICATED')) {
              perAccount.fail(account);
              perAddress.fail(address);
            }
          }
        },
      };
    },
  };
}
