import { getNamedType, isNullableType, isObjectType, type GraphQLResolveInfo } from 'graphql';
import { isUuid } from '../ids.js';
import type { Context } from '../../../context.js';
import { JsonCompiler, NotCompiled, type FieldCompiler, type PostNode } from './json-sql.js';
import { JsonText, NotPassedThrough, earlierAttempt, jsonTextWanted, keepCompiled, keptAnswer, missCompiled } from './json-text.js';
import { OPEN } from './page.js';
import type { CompiledObject } from './passthrough.js';
import { answerOf, cachedPlan, objectAnswer, runPlan, textOf, type Plan } from './plan.js';
import { subSelections, type SelectedField } from './selection.js';

/** A root field's one record by id: the rows of `entity` under `alias`, each with its level (an SQL expression over the alias). */
export interface RecordRoot {
  entity: string;
  alias: string;
  level: string;
}

/**
 * The statement of a root field's record by id (one `?`, the id): the record's JSON as text in
 * `data`, null where there is no such row, or it is not READ or EDIT to the viewer.
 */
export function recordStatement(compiler: JsonCompiler, info: GraphQLResolveInfo, root: RecordRoot, post: PostNode): string {
  const type = getNamedType(info.returnType);
  if (!isObjectType(type)) throw new NotCompiled(info.fieldName);
  const field: SelectedField = {
    responseName: String(info.path.key),
    name: info.fieldName,
    nodes: info.fieldNodes,
    definition: info.parentType.getFields()[info.fieldName]!,
    args: {},
  };
  const a = root.alias;
  const data = compiler.object(type, subSelections(field), { alias: a, entity: root.entity }, post);
  return `select (case when ${OPEN(a)} then ${data} end)::text as "data"
    from (select ${a}.*, ${root.level} as "__level" from ${compiler.table(root.entity)} ${a} where ${a}."id" = ?::uuid offset 0) ${a}`;
}

/**
 * A root field's record by id in one statement: the compiled answer, or null where the resolvers
 * must answer (`plan` gives none; an id they would not find as written, such as one in upper case,
 * which their loaders match by the row's own id).
 *
 * No such row, or one not open to the viewer: a nullable root's resolvers answer null (every
 * root compiled here: they find the record by the same rule), so the text answer is null in the
 * same statement; graphql-js's run of the field (several root fields) leaves it to them. A
 * non-null root (`me`) leaves it to the resolvers and their error.
 */
export async function compiledRecord(
  context: Context,
  info: GraphQLResolveInfo,
  id: string,
  plan: () => Plan | null,
): Promise<CompiledObject | JsonText | null> {
  if (earlierAttempt(context) === 'missed') return null;
  const kept = keptAnswer(context);
  if (kept) return kept.value as CompiledObject | null;
  const text = jsonTextWanted(context);
  const chosen = isUuid(id) && id === id.toLowerCase() ? plan() : null;
  if (!chosen) {
    if (text) throw new NotPassedThrough();
    return null;
  }
  const row = await runPlan<{ data: string | null }>(context, chosen.sql, [id]);
  if (!row?.data) {
    if (!text) return null;
    return isNullableType(info.returnType) ? new JsonText('null') : missCompiled(context);
  }
  // Not text as it is (masks, transforms): graphql-js walks the answer, from this same statement.
  if (text && !chosen.textSafe) {
    const value = objectAnswer(row.data, chosen, String(info.path.key), false);
    return value ? keepCompiled(context, value) : missCompiled(context);
  }
  return answerOf(context, row.data, chosen, String(info.path.key), false);
}

/** The plan of a record nobody sees masked (a user): no level per row, no scope per field (`openPagePlan`'s). */
export function openRecordPlan(
  context: Context,
  info: GraphQLResolveInfo,
  root: RecordRoot,
  handlers: ReadonlyMap<string, FieldCompiler>,
): Plan | null {
  return cachedPlan(info, 'open-record', root, () => {
    const compiler = new JsonCompiler(info, context.em.getMetadata(), handlers);
    const post: PostNode = new Map();
    const sql = recordStatement(compiler, info, root, post);
    return { sql, post, counts: 0, requires: [], ...textOf(compiler.textSafe, post) };
  });
}
