import { usePositions, useStepsLookup } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { signClass } from '../../components/format';
import { formatAmount, formatPrice, formatQty, isZero } from '../../lib/decimal';

/** Positions with live mark price and P&L (the positions channel revalues them as the market moves). */
export function Positions() {
  const positions = usePositions();
  const steps = useStepsLookup();
  return (
    <div data-testid="positions">
      <LoadableView value={positions}>
        {(ps) => {
          const open = ps.filter((p) => !isZero(p.quantity) || !isZero(p.realizedPnl));
          return open.length === 0 ? (
            <div className="muted pad">No positions.</div>
          ) : (
            <table>
              <thead>
                <tr>
                  <th>Market</th>
                  <th className="num">Size</th>
                  <th className="num">Entry</th>
                  <th className="num">Mark</th>
                  <th className="num">Unrealized P&amp;L</th>
                  <th className="num">Realized P&amp;L</th>
                </tr>
              </thead>
              <tbody>
                {open.map((p) => {
                  const s = steps(p.symbol);
                  return (
                    <tr key={p.symbol} data-testid="position-row" data-symbol={p.symbol}>
                      <td>{p.symbol}</td>
                      <td className={`num ${signClass(p.quantity)}`}>{formatQty(p.quantity, s.lot)}</td>
                      <td className="num">{formatPrice(p.avgEntryPrice, s.tick)}</td>
                      <td className="num">{formatPrice(p.markPrice, s.tick)}</td>
                      <td className={`num ${signClass(p.unrealizedPnl)}`}>
                        {formatAmount(p.unrealizedPnl, 2)} {s.quote}
                      </td>
                      <td className={`num ${signClass(p.realizedPnl)}`}>
                        {formatAmount(p.realizedPnl, 2)} {s.quote}
                      </td>
                    </tr>
                  );
                })}
              </tbody>
            </table>
          );
        }}
      </LoadableView>
    </div>
  );
}
