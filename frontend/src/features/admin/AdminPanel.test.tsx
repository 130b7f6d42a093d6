import { screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { AdminPanel } from './AdminPanel';
import { ApiKeysPanel } from './ApiKeysPanel';
import { AuditLog } from './AuditLog';
import { RiskLimitsPanel } from './RiskLimitsPanel';
import { TradingStatePanel } from './TradingStatePanel';
import { FakeAdmin } from '../../test/fakeAdmin';
import { renderWithData } from '../../test/harness';

const sent = (api: FakeAdmin, method: string, path: string) => api.requests.filter((r) => r.method === method && r.path === path);

describe('AdminPanel', () => {
  it('is shown only to a key with the admin scope', async () => {
    const api = new FakeAdmin();
    api.scopes = ['trade', 'read'];
    await renderWithData(<AdminPanel symbol="BTC-USD" />, api.route);
    await waitFor(() => expect(sent(api, 'GET', '/api/admin/whoami')).toHaveLength(1));
    expect(screen.queryByTestId('admin-panel')).toBeNull();
    expect(sent(api, 'GET', '/api/admin/trading-state')).toHaveLength(0); // nothing else is asked
  });

  it('is not shown when the admin API is not there', async () => {
    const h = await renderWithData(<AdminPanel symbol="BTC-USD" />, (_m, p) => (p === '/api/admin/whoami' ? { status: 404 } : undefined));
    await waitFor(() => expect(h.calls('GET', '/api/admin/whoami')).toHaveLength(1));
    expect(screen.queryByTestId('admin-panel')).toBeNull();
  });

  it('shows trading state, risk limits, keys and the audit log to an admin', async () => {
    const api = new FakeAdmin();
    await renderWithData(<AdminPanel symbol="BTC-USD" />, api.route);
    const panel = await screen.findByTestId('admin-panel');
    for (const t of ['admin-trading-state', 'admin-risk-limits', 'admin-api-keys', 'admin-audit']) expect(within(panel).getByTestId(t)).toBeInTheDocument();
    expect(panel).toHaveTextContent('key dev:demo');
  });
});

describe('TradingStatePanel', () => {
  it('shows the state table and halts a market only with a reason and a confirmation', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<TradingStatePanel symbol="BTC-USD" />, api.route);
    const eth = await screen.findByText('venue outage');
    expect(eth.closest('tr')).toHaveAttribute('data-state', 'HALTED');
    expect(within(eth.closest('tr')!).getByText('Halted')).toHaveClass('state-halted');

    const halt = screen.getByRole('button', { name: 'Halt' });
    expect(halt).toBeDisabled(); // no reason yet
    expect(screen.getByText(/A reason is required/)).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Reason/), 'runaway algo on desk 7');
    await user.click(halt);
    const ask = screen.getByRole('alertdialog');
    expect(ask).toHaveTextContent('Halt trading for BTC-USD? Reason: “runaway algo on desk 7”');
    expect(sent(api, 'POST', '/api/admin/trading-state')).toHaveLength(0); // not before the confirmation
    await user.click(within(ask).getByRole('button', { name: 'Confirm: halt' }));

    await waitFor(() => expect(sent(api, 'POST', '/api/admin/trading-state')).toHaveLength(1));
    expect(sent(api, 'POST', '/api/admin/trading-state')[0]!.body).toEqual({ scope: 'SYMBOL', target: 'BTC-USD', state: 'HALTED', reason: 'runaway algo on desk 7' });
    expect(await screen.findByRole('status')).toHaveTextContent('BTC-USD is now halted');
    await waitFor(() => expect(document.querySelector('[data-testid=state-row][data-target="BTC-USD"]')).toHaveAttribute('data-state', 'HALTED'));
    expect(screen.getByLabelText(/Reason/)).toHaveValue(''); // a new change needs a new reason
  });

  it('resumes everything, and says in words when the change could not be made', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    api.fail('POST', '/api/admin/trading-state', { status: 503, body: { code: 'KAFKA_UNAVAILABLE', msg: 'control topic: no ack' } });
    await renderWithData(<TradingStatePanel symbol="BTC-USD" />, api.route);
    await screen.findByTestId('state-table');
    await user.click(screen.getByRole('button', { name: 'All markets' }));
    await user.type(screen.getByLabelText(/Reason/), 'incident closed');
    await user.click(screen.getByRole('button', { name: 'Resume' }));
    await user.click(screen.getByRole('button', { name: 'Confirm: resume' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('The change could not be made durable: nothing changed. Retry.');
    expect(sent(api, 'POST', '/api/admin/trading-state')[0]!.body).toEqual({ scope: 'GLOBAL', state: 'ACTIVE', reason: 'incident closed' });
    expect(api.state.global.state).toBe('ACTIVE');
  });

  it('sets an account to reduce-only', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<TradingStatePanel symbol="BTC-USD" />, api.route);
    await screen.findByTestId('state-table');
    await user.click(screen.getByRole('button', { name: 'Account' }));
    await user.type(screen.getByLabelText(/Reason/), 'margin call');
    expect(screen.getByRole('button', { name: 'Reduce only' })).toBeDisabled(); // which account?
    await user.type(screen.getByLabelText('Account'), 'desk-7');
    await user.click(screen.getByRole('button', { name: 'Reduce only' }));
    await user.click(screen.getByRole('button', { name: 'Confirm: reduce only' }));
    await waitFor(() => expect(document.querySelector('[data-testid=state-row][data-target="desk-7"]')).toHaveAttribute('data-state', 'REDUCING'));
    expect(sent(api, 'POST', '/api/admin/trading-state')[0]!.body).toEqual({ scope: 'ACCOUNT', target: 'desk-7', state: 'REDUCING', reason: 'margin call' });
  });
});

