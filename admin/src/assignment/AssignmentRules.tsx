import Add from '@mui/icons-material/Add';
import ArrowDownward from '@mui/icons-material/ArrowDownward';
import ArrowUpward from '@mui/icons-material/ArrowUpward';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import Edit from '@mui/icons-material/Edit';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import { useMutation, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import {
  Confirm,
  Title,
  useCreate,
  useDataProvider,
  useDelete,
  useGetList,
  useLocaleState,
  useNotify,
  useTranslate,
  useUpdate,
} from 'react-admin';
import { AdminMoveAssignmentRuleDocument } from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import { usePlaceableTerritories, useRegionTree, type RegionFilter, type RegionTree } from '../common/useRegions';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { isConflict } from '../providers/graphqlClient';
import type { AssignmentRuleRecord, RuleValues } from './assignmentRuleResource';
import { RealignmentPanel } from './RealignmentPanel';
import { RuleDialog } from './RuleDialog';
import { conditionLines, matchesAll, ruleRefusal } from './ruleText';

const RESOURCE = 'assignmentRules';
/** The API keeps at most 200 rules: one request reads them all. */
const MAX_RULES = 200;

type DialogState = { type: 'edit'; rule: AssignmentRuleRecord | null } | { type: 'delete'; rule: AssignmentRuleRecord } | null;

/** Whether the user may change a rule: a version to send, and (managers) a territory of their regions. */
function mayChange(rule: AssignmentRuleRecord, within: RegionFilter, tree: RegionTree | null): boolean {
  if (rule.version === null) return false;
  if (!within) return true;
  const territory = tree?.byId.get(rule.territory.id);
  return Boolean(territory && within(territory));
}

function RuleRow({
  rule,
  rank,
  last,
  tree,
  canChange,
  canUp,
  canDown,
  busy,
  onEdit,
  onDelete,
  onMove,
}: {
  rule: AssignmentRuleRecord;
  rank: number;
  last: boolean;
  tree: RegionTree | null;
  canChange: boolean;
  canUp: boolean;
  canDown: boolean;
  busy: boolean;
  onEdit: () => void;
  onDelete: () => void;
  onMove: (rank: number) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const lines = conditionLines(rule, translate, locale);
  const territory = tree?.byId.get(rule.territory.id);
  const everything = matchesAll(rule);
  return (
    <TableRow data-testid={`rule-${rank}`} sx={{ verticalAlign: 'top' }}>
      <TableCell sx={{ width: 48 }}>{rank}</TableCell>
      <TableCell sx={{ minWidth: 120 }}>
        <Typography variant="body2" sx={{ fontWeight: 500 }}>
          {rule.name}
        </Typography>
        {everything ? (
          <Chip size="small" variant="outlined" sx={{ mt: 0.5 }} label={translate('resources.assignmentRules.conditions.default')} />
        ) : null}
      </TableCell>
      <TableCell sx={{ minWidth: 180 }}>
        {everything ? (
          <Typography variant="body2" color={last ? 'text.primary' : 'warning.main'}>
            {translate(last ? 'resources.assignmentRules.conditions.any' : 'resources.assignmentRules.conditions.shadowing')}
          </Typography>
        ) : (
          lines.map((line) => (
            <Typography key={line} variant="body2">
              {line}
            </Typography>
          ))
        )}
      </TableCell>
      <TableCell sx={{ minWidth: 160 }}>
        <Typography variant="body2">{territory && tree ? tree.label(territory) : regionName(rule.territory, locale)}</Typography>
        {rule.owner ? (
          <>
            <Typography variant="body2">{rule.owner.name}</Typography>
            <Typography variant="caption" color="text.secondary">
              {rule.owner.email}
            </Typography>
          </>
        ) : (
          <Typography variant="caption" color="text.secondary">
            {translate('resources.assignmentRules.defaultOwner')}
          </Typography>
        )}
      </TableCell>
      <TableCell>
        {canChange ? (
          <Stack direction="row" spacing={0.5}>
            <IconButton
              size="small"
              disabled={!canUp || busy}
              onClick={() => onMove(rank - 1)}
              aria-label={translate('resources.assignmentRules.actions.moveUp', { name: rule.name })}
            >
              <ArrowUpward fontSize="small" />
            </IconButton>
            <IconButton
              size="small"
              disabled={!canDown || busy}
              onClick={() => onMove(rank + 1)}
              aria-label={translate('resources.assignmentRules.actions.moveDown', { name: rule.name })}
            >
              <ArrowDownward fontSize="small" />
            </IconButton>
            <Tooltip title={translate('resources.assignmentRules.actions.edit')}>
              <IconButton size="small" onClick={onEdit} aria-label={translate('resources.assignmentRules.actions.edit')}>
                <Edit fontSize="small" />
              </IconButton>
            </Tooltip>
            <Tooltip title={translate('resources.assignmentRules.actions.delete')}>
              <IconButton size="small" onClick={onDelete} aria-label={translate('resources.assignmentRules.actions.delete')}>
                <DeleteOutline fontSize="small" />
              </IconButton>
            </Tooltip>
          </Stack>
        ) : (
          <Typography variant="caption" component="p" color="text.secondary" sx={{ minWidth: 120 }}>
            {translate('resources.assignmentRules.outsideRegions')}
          </Typography>
        )}
      </TableCell>
    </TableRow>
  );
}

/** The ordered rules: add, edit, move and delete those the user may change. */
function RuleList() {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const onSaveError = useSaveErrorHandler();
  const { tree } = useRegionTree();
  const { filter: within, isPending: placesPending } = usePlaceableTerritories();
  const {
    data: rules,
    isPending,
    error,
    refetch,
  } = useGetList<AssignmentRuleRecord>(RESOURCE, {
    pagination: { page: 1, perPage: MAX_RULES },
  });
  const [dialog, setDialog] = useState<DialogState>(null);
  const [refusal, setRefusal] = useState<string | null>(null);
  const [create, { isPending: creating }] = useCreate();
  const [update, { isPending: updating }] = useUpdate();
  const [remove, { isPending: deleting }] = useDelete();

  const reload = () => void queryClient.invalidateQueries({ queryKey: [RESOURCE] });
  const close = () => {
    setDialog(null);
    setRefusal(null);
  };
  const done = (message: string) => {
    notify(`resources.assignmentRules.notifications.${message}`, { type: 'info' });
    close();
    reload();
  };
  /** A stale version offers to reload (and closes the form that held it); other refusals stay in the dialog. */
  const failed = (error: unknown) => {
    if (isConflict(error) || !dialog || dialog.type === 'delete') {
      close();
      const own = ruleRefusal(error);
      if (own) notify(own, { type: 'error' });
      else onSaveError(error);
      return;
    }
    setRefusal(ruleRefusal(error) ?? (error instanceof Error ? error.message : 'ra.notification.http_error'));
  };
  const move = useMutation({
    mutationFn: ({ rule, rank }: { rule: AssignmentRuleRecord; rank: number }) =>
      dataProvider.execute(
        AdminMoveAssignmentRuleDocument,
        { input: { id: rule.id, version: rule.version!, rank } },
        { affects: [RESOURCE] },
      ),
    onSuccess: () => {
      notify('resources.assignmentRules.notifications.moved', { type: 'info' });
      reload();
    },
    onError: (error) => {
      const own = ruleRefusal(error);
      if (own) notify(own, { type: 'error' });
      else onSaveError(error);
    },
  });

  const save = (rule: AssignmentRuleRecord | null) => (values: RuleValues) => {
    setRefusal(null);
    if (rule)
      update(
        RESOURCE,
        { id: rule.id, data: values, previousData: rule },
        { mutationMode: 'pessimistic', onSuccess: () => done('updated'), onError: failed },
      );
    else create(RESOURCE, { data: values }, { onSuccess: () => done('created'), onError: failed });
  };

  const list = rules ?? [];
  const changeable = list.map((rule) => !placesPending && mayChange(rule, within, tree));
  return (
    <Card>
      <CardContent>
        <Stack direction="row" sx={{ alignItems: 'flex-start', gap: 2, flexWrap: 'wrap', mb: 1 }}>
          <Box sx={{ flex: '1 1 320px', minWidth: 0 }}>
            <Typography variant="subtitle1">{translate('resources.assignmentRules.title')}</Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('resources.assignmentRules.help')}
            </Typography>
          </Box>
          <Button variant="contained" size="small" startIcon={<Add />} onClick={() => setDialog({ type: 'edit', rule: null })}>
            {translate('resources.assignmentRules.actions.add')}
          </Button>
        </Stack>
        {isPending ? (
          <LoadingState />
        ) : error ? (
          <ErrorState error={error} onRetry={() => void refetch()} />
        ) : list.length === 0 ? (
          <EmptyState message={translate('resources.assignmentRules.empty')} />
        ) : (
          <TableContainer sx={{ overflowX: 'auto' }}>
            <Table size="small" data-testid="rule-table" aria-label={translate('resources.assignmentRules.title')}>
              <TableHead>
                <TableRow>
                  <TableCell>{translate('resources.assignmentRules.fields.rank')}</TableCell>
                  <TableCell>{translate('resources.assignmentRules.fields.name')}</TableCell>
                  <TableCell>{translate('resources.assignmentRules.fields.conditions')}</TableCell>
                  <TableCell>{translate('resources.assignmentRules.fields.target')}</TableCell>
                  <TableCell>{translate('resources.assignmentRules.fields.actions')}</TableCell>
                </TableRow>
              </TableHead>
              <TableBody>
                {list.map((rule, index) => (
                  <RuleRow
                    key={rule.id}
                    rule={rule}
                    rank={index + 1}
                    last={index === list.length - 1}
                    tree={tree}
                    canChange={changeable[index]!}
                    // A manager's move may pass only rules of their regions (the API refuses the rest).
                    canUp={index > 0 && changeable[index - 1]!}
                    canDown={index < list.length - 1 && changeable[index + 1]!}
                    busy={move.isPending}
                    onEdit={() => setDialog({ type: 'edit', rule })}
                    onDelete={() => setDialog({ type: 'delete', rule })}
                    onMove={(rank) => move.mutate({ rule, rank })}
                  />
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        )}
      </CardContent>
      {dialog?.type === 'edit' ? (
        <RuleDialog
          key={dialog.rule?.id ?? 'new'}
          rule={dialog.rule}
          tree={tree}
          within={within}
          busy={creating || updating}
          error={refusal}
          onClose={close}
          onSubmit={save(dialog.rule)}
        />
      ) : null}
      {dialog?.type === 'delete' ? (
        <Confirm
          isOpen
          loading={deleting}
          title={translate('resources.assignmentRules.dialog.deleteTitle', { name: dialog.rule.name })}
          content="resources.assignmentRules.dialog.deleteContent"
          confirm="ra.action.delete"
          confirmColor="warning"
          onConfirm={() =>
            remove(
              RESOURCE,
              { id: dialog.rule.id, previousData: dialog.rule },
              { mutationMode: 'pessimistic', onSuccess: () => done('deleted'), onError: failed },
            )
          }
          onClose={close}
        />
      ) : null}
    </Card>
  );
}

/** Admins and managers: the assignment rules, tried in order, tried in order. */
export function AssignmentRules() {
  return (
    <Box sx={{ mt: 2, display: 'grid', gap: 2, minWidth: 0 }}>
      <Title title="resources.assignmentRules.title" />
      <RuleList />
      <RealignmentPanel />
    </Box>
  );
}

export default AssignmentRules;
