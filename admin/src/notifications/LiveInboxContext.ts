import { createContext, useContext } from 'react';
import type { LiveInbox } from './liveInbox';

/** The live inbox of the console's providers; null where there is no WebSocket (the bell reads over HTTP). */
export const LiveInboxContext = createContext<LiveInbox | null>(null);

export function useLiveInbox(): LiveInbox | null {
  return useContext(LiveInboxContext);
}