describe('RiskLimitsPanel', () => {
  it('loads an account’s limits, refuses invalid values before sending, and saves valid ones', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<RiskLimitsPanel />, api.route);
    await user.type(screen.getByLabelText('Account'), 'desk-7');
    await user.click(screen.getByRole('button', { name: 'Load' }));
    expect(await screen.findByTestId('limits-source')).toHaveTextContent('desk-7 uses the default limits (never set).');
    expect(screen.getByLabelText(/Max order value/)).toHaveValue('1000000');
    expect(screen.getByLabelText('Max order quantity BTC-USD')).toHaveValue('50');
    const save = screen.getByRole('button', { name: 'Save limits' });
    expect(save).toBeDisabled(); // nothing changed

    const collar = screen.getByLabelText(/Price collar/);
    await user.clear(collar);
    await user.type(collar, '150');
    expect(screen.getByText('Enter a percentage above 0 and at most 100.')).toBeInTheDocument();
    expect(collar).toHaveAttribute('aria-invalid', 'true');
    expect(save).toBeDisabled();
    const open = screen.getByLabelText(/Max open orders/);
    await user.clear(open);
    await user.type(open, '2.5');
    expect(screen.getByText('Enter a whole number from 0 (no limit) to 1,000,000.')).toBeInTheDocument();

    await user.clear(collar);
    await user.type(collar, '2.5');
    await user.clear(open);
    await user.type(open, '20');
    const qty = screen.getByLabelText('Max order quantity BTC-USD');
    await user.clear(qty);
    await user.type(qty, '20');
    await user.clear(screen.getByLabelText('Max position BTC-USD')); // empty: no entry
    await user.click(save);

    await waitFor(() => expect(sent(api, 'PUT', '/api/admin/accounts/desk-7/risk-limits')).toHaveLength(1));
    expect(sent(api, 'PUT', '/api/admin/accounts/desk-7/risk-limits')[0]!.body).toEqual({
      accountId: 'desk-7',
      maxOrderNotional: '1000000',
      priceCollarPct: '2.5',
      maxOpenOrders: 20,
      maxOrdersPerSec: 50,
      maxOrderQty: { 'BTC-USD': '20' },
      maxPosition: {},
    });
    expect(await screen.findByRole('status')).toHaveTextContent('Saved for desk-7');
    await waitFor(() => expect(screen.getByTestId('limits-source')).toHaveTextContent('Set by dev:demo'));
  });

  it('shows the API’s refusal beside the field it names', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    api.fail('PUT', '/api/admin/accounts/demo/risk-limits', { status: 400, body: { code: 'INVALID_LIMIT', msg: 'must not exceed the instrument maximum 100, got 500', field: 'maxOrderQty.BTC-USD' } });
    await renderWithData(<RiskLimitsPanel />, api.route);
    await user.type(screen.getByLabelText('Account'), 'demo');
    await user.click(screen.getByRole('button', { name: 'Load' }));
    const qty = await screen.findByLabelText('Max order quantity BTC-USD');
    await user.clear(qty);
    await user.type(qty, '500{Enter}');
    await waitFor(() => expect(qty).toHaveAttribute('aria-invalid', 'true'));
    expect(qty.closest('td')).toHaveTextContent('A value is outside the allowed range. (maxOrderQty.BTC-USD: must not exceed the instrument maximum 100, got 500)');
    expect(screen.getByRole('alert')).toHaveTextContent('got 500');
  });
});

