import type { EntityMetadata, EntityProperty, MetadataStorage } from '@mikro-orm/core';
import { ReferenceKind } from '@mikro-orm/core';
import {
  getNamedType,
  isEnumType,
  isLeafType,
  isNonNullType,
  isObjectType,
  type GraphQLObjectType,
  type FieldNode,
  type GraphQLOutputType,
  type SelectionSetNode,
} from 'graphql';
import { SortDirection } from '../connection.js';
import { COMPILED, WITHHELD, isPlainField } from './passthrough.js';
import { collectFields, subSelections, type SelectedField, type SelectionScope } from './selection.js';

/** Thrown while compiling when the selection holds something the compiler does not handle: the field falls back to its resolvers. */
export class NotCompiled extends Error {}

/**
 * How a value of the statement's JSON becomes what the resolvers would have returned. A `float`
 * is written as JSON.stringify would write it (`jsFloat`), except NaN and ±Infinity, which JSON
 * cannot hold: they come as MISSING followed by their name, and become the number again.
 */
export type PostField =
  | { kind: 'object'; nonNull: boolean; node: PostNode }
  | { kind: 'list'; node: PostNode }
  | { kind: 'value'; transform: (value: unknown) => unknown }
  | { kind: 'float' }
  /** A nullable field the viewer may not read: null, with a FORBIDDEN error at its path (`nodes`: its field nodes, for the error's locations). */
  | { kind: 'withheld'; nodes: readonly FieldNode[] };

export type PostNode = Map<string, PostField>;

/** A row the JSON of an object is built from: a table alias and the entity it holds. */
export interface RowSource {
  alias: string;
  entity: string;
}

export type FieldCompiler = (
  compiler: JsonCompiler,
  field: SelectedField,
  source: RowSource,
  post: PostNode,
  type: GraphQLObjectType,
) => string;

/** json_build_object takes at most 100 arguments; wider objects are joined from jsonb parts (key order does not matter: graphql-js reads by key). */
export function jsonObject(pairs: readonly (readonly [string, string])[]): string {
  const part = (slice: readonly (readonly [string, string])[], fn: string) =>
    `${fn}(${slice.map(([key, expr]) => `'${key}', ${expr}`).join(', ')})`;
  if (pairs.length <= 50) return part(pairs, 'json_build_object');
  const parts: string[] = [];
  for (let index = 0; index < pairs.length; index += 50) parts.push(part(pairs.slice(index, index + 50), 'jsonb_build_object'));
  return `(${parts.join(' || ')})`;
}

/**
 * The keyset cursor `encodeCursor(key, id)` computes, computed by PostgreSQL from the key as text
 * (`keyText`, an SQL expression printing it as the path being matched prints it): `to_json`
 * escapes a string exactly as JSON.stringify does (quotes, backslashes, control characters), so
 * a legal name with a quote gives the same cursor on both paths. Base64url by four `replace`s
 * (the line breaks and padding out, `+` and `/` swapped): `translate` gave the same text at
 * 5–7 µs more per row in a UTF-8 database (it looks every character up in its lists), the largest
 * part of a page's cursors.
 */
export function cursorSql(keyText: string, idExpr: string): string {
  const json = `'[' || to_json(${keyText})::text || ',' || to_json(${idExpr}::text)::text || ']'`;
  const base64 = `encode(convert_to(${json}, 'UTF8'), 'base64')`;
  return `replace(replace(replace(replace(${base64}, chr(10), ''), '=', ''), '+', '-'), '/', '_')`;
}

/** Values that the driver returns as strings but json_build_object would write as numbers. */
const TEXT_ON_THE_WIRE = /^(numeric|decimal|bigint|int8)/i;

/**
 * Stands for a non-null object that came back null (the row is hidden from the viewer): a JSON
 * string no column can hold (PostgreSQL text has no NUL), found in the text without parsing it.
 */
export const MISSING = '\u0000';
const MISSING_JSON = `'"\\u0000"'::json`;

