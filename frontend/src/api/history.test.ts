import { describe, expect, it } from 'vitest';
import { fillOf, mergeFills, mergeOrders } from './history';
import type { ExecutionReport, Order, OrderRecord } from './types';

const base = {
  clientOrderId: 'c', symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC', quantity: '1', price: '10', cumQty: '0', avgPrice: '0', leavesQty: '1',
  postOnly: false, reduceOnly: false, createdAt: '2026-11-25T09:00:00Z', updatedAt: '2026-11-25T09:00:00Z',
} as const;
const rec = (o: Partial<OrderRecord>): OrderRecord => ({ ...base, orderId: 'o1', accountId: 'a', lastExecType: 'NEW', status: 'NEW', seq: 1, ...o });
const live = (o: Partial<Order>): Order => ({ ...base, orderId: 'o1', status: 'NEW', seq: 1, ...o });
const all = () => true;

describe('mergeOrders', () => {
  it('keeps the newest state of an order by seq, whichever source has it', () => {
    expect(mergeOrders([rec({ status: 'FILLED', seq: 5 })], [live({ status: 'PARTIALLY_FILLED', seq: 4 })], all).map((o) => o.status)).toEqual(['FILLED']);
    expect(mergeOrders([rec({ status: 'PARTIALLY_FILLED', seq: 4 })], [live({ status: 'FILLED', seq: 5 })], all).map((o) => o.status)).toEqual(['FILLED']);
    expect(mergeOrders([rec({ status: 'CANCELED', seq: 3, reason: 'USER_CANCEL' })], [live({ status: 'CANCELED', seq: 3 })], all)).toHaveLength(1);
  });

  it('orders by last change, newest first, and applies the filter after the join', () => {
    const out = mergeOrders(
      [rec({ orderId: 'old', status: 'FILLED', updatedAt: '2026-11-24T00:00:00Z' }), rec({ orderId: 'x', status: 'NEW', seq: 1 })],
      [live({ orderId: 'x', status: 'CANCELED', seq: 2, updatedAt: '2026-11-25T10:00:00Z' }), live({ orderId: 'open', status: 'NEW' })],
      (s) => s !== 'NEW',
    );
    expect(out.map((o) => o.orderId)).toEqual(['x', 'old']);
  });
});

describe('mergeFills', () => {
  const trade = (execId: string, t: string): ExecutionReport => ({
    execId, orderId: 'o1', clientOrderId: 'c', symbol: 'BTC-USD', execType: 'TRADE', status: 'FILLED', quantity: '1', cumQty: '1', leavesQty: '0',
    lastQty: '0.4', lastPrice: '10.5', transactTime: t,
  });
  it('turns live trades into fills, once per execution, and ignores other reports', () => {
    expect(fillOf(trade('e1', '2026-11-25T09:00:00Z'))).toEqual({ execId: 'e1', orderId: 'o1', clientOrderId: 'c', symbol: 'BTC-USD', quantity: '0.4', price: '10.5', fee: '0', time: '2026-11-25T09:00:00Z' });
    const page = [{ execId: 'e1', orderId: 'o1', clientOrderId: 'c', symbol: 'BTC-USD', side: 'BUY' as const, quantity: '0.4', price: '10.5', fee: '0.01', time: '2026-11-25T09:00:00Z' }];
    const out = mergeFills(page, [trade('e1', '2026-11-25T09:00:00Z'), trade('e2', '2026-11-25T09:01:00Z'), { ...trade('n', '2026-11-25T09:02:00Z'), execType: 'NEW' }]);
    expect(out.map((f) => f.execId)).toEqual(['e2', 'e1']);
    expect(out[1]!.fee).toBe('0.01'); // the read model's row wins for a fill both have
  });
});
