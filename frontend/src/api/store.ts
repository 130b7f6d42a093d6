// The stream store: one cached Loadable per channel (and symbol), fed by the WebSocket client, shared by
// every component that reads it (reference counted), and read through useSyncExternalStore.

import { describe } from '../lib/errors';
import { failed, loading, ready, type Loadable } from '../lib/loadable';
import type {
  Balance,
  Book,
  Candle,
  ChannelData,
  ExecutionReport,
  Order,
  Position,
  Ticker,
  Trade,
} from './types';
import { subscriptionKey, type ChannelEvent, type Subscription, type WsClient } from './ws';

/** Reducer folds a channel's snapshot and updates into the state components read. */
export interface Reducer<S> {
  snapshot(data: unknown): S;
  update(state: S, data: unknown): S;
}

export interface CandleState {
  candles: Candle[];
  /** Increments on every snapshot: the chart redraws everything then, and only the last bar otherwise. */
  snapshotNo: number;
}

const MAX_EXECUTIONS = 200;
const MAX_CANDLES = 1000;

function newestFirst(a: ExecutionReport, b: ExecutionReport): number {
  const ta = a.transactTime ?? a.createdAt ?? '';
  const tb = b.transactTime ?? b.createdAt ?? '';
  return ta < tb ? 1 : ta > tb ? -1 : 0;
}

export const reducers = {
  ticker: {
    snapshot: (d) => d as Ticker,
    update: (_s, d) => d as Ticker,
  } satisfies Reducer<Ticker>,
  book: {
    snapshot: (d) => d as Book,
    update: (_s, d) => d as Book,
  } satisfies Reducer<Book>,
  trades: {
    snapshot: (d) => [...(d as ChannelData['trades']['snapshot']).trades],
    update: (s, d) => [d as Trade, ...s].slice(0, 50),
  } satisfies Reducer<Trade[]>,
  candles: {
    snapshot: (d) => ({ candles: [...(d as ChannelData['candles']['snapshot']).candles], snapshotNo: ++snapshotCounter }),
    update: (s, d) => {
      const c = d as Candle;
      const list = s.candles;
      const last = list[list.length - 1];
      let next: Candle[];
      if (!last || c.time > last.time) next = [...list, c].slice(-MAX_CANDLES);
      else if (c.time === last.time) next = [...list.slice(0, -1), c];
      else next = list.map((x) => (x.time === c.time ? c : x));
      return { candles: next, snapshotNo: s.snapshotNo };
    },
  } satisfies Reducer<CandleState>,
  orders: {
    snapshot: (d) => [...(d as ChannelData['orders']['snapshot']).orders],
    update: (s, d) => (d as ChannelData['orders']['update']).orders.reduce(upsertOrder, s),
  } satisfies Reducer<Order[]>,
  executions: {
    snapshot: (d) => [...(d as ChannelData['executions']['snapshot']).executions].sort(newestFirst),
    update: (s, d) => {
      let next = s;
      for (const r of (d as ChannelData['executions']['update']).executions) {
        if (r.execId && next.some((x) => x.execId === r.execId)) continue;
        next = [r, ...next];
      }
      return next === s ? s : next.slice(0, MAX_EXECUTIONS);
    },
  } satisfies Reducer<ExecutionReport[]>,
  positions: {
    snapshot: (d) => (d as ChannelData['positions']['snapshot']).positions,
    update: (_s, d) => (d as ChannelData['positions']['update']).positions,
  } satisfies Reducer<Position[]>,
  balances: {
    snapshot: (d) => (d as ChannelData['balances']['snapshot']).balances,
    update: (_s, d) => (d as ChannelData['balances']['update']).balances,
  } satisfies Reducer<Balance[]>,
};

let snapshotCounter = 0;

/** upsertOrder puts o in the list, new orders first; an older state arriving late never rolls an order back. */
function upsertOrder(s: Order[], o: Order): Order[] {
  const i = s.findIndex((x) => x.orderId === o.orderId);
  if (i < 0) return [o, ...s];
  if ((s[i]!.seq ?? 0) > (o.seq ?? 0)) return s;
  const next = [...s];
  next[i] = o;
  return next;
}

interface Slot {
  state: Loadable<unknown>;
  listeners: Set<() => void>;
  off: () => void;
}

export class StreamStore {
  private readonly slots = new Map<string, Slot>();

  constructor(private readonly ws: WsClient) {}

  /** listen subscribes a React listener (and the channel, on first listener). */
  listen<S>(sub: Subscription, reducer: Reducer<S>, listener: () => void): () => void {
    const key = subscriptionKey(sub);
    let slot = this.slots.get(key);
    if (!slot) {
      const s: Slot = { state: loading, listeners: new Set(), off: () => {} };
      this.slots.set(key, s);
      s.off = this.ws.subscribe(sub, (e) => this.apply(s, reducer as Reducer<unknown>, e));
      slot = s;
    }
    slot.listeners.add(listener);
    const own = slot;
    return () => {
      own.listeners.delete(listener);
      if (own.listeners.size === 0) {
        // Defer: React (StrictMode, re-renders) often resubscribes at once; keep the channel then.
        setTimeout(() => {
          if (own.listeners.size === 0 && this.slots.get(key) === own) {
            this.slots.delete(key);
            own.off();
          }
        }, 1000);
      }
    };
  }

  get<S>(sub: Subscription): Loadable<S> {
    return (this.slots.get(subscriptionKey(sub))?.state ?? loading) as Loadable<S>;
  }

  private apply(slot: Slot, r: Reducer<unknown>, e: ChannelEvent): void {
    const s = slot.state;
    let next: Loadable<unknown> = s;
    switch (e.kind) {
      case 'snapshot':
        next = ready(r.snapshot(e.data));
        break;
      case 'update':
        if (s.status === 'ready') next = ready(r.update(s.data, e.data));
        break;
      case 'stale':
        if (s.status === 'ready' && !s.stale) next = ready(s.data, true);
        break;
      case 'error':
        if (s.status !== 'ready') next = failed(describe(e.code, e.msg));
        break;
    }
    if (next === s) return;
    slot.state = next;
    for (const l of [...slot.listeners]) l();
  }
}
