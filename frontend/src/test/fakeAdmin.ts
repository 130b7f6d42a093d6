// A stand-in for the admin API's contract (docs/openapi.yaml, /api/admin/*) behind the fake fetch of
// harness.tsx: it keeps state, so a test sees its own changes, and records every request. Failures are
// injected per call with `fail`.
import type { Route } from './harness';
import type { ApiKey, AuditEntry, RiskLimits, StateEntry, TradingStateView } from '../api';

type Reply = { status: number; body?: unknown };

export class FakeAdmin {
  scopes = ['trade', 'read', 'admin'];
  state: TradingStateView = {
    global: { scope: 'GLOBAL', target: '', state: 'ACTIVE', reason: '', by: '', commandId: '' },
    accounts: [],
    symbols: [{ scope: 'SYMBOL', target: 'ETH-USD', state: 'HALTED', reason: 'venue outage', by: 'ops-1', at: '2026-11-25T09:00:00.000Z', commandId: 'c0' }],
  };
  accounts = [
    { accountId: 'demo', name: 'Demo', status: 'ACTIVE' as const, createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'bootstrap' },
    { accountId: 'desk-7', name: 'Desk 7', status: 'ACTIVE' as const, createdAt: '2026-11-02T00:00:00.000Z', createdBy: 'ops-1' },
  ];
  limits = new Map<string, RiskLimits>();
  keys: ApiKey[] = [
    { keyId: 'k-demo', accountId: 'demo', scopes: ['trade', 'read'], label: 'demo bot', status: 'ACTIVE', createdAt: '2026-11-01T00:00:00.000Z', createdBy: 'bootstrap' },
  ];
  audit: AuditEntry[] = [];
  requests: { method: string; path: string; body?: unknown }[] = [];
  /** fail answers the next request to METHOD path (path without query) with this reply instead. */
  private failures = new Map<string, Reply>();
  private n = 0;

  fail(method: string, path: string, reply: Reply) {
    this.failures.set(`${method} ${path}`, reply);
  }

  defaults(accountId: string): RiskLimits {
    return {
      accountId,
      maxOrderNotional: '1000000',
      priceCollarPct: '5',
      maxOpenOrders: 200,
      maxOrdersPerSec: 50,
      maxOrderQty: { 'BTC-USD': '50' },
      maxPosition: { 'BTC-USD': '100' },
      source: 'DEFAULT',
    };
  }

  private log(action: string, target: string, result: AuditEntry['result'], details: Record<string, unknown> = {}) {
    this.n++;
    this.audit.unshift({ id: `a${this.n}`, at: new Date(Date.UTC(2026, 10, 25, 10, 0, this.n)).toISOString(), by: 'dev:demo', action, target, result, details });
  }

