import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { OrderForm } from './OrderForm';
import { renderWithData } from '../../test/harness';

const ticker = { symbol: 'BTC-USD', bid: '29999.00', ask: '30001.00', last: '30000', open24h: '1', change24h: '0', changePercent24h: '0', high24h: '1', low24h: '1', volume24h: '1', timestamp: '' };
const balances = { balances: [{ asset: 'USD', total: '1000000', reserved: '0', available: '1000000' }, { asset: 'BTC', total: '10', reserved: '0', available: '10' }] };

function snap(channel: string) {
  if (channel === 'ticker') return ticker;
  if (channel === 'balances') return balances;
  if (channel === 'orders') return { orders: [] };
  if (channel === 'executions') return { executions: [] };
  return undefined;
}

async function setup(route?: Parameters<typeof renderWithData>[1]) {
  const h = await renderWithData(<OrderForm symbol="BTC-USD" />, route);
  act(() => h.snapshots(snap));
  await screen.findByText('1,000,000.00 USD');
  return h;
}

const key = (i: RequestInit) => (i.headers as Record<string, string>)['X-Idempotency-Key'];

describe('OrderForm', () => {
  it('submits a limit order with Enter, with the estimated notional and reservation shown', async () => {
    const user = userEvent.setup();
    const h = await setup((m, p) => (m === 'POST' && p === '/api/orders' ? { status: 202, body: { orderId: 'a'.repeat(32), status: 'PENDING_NEW' } } : undefined));
    await user.type(screen.getByLabelText('Price (USD)'), '30000');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '0.01{Enter}');
    expect(screen.getByTestId('est-notional')).toHaveTextContent('300.00 USD');
    expect(screen.getByTestId('est-reserve')).toHaveTextContent('300.60 USD'); // + 0.2 % taker fee
    await waitFor(() => expect(h.calls('POST', '/api/orders')).toHaveLength(1));
    const [req] = h.calls('POST', '/api/orders');
    expect(JSON.parse(req!.body as string)).toEqual({ symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', quantity: '0.01', price: '30000', timeInForce: 'GTC' });
    expect(key(req!)).toMatch(/^[A-Za-z0-9._:-]{1,64}$/);
    expect(await screen.findByTestId('order-status')).toHaveAttribute('data-status', 'PENDING_NEW');
  });

  it('reuses the idempotency key when retrying the same order, and takes a new one for a new order', async () => {
    const user = userEvent.setup();
    let n = 0;
    const h = await setup((m, p) => {
      if (m !== 'POST' || p !== '/api/orders') return undefined;
      n++;
      if (n === 1) return new TypeError('Failed to fetch');
      if (n === 2) return { status: 503, body: { code: 'KAFKA_UNAVAILABLE', msg: 'broker' } };
      return { status: 202, body: { orderId: String(n).repeat(32), status: 'PENDING_NEW' } };
    });
    await user.selectOptions(screen.getByLabelText('Type'), 'MARKET');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '0.5{Enter}');
    expect(await screen.findByTestId('order-error')).toHaveTextContent(/Cannot reach the exchange.*retry/i);
    await user.type(screen.getByLabelText('Quantity (BTC)'), '{Enter}');
    expect(await screen.findByTestId('order-error')).toHaveTextContent(/nothing was placed/);
    await user.type(screen.getByLabelText('Quantity (BTC)'), '{Enter}');
    await screen.findByTestId('order-status');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '{Enter}'); // a second, new order
    await waitFor(() => expect(h.calls('POST', '/api/orders')).toHaveLength(4));
    const keys = h.calls('POST', '/api/orders').map(key);
    expect(keys[1]).toBe(keys[0]);
    expect(keys[2]).toBe(keys[0]);
    expect(keys[3]).not.toBe(keys[0]);
    expect(JSON.parse(h.calls('POST', '/api/orders')[0]!.body as string)).toEqual({ symbol: 'BTC-USD', side: 'BUY', orderType: 'MARKET', quantity: '0.5' });
  });

  it('shows why the exchange denied the order, in words, with the numbers', async () => {
    const user = userEvent.setup();
    const id = 'b'.repeat(32);
    const h = await setup((m, p) => (m === 'POST' && p === '/api/orders' ? { status: 202, body: { orderId: id, status: 'PENDING_NEW' } } : undefined));
    await user.type(screen.getByLabelText('Price (USD)'), '29000');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '60{Enter}');
    await screen.findByTestId('order-status');
    act(() => h.snapshots(snap)); // the status line subscribes to orders and executions on mount
    act(() =>
      h.update('orders', {
        orders: [{
          orderId: id, clientOrderId: 'x', symbol: 'BTC-USD', side: 'BUY', orderType: 'LIMIT', status: 'DENIED', quantity: '60', price: '29000',
          cumQty: '0', leavesQty: '0', reason: 'MAX_ORDER_QTY_EXCEEDED', text: 'quantity=60, max=50', seq: 1,
        }],
      }),
    );
    const s = await screen.findByTestId('order-status');
    await waitFor(() => expect(s).toHaveAttribute('data-status', 'DENIED'));
    expect(s).toHaveTextContent('The quantity is above your per-order limit. (quantity=60, max=50)');
  });

  it('keeps prices on the tick and quantities on the lot before sending', async () => {
    const user = userEvent.setup();
    const h = await setup();
    await user.type(screen.getByLabelText('Price (USD)'), '30000.005');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '0.000001{Enter}');
    expect(screen.getByText('Price must be a multiple of the tick 0.01.')).toBeInTheDocument();
    expect(screen.getByText('Quantity must be a multiple of 0.00001.')).toBeInTheDocument();
    expect(document.querySelector('button[type=submit]')).toBeDisabled();
    expect(h.calls('POST', '/api/orders')).toHaveLength(0);
  });

  it('sells reserve the base asset and show stop fields for stop orders', async () => {
    const user = userEvent.setup();
    await setup();
    await user.click(screen.getByRole('button', { name: 'Sell BTC', pressed: false }));
    await user.selectOptions(screen.getByLabelText('Type'), 'STOP_LIMIT');
    expect(screen.getByLabelText('Stop price (USD)')).toBeInTheDocument();
    await user.type(screen.getByLabelText('Price (USD)'), '28000');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '2');
    expect(screen.getByTestId('est-reserve')).toHaveTextContent('2.00000 BTC');
  });

  it('steps price by the tick and quantity by the lot with the arrow keys', async () => {
    const user = userEvent.setup();
    await setup();
    const price = screen.getByLabelText('Price (USD)');
    await user.type(price, '100.5');
    await user.type(price, '{ArrowUp}{ArrowUp}');
    expect(price).toHaveValue('100.52');
    await user.type(price, '{ArrowDown}');
    expect(price).toHaveValue('100.51');
    const qty = screen.getByLabelText('Quantity (BTC)');
    await user.type(qty, '{ArrowUp}');
    expect(qty).toHaveValue('0.00001');
  });
});
