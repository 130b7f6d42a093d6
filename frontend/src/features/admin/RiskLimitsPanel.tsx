import { useEffect, useMemo, useState } from 'react';
import { errorText, fieldOf, useInstruments, useRiskLimits, useSetRiskLimits, type RiskLimits, type RiskLimitsUpdate } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { Panel } from '../../components/Panel';
import { cmp, isDecimal, isNegative, isZero } from '../../lib/decimal';
import { dataOf } from '../../lib/loadable';
import { AccountPicker, Note, when } from './common';

type MapField = 'maxOrderQty' | 'maxPosition';
interface Form {
  maxOrderNotional: string;
  priceCollarPct: string;
  maxOpenOrders: string;
  maxOrdersPerSec: string;
  maxOrderQty: Record<string, string>;
  maxPosition: Record<string, string>;
}

function formOf(l: RiskLimits): Form {
  return {
    maxOrderNotional: l.maxOrderNotional,
    priceCollarPct: l.priceCollarPct,
    maxOpenOrders: String(l.maxOpenOrders),
    maxOrdersPerSec: String(l.maxOrdersPerSec),
    maxOrderQty: { ...l.maxOrderQty },
    maxPosition: { ...l.maxPosition },
  };
}

const positive = (v: string) => isDecimal(v) && !isZero(v) && !isNegative(v);
const MAX_COUNT = 1_000_000;
const count = (v: string) => /^\d{1,7}$/.test(v) && Number(v) <= MAX_COUNT;

/** validate checks what the admin API checks, so a typo is caught before it is sent. Keys are field paths. */
export function validate(f: Form): Record<string, string> {
  const e: Record<string, string> = {};
  if (!positive(f.maxOrderNotional.trim())) e.maxOrderNotional = 'Enter an amount above zero.';
  const c = f.priceCollarPct.trim();
  if (!isDecimal(c) || isZero(c) || isNegative(c) || cmp(c, '100') > 0) e.priceCollarPct = 'Enter a percentage above 0 and at most 100.';
  if (!count(f.maxOpenOrders.trim())) e.maxOpenOrders = 'Enter a whole number from 0 (no limit) to 1,000,000.';
  if (!count(f.maxOrdersPerSec.trim())) e.maxOrdersPerSec = 'Enter a whole number from 0 (no limit) to 1,000,000.';
  for (const m of ['maxOrderQty', 'maxPosition'] as const) {
    for (const [sym, v] of Object.entries(f[m])) if (v.trim() !== '' && !positive(v.trim())) e[`${m}.${sym}`] = 'Enter a quantity above zero, or leave it empty.';
  }
  return e;
}

function updateOf(accountId: string, f: Form): RiskLimitsUpdate {
  const map = (m: Record<string, string>) => Object.fromEntries(Object.entries(m).filter(([, v]) => v.trim() !== '').map(([k, v]) => [k, v.trim()]));
  return {
    accountId,
    maxOrderNotional: f.maxOrderNotional.trim(),
    priceCollarPct: f.priceCollarPct.trim(),
    maxOpenOrders: Number(f.maxOpenOrders.trim()),
    maxOrdersPerSec: Number(f.maxOrdersPerSec.trim()),
    maxOrderQty: map(f.maxOrderQty),
    maxPosition: map(f.maxPosition),
  };
}

/** fieldKey turns the API's `field` ("maxOrderQty.BTC-USD", "maxOrderQty[BTC-USD]") into a form key. */
function fieldKey(field: string): string {
  return field.replace(/\[["']?([^\]"']+)["']?\]/g, '.$1');
}

/** RiskLimitsPanel: load an account's limits, edit them with validation, and save them. */
export function RiskLimitsPanel() {
  const [accountId, setAccountId] = useState('');
  const [shown, setShown] = useState('');
  const limits = useRiskLimits(shown);
  return (
    <Panel title="Risk limits" testId="admin-risk-limits">
      <div className="admin">
        <form
          className="row wrap"
          aria-label="Load risk limits"
          onSubmit={(e) => {
            e.preventDefault();
            setShown(accountId);
          }}
        >
          <AccountPicker value={accountId} onChange={setAccountId} />
          <button type="submit" disabled={!accountId}>
            Load
          </button>
        </form>
        {limits && <LoadableView value={limits}>{(l) => <LimitsForm key={l.accountId} limits={l} accountId={shown} />}</LoadableView>}
      </div>
    </Panel>
  );
}

