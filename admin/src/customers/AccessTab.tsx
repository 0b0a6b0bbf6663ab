import CheckCircle from '@mui/icons-material/CheckCircle';
import RemoveCircle from '@mui/icons-material/RemoveCircle';
import Box from '@mui/material/Box';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableContainer from '@mui/material/TableContainer';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import Typography from '@mui/material/Typography';
import { useQuery } from '@tanstack/react-query';
import { useState } from 'react';
import { useDataProvider, useRecordContext, useTranslate } from 'react-admin';
import { AdminExplainAccessDocument } from '../../../schema/generated/graphql';
import { UserPicker } from '../common/pickers';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import type { Customer360 } from './customer360';

/**
 * Admins: who may see what of this account and why (explainAccess), for themselves or for any
 * user picked here. One request per user chosen, when the tab opens.
 */
export function AccessTab() {
  const record = useRecordContext<Customer360>();
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [user, setUser] = useState<{ id: string; name: string } | null>(null);
  const query = useQuery({
    queryKey: ['customers', 'explainAccess', record?.id, user?.id ?? null],
    queryFn: async ({ signal }) =>
      (await dataProvider.execute(AdminExplainAccessDocument, { customerId: record!.id, userId: user?.id ?? null }, { signal }))
        .explainAccess,
    enabled: Boolean(record?.id),
  });
  const t = (key: string) => translate(`resources.customers.access.${key}`);
  return (
    <Box>
      <Box sx={{ maxWidth: 360, mb: 2 }}>
        <UserPicker label={t('user')} value={user} onChange={setUser} helperText={t('userHelp')} name="explainUser" />
      </Box>
      {query.isPending ? (
        <LoadingState />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <>
          <Typography variant="body2" sx={{ mb: 1 }} data-testid="access-summary">
            {translate(`enums.AccessLevel.${query.data.level}`)} · {translate(`enums.AccessRule.${query.data.rule}`)} — {query.data.reason}
          </Typography>
          <TableContainer>
            <Table size="small" aria-label={translate('resources.customers.tabs.access')}>
              <TableHead>
                <TableRow>
                  {['group', 'allowed', 'rule', 'reason', 'fields'].map((key) => (
                    <TableCell key={key}>{t(key)}</TableCell>
                  ))}
                </TableRow>
              </TableHead>
              <TableBody>
                {query.data.groups.map((group) => (
                  <TableRow key={group.group} sx={{ verticalAlign: 'top' }}>
                    <TableCell>{translate(`enums.CustomerFieldGroup.${group.group}`)}</TableCell>
                    <TableCell>
                      {group.allowed ? (
                        <CheckCircle color="success" fontSize="small" titleAccess={translate('ra.boolean.true')} />
                      ) : (
                        <RemoveCircle color="disabled" fontSize="small" titleAccess={translate('ra.boolean.false')} />
                      )}
                    </TableCell>
                    <TableCell>{translate(`enums.AccessRule.${group.rule}`)}</TableCell>
                    <TableCell>{group.reason}</TableCell>
                    <TableCell sx={{ fontFamily: 'monospace', fontSize: 12 }}>{group.fields.join(', ')}</TableCell>
                  </TableRow>
                ))}
              </TableBody>
            </Table>
          </TableContainer>
        </>
      )}
    </Box>
  );
}
