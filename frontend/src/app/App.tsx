import { useState, type ReactNode } from 'react';
import { OPEN_STATUSES, useAdminAccess, useConnectionStatus, useInstruments, useOrders, usePositions } from '../api';
import { isZero } from '../lib/decimal';
import { ConnectionIndicator } from '../components/ConnectionIndicator';
import { Panel } from '../components/Panel';
import { dataOf } from '../lib/loadable';
import { CandleChart } from '../features/market/CandleChart';
import { OrderBook } from '../features/market/OrderBook';
import { RecentTrades } from '../features/market/RecentTrades';
import { TickerStrip } from '../features/market/TickerStrip';
import { OrderForm } from '../features/orders/OrderForm';
import { OpenOrders } from '../features/orders/OpenOrders';
import { OrderHistory } from '../features/orders/OrderHistory';
import { Fills } from '../features/orders/Fills';
import { Positions } from '../features/account/Positions';
import { Balances } from '../features/account/Balances';
import { AdminPanel } from '../features/admin/AdminPanel';
import { AccountMenu } from '../features/session/AccountMenu';

type Tab = 'open' | 'history' | 'fills' | 'positions';

/** App composes the features; features never import each other (cross-feature wiring happens here). */
export function App() {
  const instruments = dataOf(useInstruments());
  const [symbol, setSymbol] = useState('BTC-USD');
  const [picked, setPicked] = useState<{ price: string; at: number }>();
  const status = useConnectionStatus();
  const { isAdmin } = useAdminAccess();
  const [view, setView] = useState<'trade' | 'operator'>('trade');
  const symbols = instruments?.map((i) => i.symbol) ?? ['BTC-USD', 'ETH-USD', 'SOL-USD'];
  const operator = isAdmin && view === 'operator';

  return (
    <div className="app">
      <header className="topbar">
        <div className="brand">crypto-oms</div>
        <label className="market-select">
          <span className="sr-only">Market</span>
          <select value={symbol} onChange={(e) => setSymbol(e.target.value)} aria-label="Market" data-testid="market-select">
            {symbols.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </select>
        </label>
        <TickerStrip symbol={symbol} />
        {isAdmin && (
          <span className="seg view-switch" role="group" aria-label="View">
            <button type="button" className={operator ? '' : 'on'} aria-pressed={!operator} onClick={() => setView('trade')} data-testid="view-trade">
              Trade
            </button>
            <button type="button" className={operator ? 'on' : ''} aria-pressed={operator} onClick={() => setView('operator')} data-testid="view-operator">
              Operator
            </button>
          </span>
        )}
        <ConnectionIndicator status={status} />
        <AccountMenu />
      </header>
      {operator ? (
        <main className="admin-main">
          <AdminPanel symbol={symbol} />
        </main>
      ) : (
        <main className="grid">
          <div className="area-chart">
            <CandleChart symbol={symbol} />
          </div>
          <div className="area-book">
            <OrderBook symbol={symbol} onPickPrice={(price) => setPicked({ price, at: Date.now() })} />
          </div>
          <div className="area-trades">
            <RecentTrades symbol={symbol} />
          </div>
          <div className="area-form">
            <OrderForm symbol={symbol} pickedPrice={picked} />
            <Panel title="Balances" testId="balances-panel">
              <Balances />
            </Panel>
          </div>
          <div className="area-orders">
            <OrdersTabs />
          </div>
        </main>
      )}
    </div>
  );
}

function OrdersTabs() {
  const [tab, setTab] = useState<Tab>('open');
  const orders = dataOf(useOrders());
  const nOpen = orders?.filter((o) => OPEN_STATUSES.has(o.status)).length;
  const nPos = dataOf(usePositions())?.filter((p) => !isZero(p.quantity)).length;
  const tabs: { id: Tab; label: ReactNode }[] = [
    { id: 'open', label: `Open orders${nOpen ? ` (${nOpen})` : ''}` },
    { id: 'history', label: 'Order history' },
    { id: 'fills', label: 'Fills' },
    { id: 'positions', label: `Positions${nPos ? ` (${nPos})` : ''}` },
  ];
  return (
    <Panel
      title={
        <span className="tabs" role="tablist" aria-label="Orders">
          {tabs.map((t) => (
            <button key={t.id} type="button" role="tab" aria-selected={tab === t.id} className={tab === t.id ? 'on' : ''} onClick={() => setTab(t.id)} data-testid={`tab-${t.id}`}>
              {t.label}
            </button>
          ))}
        </span>
      }
      className="orders-panel"
      testId="orders-panel"
    >
      {tab === 'open' ? <OpenOrders /> : tab === 'history' ? <OrderHistory /> : tab === 'fills' ? <Fills /> : <Positions />}
    </Panel>
  );
}
