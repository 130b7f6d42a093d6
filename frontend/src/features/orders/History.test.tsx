import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { Fills } from './Fills';
import { OrderHistory } from './OrderHistory';
import { renderWithData, type Route } from '../../test/harness';

const id = (c: string) => c.repeat(32);
const order = (o: Record<string, unknown>) => ({
  clientOrderId: 'c', accountId: 'demo', symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC', quantity: '0.01', price: '30000',
  cumQty: '0', avgPrice: '0', leavesQty: '0', postOnly: false, reduceOnly: false, lastExecType: 'NEW', seq: 2, createdAt: '2026-11-25T09:00:00Z', ...o,
});
const rows = () => screen.getAllByTestId('history-row').map((r) => `${r.getAttribute('data-order-id')!.slice(0, 1)}:${within(r).getAllByRole('cell')[8]!.textContent}`);

describe('OrderHistory', () => {
  it('joins order-query pages with the live stream, pages older orders in, and filters by status', async () => {
    const user = userEvent.setup();
    const route: Route = (m, p) => {
      if (m !== 'GET' || !p.startsWith('/api/orders?')) return undefined;
      if (p === '/api/orders?limit=50')
        return { status: 200, body: { orders: [
          order({ orderId: id('a'), status: 'FILLED', cumQty: '0.01', avgPrice: '29990', updatedAt: '2026-11-25T09:05:00Z' }),
          order({ orderId: id('b'), status: 'PARTIALLY_FILLED', cumQty: '0.005', updatedAt: '2026-11-25T09:04:00Z' }), // still open as of the read model
          order({ orderId: id('c'), status: 'CANCELED', reason: 'USER_CANCEL', updatedAt: '2026-11-25T09:03:00Z' }),
        ], nextCursor: 'p2' } };
      if (p === '/api/orders?limit=50&cursor=p2') return { status: 200, body: { orders: [order({ orderId: id('d'), status: 'EXPIRED', reason: 'IOC_REMAINDER', updatedAt: '2026-11-24T09:00:00Z' })], nextCursor: null } };
      if (p === '/api/orders?limit=50&status=FILLED') return { status: 200, body: { orders: [order({ orderId: id('a'), status: 'FILLED', updatedAt: '2026-11-25T09:05:00Z' })], nextCursor: null } };
      return { status: 400, body: { code: 'UNKNOWN_PARAMETER', msg: p } };
    };
    const h = await renderWithData(<OrderHistory />, route);
    // The stream already knows b filled (a higher seq than the read model), and e is open.
    act(() => h.snapshots((c) => (c === 'orders' ? { orders: [
      order({ orderId: id('b'), status: 'FILLED', cumQty: '0.01', seq: 3, updatedAt: '2026-11-25T09:06:00Z' }),
      order({ orderId: id('e'), status: 'NEW', seq: 1 }),
    ] } : undefined)));
    await waitFor(() => expect(rows()).toEqual(['b:Filled', 'a:Filled', 'c:Canceled']));
    expect(screen.getByText('Canceled by you.')).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Load older orders' }));
    await waitFor(() => expect(rows()).toEqual(['b:Filled', 'a:Filled', 'c:Canceled', 'd:Expired']));
    expect(screen.queryByRole('button', { name: 'Load older orders' })).toBeNull(); // the last page

    act(() => h.update('orders', { orders: [order({ orderId: id('e'), status: 'CANCELED', reason: 'USER_CANCEL', seq: 2, updatedAt: '2026-11-25T09:07:00Z' })] }));
    await waitFor(() => expect(rows()[0]).toBe('e:Canceled')); // at once, from the stream

    await user.selectOptions(screen.getByLabelText('Status filter'), 'FILLED');
    await waitFor(() => expect(rows()).toEqual(['b:Filled', 'a:Filled']));
    expect(h.calls('GET', '/api/orders?limit=50&status=FILLED')).toHaveLength(1);
  });

  it('still shows live orders when order-query is down, and says why older ones are missing', async () => {
    const user = userEvent.setup();
    let down = true;
    const h = await renderWithData(<OrderHistory />, (m, p) =>
      m === 'GET' && p.startsWith('/api/orders?')
        ? down
          ? { status: 503, body: { code: 'STORE_UNAVAILABLE', msg: 'read model down' } }
          : { status: 200, body: { orders: [order({ orderId: id('a'), status: 'FILLED', updatedAt: '2026-11-25T09:05:00Z' })], nextCursor: null } }
        : undefined,
    );
    act(() => h.snapshots((c) => (c === 'orders' ? { orders: [order({ orderId: id('f'), status: 'DENIED', reason: 'MAX_ORDER_QTY_EXCEEDED', text: 'qty=60, max=50' })] } : undefined)));
    await waitFor(() => expect(rows()).toEqual(['f:Denied']));
    expect(screen.getByText('The quantity is above your per-order limit. (qty=60, max=50)')).toBeInTheDocument();
    expect(await screen.findByRole('status')).toHaveTextContent('Older orders could not be loaded: Stored data is temporarily unavailable. Retry shortly.');
    down = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    await waitFor(() => expect(rows()).toEqual(['a:Filled', 'f:Denied']));
    expect(screen.queryByRole('status')).toBeNull();
  });
});

