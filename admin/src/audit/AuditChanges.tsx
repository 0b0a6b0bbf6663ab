import Box from '@mui/material/Box';
import Typography from '@mui/material/Typography';
import type { AdminAuditEventFragment } from '../../../schema/generated/graphql';

function show(value: unknown): string {
  if (value === undefined) return '∅';
  if (value === null) return 'null';
  if (typeof value === 'string') return value;
  return JSON.stringify(value);
}

/** An audit event's before and after, key by key: `ownerId: a → b`. */
export function AuditChanges({ event }: { event: Pick<AdminAuditEventFragment, 'before' | 'after'> }) {
  const before = (event.before ?? {}) as Record<string, unknown>;
  const after = (event.after ?? {}) as Record<string, unknown>;
  const keys = [...new Set([...Object.keys(before), ...Object.keys(after)])];
  if (!keys.length) return <>—</>;
  return (
    <Box component="dl" sx={{ m: 0, display: 'grid', gridTemplateColumns: 'auto 1fr', columnGap: 1, fontFamily: 'monospace', fontSize: 12 }}>
      {keys.map((key) => {
        const changed = key in before && key in after;
        return (
          <Box key={key} sx={{ display: 'contents' }}>
            <Typography component="dt" variant="caption" color="text.secondary" sx={{ fontFamily: 'inherit' }}>
              {key}
            </Typography>
            <Typography component="dd" variant="caption" sx={{ m: 0, fontFamily: 'inherit', wordBreak: 'break-all' }}>
              {changed ? `${show(before[key])} → ${show(after[key])}` : key in after ? show(after[key]) : show(before[key])}
            </Typography>
          </Box>
        );
      })}
    </Box>
  );
}
