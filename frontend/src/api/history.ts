// Order history and fills are two sources joined: order-query's pages (everything, paginated, but as of
// the read model's last projection) and the WebSocket's live state (the newest, at once). The join keeps
// one row per order or fill, and for an order the newest state by its report sequence number.

import type { ExecutionReport, Fill, Order, OrderRecord, OrderStatus, Side } from './types';

/** HistoryOrder is an order from either source. */
export type HistoryOrder = Omit<Order, 'timeInForce'> & Partial<Pick<OrderRecord, 'timeInForce' | 'lastExecType'>>;

/** HistoryFill is a fill from either source (a live report may lack the side). */
export type HistoryFill = Omit<Fill, 'side'> & { side?: Side };

const newer = (a: string | undefined, b: string | undefined) => ((a ?? '') < (b ?? '') ? 1 : (a ?? '') > (b ?? '') ? -1 : 0);

/**
 * mergeOrders joins pages and live orders: an order in both is shown as the one with the higher seq (the
 * live one on a tie, as it is never older than the read model). The result is newest first by the time the
 * order last changed.
 */
export function mergeOrders(pages: readonly OrderRecord[], live: readonly Order[], keep: (s: OrderStatus) => boolean): HistoryOrder[] {
  const byId = new Map<string, HistoryOrder>();
  for (const o of pages) byId.set(o.orderId, o);
  for (const o of live) {
    const old = byId.get(o.orderId);
    if (!old || (o.seq ?? 0) >= (old.seq ?? 0)) byId.set(o.orderId, o);
  }
  return [...byId.values()].filter((o) => keep(o.status)).sort((a, b) => newer(a.updatedAt || a.createdAt, b.updatedAt || b.createdAt));
}

/** fillOf turns a live TRADE report into the fill order-query will show for it. */
export function fillOf(r: ExecutionReport): HistoryFill {
  return {
    execId: r.execId,
    orderId: r.orderId,
    clientOrderId: r.clientOrderId,
    symbol: r.symbol,
    ...(r.side ? { side: r.side } : {}),
    quantity: r.lastQty ?? '0',
    price: r.lastPrice ?? '0',
    fee: r.fee ?? '0',
    ...(r.feeAsset ? { feeAsset: r.feeAsset } : {}),
    ...(r.liquidity ? { liquidity: r.liquidity } : {}),
    time: r.transactTime ?? r.createdAt ?? '',
  };
}

/** mergeFills joins fill pages and live TRADE reports, one row per execution, newest first. */
export function mergeFills(pages: readonly Fill[], live: readonly ExecutionReport[]): HistoryFill[] {
  const byId = new Map<string, HistoryFill>();
  for (const f of pages) byId.set(f.execId, f);
  for (const r of live) if (r.execType === 'TRADE' && !byId.has(r.execId)) byId.set(r.execId, fillOf(r));
  return [...byId.values()].sort((a, b) => newer(a.time, b.time) || (a.execId < b.execId ? 1 : -1));
}