/** Whether the statement's JSON text holds a MISSING object (a user's text `\u0000` may look like one: then the text is not used). */
export function holdsMissing(text: string): boolean {
  return text.includes('\\u0000');
}

/**
 * A double precision expression as JSON.stringify writes the same double. PostgreSQL's text of a
 * float8 (12 and later, extra_float_digits ≥ 1) has the shortest digits that round-trip without
 * taking a boundary of the double's interval (its d2s.c sets acceptBounds false), and
 * Number#toString the shortest taking it: they agree except where a shorter number lies exactly
 * on a boundary (5.0611477106328304e+16 is 50611477106328300 to JavaScript), and in notation.
 * Those values, and NaN and ±Infinity, which JSON cannot hold, come as a JSON string of MISSING
 * and PostgreSQL's text (`finish` makes them the number again; the text path leaves them to
 * graphql-js). Notation: PostgreSQL switches to an exponent below 1e-4 and from 1e15, with at
 * least two exponent digits (1e-05, 1e+15); JavaScript below 1e-6 and from 1e21, unpadded
 * (1e-7, 1e+21); -0 is 0 to JSON.
 */
export function jsFloat(expr: string): string {
  // m: sign, integer digits, fraction, exponent (no `?` in the pattern: it would be a parameter)
  const [sign, whole, fraction, power] = ['m[1]', 'm[2]', 'm[4]', '(m[6])::int'];
  const exponent = `(case when m[6] is not null then ${power} when ${whole} <> '0' then length(${whole}) - 1
    else length(ltrim(${fraction}, '0')) - length(${fraction}) - 1 end)`;
  const significant = `length(trim(both '0' from ${whole} || coalesce(${fraction}, '')))`;
  // The one-digit-shorter numbers either side of PostgreSQL's digits (truncated, and one unit further out).
  const scale = `(${significant} - 2 - ${exponent})`;
  const shorter = `trunc(a.t::numeric, ${scale})`;
  // CASE, not AND: the one further out may be past the largest double, which no cast takes.
  const isValue = (candidate: string) =>
    `case when abs(${candidate}) <= 1.7976931348623157e308::numeric then ${candidate}::float8 = a.v else false end`;
  const onBoundary = `${significant} > 1 and (${isValue(shorter)} or ${isValue(`(${shorter} + sign(a.v)::numeric * power(10::numeric, -${scale}))`)})`;
  const digits = `${whole} || coalesce(${fraction}, '')`;
  const scientific = `case
      when ${power} between 15 and 20 then ${sign} || case when length(${digits}) <= ${power} + 1
        then ${digits} || repeat('0', ${power} + 1 - length(${digits}))
        else left(${digits}, ${power} + 1) || '.' || substr(${digits}, ${power} + 2) end
      when ${power} between -6 and -5 then ${sign} || '0.' || repeat('0', -${power} - 1) || ${digits}
      else ${sign} || ${whole} || coalesce('.' || ${fraction}, '') || 'e' || case when ${power} < 0 then '-' else '+' end || abs(${power})::text end`;
  return `(select (case when a.v is null then null
      when a.v in ('NaN'::float8, 'Infinity'::float8, '-Infinity'::float8) then '"\\u0000' || a.t || '"'
      when a.v = 0 then '0'
      when ${onBoundary} then '"\\u0000' || a.t || '"'
      when m[6] is null then a.t
      else ${scientific} end)::json
    from (select ${expr} as v, (${expr})::text as t) a cross join lateral regexp_match(a.t, '^(-{0,1})([0-9]+)([.]([0-9]+)){0,1}(e([-+][0-9]+)){0,1}$') m)`;
}

/** Column types whose values `jsFloat` writes (a real's text is its own shortest digits, not the double's). */
const DOUBLE_COLUMNS = /^(double|float8|float$)/i;

