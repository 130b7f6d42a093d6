import { useSteps, useTrades } from '../../api';
import { Panel } from '../../components/Panel';
import { LoadableView } from '../../components/LoadableView';
import { formatPrice, formatQty } from '../../lib/decimal';
import { sideClass, timeOf } from '../../components/format';

/** RecentTrades: the market's last trades, newest first, coloured by the taker's side. */
export function RecentTrades({ symbol }: { symbol: string }) {
  const trades = useTrades(symbol);
  const { tick, lot } = useSteps(symbol);
  return (
    <Panel title="Recent trades" testId="recent-trades" className="trades-panel">
      <LoadableView value={trades}>
        {(ts) =>
          ts.length === 0 ? (
            <div className="muted pad">No trades yet.</div>
          ) : (
            <table className="compact">
              <thead>
                <tr>
                  <th>Price</th>
                  <th className="num">Size</th>
                  <th className="num">Time</th>
                </tr>
              </thead>
              <tbody>
                {ts.slice(0, 30).map((t, i) => (
                  <tr key={`${t.timestamp}-${i}`}>
                    <td className={sideClass(t.side)}>{formatPrice(t.price, tick)}</td>
                    <td className="num">{formatQty(t.size, lot)}</td>
                    <td className="num muted">{timeOf(t.timestamp)}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          )
        }
      </LoadableView>
    </Panel>
  );
}
