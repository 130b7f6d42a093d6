import { useState } from 'react';
import { errorText, useAdminAccess, useTradingStateAdmin } from '../../api';
import { Panel } from '../../components/Panel';

/**
 * AdminPanel: trading state (halt / reduce-only / resume) for operators. It renders nothing unless
 * GET /api/admin/whoami answers 200 with the admin scope, so it lights up when the admin API ships.
 */
export function AdminPanel({ symbol }: { symbol: string }) {
  const { isAdmin, whoami } = useAdminAccess();
  const act = useTradingStateAdmin();
  const [scope, setScope] = useState<'GLOBAL' | 'SYMBOL'>('SYMBOL');
  const [reason, setReason] = useState('');
  const [msg, setMsg] = useState<string | null>(null);
  if (!isAdmin) return null;

  function set(state: 'HALTED' | 'REDUCING' | 'ACTIVE') {
    const target = scope === 'SYMBOL' ? symbol : undefined;
    const what = `${state === 'HALTED' ? 'Halt' : state === 'REDUCING' ? 'Reduce-only' : 'Resume'} ${target ?? 'all markets'}`;
    if (!window.confirm(`${what}?`)) return;
    act.mutate(
      { scope, ...(target ? { target } : {}), state, ...(reason ? { reason } : {}) },
      { onSuccess: () => setMsg(`${what}: done.`), onError: (e) => setMsg(errorText(e)) },
    );
  }

  return (
    <Panel title="Operator" testId="admin-panel" className="admin-panel">
      <div className="admin">
        <div className="muted small">Signed in as {whoami?.keyId ?? 'operator'} (admin)</div>
        <label>
          Scope
          <select value={scope} onChange={(e) => setScope(e.target.value as 'GLOBAL' | 'SYMBOL')}>
            <option value="SYMBOL">{symbol}</option>
            <option value="GLOBAL">All markets</option>
          </select>
        </label>
        <label>
          Reason
          <input value={reason} onChange={(e) => setReason(e.target.value)} placeholder="shown in the audit log" />
        </label>
        <div className="row">
          <button type="button" className="sell" onClick={() => set('HALTED')}>
            Halt
          </button>
          <button type="button" className="warn" onClick={() => set('REDUCING')}>
            Reduce only
          </button>
          <button type="button" className="buy" onClick={() => set('ACTIVE')}>
            Resume
          </button>
        </div>
        <p className="muted small">Risk limits per account are edited here once the admin API serves them.</p>
        {msg && <div role="status">{msg}</div>}
      </div>
    </Panel>
  );
}
