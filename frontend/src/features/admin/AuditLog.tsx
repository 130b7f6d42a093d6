import { useState } from 'react';
import { useAudit, type AuditEntry } from '../../api';
import { LoadableView } from '../../components/LoadableView';
import { Panel } from '../../components/Panel';
import { when } from './common';

const PAGE = 25;

const resultClass: Record<AuditEntry['result'], string> = { OK: 'up', DENIED: 'down', INVALID: 'warn-text', FAILED: 'down' };

/** details prints an entry's details as key=value pairs (nested values as JSON). */
function details(d: AuditEntry['details']): string {
  if (!d) return '';
  return Object.entries(d)
    .map(([k, v]) => `${k}=${typeof v === 'string' ? v : JSON.stringify(v)}`)
    .join(', ');
}

/** AuditLog: every admin change (and refused attempt), newest first, a page at a time. */
export function AuditLog() {
  const [action, setAction] = useState('');
  const [applied, setApplied] = useState('');
  // cursors[i] is the cursor of page i; page 0 has none. Going back pops.
  const [cursors, setCursors] = useState<string[]>(['']);
  const cursor = cursors[cursors.length - 1] ?? '';
  const { page, fetching } = useAudit({ action: applied, cursor, limit: PAGE });
  const next = page.status === 'ready' ? page.data.nextCursor : null;
  return (
    <Panel title="Audit log" testId="admin-audit">
      <div className="admin">
        <form
          className="row wrap"
          aria-label="Filter audit log"
          onSubmit={(e) => {
            e.preventDefault();
            setApplied(action.trim());
            setCursors(['']);
          }}
        >
          <label>
            Action
            <input value={action} onChange={(e) => setAction(e.target.value)} placeholder="all actions" />
          </label>
          <button type="submit">Filter</button>
        </form>
        <LoadableView value={page}>
          {(p) =>
            p.entries.length === 0 ? (
              <div className="muted pad">No audit entries{applied ? ` for ${applied}` : ''}.</div>
            ) : (
              <table className="tight" data-testid="audit-table">
                <thead>
                  <tr>
                    <th>At</th>
                    <th>By</th>
                    <th>Action</th>
                    <th>Target</th>
                    <th>Result</th>
                    <th>Details</th>
                  </tr>
                </thead>
                <tbody>
                  {p.entries.map((e) => (
                    <tr key={e.id} data-testid="audit-row" data-id={e.id}>
                      <td className="muted">{when(e.at)}</td>
                      <td>{e.by}</td>
                      <td>{e.action}</td>
                      <td>{e.target || '—'}</td>
                      <td className={resultClass[e.result] ?? ''}>{e.result}</td>
                      <td className="reason">{details(e.details)}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )
          }
        </LoadableView>
        <div className="row">
          <button type="button" disabled={cursors.length <= 1 || fetching} onClick={() => setCursors((c) => c.slice(0, -1))}>
            ← Newer
          </button>
          <span className="muted small">Page {cursors.length}</span>
          <button type="button" disabled={!next || fetching} onClick={() => next && setCursors((c) => [...c, next])}>
            Older →
          </button>
        </div>
      </div>
    </Panel>
  );
}
