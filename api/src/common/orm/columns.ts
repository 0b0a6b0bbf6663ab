import { ReferenceKind, type EntityMetadata, type MetadataStorage } from '@mikro-orm/core';
import { idOf, type RelationValue } from './ref.js';

const cache = new WeakMap<EntityMetadata, Map<string, string>>();

/** The properties a raw read returns: every persisted scalar and to-one property. */
function readProperties(meta: EntityMetadata) {
  return Object.values(meta.properties).filter(
    (prop) => prop.persist !== false && !prop.lazy && (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE),
  );
}

/**
 * `alias.column AS "property"` for every scalar and to-one property of an entity, so raw reads
 * come back shaped like the entity (foreign keys as ids) with no hydration step.
 */
export function selectList(metadata: MetadataStorage, entity: { name: string }, alias: string): string {
  const meta = metadata.get(entity.name);
  let byAlias = cache.get(meta);
  if (!byAlias) cache.set(meta, (byAlias = new Map()));
  let list = byAlias.get(alias);
  if (!list) {
    list = readProperties(meta)
      .map((prop) => `${alias}."${prop.fieldNames[0]}" as "${prop.name}"`)
      .join(', ');
    byAlias.set(alias, list);
  }
  return list;
}

export function tableOf(metadata: MetadataStorage, entity: { name: string }): string {
  return `"${metadata.get(entity.name).tableName}"`;
}

/**
 * The row `selectList` would read of an entity the unit of work has just written: the same
 * properties, foreign keys as ids. Timestamps stay Dates (the DateTime scalar serialises them as it
 * does the text a raw read returns). Only for an entity whose every column the flush knows: one
 * no trigger or default of the database changed behind it beyond what MikroORM reads back.
 */
export function rowOf(metadata: MetadataStorage, entity: { name: string }, instance: object): { id: string } & Record<string, unknown> {
  const row: Record<string, unknown> = {};
  for (const prop of readProperties(metadata.get(entity.name))) {
    const value = (instance as Record<string, unknown>)[prop.name];
    row[prop.name] = prop.kind === ReferenceKind.MANY_TO_ONE ? idOf(value as RelationValue) : value;
  }
  return row as { id: string } & Record<string, unknown>;
}
