import { useState, type KeyboardEvent } from 'react';
import { errorText, OPEN_STATUSES, useAmendOrder, useCancelAll, useCancelOrder, useOrders, useStepsLookup, type Order } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { sideClass, timeOf, titleCase } from '../../components/format';
import { formatPrice, formatQty } from '../../lib/decimal';
import { mapLoadable } from '../../lib/loadable';

/** OpenOrders lists working orders with cancel and in-place amend (price and quantity). */
export function OpenOrders() {
  const orders = mapLoadable(useOrders(), (os) => os.filter((o) => OPEN_STATUSES.has(o.status)));
  const cancelAll = useCancelAll();
  const [msg, setMsg] = useState<string | null>(null);
  return (
    <div data-testid="open-orders">
      <LoadableView value={orders}>
        {(os) =>
          os.length === 0 ? (
            <div className="muted pad">No open orders.</div>
          ) : (
            <>
              <table>
                <thead>
                  <tr>
                    <th>Time</th>
                    <th>Market</th>
                    <th>Side</th>
                    <th>Type</th>
                    <th className="num">Price</th>
                    <th className="num">Stop</th>
                    <th className="num">Quantity</th>
                    <th className="num">Filled</th>
                    <th>Status</th>
                    <th className="num">
                      <button type="button" className="link danger" onClick={() => cancelAll.mutate(undefined, { onError: (e) => setMsg(errorText(e)) })}>
                        Cancel all
                      </button>
                    </th>
                  </tr>
                </thead>
                <tbody>
                  {os.map((o) => (
                    <OpenOrderRow key={o.orderId} o={o} onError={setMsg} />
                  ))}
                </tbody>
              </table>
            </>
          )
        }
      </LoadableView>
      {msg && (
        <div className="error pad" role="alert">
          {msg}
        </div>
      )}
    </div>
  );
}

function OpenOrderRow({ o, onError }: { o: Order; onError: (m: string) => void }) {
  const steps = useStepsLookup()(o.symbol);
  const cancel = useCancelOrder();
  const amend = useAmendOrder();
  const [editing, setEditing] = useState(false);
  const [price, setPrice] = useState(o.price ?? '');
  const [qty, setQty] = useState(o.quantity);
  const pending = o.status === 'PENDING_CANCEL' || cancel.isPending;

  function save() {
    const a: { price?: string; quantity?: string } = {};
    if (o.price && price && price !== o.price) a.price = price.trim();
    if (qty && qty !== o.quantity) a.quantity = qty.trim();
    if (!a.price && !a.quantity) {
      setEditing(false);
      return;
    }
    amend.mutate({ orderId: o.orderId, amend: a }, { onSuccess: () => setEditing(false), onError: (e) => onError(errorText(e)) });
  }
  function keys(e: KeyboardEvent) {
    if (e.key === 'Enter') {
      e.preventDefault();
      save();
    } else if (e.key === 'Escape') setEditing(false);
  }

  return (
    <tr data-order-id={o.orderId} data-testid="open-order-row">
      <td className="muted">{timeOf(o.createdAt)}</td>
      <td>{o.symbol}</td>
      <td className={sideClass(o.side)}>{titleCase(o.side)}</td>
      <td>{titleCase(o.orderType)}</td>
      <td className="num" data-testid="order-price">
        {editing && o.price ? (
          <input aria-label="New price" className="inline" value={price} step={steps.tick} inputMode="decimal" onChange={(e) => setPrice(e.target.value)} onKeyDown={keys} autoFocus />
        ) : (
          formatPrice(o.price, steps.tick)
        )}
      </td>
      <td className="num">{o.stopPrice ? formatPrice(o.stopPrice, steps.tick) : '—'}</td>
      <td className="num" data-testid="order-qty">
        {editing ? (
          <input aria-label="New quantity" className="inline" value={qty} step={steps.lot} inputMode="decimal" onChange={(e) => setQty(e.target.value)} onKeyDown={keys} autoFocus={!o.price} />
        ) : (
          formatQty(o.quantity, steps.lot)
        )}
      </td>
      <td className="num">{formatQty(o.cumQty, steps.lot)}</td>
      <td>{titleCase(o.status)}</td>
      <td className="num actions">
        {editing ? (
          <>
            <button type="button" className="link" onClick={save} disabled={amend.isPending}>
              Save
            </button>
            <button type="button" className="link" onClick={() => setEditing(false)}>
              Discard
            </button>
          </>
        ) : (
          <>
            <button
              type="button"
              className="link"
              disabled={pending}
              onClick={() => {
                setPrice(o.price ?? '');
                setQty(o.quantity);
                setEditing(true);
              }}
            >
              Amend
            </button>
            <button type="button" className="link danger" disabled={pending} onClick={() => cancel.mutate(o.orderId, { onError: (e) => onError(errorText(e)) })}>
              {pending ? 'Canceling…' : 'Cancel'}
            </button>
          </>
        )}
      </td>
    </tr>
  );
}
