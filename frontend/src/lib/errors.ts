// The dashboard's half of the public error code table (docs/errors.md): every code in words a trader
// understands. Unknown codes fall back to the server's message, never to a stack trace.

const words: Record<string, string> = {
  // HTTP (gateway)
  UNAUTHENTICATED: 'You are not signed in.',
  INVALID_API_KEY: 'This API key ID is unknown or has been revoked. Check the key ID.',
  INVALID_SIGNATURE: 'The secret does not match this API key. Check the secret and try again.',
  TIMESTAMP_OUT_OF_WINDOW: "Your computer's clock is out of sync with the exchange. Check your computer's clock (set the time automatically), then try again.",
  SESSION_EXPIRED: 'Your session expired. Sign in again.',
  INVALID_SESSION: 'Your session is no longer valid (its API key was revoked or rotated). Sign in again.',
  SESSION_HEADER_REQUIRED: 'The exchange refused a request to protect your session. Reload the page and sign in again.',
  FORBIDDEN: 'Your API key is not allowed to do this.',
  EMPTY_BODY: 'The order was empty.',
  MALFORMED_JSON: 'The order could not be read.',
  BAD_BODY: 'The order could not be read.',
  UNKNOWN_FIELD: 'The order has a field the exchange does not know.',
  INVALID_FIELD_TYPE: 'A field of the order has the wrong type.',
  FIELD_REQUIRED: 'A required field is missing.',
  INVALID_NUMBER: 'Enter a number.',
  INVALID_SYMBOL: 'That market does not exist.',
  UNKNOWN_SYMBOL: 'That market is not traded here.',
  INVALID_SIDE: 'Choose Buy or Sell.',
  INVALID_ORDER_TYPE: 'Choose an order type.',
  INVALID_TIME_IN_FORCE: 'Choose a time in force.',
  INVALID_PRICE: 'The price must be above zero.',
  INVALID_TICK_SIZE: 'The price is not on the price grid: round it to the tick size.',
  INVALID_QUANTITY: 'The quantity must be above zero.',
  INVALID_LOT_SIZE: 'The quantity is not a multiple of the lot size.',
  QUANTITY_TOO_SMALL: 'The quantity is below the minimum for this market.',
  QUANTITY_TOO_LARGE: 'The quantity is above the maximum for this market.',
  NOTIONAL_TOO_SMALL: 'The order is too small: price × quantity is below the minimum.',
  PRICE_REQUIRED: 'This order type needs a price.',
  PRICE_NOT_ALLOWED: 'This order type takes no price.',
  STOP_PRICE_REQUIRED: 'Stop orders need a stop price.',
  STOP_PRICE_NOT_ALLOWED: 'Only stop orders take a stop price.',
  EXPIRE_TIME_REQUIRED: 'Good-till-date orders need an expiry time.',
  EXPIRE_TIME_PAST: 'The expiry time is in the past.',
  EXPIRE_TIME_NOT_ALLOWED: 'Only good-till-date orders take an expiry time.',
  INVALID_EXPIRE_TIME: 'The expiry time is not valid.',
  POST_ONLY_NOT_ALLOWED: 'Post-only works only on limit orders that rest (not IOC or FOK).',
  INVALID_CLIENT_ORDER_ID: 'The client order id is not valid.',
  INVALID_IDEMPOTENCY_KEY: 'The idempotency key is too long.',
  INVALID_ORDER_ID: 'That order id is not valid.',
  NOTHING_TO_AMEND: 'Change the price or the quantity to amend.',
  BATCH_SIZE: 'A batch holds 1 to 100 orders.',
  BODY_TOO_LARGE: 'The request is too large.',
  REQUEST_IN_FLIGHT: 'This order is still being placed; retrying shortly.',
  IDEMPOTENCY_KEY_REUSED: 'This order id was already used for a different order.',
  IDEMPOTENCY_UNAVAILABLE: 'The exchange is busy: nothing was placed. Retry.',
  KAFKA_UNAVAILABLE: 'The exchange is busy: nothing was placed. Retry.',
  AUTH_UNAVAILABLE: 'Sign-in is temporarily unavailable. Retry.',
  INTERNAL: 'Something went wrong on the exchange. Please report it.',
  BAD_GATEWAY: 'The exchange could not answer this request. Retry shortly.',
  // HTTP (order-query, market-query, admin)
  NOT_FOUND: 'Not found.',
  METHOD_NOT_ALLOWED: 'That action is not offered here.',
  ORDER_NOT_FOUND: 'The exchange does not know that order.',
  UNKNOWN_PARAMETER: 'The dashboard asked for something the exchange does not know.',
  REPEATED_PARAMETER: 'The dashboard sent a question the exchange could not read.',
  MALFORMED_QUERY: 'The dashboard sent a question the exchange could not read.',
  INVALID_LIMIT: 'A value is outside the allowed range.',
  INVALID_TIME: 'The time is not valid.',
  INVALID_CURSOR: 'The list changed meanwhile: start again from the newest page.',
  INVALID_STATUS: 'That order status does not exist.',
  STORE_UNAVAILABLE: 'Stored data is temporarily unavailable. Retry shortly.',
  ACCOUNT_EXISTS: 'An account with this id already exists.',
  ACCOUNT_NOT_FOUND: 'No account with this id exists.',
  ACCOUNT_MISMATCH: 'That key belongs to a different account.',
  KEY_NOT_FOUND: 'No API key with this id exists (bootstrap keys are managed in the deployment, not here).',
  KEY_REVOKED: 'This API key has been revoked.',
  INVALID_SCOPE: 'Choose everything, an account or a market.',
  INVALID_STATE: 'Choose halt, reduce-only or resume.',
  INVALID_TARGET: 'Name the account or market this applies to.',
  INVALID_REASON: 'Give a reason (up to 200 characters).',
  INVALID_NAME: 'The name is empty or too long.',
  INVALID_LABEL: 'The label is too long.',
  INVALID_ACCOUNT_ID: 'Account ids use letters, digits, - and _ (up to 64).',
  INVALID_KEY_SCOPE: 'API key scopes are trade, read and admin.',
  INVALID_KEY_ID: 'That is not an API key id.',
  INVALID_ACTION: 'That audit action does not exist.',
  INVALID_INTERVAL: 'Candle intervals are 1m, 5m, 15m, 1h, 4h and 1d.',
  INVALID_DEPTH: 'Order book depth is 1 to 50 levels.',
  // Audit results (GET /api/admin/audit)
  INVALID: 'Refused: the request was not valid.',
  FAILED: 'Failed: a service was unavailable; nothing was applied.',
  // Execution reports (reason)
  TRADING_HALTED: 'Trading is halted.',
  REDUCE_ONLY_MODE: 'Only orders that reduce your position are accepted right now.',
  REDUCE_ONLY_WOULD_INCREASE: 'A reduce-only order cannot increase your position.',
  RATE_LIMIT_EXCEEDED: 'Too many orders per second.',
  MAX_OPEN_ORDERS_EXCEEDED: 'You have too many open orders.',
  MAX_ORDER_QTY_EXCEEDED: 'The quantity is above your per-order limit.',
  MAX_NOTIONAL_EXCEEDED: 'The order value is above your per-order limit.',
  MAX_POSITION_EXCEEDED: 'The order would take your position above its limit.',
  PRICE_COLLAR_EXCEEDED: 'The limit price is too far through the market.',
  NO_MARKET_DATA: 'No live price for this market: market orders are not possible now.',
  INSUFFICIENT_BALANCE: 'Insufficient balance.',
  DUPLICATE_CLIENT_ORDER_ID: 'This client order id was already used.',
  POST_ONLY_WOULD_TAKE: 'Post-only order would have traded immediately, so it was rejected.',
  USER_CANCEL: 'Canceled by you.',
  USER_CANCEL_ALL: 'Canceled by you (cancel all).',
  MARKET_REMAINDER: 'The part of the market order that found no liquidity expired.',
  IOC_REMAINDER: 'The unfilled part of the IOC order expired.',
  FOK_NOT_FILLED: 'Fill-or-kill order could not be filled completely.',
  GTD_EXPIRED: 'The order reached its expiry time.',
  UNKNOWN_ORDER: 'The exchange does not know that order.',
  ORDER_CLOSED: 'The order is already closed.',
  QUANTITY_BELOW_FILLED: 'The new quantity is below what has already filled.',
  // Streams (/ws)
  INVALID_STREAM_TOKEN: 'Your live-data session expired; reconnecting.',
  UNKNOWN_CHANNEL: 'That live-data channel does not exist.',
  BAD_MESSAGE: 'The dashboard sent a message the exchange could not read.',
  MESSAGE_TOO_LARGE: 'The dashboard sent a message that was too large.',
  SLOW_CONSUMER: 'The connection was too slow to keep up with live data; reconnecting.',
  TOO_MANY_SUBSCRIPTIONS: 'Too many live-data subscriptions on one connection.',
  UNKNOWN_INTERVAL: 'That candle interval is not offered.',
  IDLE_TIMEOUT: 'The live-data connection was idle too long; reconnecting.',
  WRITE_TIMEOUT: 'The live-data connection stalled; reconnecting.',
  SHUTDOWN: 'The exchange is restarting; reconnecting.',
  // Transport (dashboard side)
  NETWORK: 'Cannot reach the exchange. Check your connection.',
  NOT_AVAILABLE: 'Not available yet.',
  SIGNING_UNAVAILABLE: 'This page cannot sign in: open the dashboard over https.',
};

// Where an operator's action fails for the same reason, the consequence differs: say what did not happen.
const operatorWords: Record<string, string> = {
  FORBIDDEN: 'This needs an API key with the admin scope.',
  KAFKA_UNAVAILABLE: 'The change could not be made durable: nothing changed. Retry.',
  STORE_UNAVAILABLE: 'The admin store is unavailable: nothing changed. Retry shortly.',
};

/** Audience is who reads the sentence: a trader (default) or an operator in the admin view. */
export type Audience = 'trader' | 'operator';

/** describe turns a code (plus the server's numbers, if any) into a sentence for the trader (or operator). */
export function describe(code: string | undefined, detail?: string, audience: Audience = 'trader'): string {
  if (!code) return detail ?? 'Unknown error.';
  const w = (audience === 'operator' ? operatorWords[code] : undefined) ?? words[code] ?? `${code.replace(/_/g, ' ').toLowerCase().replace(/^./, (c) => c.toUpperCase())}.`;
  return detail ? `${w} (${detail})` : w;
}

/** isKnownCode reports whether the table has the code (tests keep it in step with docs/errors.md). */
export function isKnownCode(code: string): boolean {
  return code in words;
}
