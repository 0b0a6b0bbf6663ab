import { configure, render, type RenderResult } from '@testing-library/react';
import { App } from '../../admin/src/App';
import { createProviders } from '../../admin/src/providers';
import { session } from '../../admin/src/providers/session';
import type { InboxChange, InboxListener, LiveInbox } from '../../admin/src/notifications/liveInbox';
import type { Role } from '../../schema/generated/graphql';

// The first render compiles react-admin and the lazy pages on the fly: allow for it.
configure({ asyncUtilTimeout: 15_000 });

export interface GraphQLCall {
  operationName: string;
  query: string;
  variables: Record<string, any>;
}

type Handler = (variables: Record<string, any>, call: GraphQLCall) => unknown;

/** A stand-in for POST /graphql: answers by operation name and records every call. */
export function fakeApi(handlers: Record<string, Handler>) {
  const calls: GraphQLCall[] = [];
  const fetch = async (_url: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const body = JSON.parse(String(init?.body)) as GraphQLCall;
    calls.push(body);
    const handler = handlers[body.operationName];
    if (!handler) return Response.json({ errors: [{ message: `no handler for ${body.operationName}`, extensions: { code: 'TEST' } }] });
    // A handler may answer later (a promise), to look at the page while a request is out.
    const result = await handler(body.variables ?? {}, body);
    if (result && typeof result === 'object' && 'errors' in result) return Response.json(result);
    return Response.json({ data: result });
  };
  return { fetch: fetch as typeof globalThis.fetch, calls, operations: () => calls.map((call) => call.operationName) };
}

export const VIEWERS: Record<Role, { id: string; email: string; name: string; role: Role }> = {
  ADMIN: { id: '00000000-0000-4000-8000-00000000000a', email: 'admin@test.local', name: 'Ada Admin', role: 'ADMIN' },
  MANAGER: { id: '00000000-0000-4000-8000-00000000000b', email: 'manager.east@test.local', name: 'Eve East', role: 'MANAGER' },
  REP: { id: '00000000-0000-4000-8000-00000000000c', email: 'rep.hz@test.local', name: 'Hu Hangzhou', role: 'REP' },
};

export function signInAs(role: Role): void {
  session.save({ token: `token-${role}`, expiresAt: new Date(Date.now() + 3_600_000).toISOString(), viewer: VIEWERS[role] });
}

/** jsdom lacks what MUI's media queries and some inputs use. */
export function installBrowserShims(): void {
  if (!window.matchMedia) {
    window.matchMedia = (query: string) =>
      ({
        matches: false,
        media: query,
        onchange: null,
        addListener: () => undefined,
        removeListener: () => undefined,
        addEventListener: () => undefined,
        removeEventListener: () => undefined,
        dispatchEvent: () => false,
      }) as MediaQueryList;
  }
  if (!globalThis.ResizeObserver) {
    globalThis.ResizeObserver = class {
      observe() {}
      unobserve() {}
      disconnect() {}
    } as unknown as typeof ResizeObserver;
  }
  window.scrollTo = () => undefined;
}

/** A stand-in for the bell's WebSocket: tests push changes or drop the socket; by default it stays silent. */
export function fakeLiveInbox() {
  const listeners = new Set<InboxListener>();
  const inbox: LiveInbox = {
    listen(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
  };
  return {
    inbox,
    listening: () => listeners.size,
    push: (change: InboxChange) => listeners.forEach((listener) => listener.change(change)),
    drop: () => listeners.forEach((listener) => listener.unavailable()),
  };
}

/** The whole console on a hash route, against the fake API (and a silent live inbox unless given one). */
export function renderConsole(path: string, api: ReturnType<typeof fakeApi>, live: LiveInbox = fakeLiveInbox().inbox): RenderResult {
  installBrowserShims();
  window.location.hash = `#${path}`;
  return render(<App providers={createProviders({ fetch: api.fetch, live })} />);
}

export const ids = {
  hangzhou: '00000000-0000-4000-8000-0000000000f1',
  east: '00000000-0000-4000-8000-0000000000e1',
  customer: (n: number) => `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
};

export function customerRow(n: number, overrides: Record<string, unknown> = {}) {
  return {
    id: ids.customer(n),
    access: 'EDIT',
    version: 1,
    legalName: `Customer ${String(n).padStart(2, '0')} Ltd`,
    industry: 'Retail',
    lifecycleStage: 'POTENTIAL',
    grade: null,
    lastInteractionAt: null,
    lastOrderAt: null,
    createdAt: '2025-01-01T00:00:00.000Z',
    updatedAt: '2025-01-02T00:00:00.000Z',
    territory: { id: ids.hangzhou, name: 'Hangzhou', nameZh: '杭州' },
    region: { id: ids.east, name: 'East', nameZh: '华东' },
    owner: { id: VIEWERS.REP.id, name: 'Hu Hangzhou' },
    ...overrides,
  };
}

export function connection<N extends { id: string }>(nodes: N[], totalCount: number, hasNextPage = false) {
  return {
    totalCount,
    edges: nodes.map((node) => ({ cursor: `c-${node.id}`, node })),
    pageInfo: { hasNextPage, endCursor: nodes.length ? `c-${nodes.at(-1)!.id}` : null },
  };
}
