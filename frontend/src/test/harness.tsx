import { act, render, waitFor } from '@testing-library/react';
import type { ReactElement } from 'react';
import { vi } from 'vitest';
import { createDataLayer, DataProvider } from '../api';
import { Root } from '../app/Root';
import { socketFactory, type FakeSocket } from './fakeSocket';

export const instruments = {
  instruments: [
    { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', tickSize: '0.01', lotSize: '0.00001', minQty: '0.00001', maxQty: '100', minNotional: '1' },
  ],
};

export type Route = (method: string, path: string, init: RequestInit) => { status: number; body?: unknown } | Error | undefined;

/** fakeFetch answers each request with route's reply (instruments by default; else 404) and records it. */
function fakeFetch(route: Route) {
  return vi.fn(async (url: string, init: RequestInit = {}) => {
    const path = url.replace(/^https?:\/\/[^/]+/, '');
    const method = init.method ?? 'GET';
    const r = route(method, path, init) ?? (path === '/api/instruments' ? { status: 200, body: instruments } : { status: 404 });
    if (r instanceof Error) throw r;
    // A 204 (or any reply without a body) has a null body: Response refuses a body for 204.
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  });
}

/** renderWithData renders ui inside a real data layer whose fetch and WebSocket are fakes. */
export async function renderWithData(ui: ReactElement, route: Route = () => undefined) {
  const sockets = socketFactory();
  const fetchMock = fakeFetch(route);
  const layer = createDataLayer({ apiBaseUrl: '', wsUrl: 'ws://test/ws' }, { fetch: fetchMock, createSocket: sockets.create, useToken: false });
  const view = render(<DataProvider layer={layer}>{ui}</DataProvider>);
  await waitFor(() => expect(sockets.all.length).toBeGreaterThan(0));
  const socket: FakeSocket = sockets.last();
  act(() => socket.open());
  /** push answers every subscribe so far with a snapshot built by data(channel, symbol). */
  const snapshots = (data: (channel: string, symbol?: string) => unknown) => {
    for (const op of socket.ops('subscribe')) {
      const channel = op.channel as string;
      const symbol = op.symbol as string | undefined;
      const d = data(channel, symbol);
      if (d !== undefined) socket.frame({ type: 'snapshot', channel, ...(symbol ? { symbol } : {}), seq: 1, data: d });
    }
  };
  const seqs = new Map<string, number>();
  const update = (channel: string, data: unknown, symbol?: string) => {
    const k = `${channel}|${symbol ?? ''}`;
    const seq = (seqs.get(k) ?? 1) + 1;
    seqs.set(k, seq);
    socket.frame({ type: 'update', channel, ...(symbol ? { symbol } : {}), seq, data });
  };
  const calls = (method: string, path: string) =>
    fetchMock.mock.calls.filter(([u, i]) => (i?.method ?? 'GET') === method && u.endsWith(path)).map(([, i]) => i as RequestInit);
  return { ...view, layer, socket, snapshots, update, fetchMock, calls };
}

/**
 * renderRoot renders the whole dashboard behind its sign-in gate (main.tsx's <Root/>) on a data layer whose
 * fetch and WebSocket are fakes. Nothing is awaited: the gate decides from route's answer to GET /api/session.
 */
export function renderRoot(route: Route = () => undefined, opts: { useToken?: boolean } = {}) {
  const sockets = socketFactory();
  const fetchMock = fakeFetch(route);
  const layer = createDataLayer({ apiBaseUrl: '', wsUrl: 'ws://test/ws' }, { fetch: fetchMock, createSocket: sockets.create, useToken: opts.useToken ?? false });
  const view = render(<Root layer={layer} />);
  const calls = (method: string, path: string) =>
    fetchMock.mock.calls.filter(([u, i]) => (i?.method ?? 'GET') === method && u.endsWith(path)).map(([, i]) => i as RequestInit);
  return { ...view, layer, sockets, fetchMock, calls };
}
