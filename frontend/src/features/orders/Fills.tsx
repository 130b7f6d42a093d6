import { useExecutions, useStepsLookup } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { sideClass, timeOf, titleCase } from '../../components/format';
import { formatAmount, formatPrice, formatQty } from '../../lib/decimal';
import { mapLoadable } from '../../lib/loadable';

/** Fills: the account's trades (execution reports of type TRADE), newest first. */
export function Fills() {
  const fills = mapLoadable(useExecutions(), (rs) => rs.filter((r) => r.execType === 'TRADE'));
  const steps = useStepsLookup();
  return (
    <div data-testid="fills">
      <LoadableView value={fills}>
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
                {fs.map((r) => {
                  const s = steps(r.symbol);
                  return (
                    <tr key={r.execId} data-testid="fill-row" data-order-id={r.orderId}>
                      <td className="muted">{timeOf(r.transactTime)}</td>
                      <td>{r.symbol}</td>
                      <td className={sideClass(r.side)}>{r.side ? titleCase(r.side) : '—'}</td>
                      <td className="num">{formatPrice(r.lastPrice, s.tick)}</td>
                      <td className="num">{formatQty(r.lastQty, s.lot)}</td>
                      <td className="num">
                        {r.fee ? `${formatAmount(r.fee, 4)} ${r.feeAsset ?? ''}` : '—'}
                      </td>
                      <td>{r.liquidity ? titleCase(r.liquidity) : '—'}</td>
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
