import { ReferenceKind, type EntityMetadata, type MetadataStorage } from '@mikro-orm/core';

const cache = new WeakMap<EntityMetadata, Map<string, string>>();

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
    list = Object.values(meta.properties)
      .filter(
        (prop) => prop.persist !== false && !prop.lazy && (prop.kind === ReferenceKind.SCALAR || prop.kind === ReferenceKind.MANY_TO_ONE),
      )
      .map((prop) => `${alias}."${prop.fieldNames[0]}" as "${prop.name}"`)
      .join(', ');
    byAlias.set(alias, list);
  }
  return list;
}

export function tableOf(metadata: MetadataStorage, entity: { name: string }): string {
  return `"${metadata.get(entity.name).tableName}"`;
}
