// The data layer's single entry: features import from here only (never ws.ts or client.ts directly).
// It wires one REST client, one WebSocket client and one stream store, and exposes them as hooks.

import { keepPreviousData, QueryClient, QueryClientProvider, useInfiniteQuery, useMutation, useQuery, useQueryClient } from '@tanstack/react-query';
import { createContext, useCallback, useContext, useEffect, useMemo, useSyncExternalStore, type ReactNode } from 'react';
import type { OmsConfig } from '../lib/config';
import { describe, isKnownCode, type Audience } from '../lib/errors';
import { failed, loading, ready, type Loadable } from '../lib/loadable';
import { ApiFailure, isSessionLost, RestClient, type Fetch } from './client';
import { OPEN_STATUSES } from './types';
import { mergeFills, mergeOrders, type HistoryFill, type HistoryOrder } from './history';
import { reducers, StreamStore, type CandleState, type Reducer } from './store';
import type {
  AmendOrder,
  Balance,
  Book,
  CandleInterval,
  ExecutionReport,
  Instrument,
  NewAccount,
  NewApiKey,
  NewOrder,
  Order,
  OrderStatus,
  Position,
  RiskLimitsUpdate,
  Ticker,
  Trade,
  TradingStateChange,
  Whoami,
} from './types';
import { WsClient, type ConnectionStatus, type SocketLike, type Subscription } from './ws';

