import type { ApolloServerPlugin } from '@apollo/server';
import {
  getArgumentValues,
  getVariableValues,
  Kind,
  type DocumentNode,
  type FieldNode,
  type GraphQLSchema,
  type OperationDefinitionNode,
  type SelectionSetNode,
} from 'graphql';
import { RequestRejectedError } from '../errors/errors.js';
import type { RateLimitConfig } from '../../config.js';
import type { Context } from '../../context.js';
import { normalizeEmail } from '../email.js';
import { requestStateOf } from './request-state.js';
import { AttemptWindow } from './rate-limit.js';

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
      const fragment = document.definitions.find(
        (definition) => definition.kind === Kind.FRAGMENT_DEFINITION && definition.name.value === selection.name.value,
      );
      if (fragment?.kind === Kind.FRAGMENT_DEFINITION) fields.push(...rootFields(fragment.selectionSet, document, seen));
    }
  }
  return fields;
}

/**
 * The account each `login` field will look up, read from the argument values exactly as execution
 * coerces them (variable defaults included) and normalised as the lookup normalises them, so every
 * spelling of one account shares one count. Null when no account can be named (no usable email, or
 * variables that fail coercion, in which case nothing is executed).
 */
function loginAttempts(
  schema: GraphQLSchema,
  operation: OperationDefinitionNode,
  document: DocumentNode,
  inputs: Record<string, unknown>,
): Attempt[] {
  if (operation.operation !== 'mutation') return [];
  const login = schema.getMutationType()?.getFields().login;
  const fields = rootFields(operation.selectionSet, document).filter((field) => field.name.value === 'login');
  if (!login || fields.length === 0) return [];
  const variables = getVariableValues(schema, operation.variableDefinitions ?? [], inputs);
  return fields.map((field) => {
    let account: string | null = null;
    if (variables.coerced) {
      try {
        const { email } = getArgumentValues(login, field, variables.coerced);
        if (typeof email === 'string') account = normalizeEmail(email) || null;
      } catch {
        // Arguments that do not coerce fail the field before the password is checked.
      }
    }
    return { responseKey: field.alias?.value ?? field.name.value, account };
  });
}

/**
 * Sign-in throttling: attempts are counted per submitted account name and per client address in
 * a sliding window. Each attempt is reserved before the password is checked, in one synchronous
 * step that tests and increments both windows (no await between them), so parallel guesses
 * cannot slip past the limit; once either window is full, sign-ins are refused with 429 and
 * nothing is evaluated. Every attempt that does not sign in keeps its slot, whatever the error;
 * a success clears the account's count and gives back its slot on the address (successes do not
 * count against the address). Unknown and known accounts are counted alike, so the limiter says
 * nothing about which accounts exist.
 */
export function loginGuardPlugin(config: RateLimitConfig): ApolloServerPlugin<Context> {
  const windowMs = config.loginWindowSeconds * 1000;
  const perAccount = new AttemptWindow(config.loginFailuresPerAccount, windowMs);
  const perAddress = new AttemptWindow(config.loginFailuresPerAddress, windowMs);
  return {
    async requestDidStart() {
      let attempts: Attempt[] = [];
      let address = 'unknown';
      let addressReservedAt: number | null = null;
      return {
        async didResolveOperation({ schema, operation, document, request, contextValue }) {
          attempts = operation ? loginAttempts(schema, operation, document, request.variables ?? {}) : [];
          if (attempts.length === 0) return;
          address = requestStateOf(contextValue)?.address ?? 'unknown';
          // An attempt that names no account is counted on the address only: a shared empty key would let one caller's success clear everyone's count.
          const accounts = attempts.flatMap((attempt) => (attempt.account === null ? [] : [attempt.account]));
          // Both windows or neither: a refusal must not use up the address's slots.
          const byAddress = perAddress.reserve(attempts.map(() => address));
          const byAccount = byAddress.allowed ? perAccount.reserve(accounts) : byAddress;
          if (!byAccount.allowed) {
            if (byAddress.allowed) for (let i = 0; i < attempts.length; i += 1) perAddress.release(address, byAddress.at);
            throw new RequestRejectedError('Too many failed sign-ins; try again later', 'RATE_LIMITED', 429, {
              'retry-after': String(byAccount.retryAfterSeconds),
            });
          }
          addressReservedAt = byAddress.at;
        },
        async willSendResponse({ response }) {
          if (addressReservedAt === null || response.body.kind !== 'single') return;
          const { data } = response.body.singleResult;
          for (const attempt of attempts) {
            if (!data?.[attempt.responseKey]) continue;
            if (attempt.account !== null) perAccount.reset(attempt.account);
            perAddress.release(address, addressReservedAt);
          }
        },
      };
    },
  };
}
