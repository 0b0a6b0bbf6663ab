import type { GraphQLResolveInfo } from 'graphql';
import type { FieldCompiler } from '../../common/graphql/compile/json-sql.js';
import { allowJsonText, type JsonText } from '../../common/graphql/compile/json-text.js';
import { OPEN_ROW, compiledPage, openPagePlan } from '../../common/graphql/compile/page.js';
import type { CompiledObject } from '../../common/graphql/compile/passthrough.js';
import { compiledRecord, openRecordPlan } from '../../common/graphql/compile/record.js';
import { SortDirection, type PageArgs } from '../../common/graphql/connection.js';
import { Conditions } from '../../common/orm/keyset.js';
import { viewerOf, type Context } from '../../context.js';
import { mayOpenCycle } from '../access/index.js';
import { settingsOf } from './evaluation-cycle.service.js';
import { CycleStatus } from './evaluation.entity.js';

/**
 * `weights`, `grades` and `valueModel` as `settingsOf` reads them: the stored part, or its
 * default where the settings hold none (`??`: absent or JSON null). Their objects are the
 * settings' own JSON, which graphql-js walks as it walks the resolvers' (so never text).
 */
const SETTINGS_FIELDS = new Map<string, FieldCompiler>(
  (['weights', 'grades', 'valueModel'] as const).map((part): [string, FieldCompiler] => [
    `EvaluationCycle.${part}`,
    (compiler, field, source, post) => {
      post.set(field.responseName, { kind: 'value', transform: (value) => value });
      const fallback = JSON.stringify(settingsOf({ settings: null })[part]).replace(/'/g, "''");
      const stored = `${source.alias}."${compiler.column('EvaluationCycle', 'settings')}"`;
      return `coalesce(nullif(${stored} -> '${part}', 'null'::jsonb), '${fallback}'::jsonb)`;
    },
  ]),
);

/** The cycles a viewer may open (`mayOpenCycle`): all of them to users, the published ones to API keys. */
function cycleLevel(context: Context, alias: string): string {
  return mayOpenCycle(viewerOf(context), false)
    ? OPEN_ROW
    : `(case when ${alias}."status" = '${CycleStatus.PUBLISHED}' then 'READ' else 'NONE' end)`;
}

/**
 * An `evaluationCycles` page as the compiled statement builds it: the rows, order (newest period
 * first), cursors and count of the resolver's keyset page, or null where the resolvers must answer.
 * The cursor's key is the period's first day as the resolvers print it; they compare it as a
 * timestamptz in the session's zone, the statement as that same date.
 */
export function compiledEvaluationCycles(
  context: Context,
  info: GraphQLResolveInfo,
  args: PageArgs,
): Promise<CompiledObject | JsonText | null> {
  return compiledPage(
    context,
    info,
    args,
    () => ({
      where: mayOpenCycle(viewerOf(context), false) ? new Conditions() : new Conditions().add('c.status = ?', CycleStatus.PUBLISHED),
      sort: { property: 'periodStart', cast: 'date' },
      direction: SortDirection.DESC,
      entity: 'EvaluationCycle',
      alias: 'c',
      level: OPEN_ROW,
    }),
    (root) => openPagePlan(context, info, root, SETTINGS_FIELDS),
  );
}

/** `evaluationCycle(id)` as the compiled statement builds it; null where there is no such cycle or the viewer may not open it, as the resolvers answer. */
export function compiledEvaluationCycle(context: Context, info: GraphQLResolveInfo, id: string): Promise<CompiledObject | JsonText | null> {
  return compiledRecord(context, info, id, () =>
    openRecordPlan(context, info, { entity: 'EvaluationCycle', alias: 'c', level: cycleLevel(context, 'c') }, SETTINGS_FIELDS),
  );
}

allowJsonText('evaluationCycles');
allowJsonText('evaluationCycle');
