import { useEffect, useMemo, useRef, useState, type FormEvent, type KeyboardEvent } from 'react';
import {
  ApiFailure,
  errorText,
  useBalances,
  useExecutions,
  useInstrument,
  useOrders,
  usePlaceOrder,
  useSteps,
  useTicker,
  type NewOrder,
  type OrderType,
  type Side,
  type TimeInForce,
} from '../../api';
import { Panel } from '../../components/Panel';
import { titleCase } from '../../components/format';
import { add, cmp, decimalsOf, formatAmount, formatQty, isDecimal, isMultipleOf, isZero, mul, roundToStep, sub } from '../../lib/decimal';
import { dataOf } from '../../lib/loadable';
import { describe } from '../../lib/errors';
import { newIdempotencyKey } from '../../lib/ids';

/** The venue's taker fee rate; buys reserve notional × (1 + fee) (docs/errors.md, INSUFFICIENT_BALANCE). */
export const TAKER_FEE = '0.002';

const TYPES: { v: OrderType; label: string }[] = [
  { v: 'LIMIT', label: 'Limit' },
  { v: 'MARKET', label: 'Market' },
  { v: 'STOP_LIMIT', label: 'Stop limit' },
  { v: 'STOP_MARKET', label: 'Stop market' },
];

const TIFS: { v: TimeInForce; label: string }[] = [
  { v: 'GTC', label: 'Good till canceled' },
  { v: 'IOC', label: 'Immediate or cancel' },
  { v: 'FOK', label: 'Fill or kill' },
  { v: 'GTD', label: 'Good till date' },
];

interface Fields {
  side: Side;
  orderType: OrderType;
  quantity: string;
  price: string;
  stopPrice: string;
  timeInForce: TimeInForce;
  expireTime: string; // datetime-local
  postOnly: boolean;
  reduceOnly: boolean;
}

const initial: Fields = {
  side: 'BUY',
  orderType: 'LIMIT',
  quantity: '',
  price: '',
  stopPrice: '',
  timeInForce: 'GTC',
  expireTime: '',
  postOnly: false,
  reduceOnly: false,
};

interface Placed {
  orderId: string;
  clientOrderId?: string;
}

/**
 * OrderForm places one order. Enter submits from any field. Each logical order gets a new idempotency key;
 * a retry of the same order (network error, 5xx, request in flight) reuses it, so a retry can never place
 * the order twice. Any edit makes it a new logical order.
 */
