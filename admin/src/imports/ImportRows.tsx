import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useInfiniteQuery } from '@tanstack/react-query';
import { Link, useDataProvider, useLocaleState, useTranslate, type TranslateFunction } from 'react-admin';
import {
  AdminImportRowsDocument,
  type AdminImportRowFragment,
  type ImportAction,
  type ImportRowCode,
} from '../../../schema/generated/graphql';
import { regionName } from '../common/format';
import { EmptyState, ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { RequestTransferButton } from '../transfers/RequestTransfer';
import type { ImportRecord } from './importResource';

const PAGE = 50;

export const ACTION_COLORS: Record<ImportAction, 'success' | 'info' | 'default' | 'warning' | 'error'> = {
  CREATE: 'success',
  UPDATE: 'info',
  CONTACT: 'default',
  DUPLICATE_OWNED: 'warning',
  INVALID: 'error',
};

/** A row's code in words: its params (`max`, `value`, `line`…) fill the catalogue's placeholders. */
export function reasonText(code: ImportRowCode, params: unknown, translate: TranslateFunction): string {
  const values = Object.fromEntries(Object.entries((params ?? {}) as Record<string, unknown>).map(([key, value]) => [key, String(value)]));
  return translate(`resources.imports.codes.${code}`, { ...values, _: code });
}

function Detail({ row, mode }: { row: AdminImportRowFragment; mode: 'report' | 'refused' }) {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  if (mode === 'refused')
    return <Typography variant="body2">{row.revertCode ? reasonText(row.revertCode, null, translate) : '—'}</Typography>;
  const customer = row.customer;
  switch (row.action) {
    case 'INVALID':
      return (
        <Typography variant="body2" color="error.main" data-testid="row-invalid">
          {translate('resources.imports.report.invalidField', {
            field: row.field ? translate(`resources.imports.fieldNames.${row.field}`) : translate('resources.imports.report.company'),
            reason: row.code ? reasonText(row.code, row.params, translate) : '',
          })}
        </Typography>
      );
    case 'DUPLICATE_OWNED':
      return (
        <Stack direction="row" sx={{ gap: 1, flexWrap: 'wrap', alignItems: 'center' }} data-testid="row-duplicate">
          <Box sx={{ minWidth: 0, flex: '1 1 200px' }}>
            {customer ? (
              <>
                <Typography variant="body2" sx={{ fontWeight: 500 }}>
                  {customer.legalName}
                </Typography>
                <Typography variant="caption" color="text.secondary">
                  {translate('resources.imports.report.ownedBy', {
                    territory: regionName(customer.territory, locale),
                    owner: customer.owner?.name ?? '—',
                  })}
                </Typography>
              </>
            ) : (
              <Typography variant="body2">{row.code ? reasonText(row.code, row.params, translate) : ''}</Typography>
            )}
          </Box>
          {customer ? <RequestTransferButton customer={customer} variant="outlined" /> : null}
        </Stack>
      );
    case 'UPDATE':
      return customer ? (
        <Typography variant="body2">
          {translate('resources.imports.report.updates')}: <Link to={`/customers/${customer.id}/show`}>{customer.legalName}</Link>
        </Typography>
      ) : null;
    case 'CONTACT':
      return <Typography variant="body2">{translate('resources.imports.report.addsContact')}</Typography>;
    case 'CREATE':
      return row.applied && customer ? (
        <Typography variant="body2">
          {translate('resources.imports.report.created')}: <Link to={`/customers/${customer.id}/show`}>{customer.legalName}</Link>
        </Typography>
      ) : null;
    default:
      return null;
  }
}

/**
 * The rows of an import in file order, `PAGE` at a time: those of one outcome (the report), or
 * those a revert left as they were. The company is the row's own value of the name column.
 */
export function ImportRows({
  job,
  action,
  mode = 'report',
}: {
  job: ImportRecord;
  action?: ImportAction | null;
  mode?: 'report' | 'refused';
}) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const nameColumn = job.columns.find((column) => column.field === 'LEGAL_NAME')?.index;
  const rows = useInfiniteQuery({
    // The status and version are part of the key: a new dry run, the run or a revert changes the rows.
    queryKey: ['imports', job.id, 'rows', mode, action ?? null, job.status, job.version],
    initialPageParam: null as string | null,
    queryFn: async ({ pageParam, signal }) => {
      const data = await dataProvider.execute(
        AdminImportRowsDocument,
        {
          id: job.id,
          first: PAGE,
          after: pageParam,
          action: mode === 'report' ? (action ?? undefined) : undefined,
          revertRefused: mode === 'refused' ? true : undefined,
        },
        { signal },
      );
      return data.import?.rows ?? { totalCount: 0, edges: [], pageInfo: { hasNextPage: false, endCursor: null } };
    },
    getNextPageParam: (last) => (last.pageInfo.hasNextPage ? (last.pageInfo.endCursor ?? null) : undefined),
  });
  if (rows.isPending) return <LoadingState />;
  if (rows.error) return <ErrorState error={rows.error} onRetry={() => void rows.refetch()} />;
  const list = rows.data.pages.flatMap((page) => page.edges.map((edge) => edge.node));
  if (!list.length)
    return (
      <EmptyState message={translate(mode === 'refused' ? 'resources.imports.result.refusedNone' : 'resources.imports.report.noRows')} />
    );
  return (
    <>
      <TableContainer sx={{ overflowX: 'auto', maxHeight: 560 }}>
        <Table size="small" stickyHeader data-testid={mode === 'refused' ? 'import-refused-rows' : 'import-rows'}>
          <TableHead>
            <TableRow>
              <TableCell sx={{ width: 64 }}>{translate('resources.imports.report.line')}</TableCell>
              <TableCell>{translate('resources.imports.report.action')}</TableCell>
              <TableCell>{translate('resources.imports.report.company')}</TableCell>
              <TableCell sx={{ minWidth: 240 }}>
                {translate(mode === 'refused' ? 'resources.imports.result.reason' : 'resources.imports.report.detail')}
              </TableCell>
            </TableRow>
          </TableHead>
          <TableBody>
            {list.map((row) => (
              <TableRow key={row.line} data-testid={`import-row-${row.line}`} sx={{ verticalAlign: 'top' }}>
                <TableCell>{row.line}</TableCell>
                <TableCell>
                  {row.action ? (
                    <Chip
                      size="small"
                      color={ACTION_COLORS[row.action]}
                      variant="outlined"
                      label={translate(`resources.imports.actions.${row.action}`)}
                    />
                  ) : null}
                </TableCell>
                <TableCell sx={{ minWidth: 160 }}>{(nameColumn !== undefined ? row.values[nameColumn] : null) || '—'}</TableCell>
                <TableCell>
                  <Detail row={row} mode={mode} />
                </TableCell>
              </TableRow>
            ))}
          </TableBody>
        </Table>
      </TableContainer>
      {rows.hasNextPage ? (
        <Box sx={{ textAlign: 'center', mt: 1 }}>
          <Button size="small" disabled={rows.isFetchingNextPage} onClick={() => void rows.fetchNextPage()}>
            {translate('resources.imports.report.more')}
          </Button>
        </Box>
      ) : null}
    </>
  );
}
