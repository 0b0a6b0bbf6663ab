import Save from '@mui/icons-material/Save';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Chip from '@mui/material/Chip';
import Dialog from '@mui/material/Dialog';
import DialogActions from '@mui/material/DialogActions';
import DialogContent from '@mui/material/DialogContent';
import DialogContentText from '@mui/material/DialogContentText';
import DialogTitle from '@mui/material/DialogTitle';
import MenuItem from '@mui/material/MenuItem';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState, type FormEvent } from 'react';
import { useDataProvider, useNotify, useTranslate } from 'react-admin';
import {
  AdminImportTemplatesDocument,
  AdminSaveImportTemplateDocument,
  AdminUpdateImportMappingDocument,
  type ImportField,
} from '../../../schema/generated/graphql';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import type { ImportRecord } from './importResource';
import { IMPORT_FIELDS, mappingProblems, sameMapping, type ColumnChoice } from './mapping';
import { useImportErrorHandler } from './importErrors';

const TEMPLATES_KEY = ['imports', 'templates'];

function SaveTemplateDialog({ columns, job, onClose }: { columns: ColumnChoice[]; job: ImportRecord; onClose: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const onError = useImportErrorHandler();
  const [name, setName] = useState('');
  const save = useMutation({
    mutationFn: () =>
      dataProvider.execute(AdminSaveImportTemplateDocument, {
        input: {
          name: name.trim(),
          columns: columns.flatMap((column) =>
            column.field ? [{ header: job.columns.find((c) => c.index === column.index)!.header, field: column.field }] : [],
          ),
        },
      }),
    onSuccess: (data) => {
      notify('resources.imports.mapping.templateSaved', { type: 'info', messageArgs: { name: data.saveImportTemplate.name } });
      void queryClient.invalidateQueries({ queryKey: TEMPLATES_KEY });
      onClose();
    },
    onError,
  });
  const submit = (event: FormEvent) => {
    event.preventDefault();
    if (name.trim()) save.mutate();
  };
  return (
    <Dialog
      open
      onClose={onClose}
      fullWidth
      maxWidth="xs"
      slotProps={{ paper: { component: 'form', onSubmit: submit, 'aria-labelledby': 'save-template-title' } as never }}
    >
      <DialogTitle id="save-template-title">{translate('resources.imports.mapping.saveTitle')}</DialogTitle>
      <DialogContent>
        <DialogContentText sx={{ mb: 2 }}>{translate('resources.imports.mapping.saveHelp')}</DialogContentText>
        <TextField
          label={translate('resources.imports.mapping.templateName')}
          value={name}
          onChange={(event) => setName(event.target.value)}
          required
          autoFocus
          fullWidth
          slotProps={{ htmlInput: { maxLength: 100, name: 'templateName' } }}
        />
      </DialogContent>
      <DialogActions>
        <Button onClick={onClose}>{translate('ra.action.cancel')}</Button>
        <Button type="submit" variant="contained" disabled={!name.trim() || save.isPending}>
          {translate('ra.action.save')}
        </Button>
      </DialogActions>
    </Dialog>
  );
}

/**
 * Step two: each column's header and first values, and the field it goes to (the server's
 * guess preselected). Continuing saves a changed mapping, which restarts the dry run; a saved
 * mapping (template) can be applied, or this one saved as one.
 */
export function MappingStep({ job, onContinue, onChanged }: { job: ImportRecord; onContinue: () => void; onChanged: () => void }) {
  const translate = useTranslate();
  const notify = useNotify();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const onError = useImportErrorHandler(onChanged);
  const [columns, setColumns] = useState<ColumnChoice[]>(() => job.columns.map(({ index, field }) => ({ index, field: field ?? null })));
  const [saving, setSaving] = useState(false);
  const templates = useQuery({
    queryKey: TEMPLATES_KEY,
    queryFn: async ({ signal }) => (await dataProvider.execute(AdminImportTemplatesDocument, {}, { signal })).importTemplates,
  });
  const update = useMutation({
    mutationFn: (input: { columns: ColumnChoice[] } | { templateId: string }) =>
      dataProvider.execute(
        AdminUpdateImportMappingDocument,
        {
          input: {
            id: job.id,
            version: job.version!,
            columns: 'columns' in input ? input.columns : [],
            ...('templateId' in input ? input : {}),
          },
        },
        { affects: ['imports'] },
      ),
    onError,
  });
  const problems = mappingProblems(columns);
  const fieldLabel = (field: ImportField) => translate(`resources.imports.fieldNames.${field}`);
  const choose = (index: number, field: ImportField | null) =>
    setColumns((current) => current.map((column) => (column.index === index ? { index, field } : column)));
  const proceed = () => {
    if (sameMapping(columns, job.columns)) {
      onContinue();
      return;
    }
    update.mutate(
      { columns },
      {
        onSuccess: () => {
          notify('resources.imports.mapping.saved', { type: 'info' });
          onChanged();
          onContinue();
        },
      },
    );
  };
  const applyTemplate = (templateId: string) => {
    const template = templates.data?.find((candidate) => candidate.id === templateId);
    update.mutate(
      { templateId },
      {
        onSuccess: (data) => {
          setColumns(data.updateImportMapping.columns.map(({ index, field }) => ({ index, field: field ?? null })));
          notify('resources.imports.mapping.templateApplied', { type: 'info', messageArgs: { name: template?.name ?? '' } });
          onChanged();
        },
      },
    );
  };

  return (
    <Card>
      <CardContent>
        <Stack direction="row" sx={{ gap: 2, flexWrap: 'wrap', alignItems: 'flex-start', mb: 2 }}>
          <Box sx={{ flex: '1 1 320px', minWidth: 0 }}>
            <Typography variant="subtitle1">{translate('resources.imports.mapping.title')}</Typography>
            <Typography variant="body2" color="text.secondary">
              {translate('resources.imports.mapping.help')}
            </Typography>
          </Box>
          <TextField
            select
            size="small"
            sx={{ minWidth: 220 }}
            label={translate('resources.imports.mapping.template')}
            value=""
            disabled={!templates.data?.length || update.isPending}
            helperText={templates.data && !templates.data.length ? translate('resources.imports.mapping.templateNone') : undefined}
            onChange={(event) => applyTemplate(event.target.value)}
            slotProps={{ htmlInput: { name: 'template' } }}
          >
            {(templates.data ?? []).map((template) => (
              <MenuItem key={template.id} value={template.id}>
                {template.name}
              </MenuItem>
            ))}
          </TextField>
        </Stack>
        <TableContainer sx={{ overflowX: 'auto' }}>
          <Table size="small" data-testid="import-mapping" aria-label={translate('resources.imports.mapping.title')}>
            <TableHead>
              <TableRow>
                <TableCell>{translate('resources.imports.mapping.column')}</TableCell>
                <TableCell>{translate('resources.imports.mapping.samples')}</TableCell>
                <TableCell sx={{ minWidth: 200 }}>{translate('resources.imports.mapping.field')}</TableCell>
              </TableRow>
            </TableHead>
            <TableBody>
              {job.columns.map((column) => {
                const choice = columns.find((candidate) => candidate.index === column.index)?.field ?? null;
                return (
                  <TableRow key={column.index} data-testid={`mapping-${column.index}`} sx={{ verticalAlign: 'top' }}>
                    <TableCell sx={{ fontWeight: 500 }}>{column.header}</TableCell>
                    <TableCell sx={{ maxWidth: 280 }}>
                      {column.samples.length ? (
                        <Stack direction="row" sx={{ gap: 0.5, flexWrap: 'wrap' }}>
                          {column.samples.slice(0, 3).map((sample, at) => (
                            <Chip key={at} size="small" variant="outlined" label={sample} sx={{ maxWidth: 240 }} />
                          ))}
                        </Stack>
                      ) : (
                        <Typography variant="caption" color="text.secondary">
                          {translate('resources.imports.mapping.noSamples')}
                        </Typography>
                      )}
                    </TableCell>
                    <TableCell>
                      <TextField
                        select
                        size="small"
                        fullWidth
                        value={choice ?? ''}
                        onChange={(event) => choose(column.index, (event.target.value || null) as ImportField | null)}
                        slotProps={{
                          htmlInput: { name: `field-${column.index}`, 'aria-label': column.header },
                          select: { displayEmpty: true },
                        }}
                      >
                        <MenuItem value="">
                          <em>{translate('resources.imports.mapping.ignore')}</em>
                        </MenuItem>
                        {IMPORT_FIELDS.map((field) => (
                          <MenuItem key={field} value={field}>
                            {fieldLabel(field)}
                          </MenuItem>
                        ))}
                      </TextField>
                    </TableCell>
                  </TableRow>
                );
              })}
            </TableBody>
          </Table>
        </TableContainer>
        {problems.length ? (
          <Alert severity="warning" sx={{ mt: 2 }} data-testid="mapping-problems">
            {problems.map((problem) => (
              <div key={problem.field ?? 'legalName'}>
                {problem.kind === 'twice'
                  ? translate('resources.imports.mapping.twice', { field: fieldLabel(problem.field) })
                  : translate('resources.imports.mapping.legalNameMissing')}
              </div>
            ))}
          </Alert>
        ) : null}
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', justifyContent: 'flex-end', mt: 2 }}>
          <Button startIcon={<Save />} disabled={problems.length > 0} onClick={() => setSaving(true)}>
            {translate('resources.imports.mapping.saveTemplate')}
          </Button>
          <Button variant="contained" disabled={problems.length > 0 || update.isPending} onClick={proceed}>
            {translate('resources.imports.mapping.continue')}
          </Button>
        </Stack>
      </CardContent>
      {saving ? <SaveTemplateDialog columns={columns} job={job} onClose={() => setSaving(false)} /> : null}
    </Card>
  );
}
