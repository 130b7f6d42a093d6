import { useFillHistory, useStepsLookup } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { LoadMore } from '../../components/LoadMore';
import { sideClass, stampOf, titleCase } from '../../components/format';
import { formatAmount, formatPrice, formatQty } from '../../lib/decimal';

/** Fills: the account's trades, newest first; older ones page in from order-query, new ones arrive live. */
export function Fills() {
  const h = useFillHistory();
  const steps = useStepsLookup();
  return (
    <div data-testid="fills">
      <LoadableView value={h.rows}>
        {(fs) =>
          fs.length === 0 ? (
            <div className="muted pad">No fills yet.</div>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Time</th>
                  <th>Market</th>
                  <th>Side</th>
                  <th className="num">Price</th>
                  <th className="num">Quantity</th>
                  <th className="num">Fee</th>
                  <th>Liquidity</th>
                </tr>
              </thead>
              <tbody>
                {fs.map((f) => {
                  const s = steps(f.symbol);
                  return (
                    <tr key={f.execId} data-testid="fill-row" data-order-id={f.orderId}>
                      <td className="muted">{stampOf(f.time)}</td>
                      <td>{f.symbol}</td>
                      <td className={sideClass(f.side)}>{f.side ? titleCase(f.side) : '—'}</td>
                      <td className="num">{formatPrice(f.price, s.tick)}</td>
                      <td className="num">{formatQty(f.quantity, s.lot)}</td>
                      <td className="num">{f.fee ? `${formatAmount(f.fee, 4)} ${f.feeAsset ?? ''}` : '—'}</td>
                      <td>{f.liquidity ? titleCase(f.liquidity) : '—'}</td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          )
        }
      </LoadableView>
      <LoadMore hasMore={h.hasMore} loading={h.loadingMore} onMore={h.loadMore} onRetry={h.retry} error={h.olderError} what="fills" />
    </div>
  );
}
