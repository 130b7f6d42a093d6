// Wire types. Every data shape comes from docs/openapi.yaml through the generated schema.gen.ts (npm run
// gen:api), under the names the components use; only the WebSocket protocol frames (docs/websocket.md),
// which OpenAPI cannot describe, are written here. Decimals are strings, enums UPPER_SNAKE, times RFC 3339.

import type { components, operations } from './schema.gen';

type S = components['schemas'];

export type Decimal = S['Decimal'];
export type Timestamp = S['Timestamp'];

export type Side = S['Side'];
export type OrderType = S['OrderType'];
export type TimeInForce = S['TimeInForce'];
export type OrderStatus = S['OrderStatus'];
export type ExecType = S['ExecType'];
export type Scope = S['Scope'];

export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set<OrderStatus>(['PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL']);

/** ApiError is every REST error body. */
export type ApiError = S['Error'];

export type Instrument = S['Instrument'];
export type InstrumentsResponse = S['InstrumentList'];

/**
 * NewOrder is the POST /api/orders body. The API also takes JSON numbers for the original clients; the
 * dashboard always sends decimal strings, so the type holds it to that.
 */
export type NewOrder = Omit<S['NewOrder'], 'quantity' | 'price' | 'stopPrice'> & {
  quantity: Decimal;
  price?: Decimal;
  stopPrice?: Decimal;
};

/** OrderAck is the 202 answer to POST /api/orders. */
export type OrderAck = S['OrderAccepted'];
/** RequestAck is the 202 answer to a cancel, cancel-all or amend. */
export type RequestAck = S['RequestAck'];

export type AmendOrder = Omit<S['AmendOrder'], 'quantity' | 'price'> & { quantity?: Decimal; price?: Decimal };

/** Order is an order as the `orders` stream carries it; order-query's orders have these fields and more. */
export type Order = S['StreamOrder'];
/** OrderRecord is an order from order-query (GET /api/orders…). */
export type OrderRecord = S['Order'];
export type OrderPage = S['OrderPage'];
export type OrderQuery = NonNullable<operations['listOrders']['parameters']['query']>;

/** Fill is one of the account's trades from order-query (GET /api/fills). */
export type Fill = S['Fill'];
export type FillPage = S['FillPage'];
export type FillQuery = NonNullable<operations['listFills']['parameters']['query']>;

/** ExecutionReport is the executions topic's JSON (the `executions` stream). */
export type ExecutionReport = S['ExecutionReport'];

export type Ticker = S['StreamTicker'];
export type Level = S['StreamLevel'];
export type Book = S['StreamBook'];
export type Trade = S['StreamTrade'];
export type CandleInterval = S['CandleInterval'];
export const CANDLE_INTERVALS: readonly CandleInterval[] = ['1m', '5m', '15m', '1h', '4h', '1d'];
export type Candle = S['StreamCandle'];
export type Position = S['StreamPosition'];
export type Balance = S['StreamBalance'];

export type WsToken = S['StreamToken'];

/** Session is a browser session (GET/POST /api/session): who the dashboard is signed in as. */
export type Session = S['Session'];

// The admin API.
/** Whoami is the admin API's identity answer (GET /api/admin/whoami). */
export type Whoami = S['Whoami'];
export type TradingState = S['TradingState'];
export type StateScope = S['StateScope'];
export type StateEntry = S['StateEntry'];
export type TradingStateView = S['TradingStateView'];
export type TradingStateChange = S['TradingStateChange'];
export type Account = S['Account'];
export type AccountList = S['AccountList'];
export type NewAccount = S['NewAccount'];
export type RiskLimits = S['RiskLimits'];
export type RiskLimitsUpdate = S['RiskLimitsUpdate'];
export type ApiKey = S['ApiKey'];
export type ApiKeyWithSecret = S['ApiKeyWithSecret'];
export type ApiKeyList = S['ApiKeyList'];
export type NewApiKey = S['NewApiKey'];
export type AuditEntry = S['AuditEntry'];
export type AuditPage = S['AuditPage'];

/** Snapshot and update payloads per channel (docs/websocket.md, "Data shapes"). */
export interface ChannelData {
  ticker: { snapshot: Ticker; update: Ticker };
  book: { snapshot: Book; update: Book };
  trades: { snapshot: { symbol: string; trades: Trade[] }; update: Trade };
  candles: { snapshot: { symbol: string; interval: CandleInterval; candles: Candle[] }; update: Candle };
  /** Updates are coalesced: every order that changed since the last update, latest state each. */
  orders: { snapshot: { orders: Order[] }; update: { orders: Order[] } };
  /** Updates carry every report since the last update, oldest first. */
  executions: { snapshot: { executions: ExecutionReport[] }; update: { executions: ExecutionReport[] } };
  positions: { snapshot: { positions: Position[] }; update: { positions: Position[] } };
  balances: { snapshot: { balances: Balance[] }; update: { balances: Balance[] } };
}

export type MarketChannel = 'ticker' | 'book' | 'trades' | `candles:${CandleInterval}`;
export type UserChannel = 'orders' | 'executions' | 'positions' | 'balances';
export type Channel = MarketChannel | UserChannel;

/** Client → server. */
export type ClientOp =
  | { op: 'subscribe'; channel: string; symbol?: string; depth?: number; id?: string }
  | { op: 'unsubscribe'; channel: string; symbol?: string; id?: string }
  | { op: 'ping'; id?: string };

/** Server → client. */
export type ServerFrame =
  | { type: 'subscribed' | 'unsubscribed'; channel: string; symbol?: string; id?: string }
  | { type: 'snapshot' | 'update'; channel: string; symbol?: string; seq: number; data: unknown }
  | { type: 'heartbeat'; time: string }
  | { type: 'pong'; id?: string }
  | { type: 'error'; code: string; msg?: string; id?: string; channel?: string; symbol?: string };
