import Add from '@mui/icons-material/Add';
import Stack from '@mui/material/Stack';
import Typography from '@mui/material/Typography';
import { CreateButton, DataTable, List, TopToolbar, useLocaleState, useTranslate } from 'react-admin';
import { DateTimeField } from '../common/fields';
import { EmptyState } from '../common/states';
import type { ImportSummary } from './importResource';
import { ImportStatusChip } from './ImportStatusChip';

function Empty() {
  const translate = useTranslate();
  return (
    <EmptyState
      message={translate('resources.imports.empty')}
      action={<CreateButton variant="contained" label="resources.imports.newImport" icon={<Add />} />}
    />
  );
}

/** What the dry run (or the run) found: counts per outcome, in words. */
function Counts({ record }: { record: ImportSummary }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (record.status === 'UPLOADED' || record.status === 'ANALYZING') return null;
  const number = new Intl.NumberFormat(locale === 'zh' ? 'zh-CN' : 'en-GB');
  const parts = (
    [
      ['CREATE', record.counts.create],
      ['UPDATE', record.counts.update],
      ['DUPLICATE_OWNED', record.counts.duplicateOwned],
      ['INVALID', record.counts.invalid],
    ] as const
  ).filter(([, count]) => count > 0);
  return (
    <Typography variant="body2" component="span">
      {parts.map(([action, count]) => `${translate(`resources.imports.actions.${action}`)} ${number.format(count)}`).join(' · ') ||
        translate('app.empty')}
    </Typography>
  );
}

/** Every import the viewer may see, newest first, with its status and what it found. */
export function ImportList() {
  return (
    <List<ImportSummary>
      perPage={25}
      exporter={false}
      empty={<Empty />}
      actions={
        <TopToolbar>
          <CreateButton label="resources.imports.newImport" icon={<Add />} />
        </TopToolbar>
      }
    >
      <DataTable<ImportSummary> rowClick="show" bulkActionButtons={false} data-testid="import-table">
        <DataTable.Col source="fileName" disableSort />
        <DataTable.Col source="status" disableSort render={(record: ImportSummary) => <ImportStatusChip status={record.status} />} />
        <DataTable.Col source="totalRows" disableSort />
        <DataTable.Col source="counts" disableSort render={(record: ImportSummary) => <Counts record={record} />} />
        <DataTable.Col
          source="createdBy"
          disableSort
          render={(record: ImportSummary) => (
            <Stack>
              <Typography variant="body2">{record.createdBy?.name ?? '—'}</Typography>
            </Stack>
          )}
        />
        <DataTable.Col source="createdAt" disableSort>
          <DateTimeField source="createdAt" />
        </DataTable.Col>
      </DataTable>
    </List>
  );
}

export default ImportList;
