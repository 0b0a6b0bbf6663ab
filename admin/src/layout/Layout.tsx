import { useMediaQuery } from '@mui/material';
import { useEffect, type ReactNode } from 'react';
import { Layout as RaLayout, useSidebarState } from 'react-admin';

/** Below this width (tablets, small laptops) the menu shows icons only, leaving the page the room. */
export const NARROW_QUERY = '(max-width: 1023.95px)';

/** Collapses the menu when the window becomes narrow and opens it again when it widens; the user may still toggle it. */
function SidebarByWidth() {
  const narrow = useMediaQuery(NARROW_QUERY, { noSsr: true });
  const [, setOpen] = useSidebarState();
  useEffect(() => {
    setOpen(!narrow);
  }, [narrow, setOpen]);
  return null;
}

export function Layout({ children }: { children: ReactNode }) {
  return (
    <RaLayout>
      <SidebarByWidth />
      {children}
    </RaLayout>
  );
}
