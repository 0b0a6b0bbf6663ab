import Add from '@mui/icons-material/Add';
import DeleteOutline from '@mui/icons-material/DeleteOutlineOutlined';
import DriveFileMove from '@mui/icons-material/DriveFileMove';
import Edit from '@mui/icons-material/Edit';
import ExpandMore from '@mui/icons-material/ExpandMore';
import ChevronRight from '@mui/icons-material/ChevronRight';
import Star from '@mui/icons-material/Star';
import StarBorder from '@mui/icons-material/StarBorder';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import Chip from '@mui/material/Chip';
import IconButton from '@mui/material/IconButton';
import InputAdornment from '@mui/material/InputAdornment';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Tooltip from '@mui/material/Tooltip';
import Typography from '@mui/material/Typography';
import Search from '@mui/icons-material/Search';
import { useQueryClient } from '@tanstack/react-query';
import { useMemo, useState } from 'react';
import { Title, useCanAccess, useCreate, useDelete, useLocaleState, useNotify, useTranslate, useUpdate } from 'react-admin';
import type { RegionKind } from '../../../schema/generated/graphql';
import { useSaveErrorHandler } from '../common/conflict';
import { regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import { useRegionTree, type RegionRecord, type RegionTree as Tree } from '../common/useRegions';
import {
  CHILD_KIND,
  CreateRegionDialog,
  DeleteRegionDialog,
  MoveRegionDialog,
  RenameRegionDialog,
  type CreateRegionValues,
} from './RegionDialogs';

type DialogState =
  | { type: 'create'; parent: RegionRecord | null; kind: RegionKind }
  | { type: 'rename'; region: RegionRecord }
  | { type: 'move'; region: RegionRecord }
  | { type: 'delete'; region: RegionRecord }
  | null;

interface NodeProps {
  region: RegionRecord;
  tree: Tree;
  depth: number;
  expanded: Set<string>;
  toggle: (id: string) => void;
  visible: Set<string> | null;
  canEdit: boolean;
  onAction: (dialog: DialogState) => void;
  onToggleKeyCity: (region: RegionRecord) => void;
}

function RegionNode({ region, tree, depth, expanded, toggle, visible, canEdit, onAction, onToggleKeyCity }: NodeProps) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (visible && !visible.has(region.id)) return null;
  const children = tree.childrenOf(region.id);
  const open = expanded.has(region.id) || visible !== null;
  const childKind = CHILD_KIND[region.kind];
  const name = regionName(region, locale);
  const other = locale === 'zh' ? region.name : region.nameZh;
  return (
    <Box component="li" role="treeitem" aria-expanded={children.length ? open : undefined} aria-label={name} sx={{ listStyle: 'none' }}>
      <Stack
        direction="row"
        sx={{
          alignItems: 'center',
          gap: 1,
          pl: depth * 3,
          pr: 1,
          py: 0.25,
          borderRadius: 1,
          '&:hover': { bgcolor: 'action.hover' },
          '&:hover .region-actions, &:focus-within .region-actions': { opacity: 1 },
          flexWrap: 'wrap',
        }}
        data-testid={`region-${region.code}`}
      >
        <IconButton
          size="small"
          onClick={() => toggle(region.id)}
          disabled={!children.length}
          aria-label={translate(open ? 'ra.action.close' : 'ra.action.expand')}
        >
          {children.length ? open ? <ExpandMore fontSize="small" /> : <ChevronRight fontSize="small" /> : <Box sx={{ width: 20 }} />}
        </IconButton>
        <Typography variant="body2" sx={{ fontWeight: region.kind === 'REGION' ? 600 : 400 }}>
          {name}
        </Typography>
        {other && other !== name ? (
          <Typography variant="body2" color="text.secondary">
            {other}
          </Typography>
        ) : null}
        <Chip size="small" variant="outlined" label={region.code} />
        <Typography variant="caption" color="text.secondary">
          {translate(`enums.RegionKind.${region.kind}`)}
        </Typography>
        {region.kind === 'TERRITORY' ? (
          <Tooltip title={translate('resources.regions.fields.keyCity')}>
            <span>
              <IconButton
                size="small"
                disabled={!canEdit}
                onClick={() => onToggleKeyCity(region)}
                aria-pressed={region.keyCity}
                aria-label={translate('resources.regions.fields.keyCity')}
              >
                {region.keyCity ? <Star fontSize="small" sx={{ color: '#f9a825' }} /> : <StarBorder fontSize="small" />}
              </IconButton>
            </span>
          </Tooltip>
        ) : null}
        {canEdit ? (
          <Box className="region-actions" sx={{ display: 'flex', gap: 0.5, opacity: { xs: 1, md: 0.35 }, ml: 'auto' }}>
            {childKind ? (
              <Button size="small" startIcon={<Add />} onClick={() => onAction({ type: 'create', parent: region, kind: childKind })}>
                {translate('resources.regions.tree.addChild')}
              </Button>
            ) : null}
            <Button size="small" startIcon={<Edit />} onClick={() => onAction({ type: 'rename', region })}>
              {translate('resources.regions.tree.rename')}
            </Button>
            {region.kind !== 'REGION' ? (
              <Button size="small" startIcon={<DriveFileMove />} onClick={() => onAction({ type: 'move', region })}>
                {translate('resources.regions.tree.move')}
              </Button>
            ) : null}
            {children.length === 0 ? (
              <IconButton
                size="small"
                onClick={() => onAction({ type: 'delete', region })}
                aria-label={translate('resources.regions.tree.delete')}
              >
                <DeleteOutline fontSize="small" />
              </IconButton>
            ) : null}
          </Box>
        ) : null}
      </Stack>
      {children.length && open ? (
        <Box component="ul" role="group" sx={{ m: 0, p: 0 }}>
          {children.map((child) => (
            <RegionNode
              key={child.id}
              region={child}
              tree={tree}
              depth={depth + 1}
              expanded={expanded}
              toggle={toggle}
              visible={visible}
              canEdit={canEdit}
              onAction={onAction}
              onToggleKeyCity={onToggleKeyCity}
            />
          ))}
        </Box>
      ) : null}
    </Box>
  );
}