export function OrderForm({ symbol, pickedPrice }: { symbol: string; pickedPrice?: { price: string; at: number } | undefined }) {
  const [f, setF] = useState<Fields>(initial);
  const [error, setError] = useState<string | null>(null);
  const [placed, setPlaced] = useState<Placed | null>(null);
  const keyRef = useRef<string | null>(null);
  const inst = useInstrument(symbol);
  const { tick, lot, base, quote } = useSteps(symbol);
  const ticker = dataOf(useTicker(symbol));
  const balances = dataOf(useBalances());
  const place = usePlaceOrder();

  useEffect(() => {
    if (pickedPrice) edit({ price: pickedPrice.price });
  }, [pickedPrice]);

  useEffect(() => {
    keyRef.current = null;
    setPlaced(null);
    setError(null);
  }, [symbol]);

  /** ArrowUp / ArrowDown step a price by the tick and a quantity by the lot. */
  function stepper(field: 'price' | 'stopPrice' | 'quantity', step: string) {
    return (e: KeyboardEvent<HTMLInputElement>) => {
      if (e.key !== 'ArrowUp' && e.key !== 'ArrowDown') return;
      e.preventDefault();
      const cur = isDecimal(f[field]) ? f[field] : field === 'quantity' ? '0' : (ticker?.last ?? '0');
      const next = e.key === 'ArrowUp' ? add(cur, step) : sub(cur, step);
      if (cmp(next, '0') > 0) edit({ [field]: roundToStep(next, step) });
    };
  }

  function edit(p: Partial<Fields>) {
    keyRef.current = null; // a changed order is a new logical order
    setError(null);
    setF((o) => ({ ...o, ...p }));
  }

  const needsPrice = f.orderType === 'LIMIT' || f.orderType === 'STOP_LIMIT';
  const needsStop = f.orderType === 'STOP_LIMIT' || f.orderType === 'STOP_MARKET';
  const hasTif = needsPrice;
  const canPostOnly = f.orderType === 'LIMIT' && f.timeInForce !== 'IOC' && f.timeInForce !== 'FOK';

  // The price the notional is estimated at: the limit, else the stop, else the touch the order would take.
  const refPrice = needsPrice ? f.price : needsStop ? f.stopPrice : f.side === 'BUY' ? ticker?.ask : ticker?.bid;
  const qtyOk = isDecimal(f.quantity) && !isZero(f.quantity);
  const notional = qtyOk && refPrice && isDecimal(refPrice) ? mul(f.quantity, refPrice) : undefined;
  const reserve = notional ? (f.side === 'BUY' ? add(notional, mul(notional, TAKER_FEE)) : f.quantity) : undefined;
  const reserveAsset = f.side === 'BUY' ? quote : base;
  const avail = balances?.find((b) => b.asset === reserveAsset)?.available;

  const problems = useMemo(() => {
    const p: string[] = [];
    if (f.quantity && !isDecimal(f.quantity)) p.push('Quantity must be a number.');
    else if (f.quantity && inst) {
      if (!isMultipleOf(f.quantity, inst.lotSize)) p.push(`Quantity must be a multiple of ${inst.lotSize}.`);
      if (cmp(f.quantity, inst.minQty) < 0) p.push(`Minimum quantity is ${inst.minQty} ${base}.`);
      if (cmp(f.quantity, inst.maxQty) > 0) p.push(`Maximum quantity is ${inst.maxQty} ${base}.`);
    }
    for (const [name, v, on] of [
      ['Price', f.price, needsPrice],
      ['Stop price', f.stopPrice, needsStop],
    ] as const) {
      if (!on || !v) continue;
      if (!isDecimal(v) || cmp(v, '0') <= 0) p.push(`${name} must be above zero.`);
      else if (!isMultipleOf(v, tick)) p.push(`${name} must be a multiple of the tick ${tick}.`);
    }
    if (notional && inst && cmp(notional, inst.minNotional) < 0) p.push(`Order value must be at least ${inst.minNotional} ${quote}.`);
    return p;
  }, [f, inst, tick, base, quote, needsPrice, needsStop, notional]);

  const complete = qtyOk && (!needsPrice || !!f.price) && (!needsStop || !!f.stopPrice) && (f.timeInForce !== 'GTD' || !hasTif || !!f.expireTime);

  function body(): NewOrder {
    const o: NewOrder = { symbol, side: f.side, orderType: f.orderType, quantity: f.quantity.trim() };
    if (needsPrice) o.price = f.price.trim();
    if (needsStop) o.stopPrice = f.stopPrice.trim();
    if (hasTif) o.timeInForce = f.timeInForce;
    if (hasTif && f.timeInForce === 'GTD') o.expireTime = new Date(f.expireTime).toISOString();
    if (canPostOnly && f.postOnly) o.postOnly = true;
    if (f.reduceOnly) o.reduceOnly = true;
    return o;
  }

  async function submit(e?: FormEvent) {
    e?.preventDefault();
    if (!complete || problems.length > 0 || place.isPending) return;
    const key = keyRef.current ?? newIdempotencyKey();
    keyRef.current = key;
    setError(null);
    const order = body();
    for (let attempt = 0; ; attempt++) {
      try {
        const ack = await place.mutateAsync({ order, idempotencyKey: key });
        keyRef.current = null; // placed: the next submit is a new order
        setPlaced({ orderId: ack.orderId, ...(ack.clientOrderId ? { clientOrderId: ack.clientOrderId } : {}) });
        return;
      } catch (err) {
        if (err instanceof ApiFailure && err.code === 'REQUEST_IN_FLIGHT' && attempt < 5) {
          await new Promise((r) => setTimeout(r, 300 * (attempt + 1)));
          continue; // same key: the gateway answers with the first request's outcome
        }
        const retry = err instanceof ApiFailure && err.retryable;
        if (!retry) keyRef.current = null;
        setError(errorText(err) + (retry ? ' Press Enter to retry: it cannot place the order twice.' : ''));
        return;
      }
    }
  }

  const buy = f.side === 'BUY';
  return (
    <Panel title="Place order" testId="order-form" className="form-panel">
      <form className="order-form" onSubmit={submit} aria-label="Order entry" noValidate>
        <div className="seg side" role="group" aria-label="Side">
          <button type="button" className={buy ? 'on buy' : ''} aria-pressed={buy} onClick={() => edit({ side: 'BUY' })}>
            Buy {base}
          </button>
          <button type="button" className={!buy ? 'on sell' : ''} aria-pressed={!buy} onClick={() => edit({ side: 'SELL' })}>
            Sell {base}
          </button>
        </div>
        <label>
          Type
          <select value={f.orderType} onChange={(e) => edit({ orderType: e.target.value as OrderType })} name="orderType">
            {TYPES.map((t) => (
              <option key={t.v} value={t.v}>
                {t.label}
              </option>
            ))}
          </select>
        </label>
        {needsStop && (
          <label>
            Stop price ({quote})
            <input name="stopPrice" inputMode="decimal" step={tick} value={f.stopPrice} placeholder={tick} autoComplete="off" onChange={(e) => edit({ stopPrice: e.target.value })} onKeyDown={stepper('stopPrice', tick)} />
          </label>
        )}
        {needsPrice && (
          <label>
            Price ({quote})
            <input name="price" inputMode="decimal" step={tick} value={f.price} placeholder={`tick ${tick}`} autoComplete="off" onChange={(e) => edit({ price: e.target.value })} onKeyDown={stepper('price', tick)} />
          </label>
        )}
        <label>
          Quantity ({base})
          <input name="quantity" inputMode="decimal" step={lot} value={f.quantity} placeholder={`lot ${lot}`} autoComplete="off" onChange={(e) => edit({ quantity: e.target.value })} onKeyDown={stepper('quantity', lot)} />
        </label>
        {hasTif && (
          <label>
            Time in force
            <select name="timeInForce" value={f.timeInForce} onChange={(e) => edit({ timeInForce: e.target.value as TimeInForce })}>
              {TIFS.map((t) => (
                <option key={t.v} value={t.v}>
                  {t.label}
                </option>
              ))}
            </select>
          </label>
        )}
        {hasTif && f.timeInForce === 'GTD' && (
          <label>
            Expires at
            <input name="expireTime" type="datetime-local" value={f.expireTime} onChange={(e) => edit({ expireTime: e.target.value })} />
          </label>
        )}
        <div className="checks">
          {canPostOnly && (
            <label className="check">
              <input type="checkbox" name="postOnly" checked={f.postOnly} onChange={(e) => edit({ postOnly: e.target.checked })} /> Post only
            </label>
          )}
          <label className="check">
            <input type="checkbox" name="reduceOnly" checked={f.reduceOnly} onChange={(e) => edit({ reduceOnly: e.target.checked })} /> Reduce only
          </label>
        </div>
        <p className="muted small hint">Enter places the order · ↑/↓ step price by the tick and quantity by the lot</p>
        <dl className="estimate">
          <dt>Est. notional</dt>
          <dd data-testid="est-notional">{notional ? `${formatAmount(notional, decimalsOf(tick))} ${quote}` : '—'}</dd>
          <dt>Reserves</dt>
          <dd data-testid="est-reserve">
            {reserve ? (buy ? `${formatAmount(reserve, decimalsOf(tick))} ${quote}` : `${formatQty(reserve, lot)} ${base}`) : '—'}
            {buy && reserve ? <span className="muted small" title={`includes the ${Number(TAKER_FEE) * 100}% taker fee`}> +fee</span> : null}
          </dd>
          <dt>Available</dt>
          <dd className={avail && reserve && cmp(reserve, avail) > 0 ? 'down' : ''}>{avail ? `${formatAmount(avail, buy ? 2 : decimalsOf(lot))} ${reserveAsset}` : '—'}</dd>
        </dl>
        {problems.length > 0 && (
          <ul className="problems" role="alert">
            {problems.map((p) => (
              <li key={p}>{p}</li>
            ))}
          </ul>
        )}
        <button type="submit" className={`submit ${buy ? 'buy' : 'sell'}`} disabled={!complete || problems.length > 0 || place.isPending}>
          {place.isPending ? 'Placing…' : `${buy ? 'Buy' : 'Sell'} ${base}`}
        </button>
        {error && (
          <div className="error" role="alert" data-testid="order-error">
            {error}
          </div>
        )}
        {placed && <PlacedStatus placed={placed} />}
      </form>
    </Panel>
  );
}

/** PlacedStatus follows the last placed order through the streams: accepted, filled, or why it was refused. */
function PlacedStatus({ placed }: { placed: Placed }) {
  const orders = dataOf(useOrders());
  const execs = dataOf(useExecutions());
  const o = orders?.find((x) => x.orderId === placed.orderId);
  const r = execs?.find((x) => x.orderId === placed.orderId && x.execType !== 'CANCEL_REJECTED' && x.execType !== 'REPLACE_REJECTED');
  const status = o?.status ?? r?.status ?? 'PENDING_NEW';
  const reason = o?.reason || r?.reason;
  const text = o?.text || r?.text;
  const bad = status === 'DENIED' || status === 'REJECTED';
  return (
    <div className={`placed ${bad ? 'error' : ''}`} role="status" data-testid="order-status" data-status={status} data-order-id={placed.orderId}>
      <strong>{titleCase(status)}</strong>
      {bad || status === 'EXPIRED' ? <span> — {describe(reason, text)}</span> : <span className="muted small"> order {placed.orderId.slice(0, 8)}…</span>}
    </div>
  );
}
