// Generated from docs/openapi.yaml by openapi-typescript (npm run gen:api). Do not edit by hand:
// change the document and regenerate; npm test fails while this file is stale.
/* eslint-disable */
export interface paths {
    "/api/orders": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's orders
         * @description Newest first (by `createdAt`), filtered, paginated by cursor. Only the caller's account is ever searched.
         */
        get: operations["listOrders"];
        put?: never;
        /**
         * Place an order
         * @description Validates the order, reserves the idempotency key (`X-Idempotency-Key`, else the body's
         *     `clientOrderId`) and answers 202 only once the command is durable in Kafka (acks=all). The order's
         *     fate arrives asynchronously: execution reports on `/ws` (`orders`, `executions`) and in order-query.
         *     Risk denials are not errors here: the order is reported `DENIED` with `reason` and `text`.
         *
         *     Idempotency: the same key with the same order (compared canonically: `0.1` equals `"0.10"`) returns
         *     the original response, and nothing new is created; the same key with a different order is
         *     `422 IDEMPOTENCY_KEY_REUSED`; the same key while the first request is still running is
         *     `409 REQUEST_IN_FLIGHT`. Retry a 503 or a network error with the same key.
         */
        post: operations["placeOrder"];
        /**
         * Cancel all open orders (of one symbol)
         * @description Publishes one CANCEL_ALL command for the caller's account; each canceled order is reported with reason `USER_CANCEL_ALL`.
         */
        delete: operations["cancelAllOrders"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/batch": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Place up to 100 orders in one request
         * @description Each order is its own idempotent request keyed by its `clientOrderId` (required here), so a batch
         *     can be retried whole: orders that went through are replayed, the others are placed. The answer is
         *     200 with one result per order, in request order; each result carries the status the single-order
         *     endpoint would have answered. The body is `{"orders":[…]}` or a bare array.
         */
        post: operations["placeOrderBatch"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/{orderId}": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        /**
         * One of the caller's orders
         * @description Another account's order is `404 ORDER_NOT_FOUND`, exactly like an order that does not exist.
         */
        get: operations["getOrder"];
        put?: never;
        post?: never;
        /**
         * Cancel an order
         * @description Publishes a CANCEL command. The outcome is reported on the order: `CANCELED` (reason `USER_CANCEL`),
         *     or an execution report of type `CANCEL_REJECTED` (`UNKNOWN_ORDER`, `ORDER_CLOSED`).
         */
        delete: operations["cancelOrder"];
        options?: never;
        head?: never;
        /**
         * Amend an order's quantity and/or price
         * @description Publishes a REPLACE command. The outcome is reported on the order (exec type `REPLACED`), or as
         *     `REPLACE_REJECTED` with the reason (`QUANTITY_BELOW_FILLED`, `ORDER_CLOSED`, a risk code); a refused
         *     amend leaves the order unchanged.
         */
        patch: operations["amendOrder"];
        trace?: never;
    };
    "/api/instruments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Traded instruments and their trading rules */
        get: operations["listInstruments"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/ws-token": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * A short-lived token for the WebSocket
         * @description Signed like any private request, with an empty body (or sent with the session cookie and
         *     `X-OMS-Session`, as the dashboard does); needs the `read` (or `trade`) scope. The token
         *     must be used to connect (`/ws?token=…`) within 60 s. `404 NOT_AVAILABLE` when streams are disabled
         *     on this gateway.
         */
        post: operations["issueStreamToken"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/session": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The browser session's account, key and scopes
         * @description Who the caller is: with the session cookie (and `X-OMS-Session`), the session's account, key, scopes
         *     and expiry; a signed request is answered too (without `expiresAt`). The dashboard asks this at
         *     start-up and shows its sign-in screen on a 401. In local dev mode an unsigned request from loopback
         *     is the demo session (`keyId` `dev:<account>`, no cookie needed). Any valid key: trade, read or admin.
         */
        get: operations["getSession"];
        put?: never;
        /**
         * Sign in (open a browser session)
         * @description Signed with the API key (the three `X-OMS-*` headers), with an empty body; any valid key (trade,
         *     read, or admin for an operator's view). Answers the session and sets the `oms_session` cookie (`HttpOnly; SameSite=Strict;
         *     Secure; Path=/`, for 8 hours). Only a signed request opens a session: a session cannot extend
         *     itself (`401 UNAUTHENTICATED` for a request with the cookie alone). `404 NOT_AVAILABLE` when
         *     sessions are disabled on this gateway.
         */
        post: operations["openSession"];
        /**
         * Sign out (clear the session cookie)
         * @description Clears the `oms_session` cookie; needs no credentials and always answers 204. The token itself is
         *     stateless and stays valid until it expires: revoking or rotating the key is what ends every session
         *     of a key at once.
         */
        delete: operations["closeSession"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ws": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * WebSocket streams (upgrade)
         * @description Upgrades to a WebSocket carrying JSON frames: market channels (`ticker`, `book`, `trades`,
         *     `candles:<interval>`) per symbol and the account's channels (`orders`, `executions`, `positions`,
         *     `balances`), each a snapshot then updates with a per-channel `seq`. The protocol is in
         *     [docs/websocket.md](websocket.md); the data shapes are the `Stream*` and `ExecutionReport` schemas
         *     below. Without a token only market channels may be subscribed (dev mode: loopback is the demo account).
         */
        get: operations["openStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health of the gateway and its dependencies */
        get: operations["health"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/healthz": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Health (Kubernetes probe alias of /health) */
        get: operations["healthz"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/orders/by-client-id/{clientOrderId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the caller's orders, by client order id */
        get: operations["getOrderByClientId"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/fills": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * List the caller's fills
         * @description Newest first, paginated by cursor.
         */
        get: operations["listFills"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's positions (from fills; no mark price — the `positions` stream adds live P&L) */
        get: operations["listPositions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/balances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The caller's balances per asset */
        get: operations["listBalances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latest price snapshot of every instrument that has market data */
        get: operations["listPrices"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/prices/{symbol}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Latest price snapshot of one instrument */
        get: operations["getPrice"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/candlestick/{symbol}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Candles of one instrument, oldest first */
        get: operations["getCandles"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/candles/{symbol}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Alias of /api/market-data/candlestick/{symbol} */
        get: operations["getCandlesAlias"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/orderbook/{symbol}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Order book of one instrument, best levels first */
        get: operations["getOrderBook"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/market-data/trades/{symbol}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Recent market trades of one instrument, newest first */
        get: operations["getTrades"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/whoami": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The calling key's identity and scopes (any valid key)
         * @description The dashboard shows its operator view only when `scopes` contains `admin`.
         */
        get: operations["whoami"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/trading-state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Trading state, global and per account and symbol */
        get: operations["getTradingState"];
        put?: never;
        /**
         * Halt, reduce-only or resume trading (globally, for an account or for a symbol)
         * @description Publishes a control command to the `control` topic and answers 202 once Kafka acknowledged it
         *     (acks=all); the processor obeys it within a second. `HALTED` denies every new order
         *     (`TRADING_HALTED`); `REDUCING` accepts only orders that reduce a position (`REDUCE_ONLY_MODE`);
         *     `ACTIVE` resumes. Audited, also when refused.
         */
        post: operations["setTradingState"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/accounts": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Accounts */
        get: operations["listAccounts"];
        put?: never;
        /** Create an account */
        post: operations["createAccount"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/accounts/{accountId}/risk-limits": {
        parameters: {
            query?: never;
            header?: never;
            path: {
                accountId: components["schemas"]["AccountId"];
            };
            cookie?: never;
        };
        /** An account's risk limits (the defaults if never set) */
        get: operations["getRiskLimits"];
        /**
         * Replace an account's risk limits
         * @description Validated (positive decimals, known symbols, `priceCollarPct` in (0, 100], integers from 0 (no limit)
         *     to 1,000,000), stored, and published to `control` as a LIMITS command that the processor applies to
         *     the account within a second. A refusal names the offending `field` by its path (`priceCollarPct`,
         *     `maxOrderQty.BTC-USD`) with code `INVALID_LIMIT` or `UNKNOWN_SYMBOL`. Audited, also when refused.
         */
        put: operations["setRiskLimits"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** API keys (never their secrets) */
        get: operations["listApiKeys"];
        put?: never;
        /**
         * Create an API key; its secret is answered this once
         * @description The secret is stored only sealed (AES-256-GCM under a key-encryption key) and is never shown again:
         *     copy it now. The key works at the gateway, order-query and admin within 5 s.
         */
        post: operations["createApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/api-keys/{keyId}/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Give a key a new secret; the old one stops working */
        post: operations["rotateApiKey"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/api-keys/{keyId}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Revoke a key (idempotent) */
        delete: operations["revokeApiKey"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/api/admin/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The audit log, newest first (append-only)
         * @description Every mutating admin call appends one entry, also refused ones (`DENIED`, `INVALID`).
         */
        get: operations["listAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export type webhooks = Record<string, never>;
export interface components {
    schemas: {
        /** @description Every error body. `code` is from the public table (docs/errors.md); `field` only for validation errors. */
        Error: {
            /** @example INVALID_TICK_SIZE */
            code: string;
            /** @description For people; may change. */
            msg: string;
            /** @description The field, header or query parameter at fault. */
            field?: string;
        };
        /**
         * @description An exact decimal in plain notation. Never a JSON number in responses.
         * @example 45000.5
         * @example 0.001
         */
        Decimal: string;
        /** @description A decimal as a string (preferred) or, for the original clients, a JSON number; an exponent (`1e-3`) is accepted; at most 48 digits. */
        DecimalInput: string | number;
        /**
         * Format: date-time
         * @description RFC 3339 in UTC.
         * @example 2026-11-25T09:30:00.123Z
         */
        Timestamp: string;
        /**
         * @description RFC 3339 or Unix milliseconds.
         * @example 2026-11-25T00:00:00Z
         * @example 1795564800000
         */
        TimeParam: string;
        /**
         * @description BASE-QUOTE (`BTC-USD`); `BTC/USD` is accepted on input.
         * @example BTC-USD
         */
        Symbol: string;
        /** @description 32 lower-case hex characters, derived from (account, clientOrderId). */
        OrderId: string;
        ClientOrderId: string;
        AccountId: string;
        /** @enum {string} */
        Side: "BUY" | "SELL";
        /** @enum {string} */
        OrderType: "MARKET" | "LIMIT" | "STOP_MARKET" | "STOP_LIMIT";
        /** @enum {string} */
        TimeInForce: "GTC" | "IOC" | "FOK" | "GTD";
        /**
         * @description One vocabulary everywhere. `REJECTED` is the venue's refusal, `DENIED` our risk check's.
         * @enum {string}
         */
        OrderStatus: "PENDING_NEW" | "NEW" | "PARTIALLY_FILLED" | "FILLED" | "PENDING_CANCEL" | "CANCELED" | "REJECTED" | "DENIED" | "EXPIRED";
        /** @enum {string} */
        ExecType: "NEW" | "TRADE" | "CANCELED" | "REPLACED" | "REJECTED" | "EXPIRED" | "TRIGGERED" | "CANCEL_REJECTED" | "REPLACE_REJECTED";
        /** @enum {string} */
        Liquidity: "MAKER" | "TAKER";
        /** @enum {string} */
        Scope: "trade" | "read" | "admin";
        /** @enum {string} */
        CandleInterval: "1m" | "5m" | "15m" | "1h" | "4h" | "1d";
        /**
         * @description The `POST /api/orders` body: the original design's fields plus ours. Unknown fields are refused
         *     (`UNKNOWN_FIELD`). `price` is required for LIMIT and STOP_LIMIT and refused otherwise (absent or null
         *     for MARKET); `stopPrice` exactly for STOP_*; `expireTime` exactly for GTD. `timeInForce` defaults to
         *     IOC for MARKET/STOP_MARKET and GTC otherwise. Prices must be on the instrument's tick, quantities on
         *     its lot, within min/max quantity and above the minimum notional.
         */
        NewOrder: {
            symbol: components["schemas"]["Symbol"];
            side: components["schemas"]["Side"];
            orderType: components["schemas"]["OrderType"];
            quantity: components["schemas"]["DecimalInput"];
            price?: components["schemas"]["DecimalInput"] | null;
            stopPrice?: components["schemas"]["DecimalInput"] | null;
            timeInForce?: components["schemas"]["TimeInForce"];
            expireTime?: components["schemas"]["Timestamp"];
            /** @description LIMIT only, not with IOC/FOK; rejected (`POST_ONLY_WOULD_TAKE`) if it would trade at once. */
            postOnly?: boolean;
            /** @description Denied (`REDUCE_ONLY_WOULD_INCREASE`) if it would increase the position. */
            reduceOnly?: boolean;
            /** @description Your id for the order (defaults to the idempotency key); the order id is derived from it. */
            clientOrderId?: components["schemas"]["ClientOrderId"];
        };
        /** @description The 202 answer to an order: what was accepted, decimals as strings, status `PENDING_NEW`. */
        OrderAccepted: {
            orderId: components["schemas"]["OrderId"];
            clientOrderId: string;
            accountId: string;
            symbol: components["schemas"]["Symbol"];
            side: components["schemas"]["Side"];
            orderType: components["schemas"]["OrderType"];
            timeInForce: components["schemas"]["TimeInForce"];
            quantity: components["schemas"]["Decimal"];
            /** @description null for MARKET and STOP_MARKET. */
            price: components["schemas"]["Decimal"] | null;
            stopPrice?: components["schemas"]["Decimal"];
            expireTime?: components["schemas"]["Timestamp"];
            postOnly: boolean;
            reduceOnly: boolean;
            /** @constant */
            status: "PENDING_NEW";
            createdAt: components["schemas"]["Timestamp"];
        };
        BatchResult: {
            /** @description Position of the order in the request. */
            index: number;
            /** @description The HTTP status the single-order endpoint would have answered (202, 400, 409, 422, 503…). */
            status: number;
            order?: components["schemas"]["OrderAccepted"];
            error?: components["schemas"]["Error"];
        };
        BatchResponse: {
            results: components["schemas"]["BatchResult"][];
        };
        /** @description A new quantity, a new price or both (`NOTHING_TO_AMEND` if neither; `INVALID_NUMBER` if negative). */
        AmendOrder: {
            quantity?: components["schemas"]["DecimalInput"];
            price?: components["schemas"]["DecimalInput"];
        };
        /** @description The 202 answer to a cancel, cancel-all or amend; the outcome arrives as execution reports. */
        RequestAck: {
            orderId?: components["schemas"]["OrderId"];
            /** @description For cancel-all of one symbol. */
            symbol?: string;
            /** @enum {string} */
            request: "CANCEL" | "CANCEL_ALL" | "REPLACE";
            /** @description The command id. */
            requestId: string;
            /** @enum {string} */
            status: "PENDING_CANCEL" | "PENDING_REPLACE";
        };
        Instrument: {
            symbol: components["schemas"]["Symbol"];
            /** @example BTC */
            base: string;
            /** @example USD */
            quote: string;
            tickSize: components["schemas"]["Decimal"];
            lotSize: components["schemas"]["Decimal"];
            minQty: components["schemas"]["Decimal"];
            maxQty: components["schemas"]["Decimal"];
            minNotional: components["schemas"]["Decimal"];
        };
        InstrumentList: {
            instruments: components["schemas"]["Instrument"][];
        };
        /** @description A browser session (or the identity of a signed request). */
        Session: {
            /** @example acct-1 */
            accountId: string;
            /** @description The API key the session was opened with; `dev:<account>` for the dev-mode demo session. */
            keyId: string;
            scopes: components["schemas"]["Scope"][];
            /** @description When the session ends (whole seconds); absent for a signed request and in dev mode. */
            expiresAt?: components["schemas"]["Timestamp"];
        };
        StreamToken: {
            token: string;
            expiresAt: components["schemas"]["Timestamp"];
            accountId: string;
        };
        Health: {
            /** @enum {string} */
            status: "healthy" | "unhealthy";
            /** @example gateway */
            service: string;
            /** @description Per dependency (`redis`, `kafka`), `up` or `down: <reason>`. */
            dependencies: {
                [key: string]: string;
            };
            timestamp: components["schemas"]["Timestamp"];
        };
        /** @description An order's latest state, as its execution reports tell it. */
        Order: {
            orderId: components["schemas"]["OrderId"];
            clientOrderId: string;
            accountId: string;
            symbol: components["schemas"]["Symbol"];
            side: components["schemas"]["Side"];
            orderType: components["schemas"]["OrderType"];
            timeInForce?: components["schemas"]["TimeInForce"];
            quantity: components["schemas"]["Decimal"];
            /** @description null for market orders. */
            price: components["schemas"]["Decimal"] | null;
            stopPrice?: components["schemas"]["Decimal"];
            status: components["schemas"]["OrderStatus"];
            cumQty: components["schemas"]["Decimal"];
            avgPrice: components["schemas"]["Decimal"];
            leavesQty: components["schemas"]["Decimal"];
            postOnly: boolean;
            reduceOnly: boolean;
            lastExecType: components["schemas"]["ExecType"];
            /** @description Why the order was denied, rejected, canceled or expired (a code of docs/errors.md). */
            reason?: string;
            /** @description The numbers behind `reason` (`notional=…, max=…`). */
            text?: string;
            /** @description The order's report sequence number; a higher one is newer. */
            seq: number;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
        };
        OrderPage: {
            orders: components["schemas"]["Order"][];
            /** @description The next page's cursor; null on the last page. */
            nextCursor: string | null;
        };
        Fill: {
            execId: string;
            orderId: components["schemas"]["OrderId"];
            clientOrderId: string;
            symbol: components["schemas"]["Symbol"];
            side: components["schemas"]["Side"];
            quantity: components["schemas"]["Decimal"];
            price: components["schemas"]["Decimal"];
            fee: components["schemas"]["Decimal"];
            feeAsset?: string;
            liquidity?: components["schemas"]["Liquidity"];
            time: components["schemas"]["Timestamp"];
        };
        FillPage: {
            fills: components["schemas"]["Fill"][];
            /** @description The next page's cursor; null on the last page. */
            nextCursor: string | null;
        };
        PositionRecord: {
            symbol: components["schemas"]["Symbol"];
            /** @description Signed; negative is short. */
            quantity: components["schemas"]["Decimal"];
            avgEntryPrice: components["schemas"]["Decimal"];
            realizedPnl: components["schemas"]["Decimal"];
            fees: components["schemas"]["Decimal"];
            fills: number;
            updatedAt: components["schemas"]["Timestamp"];
            /** @description The latest market snapshot's last trade (or mid before the first trade); absent until the symbol has market data. */
            markPrice?: components["schemas"]["Decimal"];
            /** @description (markPrice − avgEntryPrice) × quantity, in quote units; absent with markPrice. */
            unrealizedPnl?: components["schemas"]["Decimal"];
        };
        PositionList: {
            positions: components["schemas"]["PositionRecord"][];
        };
        BalanceRecord: {
            asset: string;
            total: components["schemas"]["Decimal"];
            /** @description Reserved by open orders. */
            locked: components["schemas"]["Decimal"];
            available: components["schemas"]["Decimal"];
        };
        BalanceList: {
            balances: components["schemas"]["BalanceRecord"][];
        };
        /** @description The latest prices; the 24 h figures are a rolling window derived from the 1m/1h candles. */
        PriceSnapshot: {
            symbol: components["schemas"]["Symbol"];
            /** @description The last trade price. */
            priceValue: components["schemas"]["Decimal"];
            bid: components["schemas"]["Decimal"];
            ask: components["schemas"]["Decimal"];
            change24h: components["schemas"]["Decimal"];
            changePercent24h: components["schemas"]["Decimal"];
            high24h: components["schemas"]["Decimal"];
            low24h: components["schemas"]["Decimal"];
            volume24h: components["schemas"]["Decimal"];
            timestamp: components["schemas"]["Timestamp"];
        };
        PriceList: {
            prices: components["schemas"]["PriceSnapshot"][];
        };
        MarketCandle: {
            openTime: components["schemas"]["Timestamp"];
            closeTime: components["schemas"]["Timestamp"];
            open: components["schemas"]["Decimal"];
            high: components["schemas"]["Decimal"];
            low: components["schemas"]["Decimal"];
            close: components["schemas"]["Decimal"];
            volume: components["schemas"]["Decimal"];
            trades: number;
        };
        CandleSeries: {
            symbol: components["schemas"]["Symbol"];
            interval: components["schemas"]["CandleInterval"];
            /** @description Oldest first. */
            candles: components["schemas"]["MarketCandle"][];
        };
        BookLevel: {
            price: components["schemas"]["Decimal"];
            quantity: components["schemas"]["Decimal"];
        };
        OrderBook: {
            symbol: components["schemas"]["Symbol"];
            /** @description Best (highest) first. */
            bids: components["schemas"]["BookLevel"][];
            /** @description Best (lowest) first. */
            asks: components["schemas"]["BookLevel"][];
            /** @description The price feed's sequence number of this book. */
            seq: number;
            timestamp: components["schemas"]["Timestamp"];
        };
        MarketTrade: {
            id: string;
            price: components["schemas"]["Decimal"];
            quantity: components["schemas"]["Decimal"];
            /** @description The aggressor's side, when known (omitted otherwise). */
            side?: components["schemas"]["Side"];
            timestamp: components["schemas"]["Timestamp"];
        };
        MarketTrades: {
            symbol: components["schemas"]["Symbol"];
            /** @description Newest first. */
            trades: components["schemas"]["MarketTrade"][];
        };
        Whoami: {
            /** @description `dev:<account>` for unsigned dev-mode requests. */
            keyId: string;
            accountId: string;
            scopes: components["schemas"]["Scope"][];
        };
        /** @enum {string} */
        StateScope: "GLOBAL" | "ACCOUNT" | "SYMBOL";
        /**
         * @description `ACTIVE` trades; `REDUCING` accepts only orders that reduce a position; `HALTED` accepts none.
         * @enum {string}
         */
        TradingState: "ACTIVE" | "REDUCING" | "HALTED";
        StateEntry: {
            scope: components["schemas"]["StateScope"];
            /** @description The account id or symbol; empty for GLOBAL. */
            target: string;
            state: components["schemas"]["TradingState"];
            reason?: string;
            /** @description The key id that set it. */
            by?: string;
            at?: components["schemas"]["Timestamp"];
            /** @description The control command's id. */
            commandId?: string;
        };
        TradingStateView: {
            global: components["schemas"]["StateEntry"];
            accounts: components["schemas"]["StateEntry"][];
            symbols: components["schemas"]["StateEntry"][];
        };
        TradingStateChange: {
            scope: components["schemas"]["StateScope"];
            /** @description The account id (ACCOUNT) or symbol (SYMBOL); empty or absent for GLOBAL. */
            target?: string;
            state: components["schemas"]["TradingState"];
            /** @description Required; kept in the state and the audit log. */
            reason: string;
        };
        Account: {
            accountId: components["schemas"]["AccountId"];
            name: string;
            /** @enum {string} */
            status: "ACTIVE";
            createdAt: components["schemas"]["Timestamp"];
            createdBy: string;
        };
        AccountList: {
            accounts: components["schemas"]["Account"][];
        };
        NewAccount: {
            accountId: components["schemas"]["AccountId"];
            name: string;
        };
        /** @description Per symbol (`BTC-USD`), a positive decimal. */
        SymbolDecimals: {
            [key: string]: components["schemas"]["Decimal"];
        };
        /** @description An account's pre-trade risk limits. */
        RiskLimits: {
            accountId: components["schemas"]["AccountId"];
            /** @description Largest price × quantity of one order, in the quote asset (`MAX_NOTIONAL_EXCEEDED`). */
            maxOrderNotional: components["schemas"]["Decimal"];
            /** @description How far (percent, in (0, 100]) a limit price may go through the touch (`PRICE_COLLAR_EXCEEDED`). */
            priceCollarPct: components["schemas"]["Decimal"];
            /** @description Open orders at once; 0 means no limit (`MAX_OPEN_ORDERS_EXCEEDED`). */
            maxOpenOrders: number;
            /** @description New orders per second; 0 means no limit (`RATE_LIMIT_EXCEEDED`). */
            maxOrdersPerSec: number;
            /** @description Largest quantity of one order per symbol (`MAX_ORDER_QTY_EXCEEDED`). */
            maxOrderQty: components["schemas"]["SymbolDecimals"];
            /** @description Largest absolute position per symbol (`MAX_POSITION_EXCEEDED`). */
            maxPosition: components["schemas"]["SymbolDecimals"];
            /**
             * @description `DEFAULT` until the limits were set for this account.
             * @enum {string}
             */
            source: "DEFAULT" | "SET";
            updatedAt?: components["schemas"]["Timestamp"];
            updatedBy?: string;
        };
        /** @description The limits to put in force (`source`, `updatedAt` and `updatedBy` are the server's to set). */
        RiskLimitsUpdate: {
            /** @description The path's account, if given. */
            accountId?: components["schemas"]["AccountId"];
            maxOrderNotional: components["schemas"]["Decimal"];
            priceCollarPct: components["schemas"]["Decimal"];
            maxOpenOrders: number;
            maxOrdersPerSec: number;
            maxOrderQty: components["schemas"]["SymbolDecimals"];
            maxPosition: components["schemas"]["SymbolDecimals"];
        };
        ApiKey: {
            keyId: string;
            accountId: components["schemas"]["AccountId"];
            scopes: components["schemas"]["Scope"][];
            label: string;
            /** @enum {string} */
            status: "ACTIVE" | "REVOKED";
            createdAt: components["schemas"]["Timestamp"];
            createdBy: string;
            rotatedAt?: components["schemas"]["Timestamp"];
            revokedAt?: components["schemas"]["Timestamp"];
        };
        /** @description A key with its secret, answered only when it is created or rotated. */
        ApiKeyWithSecret: components["schemas"]["ApiKey"] & {
            /** @description Shown this once; sign requests with it. Store it in a secret manager. */
            secret: string;
        };
        ApiKeyList: {
            keys: components["schemas"]["ApiKey"][];
        };
        NewApiKey: {
            accountId: components["schemas"]["AccountId"];
            scopes: components["schemas"]["Scope"][];
            /** @description What the key is for (shown in lists and the audit log). */
            label: string;
        };
        AuditEntry: {
            id: string;
            at: components["schemas"]["Timestamp"];
            /** @description The key id that made the call (`dev:<account>` in dev mode). */
            by: string;
            /** @description What was done, e.g. a trading-state change or a key rotation. */
            action: string;
            target: string;
            /** @enum {string} */
            result: "OK" | "DENIED" | "INVALID" | "FAILED";
            /** @description The call's parameters and outcome (never a secret). */
            details?: {
                [key: string]: unknown;
            };
        };
        AuditPage: {
            entries: components["schemas"]["AuditEntry"][];
            /** @description The next (older) page's cursor; null or absent on the last page. */
            nextCursor?: string | null;
        };
        /** @description `ticker` snapshot and update data. */
        StreamTicker: {
            symbol: components["schemas"]["Symbol"];
            bid: components["schemas"]["Decimal"];
            ask: components["schemas"]["Decimal"];
            last: components["schemas"]["Decimal"];
            open24h: components["schemas"]["Decimal"];
            change24h: components["schemas"]["Decimal"];
            changePercent24h: components["schemas"]["Decimal"];
            high24h: components["schemas"]["Decimal"];
            low24h: components["schemas"]["Decimal"];
            volume24h: components["schemas"]["Decimal"];
            /** @description RFC 3339; empty before the first tick. */
            timestamp: string;
        };
        /** @description [price, size] */
        StreamLevel: [
            components["schemas"]["Decimal"],
            components["schemas"]["Decimal"]
        ];
        /** @description `book` snapshot and update data: the whole book to the subscribed depth, best first. */
        StreamBook: {
            symbol: string;
            bids: components["schemas"]["StreamLevel"][];
            asks: components["schemas"]["StreamLevel"][];
            timestamp: string;
        };
        /** @description `trades` update data (the snapshot is `{symbol, trades:[…]}`, newest first). */
        StreamTrade: {
            price: components["schemas"]["Decimal"];
            size: components["schemas"]["Decimal"];
            side: components["schemas"]["Side"];
            timestamp: components["schemas"]["Timestamp"];
        };
        /** @description `candles:<interval>` update data; `time` is the open time. */
        StreamCandle: {
            time: components["schemas"]["Timestamp"];
            open: components["schemas"]["Decimal"];
            high: components["schemas"]["Decimal"];
            low: components["schemas"]["Decimal"];
            close: components["schemas"]["Decimal"];
            volume: components["schemas"]["Decimal"];
        };
        /** @description `orders` update data: an order as in `Order`, without `accountId` and `lastExecType`. */
        StreamOrder: {
            orderId: components["schemas"]["OrderId"];
            clientOrderId: string;
            symbol: components["schemas"]["Symbol"];
            side: components["schemas"]["Side"];
            orderType: components["schemas"]["OrderType"];
            timeInForce: components["schemas"]["TimeInForce"];
            status: components["schemas"]["OrderStatus"];
            quantity: components["schemas"]["Decimal"];
            price: components["schemas"]["Decimal"] | null;
            stopPrice?: components["schemas"]["Decimal"];
            cumQty: components["schemas"]["Decimal"];
            avgPrice: components["schemas"]["Decimal"];
            leavesQty: components["schemas"]["Decimal"];
            postOnly: boolean;
            reduceOnly: boolean;
            reason?: string;
            text?: string;
            createdAt: components["schemas"]["Timestamp"];
            updatedAt: components["schemas"]["Timestamp"];
            seq: number;
        };
        /** @description `executions` data: exactly the `executions` topic's JSON. Empty fields are omitted. */
        ExecutionReport: {
            execId: string;
            orderId: string;
            clientOrderId: string;
            accountId?: string;
            symbol: string;
            side?: components["schemas"]["Side"];
            orderType?: components["schemas"]["OrderType"];
            timeInForce?: components["schemas"]["TimeInForce"];
            execType: components["schemas"]["ExecType"];
            status: components["schemas"]["OrderStatus"];
            quantity: components["schemas"]["Decimal"];
            price?: components["schemas"]["Decimal"];
            stopPrice?: components["schemas"]["Decimal"];
            expireTime?: components["schemas"]["Timestamp"];
            postOnly?: boolean;
            reduceOnly?: boolean;
            lastQty?: components["schemas"]["Decimal"];
            lastPrice?: components["schemas"]["Decimal"];
            cumQty: components["schemas"]["Decimal"];
            avgPrice?: components["schemas"]["Decimal"];
            leavesQty: components["schemas"]["Decimal"];
            fee?: components["schemas"]["Decimal"];
            feeAsset?: string;
            liquidity?: components["schemas"]["Liquidity"];
            referencePrice?: components["schemas"]["Decimal"];
            /** @description Per order; 0 on refused cancel/amend reports. */
            seq?: number;
            reason?: string;
            text?: string;
            createdAt?: components["schemas"]["Timestamp"];
            transactTime?: components["schemas"]["Timestamp"];
            receivedAt?: components["schemas"]["Timestamp"];
        };
        /** @description `positions` data entry, with live mark price and unrealized P&L when there is a price. */
        StreamPosition: {
            symbol: components["schemas"]["Symbol"];
            quantity: components["schemas"]["Decimal"];
            avgEntryPrice: components["schemas"]["Decimal"];
            realizedPnl: components["schemas"]["Decimal"];
            markPrice?: components["schemas"]["Decimal"];
            unrealizedPnl?: components["schemas"]["Decimal"];
        };
        /** @description `balances` data entry. */
        StreamBalance: {
            asset: string;
            total: components["schemas"]["Decimal"];
            reserved: components["schemas"]["Decimal"];
            available: components["schemas"]["Decimal"];
        };
    };
    responses: {
        /** @description Invalid request: `code` says what, `field` where (see docs/errors.md). */
        BadRequest: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description The order breaks a rule; nothing was placed. Codes: `EMPTY_BODY`, `MALFORMED_JSON`, `BAD_BODY`,
         *     `UNKNOWN_FIELD`, `INVALID_FIELD_TYPE`, `FIELD_REQUIRED`, `INVALID_NUMBER`, `INVALID_SYMBOL`,
         *     `UNKNOWN_SYMBOL`, `INVALID_SIDE`, `INVALID_ORDER_TYPE`, `INVALID_TIME_IN_FORCE`, `INVALID_PRICE`,
         *     `INVALID_TICK_SIZE`, `INVALID_QUANTITY`, `INVALID_LOT_SIZE`, `QUANTITY_TOO_SMALL`, `QUANTITY_TOO_LARGE`,
         *     `NOTIONAL_TOO_SMALL`, `PRICE_REQUIRED`, `PRICE_NOT_ALLOWED`, `STOP_PRICE_REQUIRED`,
         *     `STOP_PRICE_NOT_ALLOWED`, `EXPIRE_TIME_REQUIRED`, `EXPIRE_TIME_PAST`, `EXPIRE_TIME_NOT_ALLOWED`,
         *     `INVALID_EXPIRE_TIME`, `POST_ONLY_NOT_ALLOWED`, `INVALID_CLIENT_ORDER_ID`, `INVALID_IDEMPOTENCY_KEY`.
         */
        OrderInvalid: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": "INVALID_TICK_SIZE",
                 *       "msg": "price 45000.001 is not a multiple of the tick size 0.01",
                 *       "field": "price"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description A path or query parameter is invalid: `UNKNOWN_PARAMETER`, `REPEATED_PARAMETER`, `MALFORMED_QUERY`,
         *     `INVALID_LIMIT`, `INVALID_TIME`, `INVALID_CURSOR`, `INVALID_SYMBOL`, `INVALID_STATUS`, `INVALID_SIDE`,
         *     `INVALID_ORDER_ID`, `INVALID_CLIENT_ORDER_ID`, or another code of the endpoint; `field` names the parameter.
         */
        QueryInvalid: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": "UNKNOWN_PARAMETER",
                 *       "msg": "unknown query parameter \"page\" (known: symbol, orderId, cursor, limit)",
                 *       "field": "page"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description A field of the request is invalid (`field` names it) or a query parameter is unknown. The refusal is audited as `INVALID`. */
        AdminInvalid: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": "INVALID_LIMIT",
                 *       "msg": "must be above 0 and at most 100 (percent), got 150",
                 *       "field": "priceCollarPct"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description `UNAUTHENTICATED` (no credentials), `INVALID_API_KEY` (unknown or revoked key), `INVALID_SIGNATURE`,
         *     `TIMESTAMP_OUT_OF_WINDOW`; with the session cookie: `SESSION_EXPIRED`, `INVALID_SESSION` (forged, or
         *     its key was revoked or rotated), `SESSION_HEADER_REQUIRED` (no `X-OMS-Session` header).
         */
        Unauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /**
         * @description No session: `UNAUTHENTICATED` (no cookie and no signature), `SESSION_EXPIRED`, `INVALID_SESSION`
         *     (forged, or its key was revoked or rotated), `SESSION_HEADER_REQUIRED`; for a signed request also
         *     `INVALID_API_KEY`, `INVALID_SIGNATURE`, `TIMESTAMP_OUT_OF_WINDOW`.
         */
        SessionUnauthenticated: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                /**
                 * @example {
                 *       "code": "SESSION_EXPIRED",
                 *       "msg": "the session expired; sign in again"
                 *     }
                 */
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `FORBIDDEN`: the key lacks the scope this endpoint needs. */
        Forbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `FORBIDDEN` ("admin scope required"). A refused mutating call is audited as `DENIED`. */
        AdminForbidden: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description The resource does not exist (`code` names it, e.g. `NOT_FOUND`, `NOT_AVAILABLE`). */
        NotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `ORDER_NOT_FOUND`: no such order for the caller's account. */
        OrderNotFound: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `UNKNOWN_SYMBOL`: the symbol is not traded here. Market data also answers `NO_MARKET_DATA` for a traded symbol with no tick yet (prices and order book; candles and trades answer empty lists). */
        UnknownSymbol: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `REQUEST_IN_FLIGHT`: the first request with this idempotency key is still running; retry shortly with the same key. */
        InFlight: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `IDEMPOTENCY_KEY_REUSED`: the key was used for a different order. */
        KeyReused: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `BODY_TOO_LARGE`: the body is over 64 KiB. */
        TooLarge: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `INTERNAL`: a bug; the detail is in the server log only. */
        Internal: {
            headers: {
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `IDEMPOTENCY_UNAVAILABLE` (Redis), `KAFKA_UNAVAILABLE` (no broker acknowledgement) or `AUTH_UNAVAILABLE`: nothing was placed; retry with the same idempotency key. */
        GatewayUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `STORE_UNAVAILABLE` (the read model did not answer) or `AUTH_UNAVAILABLE`. */
        StoreUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `AUTH_UNAVAILABLE`: the key store does not answer. */
        AuthUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
        /** @description `STORE_UNAVAILABLE`, `KAFKA_UNAVAILABLE` (a control command was not acknowledged; nothing changed) or `AUTH_UNAVAILABLE`. */
        AdminUnavailable: {
            headers: {
                "Retry-After": components["headers"]["RetryAfter"];
                [name: string]: unknown;
            };
            content: {
                "application/json": components["schemas"]["Error"];
            };
        };
    };
    parameters: {
        /**
         * @description One key per logical order, reused verbatim on every retry of it (at most 128 characters; kept 24 h).
         *     When absent, the body's `clientOrderId` is the key; when the body has no `clientOrderId`, this key
         *     becomes the client order id (so it must then follow the client order id rules).
         */
        IdempotencyKey: string;
        OrderId: components["schemas"]["OrderId"];
        KeyId: string;
        /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
        PathSymbol: components["schemas"]["Symbol"];
        /** @description The `nextCursor` of the previous page (opaque), with the same filters. `400 INVALID_CURSOR` otherwise. */
        Cursor: string;
        /** @description Page size (`400 INVALID_LIMIT` outside 1..500). */
        Limit500: number;
        CandleIntervalParam: components["schemas"]["CandleInterval"];
        CandleLimit: number;
        /** @description The end of the window (RFC 3339 or Unix milliseconds); the latest candles when absent. */
        CandleEndTime: components["schemas"]["TimeParam"];
    };
    requestBodies: never;
    headers: {
        /** @description Seconds to wait before retrying. */
        RetryAfter: number;
    };
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    listOrders: {
        parameters: {
            query?: {
                symbol?: components["schemas"]["Symbol"];
                /** @description `open` (any status that can still trade: PENDING_NEW, NEW, PARTIALLY_FILLED, PENDING_CANCEL) or one status; case-insensitive. */
                status?: components["schemas"]["OrderStatus"] | ("open" | "OPEN");
                /** @description Case-insensitive. */
                side?: components["schemas"]["Side"];
                /** @description Orders created at or after this time (RFC 3339 or Unix milliseconds). */
                from?: components["schemas"]["TimeParam"];
                /** @description Orders created before this time (RFC 3339 or Unix milliseconds). */
                to?: components["schemas"]["TimeParam"];
                /** @description The `nextCursor` of the previous page (opaque), with the same filters. `400 INVALID_CURSOR` otherwise. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size (`400 INVALID_LIMIT` outside 1..500). */
                limit?: components["parameters"]["Limit500"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of orders. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderPage"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    placeOrder: {
        parameters: {
            query?: never;
            header?: {
                /**
                 * @description One key per logical order, reused verbatim on every retry of it (at most 128 characters; kept 24 h).
                 *     When absent, the body's `clientOrderId` is the key; when the body has no `clientOrderId`, this key
                 *     becomes the client order id (so it must then follow the client order id rules).
                 */
                "X-Idempotency-Key"?: components["parameters"]["IdempotencyKey"];
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewOrder"];
            };
        };
        responses: {
            /** @description The order is durable and on its way to the processor (status `PENDING_NEW`), or the replay of the key's original answer. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderAccepted"];
                };
            };
            400: components["responses"]["OrderInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            409: components["responses"]["InFlight"];
            413: components["responses"]["TooLarge"];
            422: components["responses"]["KeyReused"];
            500: components["responses"]["Internal"];
            503: components["responses"]["GatewayUnavailable"];
        };
    };
    cancelAllOrders: {
        parameters: {
            query?: {
                /** @description Only this symbol's orders; all symbols when absent. */
                symbol?: components["schemas"]["Symbol"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request is durable (`status` `PENDING_CANCEL`). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestAck"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["GatewayUnavailable"];
        };
    };
    placeOrderBatch: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    orders: components["schemas"]["NewOrder"][];
                } | components["schemas"]["NewOrder"][];
            };
        };
        responses: {
            /** @description One result per order. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BatchResponse"];
                };
            };
            /** @description `BATCH_SIZE` (0 or more than 100 orders), or a body that is not JSON (`EMPTY_BODY`, `MALFORMED_JSON`, `UNKNOWN_FIELD`). Errors of single orders are in their results. */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["GatewayUnavailable"];
        };
    };
    getOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order's latest state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OrderNotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    cancelOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The request is durable (`status` `PENDING_CANCEL`). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestAck"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["GatewayUnavailable"];
        };
    };
    amendOrder: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                orderId: components["parameters"]["OrderId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["AmendOrder"];
            };
        };
        responses: {
            /** @description The request is durable (`status` `PENDING_REPLACE`). */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RequestAck"];
                };
            };
            400: components["responses"]["BadRequest"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            413: components["responses"]["TooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["GatewayUnavailable"];
        };
    };
    listInstruments: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every instrument of the catalog. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["InstrumentList"];
                };
            };
        };
    };
    issueStreamToken: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A token for the caller's account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StreamToken"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AuthUnavailable"];
        };
    };
    getSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The session. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accountId": "acct-1",
                     *       "keyId": "k1",
                     *       "scopes": [
                     *         "trade",
                     *         "read"
                     *       ],
                     *       "expiresAt": "2026-12-03T17:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Session"];
                };
            };
            401: components["responses"]["SessionUnauthenticated"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AuthUnavailable"];
        };
    };
    openSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed in. */
            200: {
                headers: {
                    /** @description `oms_session=<token>; Path=/; Max-Age=28800; HttpOnly; Secure; SameSite=Strict` */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content: {
                    /**
                     * @example {
                     *       "accountId": "acct-1",
                     *       "keyId": "k1",
                     *       "scopes": [
                     *         "trade",
                     *         "read"
                     *       ],
                     *       "expiresAt": "2026-12-03T17:00:00Z"
                     *     }
                     */
                    "application/json": components["schemas"]["Session"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["NotFound"];
            413: components["responses"]["TooLarge"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AuthUnavailable"];
        };
    };
    closeSession: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Signed out. */
            204: {
                headers: {
                    /** @description `oms_session=; Path=/; Max-Age=0; HttpOnly; Secure; SameSite=Strict` */
                    "Set-Cookie"?: string;
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    openStream: {
        parameters: {
            query?: {
                /** @description A token from `POST /api/ws-token`. */
                token?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Switching protocols. */
            101: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
            /** @description `INVALID_STREAM_TOKEN`: the token is expired, malformed or not ours. */
            401: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
        };
    };
    health: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redis and Kafka answer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description A dependency is down (`status` `unhealthy`; `dependencies` says which). */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    healthz: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Redis and Kafka answer. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
            /** @description A dependency is down. */
            503: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Health"];
                };
            };
        };
    };
    getOrderByClientId: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                clientOrderId: components["schemas"]["ClientOrderId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The order's latest state. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Order"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            404: components["responses"]["OrderNotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listFills: {
        parameters: {
            query?: {
                symbol?: components["schemas"]["Symbol"];
                /** @description Only this order's fills. */
                orderId?: components["schemas"]["OrderId"];
                /** @description The `nextCursor` of the previous page (opaque), with the same filters. `400 INVALID_CURSOR` otherwise. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Page size (`400 INVALID_LIMIT` outside 1..500). */
                limit?: components["parameters"]["Limit500"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of fills. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["FillPage"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listPositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per symbol ever traded. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PositionList"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listBalances: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One entry per asset. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["BalanceList"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["Forbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    listPrices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description One snapshot per instrument of the catalog that has data. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PriceList"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getPrice: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
                symbol: components["parameters"]["PathSymbol"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The snapshot. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["PriceSnapshot"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getCandles: {
        parameters: {
            query?: {
                interval?: components["parameters"]["CandleIntervalParam"];
                limit?: components["parameters"]["CandleLimit"];
                /** @description The end of the window (RFC 3339 or Unix milliseconds); the latest candles when absent. */
                endTime?: components["parameters"]["CandleEndTime"];
            };
            header?: never;
            path: {
                /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
                symbol: components["parameters"]["PathSymbol"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The candles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CandleSeries"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getCandlesAlias: {
        parameters: {
            query?: {
                interval?: components["parameters"]["CandleIntervalParam"];
                limit?: components["parameters"]["CandleLimit"];
                /** @description The end of the window (RFC 3339 or Unix milliseconds); the latest candles when absent. */
                endTime?: components["parameters"]["CandleEndTime"];
            };
            header?: never;
            path: {
                /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
                symbol: components["parameters"]["PathSymbol"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The candles. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["CandleSeries"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getOrderBook: {
        parameters: {
            query?: {
                /** @description Levels per side. */
                depth?: number;
            };
            header?: never;
            path: {
                /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
                symbol: components["parameters"]["PathSymbol"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The book. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["OrderBook"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    getTrades: {
        parameters: {
            query?: {
                limit?: number;
            };
            header?: never;
            path: {
                /** @description `BTC-USD` or `BTC%2FUSD`; answered as `BTC-USD`. */
                symbol: components["parameters"]["PathSymbol"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The trades. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["MarketTrades"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["StoreUnavailable"];
        };
    };
    whoami: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Whoami"];
                };
            };
            401: components["responses"]["Unauthenticated"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AuthUnavailable"];
        };
    };
    getTradingState: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The global state and every account and symbol with a state of its own. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["TradingStateView"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    setTradingState: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["TradingStateChange"];
            };
        };
        responses: {
            /** @description The control command is durable; the entry as it now stands. */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["StateEntry"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["UnknownSymbol"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    listAccounts: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Every account. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AccountList"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    createAccount: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewAccount"];
            };
        };
        responses: {
            /** @description The account. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Account"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            /** @description `ACCOUNT_EXISTS`: an account with this id exists. */
            409: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["Error"];
                };
            };
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    getRiskLimits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                accountId: components["schemas"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The limits in force; `source` says whether they were set or are the defaults. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskLimits"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    setRiskLimits: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                accountId: components["schemas"]["AccountId"];
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["RiskLimitsUpdate"];
            };
        };
        responses: {
            /** @description The limits now in force. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["RiskLimits"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    listApiKeys: {
        parameters: {
            query?: {
                /** @description Only this account's keys. */
                accountId?: components["schemas"]["AccountId"];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The keys. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyList"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    createApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": components["schemas"]["NewApiKey"];
            };
        };
        responses: {
            /** @description The key and its secret. */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    rotateApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key and its new secret (shown this once). */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKeyWithSecret"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    revokeApiKey: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                keyId: components["parameters"]["KeyId"];
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description The key, now `REVOKED`. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["ApiKey"];
                };
            };
            400: components["responses"]["AdminInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            404: components["responses"]["NotFound"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
    listAudit: {
        parameters: {
            query?: {
                limit?: number;
                /** @description The `nextCursor` of the previous page (opaque), with the same filters. `400 INVALID_CURSOR` otherwise. */
                cursor?: components["parameters"]["Cursor"];
                /** @description Only entries of this action. */
                action?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description A page of entries. */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": components["schemas"]["AuditPage"];
                };
            };
            400: components["responses"]["QueryInvalid"];
            401: components["responses"]["Unauthenticated"];
            403: components["responses"]["AdminForbidden"];
            500: components["responses"]["Internal"];
            503: components["responses"]["AdminUnavailable"];
        };
    };
}
