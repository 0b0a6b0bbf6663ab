import { useMediaQuery } from '@mui/material';
import { useEffect, type ReactNode } from 'react';
import { AppBar, Layout as RaLayout, LoadingIndicator, LocalesMenuButton, useSidebarState } from 'react-admin';
import { NotificationBell } from '../notifications/NotificationBell';

/** Up to this width (tablets, a 1024 px small laptop) the menu shows icons only, leaving the page the room. */
export const NARROW_QUERY = '(max-width: 1024px)';
/** Below this width wide tables (transfers, API keys) drop secondary columns: the menu's icons and the card leave ~900 px at 1024 px. */
export const COMPACT_TABLE_QUERY = '(max-width: 1279.95px)';

/** Collapses the menu when the window becomes narrow and opens it again when it widens; the user may still toggle it. */
function SidebarByWidth() {
  const narrow = useMediaQuery(NARROW_QUERY, { noSsr: true });
  const [, setOpen] = useSidebarState();
  useEffect(() => {
    setOpen(!narrow);
  }, [narrow, setOpen]);
  return null;
}

/** react-admin's app bar with the notification bell before the language menu and the loading indicator. */
function ConsoleAppBar() {
  return (
    <AppBar
      toolbar={
        <>
          <NotificationBell />
          <LocalesMenuButton />
          <LoadingIndicator />
        </>
      }
    />
  );
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout appBar={ConsoleAppBar}>
      <SidebarByWidth />
      {children}
    </RaLayout>
  );
}
