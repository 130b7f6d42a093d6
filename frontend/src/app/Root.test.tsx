import { act, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { createHmac } from 'node:crypto';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { renderRoot, type Route } from '../test/harness';

// lightweight-charts draws on canvas, which jsdom lacks; the browser test covers the real chart.
vi.mock('lightweight-charts', () => {
  const series = { setData: vi.fn(), update: vi.fn(), applyOptions: vi.fn() };
  const chart = { addSeries: () => series, priceScale: () => ({ applyOptions: vi.fn() }), timeScale: () => ({ fitContent: vi.fn(), scrollToRealTime: vi.fn() }), remove: vi.fn() };
  return { createChart: () => chart, CandlestickSeries: {}, HistogramSeries: {}, ColorType: { Solid: 'solid' } };
});

const KEY = 'k1';
const SECRET = 'Zq9-secret-0123456789abcdef';
const session = { accountId: 'acct-1', keyId: KEY, scopes: ['trade', 'read'], expiresAt: '2026-12-03T17:00:00Z' };

const header = (i: RequestInit, name: string) => (i.headers as Record<string, string> | undefined)?.[name];
const unauthorized = (code: string) => ({ status: 401, body: { code, msg: code.toLowerCase() } });

/**
 * FakeExchange is the session contract of docs/openapi.yaml behind the fake fetch: POST /api/session checks
 * the signature itself (node's HMAC, independent of the dashboard's WebCrypto signer), and while signed in
 * the "cookie" authenticates every call that carries X-OMS-Session.
 */
class FakeExchange {
  signedIn = false;
  /** The code a call without a session is refused with. */
  lostCode = 'UNAUTHENTICATED';
  /** The clock skew the gateway claims, to refuse the timestamp. */
  skewed = false;
  wsToken = true;

  expire(code = 'SESSION_EXPIRED') {
    this.signedIn = false;
    this.lostCode = code;
  }

  route: Route = (method, path, init) => {
    if (path === '/api/session') {
      if (method === 'GET') return this.authed(init) ?? { status: 200, body: session };
      if (method === 'DELETE') {
        this.signedIn = false;
        return { status: 204 };
      }
      if (method === 'POST') {
        const ts = header(init, 'X-OMS-Timestamp') ?? '';
        if (header(init, 'X-OMS-Key') !== KEY) return unauthorized('INVALID_API_KEY');
        if (this.skewed) return unauthorized('TIMESTAMP_OUT_OF_WINDOW');
        const want = createHmac('sha256', SECRET).update(`${ts}POST/api/session`).digest('hex');
        if (header(init, 'X-OMS-Signature') !== want || init.body !== undefined) return unauthorized('INVALID_SIGNATURE');
        this.signedIn = true;
        this.lostCode = 'UNAUTHENTICATED';
        return { status: 200, body: session };
      }
    }
    if (path === '/api/instruments') return undefined; // public: the harness answers
    const refused = this.authed(init);
    if (refused) return refused;
    if (path === '/api/ws-token' && this.wsToken) return { status: 200, body: { token: 'tok-1', expiresAt: '2026-12-03T09:01:00Z', accountId: 'acct-1' } };
    if (path.startsWith('/api/orders') && method === 'GET') return { status: 200, body: { orders: [] } };
    if (path.startsWith('/api/fills')) return { status: 200, body: { fills: [] } };
    return undefined;
  };

  private authed(init: RequestInit) {
    if (!this.signedIn) return unauthorized(this.lostCode);
    if (header(init, 'X-OMS-Session') !== '1') return unauthorized('SESSION_HEADER_REQUIRED');
    return undefined;
  }
}

async function signIn(user: ReturnType<typeof userEvent.setup>, keyId = KEY, secret = SECRET) {
  await user.clear(screen.getByLabelText('API key ID'));
  await user.type(screen.getByLabelText('API key ID'), keyId);
  await user.type(screen.getByLabelText('Secret'), `${secret}{Enter}`);
}

afterEach(() => {
  vi.restoreAllMocks();
  localStorage.clear();
  sessionStorage.clear();
});

describe('the sign-in gate', () => {
  it('checks the session at start-up and shows the sign-in screen without one', async () => {
    const ex = new FakeExchange();
    const h = renderRoot(ex.route);
    expect(screen.getByTestId('session-checking')).toHaveTextContent('Connecting to the exchange…');
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    const secret = screen.getByLabelText('Secret');
    expect(secret).toHaveAttribute('type', 'password');
    expect(secret).toHaveAttribute('autocomplete', 'off');
    expect(screen.getByLabelText('API key ID')).toHaveAttribute('autocomplete', 'off');
    expect(screen.queryByTestId('signin-notice')).toBeNull(); // no cookie is the ordinary case
    expect(screen.queryByTestId('order-form')).toBeNull();
    // Nothing else is asked and no WebSocket is opened before signing in.
    expect(h.fetchMock.mock.calls.map(([u, i]) => `${i?.method ?? 'GET'} ${u}`)).toEqual(['GET /api/session']);
    expect(h.sockets.all).toHaveLength(0);
  });

  it('signs POST /api/session with the API key, then opens the app; every request carries X-OMS-Session', async () => {
    const user = userEvent.setup();
    const setItem = vi.spyOn(Storage.prototype, 'setItem');
    const ex = new FakeExchange();
    const h = renderRoot(ex.route, { useToken: true });
    await screen.findByRole('heading', { name: 'Sign in' });
    const before = Date.now();
    await signIn(user);

    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
    expect(screen.getByTestId('account-id')).toHaveTextContent('acct-1');
    expect(screen.getByTestId('sign-out')).toHaveTextContent('Sign out');

    const posts = h.calls('POST', '/api/session');
    expect(posts).toHaveLength(1);
    const req = posts[0]!;
    const ts = header(req, 'X-OMS-Timestamp')!;
    expect(ts).toMatch(/^\d{13}$/);
    expect(Number(ts)).toBeGreaterThanOrEqual(before - 1);
    expect(Number(ts)).toBeLessThanOrEqual(Date.now());
    expect(header(req, 'X-OMS-Key')).toBe(KEY);
    // An independent HMAC (node's crypto), of timestamp + METHOD + path + empty body.
    expect(header(req, 'X-OMS-Signature')).toBe(createHmac('sha256', SECRET).update(`${ts}POST/api/session`).digest('hex'));
    expect(req.body).toBeUndefined();
    expect(req.credentials).toBe('same-origin');

    // The WebSocket connects with a token fetched on the session.
    await waitFor(() => expect(h.sockets.all.length).toBeGreaterThan(0));
    expect(h.sockets.last().url).toBe('ws://test/ws?token=tok-1');
    await waitFor(() => expect(h.calls('GET', '/api/admin/whoami')).toHaveLength(1));

    const all = h.fetchMock.mock.calls;
    expect(all.length).toBeGreaterThanOrEqual(5); // GET + POST session, ws-token, instruments, whoami
    for (const [url, init] of all) {
      expect(header(init!, 'X-OMS-Session'), url).toBe('1');
      expect(init!.credentials, url).toBe('same-origin');
    }

    // The secret went into the signature only: not into storage, the URL or the page.
    for (const store of [localStorage, sessionStorage]) {
      for (let i = 0; i < store.length; i++) expect(store.getItem(store.key(i)!)).not.toContain(SECRET);
    }
    for (const [k, v] of setItem.mock.calls) expect(`${k}=${v}`).not.toContain(SECRET);
    expect(window.location.href).not.toContain(SECRET);
    expect(document.body.innerHTML).not.toContain(SECRET);
    expect(screen.queryByLabelText('Secret')).toBeNull();
  });

  it.each([
    ['a wrong secret', { secret: 'not-the-secret-0123' }, 'The secret does not match this API key. Check the secret and try again.'],
    ['an unknown key', { keyId: 'k-nope' }, 'This API key ID is unknown or has been revoked. Check the key ID.'],
    ['a skewed clock', { skewed: true }, "Check your computer's clock"],
  ])('says what went wrong for %s, clears the secret and stays on the sign-in screen', async (_name, c, words) => {
    const user = userEvent.setup();
    const ex = new FakeExchange();
    ex.skewed = 'skewed' in c;
    const h = renderRoot(ex.route);
    await screen.findByRole('heading', { name: 'Sign in' });
    await signIn(user, 'keyId' in c ? c.keyId : KEY, 'secret' in c ? c.secret : SECRET);
    expect(await screen.findByTestId('signin-error')).toHaveTextContent(words);
    expect(screen.getByLabelText('Secret')).toHaveValue('');
    expect(screen.getByLabelText('API key ID')).toHaveValue('keyId' in c ? c.keyId : KEY);
    expect(screen.getByTestId('signin-submit')).toBeEnabled();
    expect(screen.queryByTestId('order-form')).toBeNull();
    expect(h.sockets.all).toHaveLength(0);

    // Corrected, the same form signs in.
    ex.skewed = false;
    await signIn(user);
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
  });

  it('asks for both fields before sending anything', async () => {
    const user = userEvent.setup();
    const h = renderRoot(new FakeExchange().route);
    await screen.findByRole('heading', { name: 'Sign in' });
    await user.type(screen.getByLabelText('API key ID'), `${KEY}{Enter}`);
    expect(await screen.findByTestId('signin-error')).toHaveTextContent('Enter the secret of your API key.');
    expect(h.calls('POST', '/api/session')).toHaveLength(0);
  });

  it('returns to the sign-in screen when the session expires mid-use, and closes the WebSocket', async () => {
    const user = userEvent.setup();
    const ex = new FakeExchange();
    ex.signedIn = true; // the cookie from an earlier sign-in
    const h = renderRoot(ex.route);
    await screen.findByTestId('order-form');
    await waitFor(() => expect(h.sockets.all).toHaveLength(1));
    const socket = h.sockets.last();
    act(() => socket.open());

    ex.expire('SESSION_EXPIRED');
    await user.click(screen.getByTestId('tab-history')); // GET /api/orders: 401 SESSION_EXPIRED
    expect(await screen.findByTestId('signin-notice')).toHaveTextContent('Your session expired. Sign in again.');
    expect(screen.queryByTestId('order-form')).toBeNull();
    expect(socket.closed).toEqual({ code: 1000, reason: 'client stop' });

    // Signing in again opens the app on a new connection.
    await signIn(user);
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
    await waitFor(() => expect(h.sockets.all).toHaveLength(2));
  });

  it('returns to the sign-in screen when a mutation finds the session revoked', async () => {
    const user = userEvent.setup();
    const ex = new FakeExchange();
    ex.signedIn = true;
    const h = renderRoot(ex.route);
    await screen.findByTestId('order-form');
    await waitFor(() => expect(h.sockets.all).toHaveLength(1));
    act(() => h.sockets.last().open());

    ex.expire('INVALID_SESSION'); // the key was rotated
    await user.selectOptions(screen.getByLabelText('Type'), 'MARKET');
    await user.type(screen.getByLabelText('Quantity (BTC)'), '0.5{Enter}');
    expect(await screen.findByTestId('signin-notice')).toHaveTextContent('Your session is no longer valid (its API key was revoked or rotated). Sign in again.');
    expect(h.calls('POST', '/api/orders')).toHaveLength(1);
    expect(h.sockets.last().closed).not.toBeNull();
  });

  it('returns to the sign-in screen when the WebSocket token finds the session gone', async () => {
    const ex = new FakeExchange();
    ex.signedIn = true;
    const h = renderRoot((m, p, i) => (p === '/api/ws-token' ? unauthorized('SESSION_EXPIRED') : ex.route(m, p, i)), { useToken: true });
    expect(await screen.findByTestId('signin-notice')).toHaveTextContent('Your session expired. Sign in again.');
    expect(h.calls('POST', '/api/ws-token')).toHaveLength(1);
    expect(h.sockets.all).toHaveLength(0); // no connection without the token
  });

  it('signs out with DELETE /api/session and shows the sign-in screen', async () => {
    const user = userEvent.setup();
    const ex = new FakeExchange();
    ex.signedIn = true;
    const h = renderRoot(ex.route);
    await screen.findByTestId('order-form');
    await waitFor(() => expect(h.sockets.all).toHaveLength(1));
    act(() => h.sockets.last().open());

    await user.click(screen.getByTestId('sign-out'));
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeInTheDocument();
    const [del] = h.calls('DELETE', '/api/session');
    expect(del).toBeDefined();
    expect(header(del!, 'X-OMS-Session')).toBe('1');
    expect(screen.queryByTestId('signin-notice')).toBeNull(); // the trader's own choice needs no explanation
    expect(h.sockets.last().closed).not.toBeNull();
    expect(ex.signedIn).toBe(false);
  });

  it('stays signed in and says so when sign-out cannot reach the exchange', async () => {
    const user = userEvent.setup();
    const ex = new FakeExchange();
    ex.signedIn = true;
    renderRoot((m, p, i) => (m === 'DELETE' && p === '/api/session' ? new TypeError('Failed to fetch') : ex.route(m, p, i)));
    await screen.findByTestId('order-form');
    await user.click(screen.getByTestId('sign-out'));
    expect(await screen.findByTestId('sign-out-error')).toHaveTextContent('Sign-out failed: Cannot reach the exchange.');
    expect(screen.getByTestId('order-form')).toBeInTheDocument();
  });

  it('opens the dashboard directly in dev mode (the demo session needs no sign-in)', async () => {
    const h = renderRoot((m, p) => (m === 'GET' && p === '/api/session' ? { status: 200, body: { accountId: 'demo', keyId: 'dev:demo', scopes: ['trade', 'read', 'admin'] } } : undefined));
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
    expect(screen.getByTestId('account-id')).toHaveTextContent('demo');
    expect(screen.queryByRole('heading', { name: 'Sign in' })).toBeNull();
    expect(h.calls('POST', '/api/session')).toHaveLength(0);
  });

  it('says why at start-up when the cookie has expired', async () => {
    const ex = new FakeExchange();
    ex.expire('SESSION_EXPIRED');
    renderRoot(ex.route);
    expect(await screen.findByTestId('signin-notice')).toHaveTextContent('Your session expired. Sign in again.');
  });

  it('offers a retry when the session check gets no answer', async () => {
    const user = userEvent.setup();
    let down = true;
    const ex = new FakeExchange();
    ex.signedIn = true;
    renderRoot((m, p, i) => (down && p === '/api/session' ? { status: 503, body: { code: 'AUTH_UNAVAILABLE', msg: 'keys' } } : ex.route(m, p, i)));
    expect(await screen.findByTestId('session-unreachable')).toHaveTextContent('Sign-in is temporarily unavailable. Retry.');
    down = false;
    await user.click(screen.getByRole('button', { name: 'Retry' }));
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
  });

  it('runs as before against a server without sessions (GET /api/session is 404)', async () => {
    renderRoot();
    expect(await screen.findByTestId('order-form')).toBeInTheDocument();
    expect(screen.queryByTestId('account')).toBeNull();
  });
});