describe('ApiKeysPanel', () => {
  it('creates a key and shows its secret once, with a copy button and a warning', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<ApiKeysPanel />, api.route);
    expect(await screen.findByText('k-demo')).toBeInTheDocument();
    const form = screen.getByRole('form', { name: 'Create API key' });
    expect(within(form).getByRole('button', { name: 'Create key' })).toBeDisabled();
    await user.type(within(form).getByLabelText('Account'), 'desk-7');
    await user.type(within(form).getByLabelText('Label'), 'mm bot');
    await user.click(within(form).getByLabelText('Read'));
    await user.click(within(form).getByRole('button', { name: 'Create key' }));

    await waitFor(() => expect(sent(api, 'POST', '/api/admin/api-keys')).toHaveLength(1));
    expect(sent(api, 'POST', '/api/admin/api-keys')[0]!.body).toEqual({ accountId: 'desk-7', scopes: ['trade'], label: 'mm bot' });
    const reveal = await screen.findByTestId('secret-reveal');
    expect(within(reveal).getByTestId('new-secret')).toHaveValue('secret-of-k2');
    expect(reveal).toHaveTextContent('It is shown only this once and cannot be shown again');
    await user.click(within(reveal).getByRole('button', { name: 'Copy' }));
    expect(await within(reveal).findByText('Copied to the clipboard.')).toBeInTheDocument();
    expect(await navigator.clipboard.readText()).toBe('secret-of-k2');
    await waitFor(() => expect(document.querySelector('[data-testid=key-row][data-key-id=k2]')).toHaveTextContent('mm bot')); // listed, without its secret
    expect(screen.getByTestId('keys-table')).not.toHaveTextContent('secret-of');

    await user.click(within(reveal).getByRole('button', { name: 'I have stored it' }));
    expect(screen.queryByTestId('secret-reveal')).toBeNull();
    expect(screen.queryByDisplayValue('secret-of-k2')).toBeNull();
  });

  it('rotates and revokes only after confirmation', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    await renderWithData(<ApiKeysPanel />, api.route);
    const row = () => document.querySelector('[data-testid=key-row][data-key-id=k-demo]') as HTMLElement;
    await screen.findByText('k-demo');

    await user.click(within(row()).getByRole('button', { name: 'Rotate' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('Its current secret stops working at once');
    await user.click(screen.getByRole('button', { name: 'Back' }));
    expect(sent(api, 'POST', '/api/admin/api-keys/k-demo/rotate')).toHaveLength(0);
    await user.click(within(row()).getByRole('button', { name: 'Rotate' }));
    await user.click(screen.getByRole('button', { name: 'Confirm: rotate' }));
    expect(await screen.findByTestId('new-secret')).toHaveValue('rotated-secret-of-k-demo');
    expect(screen.getByTestId('secret-reveal')).toHaveTextContent('k-demo rotated');

    await user.click(within(row()).getByRole('button', { name: 'Revoke' }));
    expect(screen.getByRole('alertdialog')).toHaveTextContent('This cannot be undone');
    await user.click(screen.getByRole('button', { name: 'Confirm: revoke' }));
    await waitFor(() => expect(row()).toHaveAttribute('data-status', 'REVOKED'));
    expect(sent(api, 'DELETE', '/api/admin/api-keys/k-demo')).toHaveLength(1);
    expect(within(row()).queryByRole('button', { name: 'Revoke' })).toBeNull();
  });

  it('says so when the key is not an admin key', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    api.fail('POST', '/api/admin/api-keys/k-demo/rotate', { status: 403, body: { code: 'FORBIDDEN', msg: 'admin scope required' } });
    await renderWithData(<ApiKeysPanel />, api.route);
    await screen.findByText('k-demo');
    await user.click(screen.getByRole('button', { name: 'Rotate' }));
    await user.click(screen.getByRole('button', { name: 'Confirm: rotate' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('This needs an API key with the admin scope.');
    expect(screen.queryByTestId('secret-reveal')).toBeNull();
  });
});

describe('AuditLog', () => {
  it('lists entries newest first, a page at a time, and filters by action', async () => {
    const user = userEvent.setup();
    const api = new FakeAdmin();
    for (let i = 1; i <= 30; i++) {
      api.audit.unshift({ id: `e${i}`, at: `2026-11-25T09:00:${String(i).padStart(2, '0')}.000Z`, by: 'ops-1', action: i % 10 === 0 ? 'REVOKE_API_KEY' : 'TRADING_STATE', target: 'BTC-USD', result: i === 30 ? 'DENIED' : 'OK', details: { reason: `r${i}` } });
    }
    await renderWithData(<AuditLog />, api.route);
    await screen.findByTestId('audit-table');
    let ids = screen.getAllByTestId('audit-row').map((r) => r.getAttribute('data-id'));
    expect(ids).toHaveLength(25);
    expect(ids[0]).toBe('e30');
    expect(screen.getAllByTestId('audit-row')[0]).toHaveTextContent('DENIED');
    expect(screen.getAllByTestId('audit-row')[0]).toHaveTextContent('reason=r30');
    expect(screen.getByRole('button', { name: '← Newer' })).toBeDisabled();

    await user.click(screen.getByRole('button', { name: 'Older →' }));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')[0]).toHaveAttribute('data-id', 'e5'));
    ids = screen.getAllByTestId('audit-row').map((r) => r.getAttribute('data-id'));
    expect(ids).toEqual(['e5', 'e4', 'e3', 'e2', 'e1']);
    expect(sent(api, 'GET', '/api/admin/audit?limit=25&cursor=25')).toHaveLength(1);
    expect(screen.getByRole('button', { name: 'Older →' })).toBeDisabled();
    await user.click(screen.getByRole('button', { name: '← Newer' }));
    await waitFor(() => expect(screen.getAllByTestId('audit-row')[0]).toHaveAttribute('data-id', 'e30'));

    await user.type(screen.getByLabelText('Action'), 'REVOKE_API_KEY{Enter}');
    await waitFor(() => expect(screen.getAllByTestId('audit-row').map((r) => r.getAttribute('data-id'))).toEqual(['e30', 'e20', 'e10']));
  });
});
