import { useEffect, useRef, useState } from 'react';
import {
  CandlestickSeries,
  ColorType,
  createChart,
  HistogramSeries,
  type IChartApi,
  type ISeriesApi,
  type UTCTimestamp,
} from 'lightweight-charts';
import { CANDLE_INTERVALS, useCandles, useSteps, type Candle, type CandleInterval } from '../../api';
import { Panel } from '../../components/Panel';
import { decimalsOf, toNumber } from '../../lib/decimal';

const UP = '#16c784';
const DOWN = '#ea3943';

function bar(c: Candle) {
  return {
    time: Math.floor(Date.parse(c.time) / 1000) as UTCTimestamp,
    open: toNumber(c.open),
    high: toNumber(c.high),
    low: toNumber(c.low),
    close: toNumber(c.close),
  };
}

function vol(c: Candle) {
  const up = toNumber(c.close) >= toNumber(c.open);
  return { time: Math.floor(Date.parse(c.time) / 1000) as UTCTimestamp, value: toNumber(c.volume), color: up ? `${UP}55` : `${DOWN}55` };
}

/** CandleChart: lightweight-charts candles with an interval switch; the live candle updates in place. */
export function CandleChart({ symbol }: { symbol: string }) {
  const [interval, setInterval] = useState<CandleInterval>('1m');
  const candles = useCandles(symbol, interval);
  const { tick } = useSteps(symbol);
  const host = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const volume = useRef<ISeriesApi<'Histogram'> | null>(null);
  const drawn = useRef<{ snapshotNo: number; count: number } | null>(null);

  useEffect(() => {
    if (!host.current) return;
    const c = createChart(host.current, {
      autoSize: true,
      layout: { background: { type: ColorType.Solid, color: 'transparent' }, textColor: '#9aa4b2', attributionLogo: false },
      grid: { vertLines: { color: '#1f2633' }, horzLines: { color: '#1f2633' } },
      rightPriceScale: { borderColor: '#2a3342' },
      timeScale: { borderColor: '#2a3342', timeVisible: true, secondsVisible: false, barSpacing: 8, rightOffset: 4 },
      crosshair: { mode: 0 },
    });
    series.current = c.addSeries(CandlestickSeries, {
      upColor: UP,
      downColor: DOWN,
      borderUpColor: UP,
      borderDownColor: DOWN,
      wickUpColor: UP,
      wickDownColor: DOWN,
    });
    volume.current = c.addSeries(HistogramSeries, { priceScaleId: 'vol', priceFormat: { type: 'volume' }, lastValueVisible: false, priceLineVisible: false });
    c.priceScale('vol').applyOptions({ scaleMargins: { top: 0.8, bottom: 0 } });
    chart.current = c;
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
      volume.current = null;
      drawn.current = null;
    };
  }, []);

  useEffect(() => {
    series.current?.applyOptions({ priceFormat: { type: 'price', precision: decimalsOf(tick), minMove: toNumber(tick) } });
  }, [tick]);

  useEffect(() => {
    drawn.current = null; // new symbol or interval: the next data is a full redraw
  }, [symbol, interval]);

  useEffect(() => {
    const s = series.current;
    const v = volume.current;
    if (!s || !v || candles.status !== 'ready') return;
    const { candles: list, snapshotNo } = candles.data;
    const d = drawn.current;
    const last = list[list.length - 1];
    if (d && d.snapshotNo === snapshotNo && last && list.length - d.count <= 1) {
      s.update(bar(last));
      v.update(vol(last));
    } else {
      s.setData(list.map(bar));
      v.setData(list.map(vol));
      // Fit a long history; a short one (a fresh system) keeps readable bar widths, anchored at now.
      if (!d) {
        if (list.length > 80) chart.current?.timeScale().fitContent();
        else chart.current?.timeScale().scrollToRealTime();
      }
    }
    drawn.current = { snapshotNo, count: list.length };
  }, [candles]);

  const count = candles.status === 'ready' ? candles.data.candles.length : 0;
  return (
    <Panel
      title="Chart"
      className="chart-panel"
      testId="chart"
      actions={
        <div className="seg" role="group" aria-label="Candle interval">
          {CANDLE_INTERVALS.map((i) => (
            <button key={i} type="button" className={i === interval ? 'on' : ''} aria-pressed={i === interval} onClick={() => setInterval(i)}>
              {i}
            </button>
          ))}
        </div>
      }
    >
      <div className={`chart-host ${candles.status === 'ready' && candles.stale ? 'stale' : ''}`} data-testid="chart-host" data-candles={count} data-status={candles.status}>
        <div className="chart-canvas" ref={host} />
        {candles.status === 'loading' && <div className="chart-overlay muted">Loading candles…</div>}
        {candles.status === 'error' && <div className="chart-overlay error">{candles.error}</div>}
      </div>
    </Panel>
  );
}
