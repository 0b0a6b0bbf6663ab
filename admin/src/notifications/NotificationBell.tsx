import NotificationsIcon from '@mui/icons-material/Notifications';
import {
  Badge,
  Box,
  Button,
  CircularProgress,
  IconButton,
  List,
  ListItemButton,
  ListItemText,
  Popover,
  Tooltip,
  Typography,
} from '@mui/material';
import { useCallback, useEffect, useRef, useState } from 'react';
import { useDataProvider, useLocaleState, useRedirect, useTranslate } from 'react-admin';
import {
  AdminMarkNotificationsReadDocument,
  AdminNotificationsDocument,
  AdminUnreadNotificationCountDocument,
  type AdminNotificationFragment,
} from '../../../schema/generated/graphql';
import { formatDateTime, formatRelative } from '../common/format';
import type { ConsoleDataProvider } from '../providers/dataProvider';
import { useLiveInbox } from './LiveInboxContext';

/** Lines shown when the list opens; older ones stay in the inbox. */
const RECENT = 20;

type Line = AdminNotificationFragment;

/** Where a line leads: the decision lists for what waits for the viewer, the account otherwise. */
function linkOf(line: Line): { resource: string; id?: string } | null {
  if (line.kind === 'TRANSFER_AWAITING_DECISION') return { resource: 'transfers' };
  if (line.kind === 'STAGE_CHANGE_AWAITING_DECISION') return { resource: 'stageChanges' };
  return line.customerId ? { resource: 'customers', id: line.customerId } : null;
}

/** The line's sentence, from the catalogue entry of its kind and the names it was written with. */
export function useSentence(): (line: Line) => string {
  const translate = useTranslate();
  return useCallback(
    (line: Line) => {
      const stage = (value: string | null) => (value ? translate(`enums.LifecycleStage.${value}`, { _: value }) : '—');
      return translate(`notifications.kind.${line.kind}`, {
        _: line.kind,
        customerName: line.customerName ?? '—',
        actorName: line.actorName ?? translate('notifications.someone'),
        status: line.status ? translate(`notifications.status.${line.status}`, { _: line.status }) : '—',
        fromTerritoryName: line.fromTerritoryName ?? '—',
        toTerritoryName: line.toTerritoryName ?? '—',
        fromStage: stage(line.fromStage),
        toStage: stage(line.toStage),
        stage: stage(line.stage),
        grade: line.grade ?? '—',
        previousGrade: line.previousGrade ?? '—',
        cycleName: line.cycleName ?? '—',
      });
    },
    [translate],
  );
}

/**
 * The app bar's bell: the unread count, live over the socket (its first event carries the count,
 * so a page load sends no request of its own for it), and on click the recent lines. Without a
 * socket the count is read once over HTTP, and the list whenever it opens.
 */
