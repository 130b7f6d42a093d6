import { useAdminAccess } from '../../api';
import { ApiKeysPanel } from './ApiKeysPanel';
import { AuditLog } from './AuditLog';
import { RiskLimitsPanel } from './RiskLimitsPanel';
import { TradingStatePanel } from './TradingStatePanel';

/**
 * AdminPanel is the operator view: trading state, risk limits, API keys and the audit log. It renders
 * nothing unless GET /api/admin/whoami answers with the admin scope (the API refuses the calls anyway).
 */
export function AdminPanel({ symbol }: { symbol: string }) {
  const { isAdmin, whoami } = useAdminAccess();
  if (!isAdmin) return null;
  return (
    <div className="admin-view" data-testid="admin-panel">
      <p className="muted small admin-who">
        Operator: key {whoami?.keyId ?? '—'} (account {whoami?.accountId ?? '—'}). Every change here is audited.
      </p>
      <div className="admin-grid">
        <TradingStatePanel symbol={symbol} />
        <RiskLimitsPanel />
        <ApiKeysPanel />
        <AuditLog />
      </div>
    </div>
  );
}
