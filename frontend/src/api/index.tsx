// The data layer's single entry: features import from here only (never ws.ts or client.ts directly).
// It wires one REST client, one WebSocket client and one stream store, and exposes them as hooks.

import { QueryClient, QueryClientProvider, useMutation, useQuery } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { OmsConfig } from '../lib/config';
import { describe } from '../lib/errors';
import { failed, loading, ready, type Loadable } from '../lib/loadable';
import { ApiFailure, RestClient, type Fetch } from './client';
import { reducers, StreamStore, type CandleState, type Reducer } from './store';
import type {
  AmendOrder,
  Balance,
  Book,
  CandleInterval,
  ExecutionReport,
  Instrument,
  NewOrder,
  Order,
  Position,
  Ticker,
  Trade,
  Whoami,
} from './types';
import { WsClient, type ConnectionStatus, type SocketLike, type Subscription } from './ws';

export type * from './types';
export { OPEN_STATUSES, CANDLE_INTERVALS } from './types';
export { ApiFailure } from './client';
export type { ConnectionStatus, SocketLike } from './ws';
export type { CandleState } from './store';

export interface DataLayer {
  rest: RestClient;
  ws: WsClient;
  store: StreamStore;
  queryClient: QueryClient;
}

export interface DataLayerDeps {
  fetch?: Fetch;
  createSocket?: (url: string) => SocketLike;
  /** Ask the gateway for a short-lived WebSocket token before each connection (default true). */
  useToken?: boolean;
}

export function createDataLayer(cfg: OmsConfig, deps: DataLayerDeps = {}): DataLayer {
  const rest = new RestClient(cfg.apiBaseUrl, deps.fetch);
  const useToken = deps.useToken ?? true;
  const ws = new WsClient({
    url: async () => {
      if (!useToken) return cfg.wsUrl;
      try {
        const t = await rest.wsToken();
        const sep = cfg.wsUrl.includes('?') ? '&' : '?';
        return `${cfg.wsUrl}${sep}token=${encodeURIComponent(t.token)}`;
      } catch {
        return cfg.wsUrl; // dev loopback acts as the demo account; otherwise market channels only
      }
    },
    ...(deps.createSocket ? { createSocket: deps.createSocket } : {}),
  });
  const queryClient = new QueryClient({
    defaultOptions: {
      queries: { retry: (n, e) => !(e instanceof ApiFailure && (e.status === 404 || e.status === 401 || e.status === 403)) && n < 3, refetchOnWindowFocus: false },
    },
  });
  return { rest, ws, store: new StreamStore(ws), queryClient };
}

const Ctx = createContext<DataLayer | null>(null);

export function DataProvider({ layer, children }: { layer: DataLayer; children: ReactNode }) {
  useEffect(() => {
    layer.ws.start();
    return () => layer.ws.stop();
  }, [layer]);
  return (
    <Ctx.Provider value={layer}>
      <QueryClientProvider client={layer.queryClient}>{children}</QueryClientProvider>
    </Ctx.Provider>
  );
}

function useLayer(): DataLayer {
  const l = useContext(Ctx);
  if (!l) throw new Error('DataProvider missing');
  return l;
}

function useStream<S>(sub: Subscription | null, reducer: Reducer<S>): Loadable<S> {
  const { store } = useLayer();
  const channel = sub?.channel;
  const symbol = sub?.symbol;
  const depth = sub?.depth;
  const subscribe = useCallback(
    (l: () => void) =>
      channel ? store.listen({ channel, ...(symbol ? { symbol } : {}), ...(depth ? { depth } : {}) }, reducer, l) : () => {},
    [store, channel, symbol, depth, reducer],
  );
  const get = useCallback(
    () => (channel ? store.get<S>({ channel, ...(symbol ? { symbol } : {}) }) : (loading as Loadable<S>)),
    [store, channel, symbol],
  );
  return useSyncExternalStore(subscribe, get);
}

export const useTicker = (symbol: string): Loadable<Ticker> => useStream({ channel: 'ticker', symbol }, reducers.ticker);
export const useBook = (symbol: string, depth = 10): Loadable<Book> => useStream({ channel: 'book', symbol, depth }, reducers.book);
export const useTrades = (symbol: string): Loadable<Trade[]> => useStream({ channel: 'trades', symbol }, reducers.trades);
export const useCandles = (symbol: string, interval: CandleInterval): Loadable<CandleState> =>
  useStream({ channel: `candles:${interval}`, symbol }, reducers.candles);
