import { describe, expect, it } from 'vitest';
import { reducers } from './store';
import type { Order } from './types';

const order = (id: string, status: Order['status'], seq: number): Order =>
  ({ orderId: id, clientOrderId: id, symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', status, quantity: '1', cumQty: '0', leavesQty: '1', seq }) as Order;

describe('reducers', () => {
  it('orders: upserts by id and never rolls an order back to an older state', () => {
    let s = reducers.orders.snapshot({ orders: [order('a', 'NEW', 1)] });
    s = reducers.orders.update(s, { orders: [order('a', 'FILLED', 3)] });
    s = reducers.orders.update(s, { orders: [order('a', 'NEW', 2), order('b', 'NEW', 1)] }); // a's is late
    s = reducers.orders.update(s, { orders: [order('c', 'NEW', 1), order('b', 'CANCELED', 2)] });
    expect(s.map((o) => [o.orderId, o.status])).toEqual([
      ['c', 'NEW'],
      ['b', 'CANCELED'],
      ['a', 'FILLED'],
    ]);
  });

  it('candles: the live candle updates in place, a new one appends', () => {
    const c = (time: string, close: string) => ({ time, open: '1', high: '2', low: '0.5', close, volume: '1' });
    let s = reducers.candles.snapshot({ symbol: 'BTC-USD', interval: '1m', candles: [c('2026-01-01T00:00:00Z', '1'), c('2026-01-01T00:01:00Z', '1')] });
    const no = s.snapshotNo;
    s = reducers.candles.update(s, c('2026-01-01T00:01:00Z', '1.5'));
    expect(s.candles).toHaveLength(2);
    expect(s.candles[1]!.close).toBe('1.5');
    s = reducers.candles.update(s, c('2026-01-01T00:02:00Z', '1.6'));
    expect(s.candles).toHaveLength(3);
    expect(s.snapshotNo).toBe(no);
  });

  it('trades: newest first, 50 at most; executions: newest first, no duplicates', () => {
    let t = reducers.trades.snapshot({ symbol: 'BTC-USD', trades: [] });
    for (let i = 0; i < 60; i++) t = reducers.trades.update(t, { price: String(i), size: '1', side: 'BUY', timestamp: '' });
    expect(t).toHaveLength(50);
    expect(t[0]!.price).toBe('59');
    let e = reducers.executions.snapshot({ executions: [] });
    const r = { execId: 'x', orderId: 'a', clientOrderId: 'a', symbol: 'BTC-USD', execType: 'NEW', status: 'NEW', quantity: '1', cumQty: '0', leavesQty: '1' } as const;
    e = reducers.executions.update(e, { executions: [r] });
    e = reducers.executions.update(e, { executions: [r, { ...r, execId: 'y', execType: 'TRADE' }, { ...r, execId: 'z', execType: 'CANCELED' }] });
    expect(e.map((x) => x.execId)).toEqual(['z', 'y', 'x']);
  });
});
