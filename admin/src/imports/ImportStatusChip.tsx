import Chip from '@mui/material/Chip';
import { useTranslate } from 'react-admin';
import type { ImportStatus } from '../../../schema/generated/graphql';

const COLORS: Record<ImportStatus, 'default' | 'info' | 'success' | 'warning' | 'error' | 'primary'> = {
  UPLOADED: 'default',
  ANALYZING: 'info',
  READY: 'primary',
  RUNNING: 'info',
  COMPLETED: 'success',
  CANCELLED: 'warning',
  FAILED: 'error',
  REVERTED: 'default',
  REVERTING: 'info',
};

export function ImportStatusChip({ status }: { status: ImportStatus }) {
  const translate = useTranslate();
  return <Chip size="small" color={COLORS[status]} label={translate(`resources.imports.status.${status}`)} data-testid="import-status" />;
}