  route: Route = (method, full, init) => {
    if (!full.startsWith('/api/admin/')) return undefined;
    const [path = '', qs = ''] = full.split('?');
    const q = new URLSearchParams(qs);
    const body = typeof init.body === 'string' ? (JSON.parse(init.body) as Record<string, unknown>) : undefined;
    this.requests.push({ method, path: full, ...(body ? { body } : {}) });
    const f = this.failures.get(`${method} ${path}`);
    if (f) {
      this.failures.delete(`${method} ${path}`);
      return f;
    }
    let m: RegExpMatchArray | null;
    if (method === 'GET' && path === '/api/admin/whoami') return { status: 200, body: { keyId: 'dev:demo', accountId: 'demo', scopes: this.scopes } };
    if (method === 'GET' && path === '/api/admin/trading-state') return { status: 200, body: this.state };
    if (method === 'POST' && path === '/api/admin/trading-state') {
      const b = body as { scope: StateEntry['scope']; target?: string; state: StateEntry['state']; reason: string };
      if (!b.reason) return { status: 400, body: { code: 'FIELD_REQUIRED', msg: 'reason is required', field: 'reason' } };
      const e: StateEntry = { scope: b.scope, target: b.target ?? '', state: b.state, reason: b.reason, by: 'dev:demo', at: '2026-11-25T10:00:00.000Z', commandId: `c${this.n + 1}` };
      if (b.scope === 'GLOBAL') this.state = { ...this.state, global: e };
      else {
        const k = b.scope === 'SYMBOL' ? 'symbols' : 'accounts';
        this.state = { ...this.state, [k]: [...this.state[k].filter((x) => x.target !== e.target), e] };
      }
      this.log('TRADING_STATE', e.target || 'GLOBAL', 'OK', { state: e.state, reason: e.reason });
      return { status: 202, body: e };
    }
    if (method === 'GET' && path === '/api/admin/accounts') return { status: 200, body: { accounts: this.accounts } };
    if ((m = path.match(/^\/api\/admin\/accounts\/([^/]+)\/risk-limits$/))) {
      const id = decodeURIComponent(m[1]!);
      if (method === 'GET') return { status: 200, body: this.limits.get(id) ?? this.defaults(id) };
      if (method === 'PUT') {
        const l = { ...(body as unknown as RiskLimits), accountId: id, source: 'SET' as const, updatedAt: '2026-11-25T10:00:00.000Z', updatedBy: 'dev:demo' };
        this.limits.set(id, l);
        this.log('SET_RISK_LIMITS', id, 'OK');
        return { status: 200, body: l };
      }
    }
    if (path === '/api/admin/api-keys') {
      if (method === 'GET') {
        const a = q.get('accountId');
        return { status: 200, body: { keys: a ? this.keys.filter((k) => k.accountId === a) : this.keys } };
      }
      if (method === 'POST') {
        const b = body as { accountId: string; scopes: ApiKey['scopes']; label: string };
        const k: ApiKey = { keyId: `k${this.keys.length + 1}`, accountId: b.accountId, scopes: b.scopes, label: b.label, status: 'ACTIVE', createdAt: '2026-11-25T10:00:00.000Z', createdBy: 'dev:demo' };
        this.keys = [...this.keys, k];
        this.log('CREATE_API_KEY', k.keyId, 'OK');
        return { status: 201, body: { ...k, secret: `secret-of-${k.keyId}` } };
      }
    }
    if ((m = path.match(/^\/api\/admin\/api-keys\/([^/]+)(\/rotate)?$/))) {
      const id = decodeURIComponent(m[1]!);
      const k = this.keys.find((x) => x.keyId === id);
      if (!k) return { status: 404, body: { code: 'NOT_FOUND', msg: 'no such key' } };
      if (method === 'POST' && m[2]) {
        const r: ApiKey = { ...k, rotatedAt: '2026-11-25T10:01:00.000Z' };
        this.keys = this.keys.map((x) => (x.keyId === id ? r : x));
        this.log('ROTATE_API_KEY', id, 'OK');
        return { status: 200, body: { ...r, secret: `rotated-secret-of-${id}` } };
      }
      if (method === 'DELETE' && !m[2]) {
        const r: ApiKey = { ...k, status: 'REVOKED', revokedAt: '2026-11-25T10:02:00.000Z' };
        this.keys = this.keys.map((x) => (x.keyId === id ? r : x));
        this.log('REVOKE_API_KEY', id, 'OK');
        return { status: 200, body: r };
      }
    }
    if (method === 'GET' && path === '/api/admin/audit') {
      const action = q.get('action');
      const all = action ? this.audit.filter((a) => a.action === action) : this.audit;
      const from = Number(q.get('cursor') ?? '0');
      const limit = Number(q.get('limit') ?? '50');
      const entries = all.slice(from, from + limit);
      return { status: 200, body: { entries, nextCursor: from + limit < all.length ? String(from + limit) : null } };
    }
    return { status: 404, body: { code: 'NOT_FOUND', msg: `no route ${method} ${path}` } };
  };
}
