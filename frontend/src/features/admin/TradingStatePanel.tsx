import { useState } from 'react';
import { errorText, useInstruments, useSetTradingState, useTradingState, type StateEntry, type StateScope, type TradingState } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { Panel } from '../../components/Panel';
import { dataOf } from '../../lib/loadable';
import { AccountPicker, Confirm, Note, StateBadge, when } from './common';

const MAX_REASON = 200;
const actions: { state: TradingState; label: string; verb: string; cls: string }[] = [
  { state: 'HALTED', label: 'Halt', verb: 'Halt trading', cls: 'sell' },
  { state: 'REDUCING', label: 'Reduce only', verb: 'Allow only position-reducing orders', cls: 'warn' },
  { state: 'ACTIVE', label: 'Resume', verb: 'Resume trading', cls: 'buy' },
];

const scopeWords: Record<StateScope, string> = { GLOBAL: 'All markets', ACCOUNT: 'Account', SYMBOL: 'Market' };

function targetOf(e: StateEntry): string {
  return e.scope === 'GLOBAL' ? 'everything' : e.target;
}

/**
 * TradingStatePanel: the trading state in force (global, per account, per market) and the controls to
 * halt, allow only reducing orders, or resume, each with a required reason and a confirmation.
 */
export function TradingStatePanel({ symbol }: { symbol: string }) {
  const view = useTradingState();
  const symbols = dataOf(useInstruments())?.map((i) => i.symbol) ?? [symbol];
  const set = useSetTradingState();
  const [scope, setScope] = useState<StateScope>('SYMBOL');
  const [sym, setSym] = useState(symbol);
  const [account, setAccount] = useState('');
  const [reason, setReason] = useState('');
  const [asking, setAsking] = useState<(typeof actions)[number] | null>(null);
  const [note, setNote] = useState<{ ok: boolean; text: string } | null>(null);

  const target = scope === 'GLOBAL' ? '' : scope === 'SYMBOL' ? sym : account;
  const what = scope === 'GLOBAL' ? 'all markets' : scope === 'SYMBOL' ? sym : `account ${account}`;
  const problem = scope !== 'GLOBAL' && !target ? `Choose the ${scope === 'SYMBOL' ? 'market' : 'account'}.` : reason.trim() === '' ? 'A reason is required: it is kept with the state and in the audit log.' : null;

  function confirm() {
    if (!asking) return;
    const a = asking;
    set.mutate(
      { scope, ...(target ? { target } : {}), state: a.state, reason: reason.trim() },
      {
        onSuccess: (e) => {
          setNote({ ok: true, text: `${scope === 'GLOBAL' ? 'All markets are' : `${what} is`} now ${a.state === 'ACTIVE' ? 'trading' : a.state === 'HALTED' ? 'halted' : 'reduce-only'}${e.commandId ? ` (command ${e.commandId})` : ''}.` });
          setReason('');
          setAsking(null);
        },
        onError: (e) => {
          setNote({ ok: false, text: errorText(e, 'operator') });
          setAsking(null);
        },
      },
    );
  }

  return (
    <Panel title="Trading state" testId="admin-trading-state">
      <div className="admin">
        <LoadableView value={view}>
          {(v) => {
            const rows = [v.global, ...v.accounts, ...v.symbols];
            return (
              <table className="tight" data-testid="state-table">
                <thead>
                  <tr>
                    <th>Scope</th>
                    <th>Target</th>
                    <th>State</th>
                    <th>Reason</th>
                    <th>Set by</th>
                    <th>At</th>
                  </tr>
                </thead>
                <tbody>
                  {rows.map((e) => (
                    <tr key={`${e.scope}|${e.target}`} data-testid="state-row" data-scope={e.scope} data-target={e.target} data-state={e.state}>
                      <td>{scopeWords[e.scope]}</td>
                      <td>{targetOf(e)}</td>
                      <td>
                        <StateBadge state={e.state} />
                      </td>
                      <td className="reason">{e.reason || '—'}</td>
                      <td>{e.by || '—'}</td>
                      <td className="muted">{when(e.at)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            );
          }}
        </LoadableView>

        <form className="admin-form" onSubmit={(e) => e.preventDefault()} aria-label="Change trading state">
          <div className="seg" role="group" aria-label="Scope">
            {(['GLOBAL', 'SYMBOL', 'ACCOUNT'] as const).map((s) => (
              <button key={s} type="button" className={scope === s ? 'on' : ''} aria-pressed={scope === s} onClick={() => { setScope(s); setAsking(null); }}>
                {scopeWords[s]}
              </button>
            ))}
          </div>
          {scope === 'SYMBOL' && (
            <label>
              Market
              <select value={sym} onChange={(e) => setSym(e.target.value)}>
                {(symbols.includes(sym) ? symbols : [sym, ...symbols]).map((s) => (
                  <option key={s}>{s}</option>
                ))}
              </select>
            </label>
          )}
          {scope === 'ACCOUNT' && <AccountPicker value={account} onChange={setAccount} />}
          <label>
            Reason
            <input value={reason} maxLength={MAX_REASON} onChange={(e) => setReason(e.target.value)} placeholder="e.g. venue outage, investigating fills" />
            <span className="muted small">
              {reason.length}/{MAX_REASON}
            </span>
          </label>
          {problem && <p className="muted small hint">{problem}</p>}
          {asking ? (
            <Confirm confirm={`Confirm: ${asking.label.toLowerCase()}`} danger={asking.state !== 'ACTIVE'} busy={set.isPending} onConfirm={confirm} onCancel={() => setAsking(null)}>
              {asking.verb} for <strong>{what}</strong>? Reason: “{reason.trim()}”. Traders see new orders {asking.state === 'HALTED' ? 'denied' : asking.state === 'REDUCING' ? 'denied unless they reduce a position' : 'accepted again'} within a second.
            </Confirm>
          ) : (
            <div className="row">
              {actions.map((a) => (
                <button key={a.state} type="button" className={a.cls} disabled={problem !== null} onClick={() => { setNote(null); setAsking(a); }}>
                  {a.label}
                </button>
              ))}
            </div>
          )}
          <Note note={note} />
        </form>
      </div>
    </Panel>
  );
}
