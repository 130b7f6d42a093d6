import { useSteps, useTicker } from '../../api';
import { formatAmount, formatPrice, formatQty } from '../../lib/decimal';
import { signClass } from '../../components/format';

/** TickerStrip: last price, 24 h change, bid/ask, high/low, volume for the selected market. */
export function TickerStrip({ symbol }: { symbol: string }) {
  const t = useTicker(symbol);
  const { tick, lot, base } = useSteps(symbol);
  if (t.status !== 'ready') {
    return <div className="ticker muted" data-testid="ticker">{t.status === 'error' ? t.error : 'Waiting for prices…'}</div>;
  }
  const d = t.data;
  const chg = signClass(d.change24h);
  return (
    <div className={`ticker ${t.stale ? 'stale' : ''}`} data-testid="ticker">
      <div className="tk tk-last">
        <span className={`big ${chg}`} data-testid="ticker-last">{formatPrice(d.last, tick)}</span>
      </div>
      <div className="tk">
        <label>24h change</label>
        <span className={chg}>
          {formatPrice(d.change24h, tick)} ({formatAmount(d.changePercent24h, 2)}%)
        </span>
      </div>
      <div className="tk">
        <label>Bid</label>
        <span className="up" data-testid="ticker-bid" data-value={d.bid}>{formatPrice(d.bid, tick)}</span>
      </div>
      <div className="tk">
        <label>Ask</label>
        <span className="down" data-testid="ticker-ask" data-value={d.ask}>{formatPrice(d.ask, tick)}</span>
      </div>
      <div className="tk hide-sm">
        <label>24h high</label>
        <span>{formatPrice(d.high24h, tick)}</span>
      </div>
      <div className="tk hide-sm">
        <label>24h low</label>
        <span>{formatPrice(d.low24h, tick)}</span>
      </div>
      <div className="tk hide-sm">
        <label>24h volume ({base})</label>
        <span>{formatQty(d.volume24h, lot)}</span>
      </div>
    </div>
  );
}
