import Alert from '@mui/material/Alert';
import Autocomplete from '@mui/material/Autocomplete';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogTitle from '@mui/material/DialogTitle';
import ListItemText from '@mui/material/ListItemText';
import Stack from '@mui/material/Stack';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMemo, useState, type FormEvent } from 'react';
import { useGetList, useLocaleState, useTranslate } from 'react-admin';
import type { Channel, SizeBand } from '../../../schema/generated/graphql';
import { CHANNELS, SIZE_BANDS } from '../common/enums';
import { personDetail, RegionPicker, type PersonRecord } from '../common/pickers';
import { TERRITORY_KINDS } from '../common/RegionInput';
import { type RegionFilter, type RegionTree } from '../common/useRegions';
import type { AssignmentRuleRecord, RuleValues } from './assignmentRuleResource';

const grid = { display: 'grid', gap: 2, gridTemplateColumns: { xs: '1fr', sm: '1fr 1fr' } } as const;

/** Free-text values (provinces, cities, industries) as chips; a value typed but not yet entered is kept on blur. */
function TextListInput({
  label,
  name,
  value,
  onChange,
}: {
  label: string;
  name: string;
  value: string[];
  onChange: (next: string[]) => void;
}) {
  return (
    <Autocomplete<string, true, false, true>
      multiple
      freeSolo
      autoSelect
      options={[]}
      value={value}
      onChange={(_event, next) => onChange([...new Set(next.map((item) => item.trim()).filter(Boolean))])}
      renderValue={(values, getItemProps) =>
        values.map((option, index) => {
          const { key, ...props } = getItemProps({ index });
          return <Chip key={key} size="small" label={option} {...props} />;
        })
      }
      renderInput={(params) => (
        <TextField {...params} label={label} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name } }} />
      )}
    />
  );
}

/** Enum values (size bands, channels) picked from their translated names. */
function EnumListInput<T extends string>({
  label,
  name,
  type,
  options,
  value,
  onChange,
}: {
  label: string;
  name: string;
  type: 'SizeBand' | 'Channel';
  options: readonly T[];
  value: T[];
  onChange: (next: T[]) => void;
}) {
  const translate = useTranslate();
  return (
    <Autocomplete<T, true>
      multiple
      disableCloseOnSelect
      options={options}
      value={value}
      onChange={(_event, next) => onChange(next)}
      getOptionLabel={(option) => translate(`enums.${type}.${option}`)}
      renderValue={(values, getItemProps) =>
        values.map((option, index) => {
          const { key, ...props } = getItemProps({ index });
          return <Chip key={key} size="small" label={translate(`enums.${type}.${option}`)} {...props} />;
        })
      }
      renderInput={(params) => (
        <TextField {...params} label={label} slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name } }} />
      )}
    />
  );
}

type Person = Omit<PersonRecord, 'managedRegions'> & {
  id: string;
  managedRegions: readonly { id: string; name: string; nameZh?: string | null }[];
};
interface OwnerOption {
  id: string;
  name: string;
  detail: string;
}

/** The territory and every region above it: a manager of any of them may own its accounts. */
function areasOf(territoryId: string, tree: RegionTree | null): Set<string> {
  const areas = new Set<string>();
  let current = tree?.byId.get(territoryId);
  while (current) {
    areas.add(current.id);
    current = current.parentId ? tree?.byId.get(current.parentId) : undefined;
  }
  return areas;
}

/**
 * Who may own the rule's accounts (ownerFitsSql): active reps of the territory and active
 * managers of a region above it, each with e-mail and places beside the name.
 */
