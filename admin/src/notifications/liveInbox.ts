import { print } from 'graphql';
import type { Client, createClient as CreateClient } from 'graphql-ws';
import { AdminNotificationsChangedDocument, type AdminNotificationsChangedSubscription } from '../../../schema/generated/graphql';

export type InboxChange = AdminNotificationsChangedSubscription['notificationsChanged'];

export interface InboxListener {
  /** The unread count now, and the lines written since the last change (none on the first). */
  change(change: InboxChange): void;
  /** The socket is down (it keeps retrying, unless the server refused it for good): read over HTTP instead. */
  unavailable(): void;
}

/** The viewer's inbox, live. `listen` returns the function that stops listening. */
export interface LiveInbox {
  listen(listener: InboxListener): () => void;
}

/** Close codes after which retrying cannot help (docs/notifications.md, "Live"): signed out, forbidden, too many sockets. */
const FINAL_CLOSE_CODES = new Set([4400, 4401, 4403, 4429]);

/** ws(s)://<this origin>/graphql: the API's own path, as CSP connect-src 'self' allows. */
export function liveUrl(location: Pick<Location, 'protocol' | 'host'> = window.location): string {
  return `${location.protocol === 'https:' ? 'wss:' : 'ws:'}//${location.host}/graphql`;
}

/**
 * The notificationsChanged subscription over graphql-ws, with the session's bearer token in the
 * connection_init payload. The socket opens with the first listener and closes with the last;
 * a lost one reconnects with randomised exponential backoff (graphql-ws's own, from about a
 * second to half a minute). graphql-ws is loaded with the first listener (the bell, once the
 * layout is up), so the console's first page does not wait for it.
 */
export function createLiveInbox(options: { url: string; getToken: () => string | null; webSocketImpl?: unknown }): LiveInbox {
  let client: Client | null = null;
  const listeners = new Set<InboxListener>();
  const query = print(AdminNotificationsChangedDocument);
  let stop: (() => void) | null = null;
  /** graphql-ws is on its way: the socket opens when it arrives, if someone still listens. */
  let starting = false;

  const start = async () => {
    starting = true;
    let createClient: typeof CreateClient;
    try {
      ({ createClient } = await import('graphql-ws'));
    } catch {
      for (const listener of listeners) listener.unavailable();
      return;
    } finally {
      starting = false;
    }
    if (listeners.size === 0) return;
    client = createClient({
      url: options.url,
      webSocketImpl: options.webSocketImpl,
      lazy: true,
      lazyCloseTimeout: 0,
      connectionParams: () => {
        const token = options.getToken();
        return token ? { authorization: `Bearer ${token}` } : {};
      },
      retryAttempts: 20,
      shouldRetry: (event) => !(event && typeof event === 'object' && 'code' in event && FINAL_CLOSE_CODES.has(Number(event.code))),
      on: {
        closed: () => {
          for (const listener of listeners) listener.unavailable();
        },
      },
    });
    stop = client.subscribe<AdminNotificationsChangedSubscription>(
      { query, operationName: 'AdminNotificationsChanged' },
      {
        next: (result) => {
          const change = result.data?.notificationsChanged;
          if (change) for (const listener of listeners) listener.change(change);
        },
        error: () => {
          for (const listener of listeners) listener.unavailable();
        },
        complete: () => undefined,
      },
    );
  };

  return {
    listen(listener) {
      listeners.add(listener);
      if (!client && !starting) void start();
      return () => {
        listeners.delete(listener);
        if (listeners.size > 0) return;
        stop?.();
        void client?.dispose();
        client = null;
        stop = null;
      };
    },
  };
}
