import {
  defaultFieldResolver,
  isObjectType,
  type GraphQLField,
  type GraphQLFieldResolver,
  type GraphQLObjectType,
  type GraphQLResolveInfo,
  type GraphQLSchema,
} from 'graphql';
import { getMetadataStorage } from 'type-graphql';
import { ForbiddenError } from '../../errors/errors.js';
import type { Context } from '../../../context.js';

/**
 * Marks an object of a compiled read: its keys are response names (aliases included) and its
 * values are already what the field resolvers would have produced, so every field of it passes
 * through unchanged. A symbol, so it never reaches the JSON response.
 */
export const COMPILED: unique symbol = Symbol('compiled read');

export type CompiledObject = { readonly [COMPILED]: true } & Record<string, unknown>;

/**
 * A compiled field the viewer may not read: it answers as a masked field does (null, with a
 * FORBIDDEN error for its path), so the compiled read needs no fallback for it.
 */
export const WITHHELD: unique symbol = Symbol('withheld');

/** What a WITHHELD field raises: the error a masked field's resolver throws. */
export const withheldError = () => new ForbiddenError('Not visible to you');

const original = new WeakMap<GraphQLField<unknown, unknown>, GraphQLFieldResolver<unknown, unknown> | undefined>();

let resolvedByCode: Set<string> | null = null;

/**
 * `Type.field` of every field whose value is not simply the source's property: a field resolver,
 * or roles or middlewares on the field (`*.field`: declared on a base class).
 */
function fieldsWithCode(): Set<string> {
  if (resolvedByCode) return resolvedByCode;
  const storage = getMetadataStorage();
  const names = new Map<unknown, string>(storage.objectTypes.map((type) => [type.target, type.name]));
  resolvedByCode = new Set([
    ...storage.fieldResolvers.map((resolver) => `${names.get(resolver.getObjectType?.()) ?? '*'}.${resolver.schemaName}`),
    ...storage.fields
      .filter((field) => (field.roles?.length ?? 0) > 0 || (field.middlewares?.length ?? 0) > 0)
      .map((field) => `*.${field.schemaName}`),
  ]);
  return resolvedByCode;
}

/**
 * Whether graphql-js answers the field with the source's property of the same name: it has no
 * resolver, or type-graphql's basic one (no field resolver, roles or middlewares; the schema
 * has no global middlewares), possibly behind the mask's check of a masked row's readable groups
 * (modules/access/access.fields.ts), which compiled objects never reach.
 */
export function isPlainField(type: GraphQLObjectType, field: GraphQLField<unknown, unknown>): boolean {
  const resolve = original.has(field) ? original.get(field) : field.resolve;
  if (resolve === undefined) return true;
  const code = fieldsWithCode();
  return !code.has(`${type.name}.${field.name}`) && !code.has(`*.${field.name}`);
}

/**
 * Makes every object field answer from a compiled object by response name, and run its own
 * resolver otherwise. Applied once, to the built schema.
 */
export function passThroughCompiled(schema: GraphQLSchema): GraphQLSchema {
  for (const type of Object.values(schema.getTypeMap())) {
    if (!isObjectType(type) || type.name.startsWith('__')) continue;
    for (const field of Object.values(type.getFields()) as GraphQLField<unknown, unknown>[]) {
      if (original.has(field)) continue;
      const resolve = field.resolve;
      original.set(field, resolve);
      const fallback = resolve ?? defaultFieldResolver;
      field.resolve = (source, args, context, info) => {
        if (source === null || typeof source !== 'object' || (source as Partial<CompiledObject>)[COMPILED] !== true)
          return fallback(source, args, context, info);
        const value = (source as CompiledObject)[info.path.key as string];
        if (value === WITHHELD) throw withheldError();
        return value;
      };
    }
  }
  return schema;
}

/** A root field's compiled read: the compiled answer, or null where its resolvers answer. */
export type CompiledRead<Args = never> = (context: Context, info: GraphQLResolveInfo, args: Args) => Promise<unknown>;

const reads = new Map<string, CompiledRead<never>>();

/**
 * Registers the compiled read of `Query.<field>` where its compiler lives in another module than
 * its resolver (the customer module compiles contacts pages; a static import would make the two
 * modules import each other).
 */
export function provideCompiledRead<Args>(field: string, read: CompiledRead<Args>): void {
  reads.set(field, read as CompiledRead<never>);
}

export function compiledRead<Args>(field: string): CompiledRead<Args> | undefined {
  return reads.get(field) as CompiledRead<Args> | undefined;
}
