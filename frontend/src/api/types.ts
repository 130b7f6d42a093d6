// Wire types, written by hand from docs/websocket.md, docs/errors.md and the README (order entry). They are
// to be generated from the OpenAPI document in docs/ once it exists; keep the names as they are on the wire.
// Decimals are strings, enums UPPER_SNAKE, times RFC 3339.

export type Decimal = string;
export type Timestamp = string;

export type Side = 'BUY' | 'SELL';
export type OrderType = 'MARKET' | 'LIMIT' | 'STOP_MARKET' | 'STOP_LIMIT';
export type TimeInForce = 'GTC' | 'IOC' | 'FOK' | 'GTD';
export type OrderStatus =
  | 'PENDING_NEW'
  | 'NEW'
  | 'PARTIALLY_FILLED'
  | 'FILLED'
  | 'PENDING_CANCEL'
  | 'CANCELED'
  | 'REJECTED'
  | 'DENIED'
  | 'EXPIRED';
export type ExecType =
  | 'NEW'
  | 'TRADE'
  | 'CANCELED'
  | 'REPLACED'
  | 'REJECTED'
  | 'EXPIRED'
  | 'TRIGGERED'
  | 'CANCEL_REJECTED'
  | 'REPLACE_REJECTED';

export const OPEN_STATUSES: ReadonlySet<OrderStatus> = new Set(['PENDING_NEW', 'NEW', 'PARTIALLY_FILLED', 'PENDING_CANCEL']);

/** ApiError is every REST error body. */
export interface ApiError {
  code: string;
  msg: string;
  field?: string;
}

export interface Instrument {
  symbol: string;
  base: string;
  quote: string;
  tickSize: Decimal;
  lotSize: Decimal;
  minQty: Decimal;
  maxQty: Decimal;
  minNotional: Decimal;
}

export interface InstrumentsResponse {
  instruments: Instrument[];
}

/** NewOrder is the POST /api/orders body. */
export interface NewOrder {
  symbol: string;
  side: Side;
  orderType: OrderType;
  quantity: Decimal;
  price?: Decimal;
  stopPrice?: Decimal;
  timeInForce?: TimeInForce;
  expireTime?: Timestamp;
  postOnly?: boolean;
  reduceOnly?: boolean;
  clientOrderId?: string;
}

/** OrderAck is the 202 answer to POST /api/orders (and to cancel/amend). */
export interface OrderAck {
  orderId: string;
  clientOrderId?: string;
  status: OrderStatus | string;
  [k: string]: unknown;
}

export interface AmendOrder {
  quantity?: Decimal;
  price?: Decimal;
}

export interface Order {
  orderId: string;
  clientOrderId: string;
  symbol: string;
  side: Side;
  orderType: OrderType;
  timeInForce?: TimeInForce;
  status: OrderStatus;
  quantity: Decimal;
  price?: Decimal | null; // null for market orders
  stopPrice?: Decimal | null;
  cumQty: Decimal;
  avgPrice?: Decimal;
  leavesQty: Decimal;
  postOnly?: boolean;
  reduceOnly?: boolean;
  reason?: string;
  text?: string;
  createdAt?: Timestamp;
  updatedAt?: Timestamp;
  seq?: number;
}

/** ExecutionReport is the executions topic's JSON. */
export interface ExecutionReport {
  execId: string;
  orderId: string;
  clientOrderId: string;
  accountId?: string;
  symbol: string;
  side?: Side;
  orderType?: OrderType;
  timeInForce?: TimeInForce;
  execType: ExecType;
  status: OrderStatus;
  quantity: Decimal;
  price?: Decimal;
  stopPrice?: Decimal;
  postOnly?: boolean;
  reduceOnly?: boolean;
  lastQty?: Decimal;
  lastPrice?: Decimal;
  cumQty: Decimal;
  avgPrice?: Decimal;
  leavesQty: Decimal;
  fee?: Decimal;
  feeAsset?: string;
  liquidity?: string;
  referencePrice?: Decimal;
  seq?: number;
  reason?: string;
  text?: string;
  createdAt?: Timestamp;
  transactTime?: Timestamp;
  receivedAt?: Timestamp;
}

export interface Ticker {
  symbol: string;
  bid: Decimal;
  ask: Decimal;
  last: Decimal;
  open24h: Decimal;
  change24h: Decimal;
  changePercent24h: Decimal;
  high24h: Decimal;
  low24h: Decimal;
  volume24h: Decimal;
  timestamp: Timestamp;
}

export type Level = [price: Decimal, size: Decimal];

export interface Book {
  symbol: string;
  bids: Level[];
  asks: Level[];
  timestamp: Timestamp;
}

export interface Trade {
  price: Decimal;
  size: Decimal;
  side: Side;
  timestamp: Timestamp;
}

export type CandleInterval = '1m' | '5m' | '15m' | '1h' | '4h' | '1d';
export const CANDLE_INTERVALS: readonly CandleInterval[] = ['1m', '5m', '15m', '1h', '4h', '1d'];

export interface Candle {
  time: Timestamp;
  open: Decimal;
  high: Decimal;
  low: Decimal;
  close: Decimal;
  volume: Decimal;
}

export interface Position {
  symbol: string;
  quantity: Decimal;
  avgEntryPrice: Decimal;
  realizedPnl: Decimal;
  markPrice: Decimal;
  unrealizedPnl: Decimal;
}

export interface Balance {
  asset: string;
  total: Decimal;
  reserved: Decimal;
  available: Decimal;
}

/** Snapshot and update payloads per channel (docs/websocket.md, "Data shapes"). */
export interface ChannelData {
  ticker: { snapshot: Ticker; update: Ticker };
  book: { snapshot: Book; update: Book };
  trades: { snapshot: { symbol: string; trades: Trade[] }; update: Trade };
  candles: { snapshot: { symbol: string; interval: CandleInterval; candles: Candle[] }; update: Candle };
  orders: { snapshot: { orders: Order[] }; update: Order };
  executions: { snapshot: { executions: ExecutionReport[] }; update: ExecutionReport };
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

export interface WsToken {
  token: string;
  expiresAt: Timestamp;
  accountId: string;
}

/** Whoami is the admin API's identity answer (GET /api/admin/whoami). */
export interface Whoami {
  keyId?: string;
  accountId?: string;
  scopes: string[];
}

export type TradingState = 'ACTIVE' | 'REDUCING' | 'HALTED';
