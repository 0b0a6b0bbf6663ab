import Button from '@mui/material/Button';
import Checkbox from '@mui/material/Checkbox';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import FormControlLabel from '@mui/material/FormControlLabel';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useState, type FormEvent, type ReactNode } from 'react';
import { useTranslate } from 'react-admin';
import type { RegionKind } from '../../../schema/generated/graphql';
import type { RegionRecord, RegionTree } from '../common/useRegions';

export const CHILD_KIND: Record<RegionKind, RegionKind | null> = { REGION: 'PROVINCE', PROVINCE: 'TERRITORY', TERRITORY: null };
export const PARENT_KIND: Record<RegionKind, RegionKind | null> = { REGION: null, PROVINCE: 'REGION', TERRITORY: 'PROVINCE' };

function FormDialog({
  title,
  open,
  onClose,
  onSubmit,
  busy,
  children,
  submitLabel = 'ra.action.save',
  danger = false,
}: {
  title: string;
  open: boolean;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
  children: ReactNode;
  submitLabel?: string;
  danger?: boolean;
}) {
  const translate = useTranslate();
  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };
  return (
    <Dialog open={open} onClose={onClose} fullWidth maxWidth="xs" slotProps={{ paper: { component: 'form', onSubmit: submit } as never }}>
      <DialogTitle>{title}</DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {children}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button type="submit" variant="contained" color={danger ? 'error' : 'primary'} disabled={busy}>
          {translate(submitLabel)}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

export interface CreateRegionValues {
  code: string;
  name: string;
  nameZh: string;
  keyCity: boolean;
}

export function CreateRegionDialog({
  parent,
  kind,
  label,
  onClose,
  onSubmit,
  busy,
}: {
  parent: RegionRecord | null;
  kind: RegionKind;
  label: string;
  onClose: () => void;
  onSubmit: (values: CreateRegionValues) => void;
  busy: boolean;
}) {
  const translate = useTranslate();
  const [values, setValues] = useState<CreateRegionValues>({ code: '', name: '', nameZh: '', keyCity: false });
  const set = (key: keyof CreateRegionValues) => (event: { target: { value: string; checked?: boolean } }) =>
    setValues((v) => ({ ...v, [key]: key === 'keyCity' ? Boolean(event.target.checked) : event.target.value }));
  const kindLabel = translate(`enums.RegionKind.${kind}`);
  return (
    <FormDialog
      open
      title={
        parent
          ? translate('resources.regions.tree.createBelow', { kind: kindLabel, parent: label })
          : translate('resources.regions.tree.createTitle', { kind: kindLabel })
      }
      onClose={onClose}
      onSubmit={() => onSubmit(values)}
      busy={busy}
    >
      <TextField
        label={translate('resources.regions.fields.code')}
        value={values.code}
        onChange={set('code')}
        required
        autoFocus
        slotProps={{ htmlInput: { pattern: '[A-Za-z0-9_\\-]+', maxLength: 40, name: 'code' } }}
      />
      <TextField
        label={translate('resources.regions.fields.name')}
        value={values.name}
        onChange={set('name')}
        required
        slotProps={{ htmlInput: { name: 'name' } }}
      />
      <TextField
        label={translate('resources.regions.fields.nameZh')}
        value={values.nameZh}
        onChange={set('nameZh')}
        slotProps={{ htmlInput: { name: 'nameZh' } }}
      />
      {kind === 'TERRITORY' ? (
        <FormControlLabel
          control={<Checkbox checked={values.keyCity} onChange={set('keyCity')} />}
          label={translate('resources.regions.fields.keyCity')}
        />
      ) : null}
    </FormDialog>
  );
}

export function RenameRegionDialog({
  region,
  label,
  onClose,
  onSubmit,
  busy,
}: {
  region: RegionRecord;
  label: string;
  onClose: () => void;
  onSubmit: (values: { name: string; nameZh: string | null }) => void;
  busy: boolean;
}) {
  const translate = useTranslate();
  const [name, setName] = useState(region.name);
  const [nameZh, setNameZh] = useState(region.nameZh ?? '');
  return (
    <FormDialog
      open
      title={translate('resources.regions.tree.renameTitle', { name: label })}
      onClose={onClose}
      onSubmit={() => onSubmit({ name: name.trim(), nameZh: nameZh.trim() || null })}
      busy={busy}
    >
      <TextField
        label={translate('resources.regions.fields.name')}
        value={name}
        onChange={(e) => setName(e.target.value)}
        required
        autoFocus
        slotProps={{ htmlInput: { name: 'name' } }}
      />
      <TextField
        label={translate('resources.regions.fields.nameZh')}
        value={nameZh}
        onChange={(e) => setNameZh(e.target.value)}
        slotProps={{ htmlInput: { name: 'nameZh' } }}
      />
    </FormDialog>
  );
}

export function MoveRegionDialog({
  region,
  tree,
  onClose,
  onSubmit,
  busy,
}: {
  region: RegionRecord;
  tree: RegionTree;
  onClose: () => void;
  onSubmit: (parentId: string) => void;
  busy: boolean;
}) {
  const translate = useTranslate();
  const parentKind = PARENT_KIND[region.kind];
  const candidates = parentKind ? tree.ofKind(parentKind) : [];
  // Opens on the current parent: saving unchanged moves nothing, and no default moves a subtree by accident.
  const [parentId, setParentId] = useState(region.parentId ?? '');
  const unchanged = !parentId || parentId === region.parentId;
  return (
    <FormDialog
      open
      title={translate('resources.regions.tree.moveTitle', { name: tree.label(region) })}
      onClose={onClose}
      onSubmit={() => !unchanged && onSubmit(parentId)}
      busy={busy || unchanged}
    >
      <TextField
        select
        label={translate('resources.regions.fields.parent')}
        value={parentId}
        onChange={(e) => setParentId(e.target.value)}
        required
      >
        {candidates.map((candidate) => (
          <MenuItem key={candidate.id} value={candidate.id}>
            {tree.label(candidate)}
          </MenuItem>
        ))}
      </TextField>
      <Typography variant="body2" color="text.secondary">
        {translate('resources.regions.tree.moveHelp')}
      </Typography>
    </FormDialog>
  );
}

export function DeleteRegionDialog({
  label,
  onClose,
  onSubmit,
  busy,
}: {
  label: string;
  onClose: () => void;
  onSubmit: () => void;
  busy: boolean;
}) {
  const translate = useTranslate();
  return (
    <FormDialog
      open
      danger
      submitLabel="ra.action.delete"
      title={translate('resources.regions.tree.deleteTitle', { name: label })}
      onClose={onClose}
      onSubmit={onSubmit}
      busy={busy}
    >
      <Typography variant="body2">{translate('resources.regions.tree.deleteHelp')}</Typography>
    </FormDialog>
  );
}
