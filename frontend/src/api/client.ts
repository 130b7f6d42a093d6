// The one REST client. Every call returns parsed JSON or throws an ApiFailure whose code is from the public
// error table (docs/errors.md), or NETWORK / NOT_AVAILABLE for what the transport itself tells us.

import type { AmendOrder, ApiError, InstrumentsResponse, NewOrder, OrderAck, Whoami, WsToken } from './types';

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

export class RestClient {
  constructor(
    private readonly baseUrl: string,
    private readonly fetchFn: Fetch = (i, init) => fetch(i, init),
  ) {}

  private async call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<T> {
    let res: Response;
    try {
      res = await this.fetchFn(this.baseUrl + path, {
        method,
        headers: { Accept: 'application/json', ...(body !== undefined ? { 'Content-Type': 'application/json' } : {}), ...headers },
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

  instruments(): Promise<InstrumentsResponse> {
    return this.call('GET', '/api/instruments');
  }

  /** placeOrder sends one logical order; idempotencyKey must be reused verbatim on retry. */
  placeOrder(order: NewOrder, idempotencyKey: string): Promise<OrderAck> {
    return this.call('POST', '/api/orders', order, { 'X-Idempotency-Key': idempotencyKey });
  }

  cancelOrder(orderId: string): Promise<OrderAck> {
    return this.call('DELETE', `/api/orders/${encodeURIComponent(orderId)}`);
  }

  cancelAll(symbol?: string): Promise<unknown> {
    return this.call('DELETE', `/api/orders${symbol ? `?symbol=${encodeURIComponent(symbol)}` : ''}`);
  }

  amendOrder(orderId: string, amend: AmendOrder): Promise<OrderAck> {
    return this.call('PATCH', `/api/orders/${encodeURIComponent(orderId)}`, amend);
  }

  wsToken(): Promise<WsToken> {
    return this.call('POST', '/api/ws-token');
  }

  whoami(): Promise<Whoami> {
    return this.call('GET', '/api/admin/whoami');
  }

  /** setTradingState is the admin API's halt / reduce-only / resume (shape to confirm with the admin issue). */
  setTradingState(body: { scope: 'GLOBAL' | 'SYMBOL' | 'ACCOUNT'; target?: string; state: string; reason?: string }): Promise<unknown> {
    return this.call('POST', '/api/admin/trading-state', body);
  }

  tradingState(): Promise<unknown> {
    return this.call('GET', '/api/admin/trading-state');
  }

  health(): Promise<unknown> {
    return this.call('GET', '/health');
  }
}