function OwnerPicker({
  territoryId,
  tree,
  value,
  onChange,
}: {
  territoryId: string | null;
  tree: RegionTree | null;
  value: OwnerOption | null;
  onChange: (next: OwnerOption | null) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const enabled = Boolean(territoryId);
  const list = { pagination: { page: 1, perPage: 100 }, sort: { field: 'name', order: 'ASC' as const } };
  const reps = useGetList<Person>('users', { ...list, filter: { active: true, role: 'REP', territoryId } }, { enabled });
  const managers = useGetList<Person>('users', { ...list, filter: { active: true, role: 'MANAGER' } }, { enabled });
  const options = useMemo(() => {
    if (!territoryId) return [];
    const areas = areasOf(territoryId, tree);
    const fitting = (managers.data ?? []).filter((manager) => manager.managedRegions.some((region) => areas.has(region.id)));
    return [...(reps.data ?? []), ...fitting]
      .map((person) => ({ id: String(person.id), name: person.name, detail: personDetail(person, locale) }))
      .sort((a, b) => a.name.localeCompare(b.name, locale === 'zh' ? 'zh-CN' : 'en'));
  }, [territoryId, tree, reps.data, managers.data, locale]);
  return (
    <Autocomplete<OwnerOption>
      options={options}
      value={value}
      disabled={!enabled}
      loading={enabled && (reps.isPending || managers.isPending)}
      onChange={(_event, next) => onChange(next)}
      getOptionLabel={(option) => option.name}
      isOptionEqualToValue={(a, b) => a.id === b.id}
      renderOption={({ key, ...props }, option) => (
        <li key={key} {...props}>
          <ListItemText primary={option.name} secondary={option.detail} sx={{ my: 0 }} />
        </li>
      )}
      noOptionsText={translate('ra.navigation.no_results')}
      renderInput={(params) => (
        <TextField
          {...params}
          label={translate('resources.assignmentRules.dialog.ownerLabel')}
          helperText={
            value
              ? value.detail
              : translate(enabled ? 'resources.assignmentRules.dialog.ownerHelp' : 'resources.assignmentRules.dialog.ownerNeedsTerritory')
          }
          slotProps={{ ...params.slotProps, htmlInput: { ...params.slotProps.htmlInput, name: 'owner' } }}
        />
      )}
    />
  );
}

/** A rule's conditions and target: new (appended after the others) or an existing rule's, sent with its version. */
export function RuleDialog({
  rule,
  tree,
  within,
  busy,
  error,
  onClose,
  onSubmit,
}: {
  rule: AssignmentRuleRecord | null;
  tree: RegionTree | null;
  within: RegionFilter;
  busy: boolean;
  /** A refusal to show in the dialog, as a message key. */
  error: string | null;
  onClose: () => void;
  onSubmit: (values: RuleValues) => void;
}) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const [name, setName] = useState(rule?.name ?? '');
  const [provinces, setProvinces] = useState<string[]>(rule?.provinces ?? []);
  const [cities, setCities] = useState<string[]>(rule?.cities ?? []);
  const [industries, setIndustries] = useState<string[]>(rule?.industries ?? []);
  const [sizeBands, setSizeBands] = useState<SizeBand[]>(rule?.sizeBands ?? []);
  const [sourceChannels, setSourceChannels] = useState<Channel[]>(rule?.sourceChannels ?? []);
  const [territoryId, setTerritoryId] = useState<string | null>(rule?.territory.id ?? null);
  const [owner, setOwner] = useState<OwnerOption | null>(
    rule?.owner ? { id: rule.owner.id, name: rule.owner.name, detail: personDetail(rule.owner, locale) } : null,
  );
  const ready = Boolean(name.trim() && territoryId) && !busy;
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (!ready) return;
    onSubmit({
      name: name.trim(),
      territoryId: territoryId!,
      ownerId: owner?.id ?? null,
      provinces,
      cities,
      industries,
      sizeBands,
      sourceChannels,
    });
  };
  const field = (key: string) => translate(`resources.assignmentRules.fields.${key}`);
  return (
    <Dialog
      open
      onClose={busy ? undefined : onClose}
      fullWidth
      maxWidth="sm"
      slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'rule-dialog-title' } as never }}
    >
      <DialogTitle id="rule-dialog-title">
        {rule
          ? translate('resources.assignmentRules.dialog.editTitle', { name: rule.name })
          : translate('resources.assignmentRules.dialog.createTitle')}
      </DialogTitle>
      <DialogContent>
        <Stack spacing={2} sx={{ pt: 1 }}>
          {error ? <Alert severity="error">{translate(error, { _: error })}</Alert> : null}
          <TextField
            label={field('name')}
            value={name}
            onChange={(event) => setName(event.target.value)}
            required
            autoFocus
            slotProps={{ htmlInput: { name: 'name', maxLength: 200 } }}
          />
          <Box>
            <Typography variant="subtitle2">{translate('resources.assignmentRules.dialog.conditionsTitle')}</Typography>
            <Typography variant="body2" color="text.secondary" sx={{ mb: 1.5 }}>
              {translate('resources.assignmentRules.dialog.conditionsHelp')}
            </Typography>
            <Box sx={grid}>
              <TextListInput label={field('provinces')} name="provinces" value={provinces} onChange={setProvinces} />
              <TextListInput label={field('cities')} name="cities" value={cities} onChange={setCities} />
              <TextListInput label={field('industries')} name="industries" value={industries} onChange={setIndustries} />
              <EnumListInput
                label={field('sizeBands')}
                name="sizeBands"
                type="SizeBand"
                options={SIZE_BANDS}
                value={sizeBands}
                onChange={setSizeBands}
              />
              <EnumListInput
                label={field('sourceChannels')}
                name="sourceChannels"
                type="Channel"
                options={CHANNELS}
                value={sourceChannels}
                onChange={setSourceChannels}
              />
            </Box>
          </Box>
          <Box>
            <Typography variant="subtitle2" sx={{ mb: 1.5 }}>
              {translate('resources.assignmentRules.dialog.targetTitle')}
            </Typography>
            <Box sx={grid}>
              {/* The territories the user may target (a manager: those of their regions), by path. */}
              <RegionPicker
                kinds={TERRITORY_KINDS}
                label={translate('resources.assignmentRules.fields.territory')}
                helperText={translate('resources.assignmentRules.dialog.territoryHelp')}
                name="territory"
                required
                value={territoryId}
                within={within}
                onChange={(next) => {
                  // Who may own accounts depends on the territory: the owner is chosen again.
                  if (next !== territoryId) setOwner(null);
                  setTerritoryId(next);
                }}
              />
              <OwnerPicker territoryId={territoryId} tree={tree} value={owner} onChange={setOwner} />
            </Box>
          </Box>
          {rule ? null : (
            <Typography variant="body2" color="text.secondary">
              {translate('resources.assignmentRules.dialog.appended')}
            </Typography>
          )}
        </Stack>
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose} disabled={busy}>
          {translate('ra.action.cancel')}
        </Button>
        <Button type="submit" variant="contained" disabled={!ready}>
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}