/** Leaf types whose JSON from PostgreSQL is, byte for byte, what graphql-js would serialise (enums: where each value is its name). */
const TEXT_LEAVES = new Set(['String', 'ID', 'Boolean', 'Int', 'Decimal', 'DateTime']);

export interface ChildList {
  entity: string;
  /** Foreign-key property on the child pointing to the parent. */
  parent: string;
  parentId: string;
  /** ORDER BY over alias `t`, as the batch loader writes it. */
  orderBy: string;
  type: GraphQLObjectType;
  /** Which rows belong to the parent, over the child's alias, when not just the foreign key. */
  belongs?: (alias: string) => string;
}

export interface PivotList {
  entity: string;
  pivot: string;
  /** The pivot's column holding the parent's id, and the one holding the listed row's. */
  ownerColumn: string;
  targetColumn: string;
  ownerId: string;
  /** ORDER BY over alias `t`, as the pivot loader writes it. */
  orderBy: string;
  type: GraphQLObjectType;
}

/**
 * The rows of one connection page, as a subquery: every column of `entity`, plus `__cursor` and
 * `__rn` (the row's place in the page, from 1), at most `first + 1` rows in page order.
 */
export interface ConnectionRows {
  entity: string;
  rows: string;
  /** `select count(*)::int …` over what the page walks, without the cursor. */
  count: string;
  first: number;
  hasAfter: boolean;
}

export interface KeysetPage {
  entity: string;
  parent: string;
  parentId: string;
  sort: string;
  direction: SortDirection;
  first: number;
  /** The decoded `after` cursor, its values already checked to be safe literals of `cast`. */
  after: readonly [string, string] | null;
  cast: 'timestamptz' | 'text';
  nodeType: GraphQLObjectType;
}

/**
 * Builds the JSON a GraphQL selection would produce, in SQL: one json_build_object per object
 * (keys are response names), json_agg per list, a correlated subquery per relation (planned as
 * a nested loop over the parent row, like a LATERAL join).
 */
export class JsonCompiler {
  private aliases = 0;
  /**
   * The statement's JSON text is the response's as graphql-js would write it: keys in response
   * order, every leaf as its scalar serialises it, nothing that needs a field resolver's code.
   * Cleared by whatever the compiler cannot write that way (the JSON is then parsed, and walked).
   */
  textSafe = true;

  constructor(
    readonly scope: SelectionScope,
    readonly metadata: MetadataStorage,
    private readonly handlers: ReadonlyMap<string, FieldCompiler>,
  ) {}

  /** An object's JSON; wider than json_build_object's limit it is jsonb, whose keys are not in response order. */
  build(pairs: readonly (readonly [string, string])[]): string {
    if (pairs.length > 50) this.textSafe = false;
    return jsonObject(pairs);
  }

  /** `__typename`, which graphql-js answers itself, written into the text too. */
  typename(type: GraphQLObjectType): string {
    return `'${type.name}'::text`;
  }

  alias(): string {
    this.aliases += 1;
    return `q${this.aliases}`;
  }

  fields(type: GraphQLObjectType, sets: readonly SelectionSetNode[]): SelectedField[] {
    return collectFields(this.scope, type, sets);
  }

  meta(entity: string): EntityMetadata {
    return this.metadata.get(entity);
  }

  table(entity: string): string {
    return `"${this.meta(entity).tableName}"`;
  }

  column(entity: string, property: string): string {
    const prop = this.meta(entity).properties[property as never] as EntityProperty | undefined;
    if (!prop) throw new NotCompiled(`${entity}.${property}`);
    return prop.fieldNames[0]!;
  }

  /** The JSON object of a selection on `type` over one row. */
  object(type: GraphQLObjectType, sets: readonly SelectionSetNode[], source: RowSource, post: PostNode): string {
    const pairs: [string, string][] = [];
    for (const field of this.fields(type, sets)) {
      if (field.name === '__typename') {
        pairs.push([field.responseName, this.typename(type)]);
        continue;
      }
      if (!field.definition) throw new NotCompiled(field.name);
      const handler = this.handlers.get(`${type.name}.${field.name}`);
      pairs.push([field.responseName, handler ? handler(this, field, source, post, type) : this.scalar(type, field, source, post)]);
    }
    return this.build(pairs);
  }