export const useOrders = (): Loadable<Order[]> => useStream({ channel: 'orders' }, reducers.orders);
export const useExecutions = (): Loadable<ExecutionReport[]> => useStream({ channel: 'executions' }, reducers.executions);
export const usePositions = (): Loadable<Position[]> => useStream({ channel: 'positions' }, reducers.positions);
export const useBalances = (): Loadable<Balance[]> => useStream({ channel: 'balances' }, reducers.balances);

export function useConnectionStatus(): ConnectionStatus {
  const { ws } = useLayer();
  return useSyncExternalStore(
    useCallback((l: () => void) => ws.onStatus(l), [ws]),
    () => ws.getStatus(),
  );
}

function toLoadable<T>(q: { status: string; data: T | undefined; error: unknown; isFetching: boolean }): Loadable<T> {
  if (q.status === 'success' && q.data !== undefined) return ready(q.data, false);
  if (q.status === 'error') return failed(q.error instanceof ApiFailure ? describe(q.error.code, q.error.message) : describe('NETWORK'));
  return loading;
}

export function useInstruments(): Loadable<Instrument[]> {
  const { rest } = useLayer();
  const q = useQuery({ queryKey: ['instruments'], queryFn: async () => (await rest.instruments()).instruments, staleTime: 5 * 60_000 });
  return toLoadable(q);
}

/** useInstrument returns the symbol's instrument once instruments are loaded. */
export function useInstrument(symbol: string): Instrument | undefined {
  const l = useInstruments();
  return useMemo(() => (l.status === 'ready' ? l.data.find((i) => i.symbol === symbol) : undefined), [l, symbol]);
}

/** useAdminAccess is the admin view's feature check: true only if whoami answers with the admin scope. */
export function useAdminAccess(): { isAdmin: boolean; whoami?: Whoami } {
  const { rest } = useLayer();
  const q = useQuery({ queryKey: ['whoami'], queryFn: () => rest.whoami(), retry: false, staleTime: 60_000 });
  const isAdmin = q.status === 'success' && Array.isArray(q.data?.scopes) && q.data.scopes.includes('admin');
  return q.data ? { isAdmin, whoami: q.data } : { isAdmin };
}

export function usePlaceOrder() {
  const { rest } = useLayer();
  return useMutation({ mutationFn: (v: { order: NewOrder; idempotencyKey: string }) => rest.placeOrder(v.order, v.idempotencyKey) });
}

export function useCancelOrder() {
  const { rest } = useLayer();
  return useMutation({ mutationFn: (orderId: string) => rest.cancelOrder(orderId) });
}

export function useCancelAll() {
  const { rest } = useLayer();
  return useMutation({ mutationFn: (symbol?: string) => rest.cancelAll(symbol) });
}

export function useAmendOrder() {
  const { rest } = useLayer();
  return useMutation({ mutationFn: (v: { orderId: string; amend: AmendOrder }) => rest.amendOrder(v.orderId, v.amend) });
}

export function useTradingStateAdmin() {
  const { rest } = useLayer();
  return useMutation({ mutationFn: (v: Parameters<RestClient['setTradingState']>[0]) => rest.setTradingState(v) });
}

/** errorText turns anything a mutation threw into a sentence for the trader. */
export function errorText(e: unknown): string {
  if (e instanceof ApiFailure) return describe(e.code, e.field ? `field: ${e.field}` : undefined);
  return describe('NETWORK');
}

export interface Steps {
  tick: string;
  lot: string;
  base: string;
  quote: string;
}

/** useSteps gives a symbol's tick and lot (from /api/instruments; sensible defaults until it answers). */
export function useSteps(symbol: string): Steps {
  const i = useInstrument(symbol);
  const [base = symbol, quote = 'USD'] = symbol.split('-');
  return useMemo(
    () => (i ? { tick: i.tickSize, lot: i.lotSize, base: i.base, quote: i.quote } : { tick: '0.01', lot: '0.00001', base, quote }),
    [i, base, quote],
  );
}

/** useStepsLookup formats rows of many symbols (orders, fills, positions). */
export function useStepsLookup(): (symbol: string) => Steps {
  const l = useInstruments();
  return useCallback(
    (symbol: string) => {
      const i = l.status === 'ready' ? l.data.find((x) => x.symbol === symbol) : undefined;
      const [base = symbol, quote = 'USD'] = symbol.split('-');
      return i ? { tick: i.tickSize, lot: i.lotSize, base: i.base, quote: i.quote } : { tick: '0.01', lot: '0.00001', base, quote };
    },
    [l],
  );
}