export function NotificationBell() {
  const translate = useTranslate();
  const [locale] = useLocaleState();
  const dataProvider = useDataProvider<ConsoleDataProvider>();
  const redirect = useRedirect();
  const live = useLiveInbox();
  const sentence = useSentence();
  const [anchor, setAnchor] = useState<HTMLElement | null>(null);
  const [count, setCount] = useState<number | null>(null);
  const [lines, setLines] = useState<Line[] | null>(null);
  const [failed, setFailed] = useState(false);
  const [offline, setOffline] = useState(live === null);
  const fetchedCount = useRef(false);

  const readCount = useCallback(() => {
    if (fetchedCount.current) return;
    fetchedCount.current = true;
    dataProvider.execute(AdminUnreadNotificationCountDocument, {}).then(
      (data) => setCount(data.unreadNotificationCount),
      () => undefined,
    );
  }, [dataProvider]);

  useEffect(() => {
    if (!live) {
      readCount();
      return undefined;
    }
    return live.listen({
      change(change) {
        setOffline(false);
        setCount(change.unreadCount);
        if (change.added.length > 0)
          setLines((current) =>
            current ? [...change.added, ...current.filter((line) => !change.added.some((a) => a.id === line.id))] : current,
          );
      },
      unavailable() {
        setOffline(true);
        readCount();
      },
    });
  }, [live, readCount]);

  const load = useCallback(() => {
    setFailed(false);
    dataProvider.execute(AdminNotificationsDocument, { first: RECENT }).then(
      (data) => {
        setLines(data.notifications.edges.map((edge) => edge.node));
        setCount(data.unreadNotificationCount);
      },
      () => setFailed(true),
    );
  }, [dataProvider]);

  const markRead = (input: { ids?: string[]; all?: boolean }) => {
    const now = new Date().toISOString();
    const marked = (line: Line) => input.all || input.ids?.includes(line.id);
    const unread = input.all ? (count ?? 0) : (lines ?? []).filter((line) => marked(line) && !line.readAt).length;
    setLines((current) => current?.map((line) => (marked(line) && !line.readAt ? { ...line, readAt: now } : line)) ?? current);
    setCount((current) => (current === null ? current : Math.max(0, current - unread)));
    void dataProvider.execute(AdminMarkNotificationsReadDocument, { input }).catch(() => undefined);
  };

  const openLine = (line: Line) => {
    if (!line.readAt) markRead({ ids: [line.id] });
    setAnchor(null);
    const link = linkOf(line);
    if (link) redirect(link.id ? 'show' : 'list', link.resource, link.id);
  };

  const label = count
    ? `${translate('notifications.bell')} (${translate('notifications.unread', { smart_count: count })})`
    : translate('notifications.bell');
  return (
    <>
      <Tooltip title={translate('notifications.bell')}>
        <IconButton
          color="inherit"
          aria-label={label}
          data-testid="notification-bell"
          onClick={(event) => {
            setAnchor(event.currentTarget);
            load();
          }}
        >
          <Badge badgeContent={count ?? 0} color="error" max={99} data-testid="notification-count">
            <NotificationsIcon />
          </Badge>
        </IconButton>
      </Tooltip>
      <Popover
        open={anchor !== null}
        anchorEl={anchor}
        onClose={() => setAnchor(null)}
        anchorOrigin={{ vertical: 'bottom', horizontal: 'right' }}
        transformOrigin={{ vertical: 'top', horizontal: 'right' }}
        slotProps={{
          paper: { sx: { width: 'min(420px, calc(100vw - 32px))', maxHeight: '70vh', display: 'flex', flexDirection: 'column' } },
        }}
      >
        <Box sx={{ display: 'flex', alignItems: 'center', justifyContent: 'space-between', px: 2, py: 1, gap: 1 }}>
          <Typography variant="subtitle1" component="h2">
            {translate('notifications.title')}
          </Typography>
          <Button size="small" disabled={!count} onClick={() => markRead({ all: true })}>
            {translate('notifications.markAllRead')}
          </Button>
        </Box>
        {offline ? (
          <Typography variant="caption" color="text.secondary" sx={{ px: 2, pb: 1 }}>
            {translate('notifications.offline')}
          </Typography>
        ) : null}
        <Box sx={{ overflowY: 'auto' }} data-testid="notification-list">
          {failed ? (
            <Typography sx={{ px: 2, py: 2 }} color="error">
              {translate('notifications.error')}
            </Typography>
          ) : lines === null ? (
            <Box sx={{ display: 'flex', justifyContent: 'center', py: 3 }}>
              <CircularProgress size={24} />
            </Box>
          ) : lines.length === 0 ? (
            <Typography sx={{ px: 2, py: 2 }} color="text.secondary">
              {translate('notifications.empty')}
            </Typography>
          ) : (
            <List dense disablePadding>
              {lines.map((line) => (
                <ListItemButton
                  key={line.id}
                  onClick={() => openLine(line)}
                  sx={{ alignItems: 'flex-start', bgcolor: line.readAt ? undefined : 'action.hover' }}
                  data-unread={line.readAt ? undefined : 'true'}
                >
                  <ListItemText
                    primary={sentence(line)}
                    slotProps={{ primary: { sx: { fontWeight: line.readAt ? 'normal' : 'medium' } } }}
                    secondary={<time title={formatDateTime(line.createdAt, locale)}>{formatRelative(line.createdAt, locale)}</time>}
                  />
                </ListItemButton>
              ))}
            </List>
          )}
        </Box>
      </Popover>
    </>
  );
}