  /** A field read straight from a column: graphql-js would read the row's property of that name. */
  scalar(type: GraphQLObjectType, field: SelectedField, source: RowSource, post?: PostNode): string {
    const definition = field.definition!;
    if (!isPlainField(type, definition) || !isLeafType(getNamedType(definition.type))) throw new NotCompiled(field.name);
    const prop = this.meta(source.entity).properties[field.name as never] as EntityProperty | undefined;
    if (!prop || prop.kind !== ReferenceKind.SCALAR || prop.persist === false || prop.lazy) throw new NotCompiled(field.name);
    const expr = `${source.alias}."${prop.fieldNames[0]}"`;
    const columnType = prop.columnTypes?.[0] ?? '';
    if (post && getNamedType(definition.type).name === 'Float' && DOUBLE_COLUMNS.test(columnType)) {
      if (isNonNullType(definition.type) && prop.nullable === true) this.textSafe = false;
      return this.float(field, expr, post);
    }
    return this.leaf(definition.type, expr, columnType, prop.nullable === true);
  }

  /** A double precision column of a Float field, written as JSON.stringify would (`jsFloat`). */
  float(field: SelectedField, expr: string, post: PostNode): string {
    post.set(field.responseName, { kind: 'float' });
    return jsFloat(expr);
  }

  /**
   * A column's value as the field's leaf type: written as graphql-js would serialise it where
   * the type allows (DateTime: ISO 8601 in UTC to the millisecond, as Date#toISOString), and
   * marking the text unusable where it does not.
   */
  leaf(type: GraphQLOutputType, expr: string, columnType: string, nullable: boolean): string {
    const named = getNamedType(type);
    // graphql-js would answer a null here with an error: the text cannot say so.
    if (isNonNullType(type) && nullable) this.textSafe = false;
    if (isEnumType(named)) {
      if (!named.getValues().every((value) => value.value === value.name)) this.textSafe = false;
    } else if (!TEXT_LEAVES.has(named.name) || /^jsonb?$/i.test(columnType)) this.textSafe = false;
    if (named.name === 'DateTime') {
      if (!/^timestamp/i.test(columnType)) this.textSafe = false;
      else return `to_char(${expr} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.MS"Z"')`;
    }
    if (!TEXT_ON_THE_WIRE.test(columnType)) return expr;
    if (named.name !== 'Decimal' && named.name !== 'String' && named.name !== 'ID') this.textSafe = false;
    return `${expr}::text`;
  }

  /** A subquery giving a non-null object's JSON, or MISSING where there is no row. */
  orMissing(nonNull: boolean, subquery: string): string {
    return nonNull ? `coalesce(${subquery}, ${MISSING_JSON})` : subquery;
  }

  /** A nested object (to-one relation or value object) of the field's own type. */
  nested(field: SelectedField, post: PostNode, build: (type: GraphQLObjectType, node: PostNode) => string): string {
    const type = getNamedType(field.definition!.type);
    if (!isObjectType(type)) throw new NotCompiled(field.name);
    const node: PostNode = new Map();
    post.set(field.responseName, { kind: 'object', nonNull: isNonNullType(field.definition!.type), node });
    return build(type, node);
  }

  /** A row of another table by id, as a JSON object (null when the viewer may not see it). */
  toOne(field: SelectedField, entity: string, idExpr: string, post: PostNode): string {
    return this.nested(field, post, (type, node) => {
      const alias = this.alias();
      return this.orMissing(
        isNonNullType(field.definition!.type),
        `(select ${this.object(type, subSelections(field), { alias, entity }, node)} from ${this.table(entity)} ${alias} where ${alias}."id" = ${idExpr})`,
      );
    });
  }

