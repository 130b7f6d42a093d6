import { useId, type ReactNode } from 'react';
import { useAccounts, type TradingState } from '../../api';
import { dataOf } from '../../lib/loadable';

/** AccountPicker is a text field that suggests the known accounts (any id may be typed). */
export function AccountPicker(props: { value: string; onChange: (v: string) => void; label?: string; placeholder?: string }) {
  const accounts = dataOf(useAccounts()) ?? [];
  const list = useId();
  // The datalist sits outside the label: its options' text would become part of the label's name.
  return (
    <>
      <label>
        {props.label ?? 'Account'}
        <input
          list={list}
          value={props.value}
          onChange={(e) => props.onChange(e.target.value.trim())}
          placeholder={props.placeholder ?? 'account id'}
          autoComplete="off"
          spellCheck={false}
        />
      </label>
      <datalist id={list}>
        {accounts.map((a) => (
          <option key={a.accountId} value={a.accountId}>
            {a.name}
          </option>
        ))}
      </datalist>
    </>
  );
}

const stateWords: Record<TradingState, string> = { ACTIVE: 'Active', REDUCING: 'Reduce only', HALTED: 'Halted' };

/** StateBadge colours a trading state: green active, amber reduce-only, red halted. */
export function StateBadge({ state }: { state: TradingState }) {
  return <span className={`badge state-${state.toLowerCase()}`}>{stateWords[state] ?? state}</span>;
}

/** Confirm asks before a change that affects traders, in place (no browser dialog). */
export function Confirm(props: { children: ReactNode; confirm: string; danger?: boolean; busy?: boolean; onConfirm: () => void; onCancel: () => void }) {
  return (
    <div className="confirm" role="alertdialog" aria-label={props.confirm}>
      <div>{props.children}</div>
      <div className="row">
        <button type="button" className={props.danger ? 'sell' : 'buy'} onClick={props.onConfirm} disabled={props.busy}>
          {props.busy ? 'Working…' : props.confirm}
        </button>
        <button type="button" onClick={props.onCancel} disabled={props.busy}>
          Back
        </button>
      </div>
    </div>
  );
}

/** Note is a one-line outcome: done (status) or refused (alert). */
export function Note({ note }: { note: { ok: boolean; text: string } | null }) {
  if (!note) return null;
  return (
    <div className={note.ok ? 'note ok' : 'note error'} role={note.ok ? 'status' : 'alert'}>
      {note.text}
    </div>
  );
}

/** when prints an admin timestamp in the operator's local time, with the date. */
export function when(ts: string | undefined): string {
  if (!ts) return '—';
  const d = new Date(ts);
  return Number.isNaN(d.getTime()) ? ts : d.toLocaleString(undefined, { hour12: false });
}