function LimitsForm({ limits, accountId }: { limits: RiskLimits; accountId: string }) {
  const loaded = useMemo(() => formOf(limits), [limits]);
  const [f, setF] = useState(loaded);
  const [serverErr, setServerErr] = useState<{ key?: string; text: string } | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);
  const save = useSetRiskLimits();
  const instruments = dataOf(useInstruments());
  useEffect(() => setF(loaded), [loaded]);

  const symbols = useMemo(
    () => [...new Set([...(instruments?.map((i) => i.symbol) ?? []), ...Object.keys(f.maxOrderQty), ...Object.keys(f.maxPosition)])].sort(),
    [instruments, f.maxOrderQty, f.maxPosition],
  );
  const errors = validate(f);
  const dirty = JSON.stringify(updateOf(accountId, f)) !== JSON.stringify(updateOf(accountId, loaded));
  const invalid = Object.keys(errors).length > 0;

  const errFor = (key: string) => errors[key] ?? (serverErr?.key === key ? serverErr.text : undefined);
  const edit = (patch: Partial<Form>) => {
    setF((x) => ({ ...x, ...patch }));
    setNote(null);
  };
  const editMap = (m: MapField, sym: string, v: string) => setF((x) => ({ ...x, [m]: { ...x[m], [sym]: v } }));

  function submit() {
    setServerErr(null);
    setNote(null);
    save.mutate(
      { accountId, limits: updateOf(accountId, f) },
      {
        onSuccess: (l) => {
          setF(formOf(l));
          setNote({ ok: true, text: `Saved for ${accountId}. The processor applies them within a second.` });
        },
        onError: (e) => {
          const field = fieldOf(e);
          setServerErr({ ...(field ? { key: fieldKey(field) } : {}), text: errorText(e, 'operator') });
          setNote({ ok: false, text: errorText(e, 'operator') });
        },
      },
    );
  }

  const input = (key: keyof Omit<Form, MapField>, label: string, unit?: string) => {
    const err = errFor(key);
    return (
      <label>
        {label}
        <span className="with-unit">
          <input name={key} inputMode="decimal" value={f[key]} onChange={(e) => edit({ [key]: e.target.value } as Partial<Form>)} aria-invalid={!!err} />
          {unit && <span className="muted">{unit}</span>}
        </span>
        {err && <span className="field-error">{err}</span>}
      </label>
    );
  };

  return (
    <form
      className="limits"
      aria-label={`Risk limits of ${accountId}`}
      onSubmit={(e) => {
        e.preventDefault();
        if (!invalid && dirty) submit();
      }}
    >
      <p className="muted small" data-testid="limits-source">
        {limits.source === 'DEFAULT' ? `${accountId} uses the default limits (never set).` : `Set by ${limits.updatedBy ?? '—'} at ${when(limits.updatedAt)}.`}
      </p>
      <div className="grid2">
        {input('maxOrderNotional', 'Max order value', 'quote')}
        {input('priceCollarPct', 'Price collar', '%')}
        {input('maxOpenOrders', 'Max open orders', '0 = no limit')}
        {input('maxOrdersPerSec', 'Max orders per second', '0 = no limit')}
      </div>
      <table className="tight">
        <thead>
          <tr>
            <th>Market</th>
            <th className="num">Max order quantity</th>
            <th className="num">Max position</th>
          </tr>
        </thead>
        <tbody>
          {symbols.map((s) => (
            <tr key={s}>
              <td>{s}</td>
              {(['maxOrderQty', 'maxPosition'] as const).map((m) => {
                const err = errFor(`${m}.${s}`) ?? (serverErr?.key === m ? serverErr.text : undefined);
                return (
                  <td key={m} className="num">
                    <input
                      className="inline"
                      inputMode="decimal"
                      aria-label={`${m === 'maxOrderQty' ? 'Max order quantity' : 'Max position'} ${s}`}
                      value={f[m][s] ?? ''}
                      placeholder="no limit set"
                      onChange={(e) => editMap(m, s, e.target.value)}
                      aria-invalid={!!err}
                    />
                    {err && <div className="field-error">{err}</div>}
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
      {serverErr && !serverErr.key && <p className="field-error">{serverErr.text}</p>}
      <div className="row">
        <button type="submit" className="buy" disabled={invalid || !dirty || save.isPending}>
          {save.isPending ? 'Saving…' : 'Save limits'}
        </button>
        <button type="button" disabled={!dirty || save.isPending} onClick={() => { setF(loaded); setServerErr(null); setNote(null); }}>
          Discard changes
        </button>
      </div>
      <Note note={note} />
    </form>
  );
}
