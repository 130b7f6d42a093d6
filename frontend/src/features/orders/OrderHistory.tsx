import { useState } from 'react';
import { useOrderHistory, useStepsLookup, type HistoryFilter } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { LoadMore } from '../../components/LoadMore';
import { sideClass, stampOf, titleCase } from '../../components/format';
import { formatPrice, formatQty } from '../../lib/decimal';
import { describe } from '../../lib/errors';

const filters: { id: HistoryFilter; label: string }[] = [
  { id: 'CLOSED', label: 'All closed' },
  { id: 'FILLED', label: 'Filled' },
  { id: 'CANCELED', label: 'Canceled' },
  { id: 'DENIED', label: 'Denied' },
  { id: 'REJECTED', label: 'Rejected' },
  { id: 'EXPIRED', label: 'Expired' },
];

/**
 * OrderHistory: closed orders, newest first, with the reason in words when the exchange refused one.
 * Older orders come page by page from order-query; an order closing now appears at once from the stream.
 */
export function OrderHistory() {
  const [filter, setFilter] = useState<HistoryFilter>('CLOSED');
  const h = useOrderHistory(filter);
  const steps = useStepsLookup();
  return (
    <div data-testid="order-history">
      <div className="toolbar">
        <label>
          Status{' '}
          <select value={filter} onChange={(e) => setFilter(e.target.value as HistoryFilter)} aria-label="Status filter">
            {filters.map((f) => (
              <option key={f.id} value={f.id}>
                {f.label}
              </option>
            ))}
          </select>
        </label>
      </div>
      <LoadableView value={h.rows}>
        {(os) =>
          os.length === 0 ? (
            <div className="muted pad">{filter === 'CLOSED' ? 'No closed orders yet.' : `No ${titleCase(filter).toLowerCase()} orders.`}</div>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Market</th>
                  <th>Side</th>
                  <th>Type</th>
                  <th className="num">Price</th>
                  <th className="num">Quantity</th>
                  <th className="num">Filled</th>
                  <th className="num">Avg price</th>
                  <th>Status</th>
                  <th>Reason</th>
                </tr>
              </thead>
              <tbody>
                {os.map((o) => {
                  const s = steps(o.symbol);
                  const bad = o.status === 'DENIED' || o.status === 'REJECTED';
                  return (
                    <tr key={o.orderId} data-testid="history-row" data-order-id={o.orderId}>
                      <td className="muted">{stampOf(o.updatedAt || o.createdAt)}</td>
                      <td>{o.symbol}</td>
                      <td className={sideClass(o.side)}>{titleCase(o.side)}</td>
                      <td>{titleCase(o.orderType)}</td>
                      <td className="num">{formatPrice(o.price, s.tick)}</td>
                      <td className="num">{formatQty(o.quantity, s.lot)}</td>
                      <td className="num">{formatQty(o.cumQty, s.lot)}</td>
                      <td className="num">{formatPrice(o.avgPrice, s.tick)}</td>
                      <td className={bad ? 'down' : ''}>{titleCase(o.status)}</td>
                      <td className="reason">{o.reason ? describe(o.reason, o.text) : ''}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </LoadableView>
      <LoadMore hasMore={h.hasMore} loading={h.loadingMore} onMore={h.loadMore} onRetry={h.retry} error={h.olderError} what="orders" />
    </div>
  );
}