/** Nodes matching the search and their ancestors; null when not searching. */
function visibleFor(tree: Tree, search: string, locale: string): Set<string> | null {
  const term = search.trim().toLowerCase();
  if (!term) return null;
  const visible = new Set<string>();
  for (const region of tree.all) {
    const haystack = `${region.code} ${region.name} ${region.nameZh ?? ''} ${regionName(region, locale)}`.toLowerCase();
    if (!haystack.includes(term)) continue;
    let current: RegionRecord | undefined = region;
    while (current && !visible.has(current.id)) {
      visible.add(current.id);
      current = current.parentId ? tree.byId.get(current.parentId) : undefined;
    }
  }
  return visible;
}

/** The region → province → territory tree: create, rename, move, flag key cities, delete empty nodes. */
export function RegionTree() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const onConflict = useSaveErrorHandler();
  const { tree, isPending, error, refetch } = useRegionTree();
  const { canAccess: canEdit = false } = useCanAccess({ resource: 'regions', action: 'edit' });
  const [expanded, setExpanded] = useState<Set<string>>(new Set());
  const [search, setSearch] = useState('');
  const [dialog, setDialog] = useState<DialogState>(null);
  const [create, { isPending: creating }] = useCreate();
  const [update, { isPending: updating }] = useUpdate();
  const [remove, { isPending: deleting }] = useDelete();
  const visible = useMemo(() => (tree ? visibleFor(tree, search, locale) : null), [tree, search, locale]);

  const done = (message = 'resources.regions.tree.saved') => {
    notify(message, { type: 'info' });
    setDialog(null);
    void queryClient.invalidateQueries({ queryKey: ['regions'] });
  };
  const failed = (error: unknown) => onConflict(error);
  const toggle = (id: string) =>
    setExpanded((current) => {
      const next = new Set(current);
      if (next.has(id)) next.delete(id);
      else next.add(id);
      return next;
    });

  if (isPending) return <LoadingState />;
  if (error || !tree) return <ErrorState error={error} onRetry={() => void refetch()} />;

  const label = (region: RegionRecord) => tree.label(region);
  const onCreate = (parent: RegionRecord | null, kind: RegionKind) => (values: CreateRegionValues) =>
    create(
      'regions',
      { data: { ...values, nameZh: values.nameZh || null, kind, parentId: parent?.id ?? null } },
      {
        onSuccess: () => {
          if (parent) setExpanded((current) => new Set(current).add(parent.id));
          done('resources.regions.notifications.created');
        },
        onError: failed,
      },
    );
  const save = (region: RegionRecord, data: Record<string, unknown>, message?: string) =>
    update(
      'regions',
      { id: region.id, data, previousData: region },
      { mutationMode: 'pessimistic', onSuccess: () => done(message), onError: failed },
    );
  const onToggleKeyCity = (region: RegionRecord) =>
    save(region, { keyCity: !region.keyCity }, region.keyCity ? 'resources.regions.tree.keyCityOff' : 'resources.regions.tree.keyCityOn');

  return (
    <Card sx={{ mt: 2, p: 2 }}>
      <Title title="resources.regions.tree.title" />
      <Stack direction="row" spacing={1} sx={{ mb: 2, flexWrap: 'wrap', rowGap: 1, alignItems: 'center' }}>
        <TextField
          size="small"
          placeholder={translate('resources.regions.tree.search')}
          value={search}
          onChange={(event) => setSearch(event.target.value)}
          sx={{ width: { xs: '100%', sm: 300 } }}
          slotProps={{
            input: {
              startAdornment: (
                <InputAdornment position="start">
                  <Search fontSize="small" />
                </InputAdornment>
              ),
            },
          }}
        />
        <Button size="small" onClick={() => setExpanded(new Set(tree.all.map((region) => region.id)))}>
          {translate('resources.regions.tree.expandAll')}
        </Button>
        <Button size="small" onClick={() => setExpanded(new Set())}>
          {translate('resources.regions.tree.collapseAll')}
        </Button>
        <Box sx={{ flex: 1 }} />
        {canEdit ? (
          <Button
            variant="contained"
            size="small"
            startIcon={<Add />}
            onClick={() => setDialog({ type: 'create', parent: null, kind: 'REGION' })}
          >
            {translate('resources.regions.tree.addRegion')}
          </Button>
        ) : null}
      </Stack>
      {tree.roots.length === 0 ? (
        <EmptyState message={translate('resources.regions.tree.empty')} />
      ) : (
        <Box component="ul" role="tree" aria-label={translate('resources.regions.tree.title')} sx={{ m: 0, p: 0 }}>
          {tree.roots.map((region) => (
            <RegionNode
              key={region.id}
              region={region}
              tree={tree}
              depth={0}
              expanded={expanded}
              toggle={toggle}
              visible={visible}
              canEdit={canEdit}
              onAction={setDialog}
              onToggleKeyCity={onToggleKeyCity}
            />
          ))}
        </Box>
      )}
      {dialog?.type === 'create' ? (
        <CreateRegionDialog
          parent={dialog.parent}
          kind={dialog.kind}
          label={dialog.parent ? label(dialog.parent) : ''}
          busy={creating}
          onClose={() => setDialog(null)}
          onSubmit={onCreate(dialog.parent, dialog.kind)}
        />
      ) : null}
      {dialog?.type === 'rename' ? (
        <RenameRegionDialog
          region={dialog.region}
          label={label(dialog.region)}
          busy={updating}
          onClose={() => setDialog(null)}
          onSubmit={(values) => save(dialog.region, values)}
        />
      ) : null}
      {dialog?.type === 'move' ? (
        <MoveRegionDialog
          region={dialog.region}
          tree={tree}
          busy={updating}
          onClose={() => setDialog(null)}
          onSubmit={(parentId) => save(dialog.region, { parentId })}
        />
      ) : null}
      {dialog?.type === 'delete' ? (
        <DeleteRegionDialog
          label={label(dialog.region)}
          busy={deleting}
          onClose={() => setDialog(null)}
          onSubmit={() =>
            remove(
              'regions',
              { id: dialog.region.id, previousData: dialog.region },
              { mutationMode: 'pessimistic', onSuccess: () => done('resources.regions.notifications.deleted'), onError: failed },
            )
          }
        />
      ) : null}
    </Card>
  );
}

export default RegionTree;