export type * from './types';
export { OPEN_STATUSES, CANDLE_INTERVALS } from './types';
export { ApiFailure, isSessionLost } from './client';
export { SessionProvider, useSession, type SessionApi, type SessionState } from './session';
export type { ConnectionStatus, SocketLike } from './ws';
export type { CandleState } from './store';
export type { HistoryFill, HistoryOrder } from './history';

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
      } catch (e) {
        // The session is gone: do not connect; the sign-in gate stops this client.
        if (isSessionLost(e)) throw e;
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

function toLoadable<T>(q: { status: string; data: T; error: unknown }, audience: Audience = 'trader'): Loadable<NonNullable<T>> {
  if (q.status === 'success' && q.data !== undefined && q.data !== null) return ready(q.data, false);
  if (q.status === 'error') return failed(errorText(q.error, audience));
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

/**
 * errorText turns anything a call threw into a sentence: the words for a known code (with the field at
 * fault, and for operators the server's detail), else the server's own message, written for people too.
 */
export function errorText(e: unknown, audience: Audience = 'trader'): string {
  if (!(e instanceof ApiFailure)) return describe('NETWORK');
  // Operators get the server's detail too: it names the value that was refused and the rule.
  if (isKnownCode(e.code) && audience === 'operator' && e.message && e.status < 500) return describe(e.code, e.field ? `${e.field}: ${e.message}` : e.message, audience);
  if (isKnownCode(e.code)) return describe(e.code, e.field ? `field: ${e.field}` : undefined, audience);
  return e.message ? `${e.message}${e.field && !e.message.includes(e.field) ? ` (field: ${e.field})` : ''}` : describe(e.code);
}

/** fieldOf is the field an API error names (for showing it beside that input), if any. */
export function fieldOf(e: unknown): string | undefined {
  return e instanceof ApiFailure ? e.field : undefined;
}

// ---- order history and fills: order-query pages joined with the live streams

const PAGE = 50;

export interface Paged<T> {
  rows: Loadable<T[]>;
  /** True while older rows may exist on the server. */
  hasMore: boolean;
  loadingMore: boolean;
  loadMore: () => void;
  /** Why older rows could not be loaded (the live rows are still shown). */
  olderError?: string;
  retry: () => void;
}

export type HistoryFilter = 'CLOSED' | Exclude<OrderStatus, 'PENDING_NEW' | 'NEW' | 'PARTIALLY_FILLED' | 'PENDING_CANCEL'>;

/**
 * useOrderHistory is the account's closed orders (or those of one status): order-query's pages, newest
 * first, joined with the `orders` stream so that an order closing now shows at once.
 */
export function useOrderHistory(filter: HistoryFilter): Paged<HistoryOrder> {
  const { rest } = useLayer();
  const live = useOrders();
  const q = useInfiniteQuery({
    queryKey: ['history', 'orders', filter],
    queryFn: ({ pageParam }) => rest.orders({ limit: PAGE, ...(filter === 'CLOSED' ? {} : { status: filter }), ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    staleTime: 30_000,
    retry: false,
  });
  const keep = useCallback((s: OrderStatus) => (filter === 'CLOSED' ? !OPEN_STATUSES.has(s) : s === filter), [filter]);
  const pages = q.data?.pages;
  const rows = useMemo((): Loadable<HistoryOrder[]> => {
    const rest = pages?.flatMap((p) => p.orders) ?? [];
    if (live.status === 'ready') return ready(mergeOrders(rest, live.data, keep), live.stale);
    if (pages) return ready(mergeOrders(rest, [], keep));
    if (live.status === 'error' && q.status === 'error') return failed(live.error);
    return loading;
  }, [pages, live, keep, q.status]);
  return paged(rows, q);
}

/** useFillHistory is the account's fills: order-query's pages joined with the `executions` stream. */
export function useFillHistory(): Paged<HistoryFill> {
  const { rest } = useLayer();
  const live = useExecutions();
  const q = useInfiniteQuery({
    queryKey: ['history', 'fills'],
    queryFn: ({ pageParam }) => rest.fills({ limit: PAGE, ...(pageParam ? { cursor: pageParam } : {}) }),
    initialPageParam: '',
    getNextPageParam: (last) => last.nextCursor || undefined,
    staleTime: 30_000,
    retry: false,
  });
  const pages = q.data?.pages;
  const rows = useMemo((): Loadable<HistoryFill[]> => {
    const rest = pages?.flatMap((p) => p.fills) ?? [];
    if (live.status === 'ready') return ready(mergeFills(rest, live.data), live.stale);
    if (pages) return ready(mergeFills(rest, []));
    if (live.status === 'error' && q.status === 'error') return failed(live.error);
    return loading;
  }, [pages, live, q.status]);
  return paged(rows, q);
}

function paged<T>(
  rows: Loadable<T[]>,
  q: {
    hasNextPage: boolean;
    isFetchingNextPage: boolean;
    fetchNextPage: () => unknown;
    refetch: () => unknown;
    error: unknown;
    isError: boolean;
    isFetchNextPageError: boolean;
  },
): Paged<T> {
  const err = q.isError || q.isFetchNextPageError ? errorText(q.error) : undefined;
  return {
    rows,
    hasMore: q.hasNextPage,
    loadingMore: q.isFetchingNextPage,
    loadMore: () => void q.fetchNextPage(),
    retry: () => void (q.isFetchNextPageError ? q.fetchNextPage() : q.refetch()),
    ...(err ? { olderError: err } : {}),
  };
}

// ---- admin

const adminKey = (...k: unknown[]) => ['admin', ...k];

/** useTradingState is the global, per-account and per-symbol trading state. */
export function useTradingState() {
  const { rest } = useLayer();
  return toLoadable(useQuery({ queryKey: adminKey('trading-state'), queryFn: () => rest.tradingState(), refetchInterval: 10_000 }), 'operator');
}

/** useAdminMutation runs an admin call, then refreshes what it changed and the audit log. */
function useAdminMutation<V, R>(fn: (rest: RestClient, v: V) => Promise<R>, refresh: (v: V) => unknown[][]) {
  const { rest } = useLayer();
  const qc = useQueryClient();
  return useMutation({
    mutationFn: (v: V) => fn(rest, v),
    // Also after a refusal: it is audited.
    onSettled: (_r, _e, v) => {
      for (const k of [...refresh(v), adminKey('audit')]) void qc.invalidateQueries({ queryKey: k });
    },
  });
}

export const useSetTradingState = () => useAdminMutation((r, v: TradingStateChange) => r.setTradingState(v), () => [adminKey('trading-state')]);

export function useAccounts() {
  const { rest } = useLayer();
  return toLoadable(useQuery({ queryKey: adminKey('accounts'), queryFn: async () => (await rest.accounts()).accounts, staleTime: 30_000 }), 'operator');
}

export const useCreateAccount = () => useAdminMutation((r, v: NewAccount) => r.createAccount(v), () => [adminKey('accounts')]);

export function useRiskLimits(accountId: string) {
  const { rest } = useLayer();
  const q = useQuery({ queryKey: adminKey('risk-limits', accountId), queryFn: () => rest.riskLimits(accountId), enabled: accountId !== '', retry: false });
  return accountId === '' ? undefined : toLoadable(q, 'operator');
}

export const useSetRiskLimits = () =>
  useAdminMutation((r, v: { accountId: string; limits: RiskLimitsUpdate }) => r.setRiskLimits(v.accountId, v.limits), (v) => [adminKey('risk-limits', v.accountId)]);

export function useApiKeys(accountId: string) {
  const { rest } = useLayer();
  return toLoadable(useQuery({ queryKey: adminKey('api-keys', accountId), queryFn: async () => (await rest.apiKeys(accountId || undefined)).keys }), 'operator');
}

export const useCreateApiKey = () => useAdminMutation((r, v: NewApiKey) => r.createApiKey(v), () => [adminKey('api-keys')]);
export const useRotateApiKey = () => useAdminMutation((r, keyId: string) => r.rotateApiKey(keyId), () => [adminKey('api-keys')]);
export const useRevokeApiKey = () => useAdminMutation((r, keyId: string) => r.revokeApiKey(keyId), () => [adminKey('api-keys')]);

/** useAudit is one page of the audit log (newest first), keeping the previous page shown while the next loads. */
export function useAudit(v: { action: string; cursor: string; limit: number }) {
  const { rest } = useLayer();
  const q = useQuery({
    queryKey: adminKey('audit', v.action, v.cursor, v.limit),
    queryFn: () => rest.audit({ limit: v.limit, ...(v.cursor ? { cursor: v.cursor } : {}), ...(v.action ? { action: v.action } : {}) }),
    placeholderData: keepPreviousData,
  });
  return { page: toLoadable(q, 'operator'), fetching: q.isFetching };
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
