import { createHmac } from 'node:crypto';
import { describe, expect, it, vi } from 'vitest';
import { ApiFailure, RestClient, SESSION_HEADER } from './client';

function client(reply: (method: string, url: string) => { status: number; body?: unknown } = () => ({ status: 200, body: {} }), base = '') {
  const fetchMock = vi.fn(async (url: string, init: RequestInit = {}) => {
    const r = reply(init.method ?? 'GET', url);
    return new Response(r.body === undefined ? null : JSON.stringify(r.body), { status: r.status });
  });
  return { rest: new RestClient(base, fetchMock), fetchMock };
}
const headers = (i: RequestInit | undefined) => (i?.headers ?? {}) as Record<string, string>;

describe('RestClient and the browser session', () => {
  it('sends X-OMS-Session: 1 with every call, beside the call’s own headers', async () => {
    const { rest, fetchMock } = client((m) => (m === 'DELETE' ? { status: 204 } : { status: 200, body: {} }));
    await rest.instruments();
    await rest.placeOrder({ symbol: 'BTC-USD', side: 'BUY', orderType: 'MARKET', quantity: '1' }, 'idem-1');
    await rest.orders({ limit: 5 });
    await rest.wsToken();
    await rest.whoami();
    await rest.session();
    await rest.signIn('k1', '0123456789abcdef0123');
    await rest.signOut();
    expect(fetchMock).toHaveBeenCalledTimes(8);
    for (const [url, init] of fetchMock.mock.calls) {
      expect(headers(init)[SESSION_HEADER], url).toBe('1');
      expect(init?.credentials, url).toBe('same-origin');
    }
    expect(headers(fetchMock.mock.calls[1]![1])['X-Idempotency-Key']).toBe('idem-1');
  });

  it('signs the path the server sees, base path included', async () => {
    const { rest, fetchMock } = client(() => ({ status: 200, body: { accountId: 'a', keyId: 'k1', scopes: ['read'] } }), 'https://oms.example/edge');
    await rest.signIn('k1', 'the-secret-0123456789', () => 1764000000000);
    const [url, init] = fetchMock.mock.calls[0]!;
    expect(url).toBe('https://oms.example/edge/api/session');
    expect(headers(init)).toMatchObject({
      'X-OMS-Key': 'k1',
      'X-OMS-Timestamp': '1764000000000',
      'X-OMS-Signature': createHmac('sha256', 'the-secret-0123456789').update('1764000000000POST/edge/api/session').digest('hex'),
    });
  });

  it('announces a lost session from any call but the session calls themselves', async () => {
    let code = 'SESSION_EXPIRED';
    const { rest } = client(() => ({ status: 401, body: { code, msg: 'x' } }));
    const lost = vi.fn();
    const off = rest.onSessionLost(lost);
    await expect(rest.orders()).rejects.toMatchObject({ code: 'SESSION_EXPIRED', status: 401 });
    expect(lost).toHaveBeenCalledTimes(1);
    expect(lost.mock.calls[0]![0]).toBeInstanceOf(ApiFailure);
    for (const c of ['INVALID_SESSION', 'UNAUTHENTICATED', 'SESSION_HEADER_REQUIRED']) {
      code = c;
      await expect(rest.placeOrder({ symbol: 'BTC-USD', side: 'BUY', orderType: 'MARKET', quantity: '1' }, 'i')).rejects.toMatchObject({ code: c });
    }
    expect(lost).toHaveBeenCalledTimes(4);

    // A refused sign-in or the start-up check is an answer, not a loss.
    code = 'UNAUTHENTICATED';
    await expect(rest.session()).rejects.toMatchObject({ code });
    code = 'INVALID_SIGNATURE';
    await expect(rest.signIn('k1', 'wrong-secret-0123456')).rejects.toMatchObject({ code });
    await expect(rest.wsToken()).rejects.toMatchObject({ code }); // not a session code
    expect(lost).toHaveBeenCalledTimes(4);
    off();
    code = 'SESSION_EXPIRED';
    await expect(rest.orders()).rejects.toMatchObject({ code });
    expect(lost).toHaveBeenCalledTimes(4);
  });

  it('refuses to sign in where the page has no WebCrypto', async () => {
    const { rest, fetchMock } = client();
    vi.stubGlobal('crypto', {});
    try {
      await expect(rest.signIn('k1', 'the-secret-0123456789')).rejects.toMatchObject({ code: 'SIGNING_UNAVAILABLE' });
    } finally {
      vi.unstubAllGlobals();
    }
    expect(fetchMock).not.toHaveBeenCalled();
  });
});
