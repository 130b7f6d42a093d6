// The one REST client. Every call returns parsed JSON or throws an ApiFailure whose code is from the public
// error table (docs/errors.md), or NETWORK / NOT_AVAILABLE / SIGNING_UNAVAILABLE for what the transport
// itself tells us.
//
// Authentication is the browser session: signIn signs one request (POST /api/session) with the API key and
// the gateway answers with an HttpOnly cookie that authenticates every later call. Every call carries
// X-OMS-Session: 1, without which the cookie is refused (a cross-site page cannot add that header). A 401
// that says the session is gone is announced to onSessionLost listeners (the sign-in gate).

import type {
  AccountList,
  AmendOrder,
  ApiError,
  ApiKeyList,
  ApiKey,
  ApiKeyWithSecret,
  AuditPage,
  FillPage,
  FillQuery,
  InstrumentsResponse,
  NewAccount,
  Account,
  NewApiKey,
  NewOrder,
  OrderAck,
  OrderPage,
  OrderQuery,
  RequestAck,
  RiskLimits,
  RiskLimitsUpdate,
  StateEntry,
  TradingStateChange,
  TradingStateView,
  Whoami,
  WsToken,
  Session,
} from './types';
import { signedHeaders } from '../lib/sign';

export class ApiFailure extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: number,
    readonly field?: string,
  ) {
    super(message);
    this.name = 'ApiFailure';
  }

  /** retryable: nothing was placed, or the first attempt is still running; retry with the same key. */
  get retryable(): boolean {
    return this.code === 'NETWORK' || this.status === 503 || this.code === 'REQUEST_IN_FLIGHT' || this.status >= 500;
  }
}

export type Fetch = (input: string, init?: RequestInit) => Promise<Response>;

/** SESSION_HEADER goes on every request: the gateway and the Lambdas refuse the session cookie without it. */
export const SESSION_HEADER = 'X-OMS-Session';

/** The 401 codes that mean the browser session is gone (expired, revoked, never there, or unusable). */
export const SESSION_LOST_CODES: ReadonlySet<string> = new Set(['SESSION_EXPIRED', 'INVALID_SESSION', 'UNAUTHENTICATED', 'SESSION_HEADER_REQUIRED']);

/** isSessionLost reports whether a call failed because the browser session is gone. */
export function isSessionLost(e: unknown): e is ApiFailure {
  return e instanceof ApiFailure && e.status === 401 && SESSION_LOST_CODES.has(e.code);
}

/** query encodes the parameters that are set (order-query and admin refuse unknown or empty ones). */
export function query(params: Record<string, string | number | undefined | null>): string {
  const parts = Object.entries(params)
    .filter(([, v]) => v !== undefined && v !== null && v !== '')
    .map(([k, v]) => `${encodeURIComponent(k)}=${encodeURIComponent(String(v))}`);
  return parts.length ? `?${parts.join('&')}` : '';
}

const seg = encodeURIComponent;

interface CallOptions {
  headers?: Record<string, string>;
  /** A call of the sign-in flow itself: its 401 is an answer, not the loss of a session. */
  sessionCall?: boolean;
}

