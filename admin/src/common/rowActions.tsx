import Box from '@mui/material/Box';
import Button from '@mui/material/Button';
import Chip from '@mui/material/Chip';
import useMediaQuery from '@mui/material/useMediaQuery';
import { useMutation } from '@tanstack/react-query';
import { useState, type ReactNode } from 'react';
import { Confirm, DataTable, useNotify, useRefresh, useTranslate } from 'react-admin';
import { COMPACT_TABLE_QUERY } from '../layout/Layout';
import { GraphQLRequestError } from '../providers/graphqlClient';
import { useSaveErrorHandler } from './conflict';

const MISSING = '\u0000missing';

export type StatusTone = 'success' | 'warning' | 'error' | 'default';

/** A row's state as a small chip: green while it works, amber when it needs attention, grey when off. */
export function StatusChip({ tone, label, testId }: { tone: StatusTone; label: string; testId?: string }) {
  return <Chip size="small" color={tone} label={label} data-testid={testId} sx={{ maxWidth: '100%' }} />;
}

/** True on tablets and small laptops: wide tables drop secondary columns and bring their actions forward. */
export function useCompactTable(): boolean {
  return useMediaQuery(COMPACT_TABLE_QUERY);
}

/** Keeps a column at the right edge of a table that scrolls sideways inside its card. */
const STICKY_RIGHT = {
  position: 'sticky',
  right: 0,
  zIndex: 1,
  bgcolor: 'background.paper',
  boxShadow: (theme: { palette: { divider: string } }) => `inset 1px 0 0 ${theme.palette.divider}`,
} as const;

/**
 * The actions column of a list (revoke a key; enable, rotate, delete a webhook; redeliver). On a
 * compact screen a table puts it right after the row's name, so the actions are on screen without
 * scrolling the table sideways; a table wider than any screen (the delivery log) makes it
 * `sticky` at the right edge instead.
 */
export function ActionsColumn({ label, sticky = false, children }: { label: string; sticky?: boolean; children: ReactNode }) {
  return (
    <DataTable.Col source="id" label={label} disableSort sx={sticky ? STICKY_RIGHT : undefined}>
      <Box sx={{ display: 'flex', gap: 0.5, flexWrap: 'wrap', alignItems: 'center', minWidth: 96 }}>{children}</Box>
    </DataTable.Col>
  );
}

export interface ActionConfirm {
  title: string;
  /** Catalogue key or text of the dialog's body. */
  content: string;
  color?: 'primary' | 'warning';
}

/**
 * One action on a record: a button that, after an optional confirmation, runs `mutate`; on
 * success it notifies `success` (a catalogue key), refreshes the page's queries and hands the
 * answer to `onDone`. A CONFLICT offers to reload; other errors are notified in the user's language,
 * with the action's own wording (`errors`) where the catalogue has one.
 */
export function ActionButton<R>({
  label,
  icon,
  color = 'primary',
  variant = 'text',
  confirm,
  mutate,
  success,
  onDone,
  errors,
  disabled = false,
  testId,
}: {
  label: string;
  icon?: ReactNode;
  color?: 'primary' | 'error' | 'warning' | 'success' | 'inherit';
  variant?: 'text' | 'outlined' | 'contained';
  confirm?: ActionConfirm;
  mutate: () => Promise<R>;
  success?: string | ((result: R) => string);
  onDone?: (result: R) => void;
  /** A catalogue prefix of this action's own refusals by error code (`<errors>.NOT_FOUND`), tried before the generic ones. */
  errors?: string;
  disabled?: boolean;
  testId?: string;
}) {
  const translate = useTranslate();
  const notify = useNotify();
  const refresh = useRefresh();
  const onError = useSaveErrorHandler();
  const [open, setOpen] = useState(false);
  const mutation = useMutation({
    mutationFn: mutate,
    onSuccess: (result) => {
      setOpen(false);
      const message = typeof success === 'function' ? success(result) : success;
      if (message) notify(message, { type: 'info' });
      refresh();
      onDone?.(result);
    },
    onError: (error) => {
      setOpen(false);
      const own = errors && error instanceof GraphQLRequestError ? `${errors}.${error.code}` : null;
      if (own && translate(own, { _: MISSING }) !== MISSING) notify(own, { type: 'error' });
      else onError(error);
    },
  });
  return (
    <>
      <Button
        size="small"
        color={color}
        variant={variant}
        startIcon={icon}
        disabled={disabled || mutation.isPending}
        data-testid={testId}
        sx={{ whiteSpace: 'nowrap' }}
        onClick={(event) => {
          event.stopPropagation();
          if (confirm) setOpen(true);
          else mutation.mutate();
        }}
      >
        {translate(label)}
      </Button>
      {confirm ? (
        <Confirm
          isOpen={open}
          loading={mutation.isPending}
          title={confirm.title}
          content={confirm.content}
          confirm={label}
          confirmColor={confirm.color ?? 'warning'}
          onConfirm={() => mutation.mutate()}
          onClose={() => setOpen(false)}
        />
      ) : null}
    </>
  );
}
