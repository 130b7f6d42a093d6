import { useMemo } from 'react';
import { useBook, useSteps, type Level } from '../../api';
import { Panel } from '../../components/Panel';
import { LoadableView } from '../../components/LoadableView';
import { formatPrice, formatQty, sub, toNumber, cmp } from '../../lib/decimal';

const DEPTH = 10;

interface Row {
  price: string;
  size: string;
  cum: number;
}

function withCum(levels: Level[]): Row[] {
  let c = 0;
  return levels.slice(0, DEPTH).map(([price, size]) => {
    c += toNumber(size);
    return { price, size, cum: c };
  });
}

/** OrderBook: asks above, bids below, spread between; bars show cumulative depth. Click a price to use it. */
export function OrderBook({ symbol, onPickPrice }: { symbol: string; onPickPrice?: (price: string) => void }) {
  const book = useBook(symbol, DEPTH);
  const { tick, lot } = useSteps(symbol);
  return (
    <Panel title="Order book" testId="order-book" className="book-panel">
      <LoadableView value={book}>
        {(b) => <BookTable bids={b.bids} asks={b.asks} tick={tick} lot={lot} {...(onPickPrice ? { onPickPrice } : {})} />}
      </LoadableView>
    </Panel>
  );
}

function BookTable(p: { bids: Level[]; asks: Level[]; tick: string; lot: string; onPickPrice?: (price: string) => void }) {
  const { bids, asks, max, spread } = useMemo(() => {
    const bids = withCum(p.bids);
    const asks = withCum(p.asks);
    const max = Math.max(bids[bids.length - 1]?.cum ?? 0, asks[asks.length - 1]?.cum ?? 0) || 1;
    const bb = p.bids[0]?.[0];
    const ba = p.asks[0]?.[0];
    const spread = bb && ba && cmp(ba, bb) >= 0 ? sub(ba, bb) : undefined;
    return { bids, asks, max, spread };
  }, [p.bids, p.asks]);
  const row = (r: Row, side: 'bid' | 'ask') => (
    <tr
      key={`${side}${r.price}`}
      className={`book-row ${side}`}
      onClick={() => p.onPickPrice?.(r.price)}
      style={{ ['--depth' as string]: `${Math.min(100, (r.cum / max) * 100).toFixed(1)}%` }}
      title="Use this price"
    >
      <td className={side === 'bid' ? 'up' : 'down'}>{formatPrice(r.price, p.tick)}</td>
      <td className="num">{formatQty(r.size, p.lot)}</td>
    </tr>
  );
  return (
    <table className="book">
      <thead>
        <tr>
          <th>Price</th>
          <th className="num">Size</th>
        </tr>
      </thead>
      <tbody>
        {[...asks].reverse().map((r) => row(r, 'ask'))}
        <tr className="spread">
          <td colSpan={2} data-testid="spread">
            Spread {spread ? formatPrice(spread, p.tick) : '—'}
          </td>
        </tr>
        {bids.map((r) => row(r, 'bid'))}
      </tbody>
    </table>
  );
}
