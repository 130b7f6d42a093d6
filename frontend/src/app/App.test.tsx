import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it, vi } from 'vitest';
import { App } from './App';
import { FakeAdmin } from '../test/fakeAdmin';
import { renderWithData } from '../test/harness';

// lightweight-charts draws on canvas, which jsdom lacks; the browser test covers the real chart.
vi.mock('lightweight-charts', () => {
  const series = { setData: vi.fn(), update: vi.fn(), applyOptions: vi.fn() };
  const chart = { addSeries: () => series, priceScale: () => ({ applyOptions: vi.fn() }), timeScale: () => ({ fitContent: vi.fn(), scrollToRealTime: vi.fn() }), remove: vi.fn() };
  return { createChart: () => chart, CandlestickSeries: {}, HistogramSeries: {}, ColorType: { Solid: 'solid' } };
});

describe('App', () => {
  it('renders every screen from WebSocket snapshots alone and shows the connection state', async () => {
    const h = await renderWithData(<App />);
    expect(screen.getByTestId('connection-status')).toHaveAttribute('data-status', 'open');
    act(() =>
      h.snapshots((c, symbol) => {
        if (c === 'ticker') return { symbol, bid: '30000', ask: '30001.5', last: '30001', open24h: '29000', change24h: '1001', changePercent24h: '3.45', high24h: '31000', low24h: '28000', volume24h: '12.5', timestamp: '' };
        if (c === 'book') return { symbol, bids: [['30000', '1.5']], asks: [['30001.5', '2']], timestamp: '' };
        if (c === 'trades') return { symbol, trades: [{ price: '30000.5', size: '0.1', side: 'SELL', timestamp: '2026-01-01T00:00:00Z' }] };
        if (c.startsWith('candles:')) return { symbol, interval: '1m', candles: [{ time: '2026-01-01T00:00:00Z', open: '1', high: '2', low: '1', close: '2', volume: '3' }] };
        if (c === 'orders') return { orders: [] };
        if (c === 'executions') return { executions: [] };
        if (c === 'positions') return { positions: [] };
        if (c === 'balances') return { balances: [{ asset: 'USD', total: '1000000', reserved: '0', available: '1000000' }] };
        return undefined;
      }),
    );
    expect(await screen.findByTestId('ticker-last')).toHaveTextContent('30,001.00');
    expect(screen.getByTestId('ticker-ask')).toHaveTextContent('30,001.50');
    expect(screen.getByTestId('spread')).toHaveTextContent('Spread 1.50');
    expect(screen.getByText('30,000.50')).toHaveClass('down'); // a sell trade is red
    await waitFor(() => expect(screen.getByTestId('chart-host')).toHaveAttribute('data-candles', '1'));
    expect(screen.getByText('No open orders.')).toBeInTheDocument();
    expect(screen.queryByTestId('admin-panel')).toBeNull(); // whoami 404: no admin view

    act(() => h.socket.serverClose());
    expect(screen.getByTestId('connection-status')).toHaveAttribute('data-status', 'reconnecting');
    expect(screen.getByTestId('ticker')).toHaveClass('stale');
  });

  it('offers the operator view only to admin keys', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<App />, api.route);
    await user.click(await screen.findByTestId('view-operator'));
    expect(await screen.findByTestId('admin-panel')).toHaveTextContent('Halt');
    expect(screen.queryByTestId('order-form')).toBeNull();
    await user.click(screen.getByTestId('view-trade'));
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
    expect(screen.queryByTestId('admin-panel')).toBeNull();
  });

  it('has no operator view for a trading key', async () => {
    const api = new FakeAdmin();
    api.scopes = ['trade', 'read'];
    await renderWithData(<App />, api.route);
    await waitFor(() => expect(api.requests.some((r) => r.path === '/api/admin/whoami')).toBe(true));
    await screen.findByTestId('order-form');
    expect(screen.queryByTestId('view-operator')).toBeNull();
    expect(screen.queryByTestId('admin-panel')).toBeNull();
  });
});