  /** All children of the parent row, in the loader's order. */
  children(field: SelectedField, list: ChildList, post: PostNode): string {
    const alias = this.alias();
    const node: PostNode = new Map();
    post.set(field.responseName, { kind: 'list', node });
    const object = this.object(list.type, subSelections(field), { alias, entity: list.entity }, node);
    const orderBy = list.orderBy.replace(/\bt\./g, `${alias}.`);
    const belongs = list.belongs ? list.belongs(alias) : `${alias}."${this.column(list.entity, list.parent)}" = ${list.parentId}`;
    return `(select coalesce(json_agg(${object} order by ${orderBy}), '[]'::json) from ${this.table(list.entity)} ${alias} where ${belongs})`;
  }

  /** The rows linked to the parent row through a pivot table, in `Loaders.throughPivot`'s order. */
  throughPivot(field: SelectedField, list: PivotList, post: PostNode): string {
    const alias = this.alias();
    const pivot = this.alias();
    const node: PostNode = new Map();
    post.set(field.responseName, { kind: 'list', node });
    const object = this.object(list.type, subSelections(field), { alias, entity: list.entity }, node);
    const orderBy = list.orderBy.replace(/\bt\./g, `${alias}.`);
    return `(select coalesce(json_agg(${object} order by ${orderBy}), '[]'::json) from "${list.pivot}" ${pivot} join ${this.table(list.entity)} ${alias} on ${alias}."id" = ${pivot}."${list.targetColumn}" where ${pivot}."${list.ownerColumn}" = ${list.ownerId})`;
  }

  /** A keyset page of children as `Loaders.pageOf` returns it, the count only when selected. */
  page(field: SelectedField, page: KeysetPage, post: PostNode): string {
    const table = this.table(page.entity);
    const fk = this.column(page.entity, page.parent);
    const sort = this.column(page.entity, page.sort);
    const dir = page.direction === SortDirection.DESC ? 'desc' : 'asc';
    const rows = this.alias();
    const k = this.alias();
    const seek = page.after
      ? `and (${rows}."${sort}", ${rows}."id") ${dir === 'asc' ? '>' : '<'} ('${page.after[0]}'::${page.cast}, '${page.after[1]}'::uuid)`
      : '';
    const order = `${rows}."${sort}" ${dir}, ${rows}."id" ${dir}`;
    const { json, from } = this.connection(field, post, {
      entity: page.entity,
      rows: `select ${rows}.*, ${cursorSql(`${rows}."${sort}"::text`, `${rows}."id"`)} as "__cursor", row_number() over (order by ${order}) as "__rn"
        from ${table} ${rows} where ${rows}."${fk}" = ${page.parentId} ${seek} order by ${order} limit ${page.first + 1}`,
      count: `select count(*)::int from ${table} ${k} where ${k}."${fk}" = ${page.parentId}`,
      first: page.first,
      hasAfter: Boolean(page.after),
    });
    // `group by ()`: one row even where no aggregate is selected.
    return `(select ${json} from ${from} group by ())`;
  }