export class RestClient {
  private readonly lostListeners = new Set<(e: ApiFailure) => void>();

  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: Fetch = (i, init) => fetch(i, init),
  ) {}

  /** onSessionLost hears every call (but the session calls) refused because the session is gone. */
  onSessionLost(listener: (e: ApiFailure) => void): () => void {
    this.lostListeners.add(listener);
    return () => this.lostListeners.delete(listener);
  }

  private async call<T>(method: string, path: string, body?: unknown, opts: CallOptions = {}): Promise<T> {
    try {
      return await this.send<T>(method, path, body, opts.headers ?? {});
    } catch (e) {
      if (!opts.sessionCall && isSessionLost(e)) for (const l of [...this.lostListeners]) l(e);
      throw e;
    }
  }

  private async send<T>(method: string, path: string, body: unknown, headers: Record<string, string>): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers: {
          Accept: 'application/json',
          ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}),
          [SESSION_HEADER]: '1',
          ...headers,
        },
        ...(body !== undefined ? { body: JSON.stringify(body) } : {}),
        credentials: 'same-origin',
      });
    } catch (e) {
      throw new ApiFailure('NETWORK', e instanceof Error ? e.message : 'network error', 0);
    }
    const text = await res.text();
    let json: unknown = undefined;
    if (text) {
      try {
        json = JSON.parse(text);
      } catch {
        json = undefined;
      }
    }
    if (!res.ok) {
      if (res.status === 404 && !(json && typeof json === 'object' && 'code' in json)) {
        throw new ApiFailure('NOT_AVAILABLE', `${method} ${path}: not available`, 404);
      }
      const err = (json ?? {}) as Partial<ApiError>;
      throw new ApiFailure(err.code ?? `HTTP_${res.status}`, err.msg ?? res.statusText, res.status, err.field);
    }
    return json as T;
  }

  // browser session

  /** session is who the browser is signed in as (401 when it is not: UNAUTHENTICATED, SESSION_EXPIRED, …). */
  session(): Promise<Session> {
    return this.call('GET', '/api/session', undefined, { sessionCall: true });
  }

  /**
   * signIn signs POST /api/session (empty body) with the API key; the answer sets the session cookie. The
   * secret is only used to sign, here, and is not kept.
   */
  async signIn(keyId: string, secret: string, now: () => number = Date.now): Promise<Session> {
    const path = '/api/session';
    let headers: Record<string, string>;
    try {
      headers = await signedHeaders(keyId, secret, 'POST', this.pathAndQuery(path), '', now);
    } catch (e) {
      // No WebCrypto (a page served over plain http), or it refused the key.
      throw new ApiFailure('SIGNING_UNAVAILABLE', e instanceof Error ? e.message : 'cannot sign', 0);
    }
    return this.call('POST', path, undefined, { headers, sessionCall: true });
  }

  /** signOut clears the session cookie. */
  async signOut(): Promise<void> {
    await this.call('DELETE', '/api/session', undefined, { sessionCall: true });
  }

  /** pathAndQuery is the path the server sees (what is signed): the base URL's own path, if any, comes first. */
  private pathAndQuery(path: string): string {
    const u = new URL(this.baseUrl + path, 'http://localhost');
    return u.pathname + u.search;
  }

  instruments(): Promise<InstrumentsResponse> {
    return this.call('GET', '/api/instruments');
  }

  /** placeOrder sends one logical order; idempotencyKey must be reused verbatim on retry. */
  placeOrder(order: NewOrder, idempotencyKey: string): Promise<OrderAck> {
    return this.call('POST', '/api/orders', order, { headers: { 'X-Idempotency-Key': idempotencyKey } });
  }

  cancelOrder(orderId: string): Promise<RequestAck> {
    return this.call('DELETE', `/api/orders/${seg(orderId)}`);
  }

  cancelAll(symbol?: string): Promise<RequestAck> {
    return this.call('DELETE', `/api/orders${query({ symbol })}`);
  }

  amendOrder(orderId: string, amend: AmendOrder): Promise<RequestAck> {
    return this.call('PATCH', `/api/orders/${seg(orderId)}`, amend);
  }

  wsToken(): Promise<WsToken> {
    return this.call('POST', '/api/ws-token');
  }

  health(): Promise<unknown> {
    return this.call('GET', '/health');
  }

  // order-query

  /** orders is one page of the account's orders, newest first. */
  orders(q: OrderQuery = {}): Promise<OrderPage> {
    return this.call('GET', `/api/orders${query({ ...q })}`);
  }

  /** fills is one page of the account's fills, newest first. */
  fills(q: FillQuery = {}): Promise<FillPage> {
    return this.call('GET', `/api/fills${query({ ...q })}`);
  }

  // admin

  whoami(): Promise<Whoami> {
    return this.call('GET', '/api/admin/whoami');
  }

  tradingState(): Promise<TradingStateView> {
    return this.call('GET', '/api/admin/trading-state');
  }

  /** setTradingState is halt / reduce-only / resume; a reason is required. */
  setTradingState(change: TradingStateChange): Promise<StateEntry> {
    return this.call('POST', '/api/admin/trading-state', change);
  }

  accounts(): Promise<AccountList> {
    return this.call('GET', '/api/admin/accounts');
  }

  createAccount(a: NewAccount): Promise<Account> {
    return this.call('POST', '/api/admin/accounts', a);
  }

  riskLimits(accountId: string): Promise<RiskLimits> {
    return this.call('GET', `/api/admin/accounts/${seg(accountId)}/risk-limits`);
  }

  setRiskLimits(accountId: string, limits: RiskLimitsUpdate): Promise<RiskLimits> {
    return this.call('PUT', `/api/admin/accounts/${seg(accountId)}/risk-limits`, limits);
  }

  apiKeys(accountId?: string): Promise<ApiKeyList> {
    return this.call('GET', `/api/admin/api-keys${query({ accountId })}`);
  }

  createApiKey(k: NewApiKey): Promise<ApiKeyWithSecret> {
    return this.call('POST', '/api/admin/api-keys', k);
  }

  rotateApiKey(keyId: string): Promise<ApiKeyWithSecret> {
    return this.call('POST', `/api/admin/api-keys/${seg(keyId)}/rotate`);
  }

  revokeApiKey(keyId: string): Promise<ApiKey> {
    return this.call('DELETE', `/api/admin/api-keys/${seg(keyId)}`);
  }

  audit(q: { limit?: number; cursor?: string; action?: string } = {}): Promise<AuditPage> {
    return this.call('GET', `/api/admin/audit${query(q)}`);
  }
}
