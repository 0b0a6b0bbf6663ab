import PlayArrow from '@mui/icons-material/PlayArrow';
import Alert from '@mui/material/Alert';
import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Card from '@mui/material/Card';
import CardContent from '@mui/material/CardContent';
import Grid from '@mui/material/Grid';
import Stack from '@mui/material/Stack';
import Table from '@mui/material/Table';
import TableBody from '@mui/material/TableBody';
import TableCell from '@mui/material/TableCell';
import TableHead from '@mui/material/TableHead';
import TableRow from '@mui/material/TableRow';
import TextField from '@mui/material/TextField';
import Typography from '@mui/material/Typography';
import { useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { useState } from 'react';
import { Title, useDataProvider, useNotify, useTranslate } from 'react-admin';
import {
  AdminLifecycleSettingsDocument,
  AdminRunInactivityCheckDocument,
  AdminSetDormancyPeriodDocument,
  AdminSetStageSlaDocument,
  type LifecycleStage,
} from '../../../schema/generated/graphql';
import { LIFECYCLE_STAGES } from '../common/enums';
import { DateTimeText, EnumText } from '../common/fields';
import { ErrorState, LoadingState } from '../common/states';
import type { ConsoleDataProvider } from '../providers/dataProvider';

const SETTINGS_KEY = ['lifecycleSettings', 'all'] as const;

function useSave<V>(send: (variables: V) => Promise<unknown>) {
  const notify = useNotify();
  const queryClient = useQueryClient();
  return useMutation({
    mutationFn: send,
    onSuccess: () => {
      notify('resources.lifecycleSettings.saved', { type: 'info' });
      void queryClient.invalidateQueries({ queryKey: SETTINGS_KEY });
      // Overdue customers and alerts depend on the SLAs.
      void queryClient.invalidateQueries({ queryKey: ['customers'] });
    },
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
}

function SlaRow({ stage, maxDays, updatedAt }: { stage: LifecycleStage; maxDays: number | null; updatedAt: string | null }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [value, setValue] = useState(maxDays === null ? '' : String(maxDays));
  const save = useSave((days: number | null) => dataProvider.execute(AdminSetStageSlaDocument, { stage, maxDays: days }));
  const parsed = value.trim() === '' ? null : Number(value);
  const valid = parsed === null || (Number.isInteger(parsed) && parsed >= 1 && parsed <= 3650);
  const changed = parsed !== maxDays;
  return (
    <TableRow>
      <TableCell>
        <EnumText type="LifecycleStage" value={stage} />
      </TableCell>
      <TableCell>
        <TextField
          size="small"
          type="number"
          value={value}
          onChange={(event) => setValue(event.target.value)}
          error={!valid}
          placeholder={translate('resources.lifecycleSettings.noSla')}
          slotProps={{
            htmlInput: {
              min: 1,
              max: 3650,
              'aria-label': translate('resources.lifecycleSettings.maxDaysFor', { stage: translate(`enums.LifecycleStage.${stage}`) }),
            },
          }}
          sx={{ width: 140 }}
        />
      </TableCell>
      <TableCell>{updatedAt ? <DateTimeText value={updatedAt} /> : '—'}</TableCell>
      <TableCell align="right">
        <Button size="small" variant="outlined" disabled={!valid || !changed || save.isPending} onClick={() => save.mutate(parsed)}>
          {translate('ra.action.save')}
        </Button>
      </TableCell>
    </TableRow>
  );
}

function Dormancy({ days }: { days: number }) {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const [value, setValue] = useState(String(days));
  const save = useSave((next: number) => dataProvider.execute(AdminSetDormancyPeriodDocument, { days: next }));
  const parsed = Number(value);
  const valid = Number.isInteger(parsed) && parsed >= 1;
  return (
    <Stack direction="row" spacing={1} sx={{ alignItems: 'center' }}>
      <TextField
        size="small"
        type="number"
        label={translate('resources.lifecycleSettings.dormantAfterDays')}
        value={value}
        onChange={(event) => setValue(event.target.value)}
        error={!valid}
        slotProps={{ htmlInput: { min: 1 } }}
        sx={{ width: 220 }}
      />
      <Button variant="outlined" disabled={!valid || parsed === days || save.isPending} onClick={() => save.mutate(parsed)}>
        {translate('ra.action.save')}
      </Button>
    </Stack>
  );
}

function InactivityCheck() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const notify = useNotify();
  const queryClient = useQueryClient();
  const check = useMutation({
    mutationFn: async () =>
      (await dataProvider.execute(AdminRunInactivityCheckDocument, {}, { affects: ['customers'] })).runInactivityCheck,
    onSuccess: () => void queryClient.invalidateQueries({ queryKey: ['customers'] }),
    onError: (error: Error) => notify(error.message, { type: 'error', messageArgs: { _: error.message } }),
  });
  return (
    <Box>
      <Button variant="contained" startIcon={<PlayArrow />} onClick={() => check.mutate()} disabled={check.isPending}>
        {translate('resources.lifecycleSettings.runCheck')}
      </Button>
      {check.data ? (
        <Alert severity="success" sx={{ mt: 2 }} data-testid="inactivity-result">
          {translate('resources.lifecycleSettings.checkResult', { dormant: check.data.dormant, alerts: check.data.alertsRaised })}
        </Alert>
      ) : null}
    </Box>
  );
}

/** Admins: the expected dwell time of each stage, when inactive customers turn dormant, and the check. */
export function LifecycleSettings() {
  const translate = useTranslate();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const query = useQuery({
    queryKey: SETTINGS_KEY,
    queryFn: ({ signal }) => dataProvider.execute(AdminLifecycleSettingsDocument, {}, { signal }),
  });
  return (
    <Box sx={{ mt: 2 }}>
      <Title title="resources.lifecycleSettings.title" />
      {query.isPending ? (
        <LoadingState />
      ) : query.error ? (
        <ErrorState error={query.error} onRetry={() => void query.refetch()} />
      ) : (
        <Grid container spacing={2}>
          <Grid size={{ xs: 12, md: 7 }}>
            <Card>
              <CardContent>
                <Typography variant="subtitle1">{translate('resources.lifecycleSettings.slas')}</Typography>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 1 }}>
                  {translate('resources.lifecycleSettings.slasHelp')}
                </Typography>
                <Table size="small" data-testid="sla-table">
                  <TableHead>
                    <TableRow>
                      <TableCell>{translate('resources.lifecycleSettings.stage')}</TableCell>
                      <TableCell>{translate('resources.lifecycleSettings.maxDays')}</TableCell>
                      <TableCell>{translate('resources.lifecycleSettings.updatedAt')}</TableCell>
                      <TableCell />
                    </TableRow>
                  </TableHead>
                  <TableBody>
                    {LIFECYCLE_STAGES.map((stage) => {
                      const sla = query.data.stageSlas.find((s) => s.stage === stage);
                      return (
                        <SlaRow
                          key={`${stage}-${sla?.maxDays ?? ''}`}
                          stage={stage}
                          maxDays={sla?.maxDays ?? null}
                          updatedAt={sla?.updatedAt ?? null}
                        />
                      );
                    })}
                  </TableBody>
                </Table>
              </CardContent>
            </Card>
          </Grid>
          <Grid size={{ xs: 12, md: 5 }}>
            <Card>
              <CardContent>
                <Typography variant="subtitle1">{translate('resources.lifecycleSettings.dormancy')}</Typography>
                <Typography variant="body2" color="text.secondary" sx={{ mb: 2 }}>
                  {translate('resources.lifecycleSettings.dormancyHelp')}
                </Typography>
                <Dormancy key={query.data.lifecycleSettings.dormantAfterDays} days={query.data.lifecycleSettings.dormantAfterDays} />
                <Typography variant="body2" color="text.secondary" sx={{ mt: 3, mb: 1 }}>
                  {translate('resources.lifecycleSettings.checkHelp')}
                </Typography>
                <InactivityCheck />
              </CardContent>
            </Card>
          </Grid>
        </Grid>
      )}
    </Box>
  );
}

export default LifecycleSettings;