  /**
   * The JSON of a connection over a page's rows (edges, pageInfo, and totalCount only when
   * selected): `json` aggregates over `from`, which names the rows `alias`; the caller wraps it
   * in `select … from … group by ()`, with aggregates of its own beside it if it needs them.
   */
  connection(field: SelectedField, post: PostNode, page: ConnectionRows): { json: string; from: string; alias: string; counts: number } {
    const connection = getNamedType(field.definition!.type);
    if (!isObjectType(connection)) throw new NotCompiled(field.name);
    const p = this.alias();
    const n = page.first;
    const cursors = `array_agg(${p}."__cursor" order by ${p}."__rn")`;

    const node: PostNode = new Map();
    post.set(field.responseName, { kind: 'object', nonNull: isNonNullType(field.definition!.type), node });
    const pairs: [string, string][] = [];
    let counts = 0;
    for (const part of this.fields(connection, subSelections(field))) {
      if (part.name === '__typename') {
        pairs.push([part.responseName, this.typename(connection)]);
        continue;
      }
      const partType = part.definition ? getNamedType(part.definition.type) : null;
      switch (part.name) {
        case 'totalCount':
          pairs.push([part.responseName, `(${page.count})`]);
          counts += 1;
          break;
        case 'edges': {
          if (!isObjectType(partType)) throw new NotCompiled(part.name);
          const edge: PostNode = new Map();
          node.set(part.responseName, { kind: 'list', node: edge });
          const edgePairs: [string, string][] = [];
          for (const edgeField of this.fields(partType, subSelections(part))) {
            if (edgeField.name === '__typename') edgePairs.push([edgeField.responseName, this.typename(partType)]);
            else if (edgeField.name === 'cursor') edgePairs.push([edgeField.responseName, `${p}."__cursor"`]);
            else if (edgeField.name === 'node') {
              edgePairs.push([
                edgeField.responseName,
                this.nested(edgeField, edge, (type, nodePost) =>
                  this.object(type, subSelections(edgeField), { alias: p, entity: page.entity }, nodePost),
                ),
              ]);
            } else throw new NotCompiled(edgeField.name);
          }
          pairs.push([
            part.responseName,
            `coalesce(json_agg(${this.build(edgePairs)} order by ${p}."__rn") filter (where ${p}."__rn" <= ${n}), '[]'::json)`,
          ]);
          break;
        }
        case 'pageInfo': {
          if (!isObjectType(partType)) throw new NotCompiled(part.name);
          const info: PostNode = new Map();
          node.set(part.responseName, { kind: 'object', nonNull: true, node: info });
          const infoPairs: [string, string][] = [];
          for (const infoField of this.fields(partType, subSelections(part))) {
            switch (infoField.name) {
              case '__typename':
                infoPairs.push([infoField.responseName, this.typename(partType)]);
                break;
              case 'hasNextPage':
                infoPairs.push([infoField.responseName, `count(*) > ${n}`]);
                break;
              case 'hasPreviousPage':
                infoPairs.push([infoField.responseName, page.hasAfter ? 'true' : 'false']);
                break;
              case 'startCursor':
                infoPairs.push([infoField.responseName, `(${cursors})[1]`]);
                break;
              case 'endCursor':
                infoPairs.push([infoField.responseName, `(${cursors} filter (where ${p}."__rn" <= ${n}))[least(count(*), ${n})]`]);
                break;
              default:
                throw new NotCompiled(infoField.name);
            }
          }
          pairs.push([part.responseName, this.build(infoPairs)]);
          break;
        }
        default:
          throw new NotCompiled(part.name);
      }
    }
    return { json: this.build(pairs), from: `(${page.rows}) ${p}`, alias: p, counts };
  }
}

/**
 * Turns the statement's JSON into what the resolvers return: every object marked as compiled,
 * values transformed where a resolver transforms them. False when a non-null object came back
 * null (the row was hidden from the viewer): the field then goes to its resolvers.
 */
export function finish(value: Record<string, unknown>, post: PostNode): boolean {
  (value as Record<symbol, unknown>)[COMPILED] = true;
  for (const [key, field] of post) {
    const child = value[key];
    switch (field.kind) {
      case 'value':
        value[key] = field.transform(child);
        break;
      case 'withheld':
        value[key] = WITHHELD;
        break;
      case 'float':
        if (typeof child === 'string' && child.startsWith(MISSING)) value[key] = Number(child.slice(MISSING.length));
        break;
      case 'object':
        if (child === MISSING) return false;
        if (child === null || child === undefined) {
          if (field.nonNull) return false;
        } else if (!finish(child as Record<string, unknown>, field.node)) return false;
        break;
      case 'list':
        for (const item of child as Record<string, unknown>[]) if (!finish(item, field.node)) return false;
        break;
    }
  }
  return true;
}
