import { OPEN_STATUSES, useOrders, useStepsLookup } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { sideClass, timeOf, titleCase } from '../../components/format';
import { formatPrice, formatQty } from '../../lib/decimal';
import { describe } from '../../lib/errors';
import { mapLoadable } from '../../lib/loadable';

/** OrderHistory: closed orders, newest first, with the reason in words when the exchange refused one. */
export function OrderHistory() {
  const closed = mapLoadable(useOrders(), (os) =>
    os.filter((o) => !OPEN_STATUSES.has(o.status)).sort((a, b) => ((a.updatedAt ?? '') < (b.updatedAt ?? '') ? 1 : -1)),
  );
  const steps = useStepsLookup();
  return (
    <div data-testid="order-history">
      <LoadableView value={closed}>
        {(os) =>
          os.length === 0 ? (
            <div className="muted pad">No closed orders yet.</div>
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
                    <tr key={o.orderId} data-order-id={o.orderId}>
                      <td className="muted">{timeOf(o.updatedAt ?? o.createdAt)}</td>
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
    </div>
  );
}