const fill = (f: Record<string, unknown>) => ({ orderId: id('a'), clientOrderId: 'c', symbol: 'BTC-USD', side: 'BUY', quantity: '0.01', price: '30000.5', fee: '0.6', feeAsset: 'USD', liquidity: 'TAKER', ...f });

describe('Fills', () => {
  it('joins fill pages with live trades, once per execution, newest first', async () => {
    const user = userEvent.setup();
    const h = await renderWithData(<Fills />, (m, p) => {
      if (m !== 'GET') return undefined;
      if (p === '/api/fills?limit=50') return { status: 200, body: { fills: [fill({ execId: 'x2', time: '2026-11-25T09:02:00Z' }), fill({ execId: 'x1', time: '2026-11-25T09:01:00Z', side: 'SELL' })], nextCursor: 'f2' } };
      if (p === '/api/fills?limit=50&cursor=f2') return { status: 200, body: { fills: [fill({ execId: 'x0', time: '2026-11-24T09:00:00Z', orderId: id('0') })], nextCursor: null } };
      return undefined;
    });
    const report = (execId: string, t: string) => ({
      execId, orderId: id('b'), clientOrderId: 'c2', symbol: 'BTC-USD', side: 'BUY', execType: 'TRADE', status: 'FILLED', quantity: '0.02', cumQty: '0.02', leavesQty: '0',
      lastQty: '0.02', lastPrice: '30100', fee: '1.2', feeAsset: 'USD', liquidity: 'TAKER', transactTime: t,
    });
    act(() => h.snapshots((c) => (c === 'executions' ? { executions: [report('x2', '2026-11-25T09:02:00Z'), { ...report('n1', '2026-11-25T09:00:30Z'), execType: 'NEW', lastQty: undefined }] } : undefined)));
    const ids = () => screen.getAllByTestId('fill-row').map((r) => r.getAttribute('data-order-id')!.slice(0, 1) + within(r).getAllByRole('cell')[3]!.textContent);
    await waitFor(() => expect(ids()).toEqual(['a30,000.50', 'a30,000.50'])); // x2 once (page and stream agree), x1; the NEW report is no fill
    expect(screen.getAllByTestId('fill-row')[1]).toHaveTextContent('Sell');

    act(() => h.update('executions', { executions: [report('x3', '2026-11-25T09:03:00Z')] }));
    await waitFor(() => expect(ids()[0]).toBe('b30,100.00'));
    await user.click(screen.getByRole('button', { name: 'Load older fills' }));
    await waitFor(() => expect(ids()).toEqual(['b30,100.00', 'a30,000.50', 'a30,000.50', '030,000.50']));
  });
});
