import { act, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OpenOrders } from './OpenOrders';
import { renderWithData } from '../../test/harness';

const id = 'c'.repeat(32);
const open = {
  orderId: id, clientOrderId: 'web-1', symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', timeInForce: 'GTC', status: 'NEW',
  quantity: '0.01', price: '28000', cumQty: '0', leavesQty: '0.01', createdAt: '2026-01-01T00:00:00Z', seq: 1,
};

describe('OpenOrders', () => {
  it('lists open orders formatted to the tick, amends with Enter and cancels', async () => {
    const user = userEvent.setup();
    const h = await renderWithData(<OpenOrders />, (m) => (m === 'PATCH' || m === 'DELETE' ? { status: 202, body: { orderId: id, status: 'NEW' } } : undefined));
    act(() => h.snapshots((c) => (c === 'orders' ? { orders: [open, { ...open, orderId: 'd'.repeat(32), status: 'FILLED' }] } : undefined)));
    const row = await screen.findByTestId('open-order-row');
    expect(screen.getAllByTestId('open-order-row')).toHaveLength(1); // the filled one is history
    expect(within(row).getByTestId('order-price')).toHaveTextContent('28,000.00');

    await user.click(within(row).getByRole('button', { name: 'Amend' }));
    const price = within(row).getByLabelText('New price');
    await user.clear(price);
    await user.type(price, '27500.5{Enter}');
    await waitFor(() => expect(h.calls('PATCH', `/api/orders/${id}`)).toHaveLength(1));
    expect(JSON.parse(h.calls('PATCH', `/api/orders/${id}`)[0]!.body as string)).toEqual({ price: '27500.5' });
    act(() => h.update('orders', { orders: [{ ...open, price: '27500.50', seq: 2 }] }));
    await waitFor(() => expect(within(screen.getByTestId('open-order-row')).getByTestId('order-price')).toHaveTextContent('27,500.50'));

    await user.click(within(screen.getByTestId('open-order-row')).getByRole('button', { name: 'Cancel' }));
    await waitFor(() => expect(h.calls('DELETE', `/api/orders/${id}`)).toHaveLength(1));
    act(() => h.update('orders', { orders: [{ ...open, status: 'CANCELED', reason: 'USER_CANCEL', leavesQty: '0', seq: 3 }] }));
    await waitFor(() => expect(screen.queryByTestId('open-order-row')).toBeNull());
    expect(screen.getByText('No open orders.')).toBeInTheDocument();
  });

  it('shows a refused cancel in words', async () => {
    const user = userEvent.setup();
    const h = await renderWithData(<OpenOrders />, (m) => (m === 'DELETE' ? { status: 503, body: { code: 'KAFKA_UNAVAILABLE', msg: 'x' } } : undefined));
    act(() => h.snapshots((c) => (c === 'orders' ? { orders: [open] } : undefined)));
    await user.click(await screen.findByRole('button', { name: 'Cancel' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The exchange is busy: nothing was placed. Retry.');
  });
});
