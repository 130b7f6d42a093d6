// A stand-in for omsd in dev mode, for the dashboard's own checks while the real /ws is being built:
// it serves frontend/dist, /api/instruments, order entry (POST/DELETE/PATCH /api/orders) and /ws with the
// channels and frames of docs/websocket.md, over a random-walk market. It is NOT the system under test:
// `npm run e2e` targets the real omsd (OMS_E2E_URL); this mock only lets the script run before that exists.
//
//   node e2e/mock-omsd.mjs [port]        (default 8090; serves ../dist)
import { createServer } from 'node:http';
import { readFile } from 'node:fs/promises';
import { extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';
import { WebSocketServer } from 'ws';

const port = Number(process.argv[2] ?? process.env.PORT ?? 8090);
const dist = fileURLToPath(new URL('../dist/', import.meta.url));

const instruments = [
  { symbol: 'BTC-USD', base: 'BTC', quote: 'USD', tickSize: '0.01', lotSize: '0.00001', minQty: '0.00001', maxQty: '100', minNotional: '1', mid: 30000 },
  { symbol: 'ETH-USD', base: 'ETH', quote: 'USD', tickSize: '0.01', lotSize: '0.0001', minQty: '0.0001', maxQty: '1000', minNotional: '1', mid: 2000 },
  { symbol: 'SOL-USD', base: 'SOL', quote: 'USD', tickSize: '0.001', lotSize: '0.01', minQty: '0.01', maxQty: '50000', minNotional: '1', mid: 100 },
];
const maxQty = { 'BTC-USD': 50, 'ETH-USD': 500, 'SOL-USD': 20000 };
const fee = 0.002;
const dec = (tick) => (tick.split('.')[1] ?? '').length;
const px = (v, tick) => v.toFixed(dec(tick));
const now = () => new Date().toISOString();

// ---- market ----
const market = new Map();
for (const i of instruments) {
  const candles = [];
  const t0 = Math.floor(Date.now() / 60000) * 60000;
  let p = i.mid;
  for (let k = 199; k >= 0; k--) {
    const o = p;
    const c = o * (1 + (Math.random() - 0.5) * 0.004);
    candles.push({ t: t0 - k * 60000, o, h: Math.max(o, c) * 1.001, l: Math.min(o, c) * 0.999, c, v: Math.random() * 10 });
    p = c;
  }
  market.set(i.symbol, { i, mid: p, trades: [], candles, open24h: i.mid });
}
const spread = (m) => m.mid * 0.0002;
const bid = (m) => m.mid - spread(m) / 2;
const ask = (m) => m.mid + spread(m) / 2;
function tickerOf(m) {
  const t = m.i.tickSize;
  const ch = m.mid - m.open24h;
  return {
    symbol: m.i.symbol, bid: px(bid(m), t), ask: px(ask(m), t), last: px(m.mid, t), open24h: px(m.open24h, t),
    change24h: px(ch, t), changePercent24h: ((ch / m.open24h) * 100).toFixed(2), high24h: px(m.mid * 1.02, t),
    low24h: px(m.mid * 0.98, t), volume24h: '1234.5', timestamp: now(),
  };
}
function bookOf(m, depth = 10) {
  const t = m.i.tickSize;
  const lv = (side) => Array.from({ length: depth }, (_, k) => [px((side > 0 ? ask(m) : bid(m)) + side * k * m.mid * 0.0001, t), (Math.random() * 3 + 0.1).toFixed(4)]);
  return { symbol: m.i.symbol, bids: lv(-1), asks: lv(1), timestamp: now() };
}
const candleOut = (m, c) => {
  const t = m.i.tickSize;
  return { time: new Date(c.t).toISOString(), open: px(c.o, t), high: px(c.h, t), low: px(c.l, t), close: px(c.c, t), volume: c.v.toFixed(4) };
};

// ---- account (the demo account) ----
const bal = { USD: { total: 1e6, reserved: 0 }, BTC: { total: 10, reserved: 0 }, ETH: { total: 100, reserved: 0 }, SOL: { total: 1000, reserved: 0 } };
const positions = new Map(); // symbol → {q, avg, rpnl}
const orders = new Map();
const executions = [];
let execSeq = 0;
const balancesOut = () => ({ balances: Object.entries(bal).map(([asset, b]) => ({ asset, total: b.total.toFixed(8), reserved: b.reserved.toFixed(8), available: (b.total - b.reserved).toFixed(8) })) });
function positionsOut() {
  return {
    positions: [...positions.entries()].map(([symbol, p]) => {
      const m = market.get(symbol);
      return { symbol, quantity: p.q.toFixed(5), avgEntryPrice: p.avg.toFixed(2), realizedPnl: p.rpnl.toFixed(2), markPrice: m.mid.toFixed(2), unrealizedPnl: ((m.mid - p.avg) * p.q).toFixed(2) };
    }),
  };
}

const clients = new Set();
function publish(channel, symbol, data) {
  for (const c of clients) c.push(channel, symbol, data);
}

function report(o, execType, extra = {}) {
  o.seq = (o.seq ?? 0) + 1;
  o.updatedAt = now();
  const r = {
    execId: randomBytes(8).toString('hex'), orderId: o.orderId, clientOrderId: o.clientOrderId, accountId: 'demo', symbol: o.symbol,
    side: o.side, orderType: o.orderType, timeInForce: o.timeInForce, execType, status: o.status, quantity: o.quantity, price: o.price,
    cumQty: o.cumQty, avgPrice: o.avgPrice, leavesQty: o.leavesQty, seq: ++execSeq, reason: o.reason, text: o.text,
    createdAt: o.createdAt, transactTime: now(), ...extra,
  };
  executions.unshift(r);
  executions.length = Math.min(executions.length, 100);
  publish('orders', undefined, { ...o });
  publish('executions', undefined, r);
}

function reserveOf(o) {
  const m = market.get(o.symbol);
  const q = Number(o.leavesQty);
  return o.side === 'BUY' ? [m.i.quote, q * Number(o.price ?? ask(m)) * (1 + fee)] : [m.i.base, q];
}

function fill(o, price) {
  const m = market.get(o.symbol);
  const q = Number(o.leavesQty);
  if (o.reservedAmt) bal[o.reservedAsset].reserved -= o.reservedAmt;
  o.reservedAmt = 0;
  const notional = q * price;
  const f = notional * fee;
  if (o.side === 'BUY') { bal[m.i.quote].total -= notional + f; bal[m.i.base].total += q; }
  else { bal[m.i.base].total -= q; bal[m.i.quote].total += notional - f; }
  const p = positions.get(o.symbol) ?? { q: 0, avg: 0, rpnl: 0 };
  const dq = o.side === 'BUY' ? q : -q;
  if (p.q === 0 || Math.sign(p.q) === Math.sign(dq)) { p.avg = (p.avg * Math.abs(p.q) + price * q) / (Math.abs(p.q) + q); }
  else { p.rpnl += (price - p.avg) * Math.min(Math.abs(dq), Math.abs(p.q)) * Math.sign(p.q); }
  p.q += dq;
  positions.set(o.symbol, p);
  o.cumQty = o.quantity; o.leavesQty = '0'; o.avgPrice = px(price, m.i.tickSize); o.status = 'FILLED';
  report(o, 'TRADE', { lastQty: q.toFixed(5), lastPrice: px(price, m.i.tickSize), fee: f.toFixed(8), feeAsset: m.i.quote, liquidity: 'TAKER' });
  publish('balances', undefined, balancesOut());
  publish('positions', undefined, positionsOut());
}

function marketable(o) {
  const m = market.get(o.symbol);
  if (o.orderType === 'MARKET') return o.side === 'BUY' ? ask(m) : bid(m);
  if (o.orderType !== 'LIMIT') return null;
  if (o.side === 'BUY' && Number(o.price) >= ask(m)) return ask(m);
  if (o.side === 'SELL' && Number(o.price) <= bid(m)) return bid(m);
  return null;
}

function admit(o) {
  const m = market.get(o.symbol);
  if (Number(o.quantity) > maxQty[o.symbol]) {
    o.status = 'DENIED'; o.reason = 'MAX_ORDER_QTY_EXCEEDED'; o.text = `quantity=${o.quantity}, max=${maxQty[o.symbol]}`; o.leavesQty = '0';
    return report(o, 'REJECTED');
  }
  const [asset, amt] = reserveOf(o);
  if (bal[asset].total - bal[asset].reserved < amt) {
    o.status = 'DENIED'; o.reason = 'INSUFFICIENT_BALANCE'; o.text = `required=${amt.toFixed(2)} ${asset}, available=${(bal[asset].total - bal[asset].reserved).toFixed(2)}`; o.leavesQty = '0';
    return report(o, 'REJECTED');
  }
  o.status = 'NEW';
  report(o, 'NEW');
  const p = marketable(o);
  if (p !== null) return fill(o, p);
  if (o.orderType === 'MARKET') return;
  o.reservedAsset = asset; o.reservedAmt = amt; bal[asset].reserved += amt;
  publish('balances', undefined, balancesOut());
  void m;
}

// ---- HTTP ----
function send(res, code, body) {
  res.writeHead(code, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(body));
}
const wireOrder = (o) => { const { reservedAsset, reservedAmt, ...w } = o; void reservedAsset; void reservedAmt; return w; };
async function readBody(req) {
  let s = '';
  for await (const c of req) s += c;
  try { return s ? JSON.parse(s) : {}; } catch { return null; }
}
const idem = new Map();
const server = createServer(async (req, res) => {
  const url = new URL(req.url, 'http://x');
  const p = url.pathname;
  if (p === '/health') return send(res, 200, { status: 'ok' });
  if (p === '/api/instruments') return send(res, 200, { instruments: instruments.map(({ mid, ...i }) => (void mid, i)) });
  if (p === '/api/ws-token' && req.method === 'POST') return send(res, 200, { token: 'dev', expiresAt: new Date(Date.now() + 60000).toISOString(), accountId: 'demo' });
  if (p === '/api/orders' && req.method === 'POST') {
    const b = await readBody(req);
    if (!b) return send(res, 400, { code: 'MALFORMED_JSON', msg: 'bad json' });
    const key = req.headers['x-idempotency-key'];
    if (key && idem.has(key)) return send(res, 202, idem.get(key));
    const sym = String(b.symbol ?? '').replace('/', '-');
    const m = market.get(sym);
    if (!m) return send(res, 400, { code: 'UNKNOWN_SYMBOL', msg: 'unknown symbol', field: 'symbol' });
    if (!b.quantity || Number(b.quantity) <= 0) return send(res, 400, { code: 'INVALID_QUANTITY', msg: 'quantity', field: 'quantity' });
    if ((b.orderType === 'LIMIT' || b.orderType === 'STOP_LIMIT') && !b.price) return send(res, 400, { code: 'PRICE_REQUIRED', msg: 'price required', field: 'price' });
    const o = {
      orderId: randomBytes(16).toString('hex'), clientOrderId: b.clientOrderId ?? key, symbol: sym, side: b.side, orderType: b.orderType,
      timeInForce: b.timeInForce ?? 'GTC', status: 'PENDING_NEW', quantity: String(b.quantity), price: b.price, stopPrice: b.stopPrice,
      cumQty: '0', leavesQty: String(b.quantity), postOnly: !!b.postOnly, reduceOnly: !!b.reduceOnly, createdAt: now(), seq: 0,
    };
    orders.set(o.orderId, o);
    const ack = { orderId: o.orderId, clientOrderId: o.clientOrderId, status: 'PENDING_NEW', symbol: sym };
    if (key) idem.set(key, ack);
    send(res, 202, ack);
    setTimeout(() => admit(o), 50);
    return;
  }
  const mo = /^\/api\/orders\/([0-9a-f]{32})$/.exec(p);
  if (mo) {
    const o = orders.get(mo[1]);
    if (!o) return send(res, 404, { code: 'UNKNOWN_ORDER', msg: 'unknown order' });
    if (!['NEW', 'PARTIALLY_FILLED'].includes(o.status)) return send(res, 409, { code: 'ORDER_CLOSED', msg: 'closed' });
    if (req.method === 'DELETE') {
      send(res, 202, { orderId: o.orderId, status: 'PENDING_CANCEL' });
      setTimeout(() => {
        if (o.reservedAmt) bal[o.reservedAsset].reserved -= o.reservedAmt;
        o.reservedAmt = 0; o.status = 'CANCELED'; o.reason = 'USER_CANCEL'; o.leavesQty = '0';
        report(o, 'CANCELED');
        publish('balances', undefined, balancesOut());
      }, 50);
      return;
    }
    if (req.method === 'PATCH') {
      const b = await readBody(req);
      if (!b || (!b.price && !b.quantity)) return send(res, 400, { code: 'NOTHING_TO_AMEND', msg: 'nothing' });
      send(res, 202, { orderId: o.orderId, status: o.status });
      setTimeout(() => {
        if (b.price) o.price = String(b.price);
        if (b.quantity) { o.quantity = String(b.quantity); o.leavesQty = String(Number(b.quantity) - Number(o.cumQty)); }
        if (o.reservedAmt) bal[o.reservedAsset].reserved -= o.reservedAmt;
        const [asset, amt] = reserveOf(o);
        o.reservedAsset = asset; o.reservedAmt = amt; bal[asset].reserved += amt;
        report(o, 'REPLACED');
        const fp = marketable(o);
        if (fp !== null) fill(o, fp);
        publish('balances', undefined, balancesOut());
      }, 50);
      return;
    }
  }
  if (p === '/api/orders' && req.method === 'DELETE') {
    const sym = url.searchParams.get('symbol');
    const n = [...orders.values()].filter((o) => (!sym || o.symbol === sym) && ['NEW', 'PARTIALLY_FILLED'].includes(o.status));
    for (const o of n) {
      if (o.reservedAmt) bal[o.reservedAsset].reserved -= o.reservedAmt;
      o.reservedAmt = 0; o.status = 'CANCELED'; o.reason = 'USER_CANCEL_ALL'; o.leavesQty = '0';
      report(o, 'CANCELED');
    }
    publish('balances', undefined, balancesOut());
    return send(res, 202, { canceled: n.length });
  }
  if (p.startsWith('/api/')) return send(res, 404, { code: 'NOT_FOUND', msg: 'not here' });
  // static
  const file = normalize(join(dist, p === '/' ? 'index.html' : p));
  if (!file.startsWith(dist)) return send(res, 403, {});
  try {
    const body = await readFile(file);
    const types = { '.html': 'text/html', '.js': 'text/javascript', '.css': 'text/css', '.map': 'application/json', '.svg': 'image/svg+xml' };
    res.writeHead(200, { 'Content-Type': types[extname(file)] ?? 'application/octet-stream' });
    res.end(body);
  } catch {
    res.writeHead(404);
    res.end('not found');
  }
});

// ---- WebSocket ----
const wss = new WebSocketServer({ server, path: '/ws' });
wss.on('connection', (ws) => {
  const subs = new Map(); // key → {seq, depth}
  const out = (f) => ws.readyState === 1 && ws.send(JSON.stringify(f));
  const client = {
    push(channel, symbol, data) {
      for (const [key, s] of subs) {
        const [ch, sym] = key.split('|');
        if (ch === 'book' && channel === 'book' && sym === symbol) { out({ type: 'update', channel, symbol, seq: ++s.seq, data: bookOf(market.get(sym), s.depth) }); continue; }
        if (ch === channel && (sym ?? undefined) === symbol) out({ type: 'update', channel, ...(symbol ? { symbol } : {}), seq: ++s.seq, data });
      }
    },
  };
  clients.add(client);
  const hb = setInterval(() => out({ type: 'heartbeat', time: now() }), 10000);
  ws.on('close', () => { clients.delete(client); clearInterval(hb); });
  ws.on('message', (raw) => {
    let m;
    try { m = JSON.parse(String(raw)); } catch { return out({ type: 'error', code: 'BAD_MESSAGE', msg: 'malformed JSON' }); }
    const id = m.id !== undefined ? { id: m.id } : {};
    if (m.op === 'ping') return out({ type: 'pong', ...id });
    const key = m.symbol ? `${m.channel}|${m.symbol}` : m.channel;
    if (m.op === 'unsubscribe') { subs.delete(key); return out({ type: 'unsubscribed', channel: m.channel, ...(m.symbol ? { symbol: m.symbol } : {}), ...id }); }
    if (m.op !== 'subscribe') return out({ type: 'error', code: 'BAD_MESSAGE', msg: 'unknown op', ...id });
    const mk = m.symbol ? market.get(m.symbol) : undefined;
    let snap;
    const ch = String(m.channel);
    if (ch === 'ticker' && mk) snap = tickerOf(mk);
    else if (ch === 'book' && mk) snap = bookOf(mk, m.depth ?? 10);
    else if (ch === 'trades' && mk) snap = { symbol: m.symbol, trades: mk.trades.slice(0, 50) };
    else if (ch === 'candles:1m' && mk) snap = { symbol: m.symbol, interval: '1m', candles: mk.candles.map((c) => candleOut(mk, c)) };
    else if (ch.startsWith('candles:') && mk) snap = { symbol: m.symbol, interval: ch.slice(8), candles: mk.candles.filter((_, k) => k % 5 === 0).map((c) => candleOut(mk, c)) };
    else if (ch === 'orders') snap = { orders: [...orders.values()].map(wireOrder) };
    else if (ch === 'executions') snap = { executions };
    else if (ch === 'positions') snap = positionsOut();
    else if (ch === 'balances') snap = balancesOut();
    else return out({ type: 'error', code: 'UNKNOWN_CHANNEL', msg: `unknown channel ${ch}`, ...id });
    subs.set(key, { seq: 1, depth: m.depth ?? 10 });
    out({ type: 'subscribed', channel: ch, ...(m.symbol ? { symbol: m.symbol } : {}), ...id });
    out({ type: 'snapshot', channel: ch, ...(m.symbol ? { symbol: m.symbol } : {}), seq: 1, data: snap });
  });
});

setInterval(() => {
  for (const m of market.values()) {
    m.mid *= 1 + (Math.random() - 0.5) * 0.0006;
    const t = Math.floor(Date.now() / 60000) * 60000;
    let c = m.candles[m.candles.length - 1];
    if (c.t !== t) { c = { t, o: m.mid, h: m.mid, l: m.mid, c: m.mid, v: 0 }; m.candles.push(c); m.candles.shift(); }
    c.c = m.mid; c.h = Math.max(c.h, m.mid); c.l = Math.min(c.l, m.mid); c.v += Math.random();
    const tr = { price: px(m.mid, m.i.tickSize), size: (Math.random() * 0.5).toFixed(4), side: Math.random() > 0.5 ? 'BUY' : 'SELL', timestamp: now() };
    m.trades.unshift(tr); m.trades.length = Math.min(m.trades.length, 50);
    const s = m.i.symbol;
    publish('ticker', s, tickerOf(m));
    publish('book', s, null);
    publish('trades', s, tr);
    publish('candles:1m', s, candleOut(m, c));
    for (const o of orders.values()) {
      if (o.symbol === s && o.status === 'NEW') { const p = marketable(o); if (p !== null) fill(o, p); }
    }
  }
  if (positions.size) publish('positions', undefined, positionsOut());
}, 500);

server.listen(port, '127.0.0.1', () => console.log(`mock omsd on http://127.0.0.1:${port}/ (serving ${dist})`));
