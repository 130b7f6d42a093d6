// Package stream is the WebSocket fan-out of market data and of each account's orders, executions,
// positions and balances (docs/websocket.md). One hub goroutine owns all state; each connection has a
// bounded send queue, and a client that cannot keep up is disconnected rather than allowed to grow the
// server's memory. Fan-out never blocks the order path: the hub is fed from Kafka tails, not from the
// gateway or the processor.
package stream

import (
	"encoding/json"
	"log/slog"
	"sort"
	"strconv"
	"sync/atomic"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

const (
	// A connection may fall this far behind before it is cut off as a slow consumer. Bytes, not frames,
	// bound the server's memory; the frame count only sizes the channel. The allowance is deliberately
	// more than one Kafka fetch's worth of updates: executions reach the hub in batches (up to 50 ms of
	// them at once), and a client that reads at full speed must not be cut off by a burst it would
	// have drained in a millisecond (omsbench's open+100ws phase did exactly that with 256 frames).
	sendQueue       = 8192
	maxPendingBytes = 1 << 20
	maxSubs         = 50
	keepClosed      = 100
	keepExecutions  = 100
)

// Config configures a hub.
type Config struct {
	Catalog    *instrument.Catalog
	NewAccount func(order.AccountID) *account.Account // funding and fees as the processor has them
	Logger     *slog.Logger
}

type subKey struct {
	channel string
	symbol  instrument.Symbol
}

type subState struct {
	seq   uint64
	depth int
}

type conn struct {
	account order.AccountID
	send    chan []byte
	pending atomic.Int64 // bytes queued in send and not yet written
	subs    map[subKey]*subState
	dead    bool
	kill    func(code string)
}

type userState struct {
	acct   *account.Account
	orders map[order.ID]*orderView
	closed []order.ID // most recent last
	execs  []events.ExecutionReport

	// What changed since the last flush, for the account's connections.
	newExecs      []events.ExecutionReport
	changed       []orderView      // latest state of each changed order, in order of first change
	changedAt     map[order.ID]int // index in changed
	balancesDirty bool
	marksDirty    bool
}

type msg struct {
	tick   *events.PriceTick
	report *events.ExecutionReport
	reg    *conn
	unreg  *conn
	op     *clientOp
	c      *conn
}

// Hub is the fan-out. Create with New, run with Run, feed with OnTick/OnReport.
type Hub struct {
	cfg    Config
	log    *slog.Logger
	in     chan msg
	market map[instrument.Symbol]*symbolState
	users  map[order.AccountID]*userState
	conns  map[*conn]struct{}
	dirty  map[order.AccountID]*userState // accounts with changes for their connections
	// Indexes, so an update costs its subscribers and not every connection on the gateway.
	subs     map[subKey]map[*conn]*subState         // market channels
	accounts map[order.AccountID]map[*conn]struct{} // authenticated connections by account
	dropped  int
	quit     chan struct{} // closed when Run returns: senders stop waiting
}

// New returns a hub.
func New(cfg Config) *Hub {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Hub{cfg: cfg, log: cfg.Logger, in: make(chan msg, 4096), market: map[instrument.Symbol]*symbolState{}, users: map[order.AccountID]*userState{}, conns: map[*conn]struct{}{}, dirty: map[order.AccountID]*userState{},
		subs: map[subKey]map[*conn]*subState{}, accounts: map[order.AccountID]map[*conn]struct{}{}, quit: make(chan struct{})}
}

// post hands a message to the hub goroutine, or drops it once the hub has stopped.
func (h *Hub) post(m msg) {
	select {
	case h.in <- m:
	case <-h.quit:
	}
}

// OnTick feeds a price tick.
func (h *Hub) OnTick(t events.PriceTick) { h.post(msg{tick: &t}) }

// OnReport feeds an execution report.
func (h *Hub) OnReport(r events.ExecutionReport) { h.post(msg{report: &r}) }

// Run owns the state until done is closed.
func (h *Hub) Run(done <-chan struct{}) {
	var lastFlush time.Time
	var flushTimer *time.Timer
	var flushDue <-chan time.Time
	for {
		select {
		case <-flushDue:
			flushDue = nil
			h.flush()
			lastFlush = time.Now()
		case <-done:
			close(h.quit)
			for c := range h.conns {
				c.kill("SHUTDOWN")
			}
			return
		case m := <-h.in:
			h.handle(m)
			h.drain()
			if len(h.dirty) == 0 || flushDue != nil {
				continue
			}
			// At most one flush per minFlushGap: a report after a quiet spell goes out at once, a
			// stream of them every minFlushGap, so a dashboard's user channels cost the same frames at
			// 100 orders/s as at 10,000.
			if wait := minFlushGap - time.Since(lastFlush); wait > 0 {
				if flushTimer == nil {
					flushTimer = time.NewTimer(wait)
				} else {
					flushTimer.Reset(wait)
				}
				flushDue = flushTimer.C
				continue
			}
			h.flush()
			lastFlush = time.Now()
		}
	}
}

// minFlushGap paces the user channels' updates: 50 a second at most, faster than a screen redraws.
const minFlushGap = 20 * time.Millisecond

// maxCoalesce bounds how many messages one flush covers, so a sustained flood still flushes often.
const maxCoalesce = 1024

// drain handles what is already waiting, without waiting for more. Under light load that is nothing
// and every report is flushed on its own; under load (a Kafka fetch delivers executions in batches)
// one flush covers the batch, and each connection gets a frame per channel instead of a frame per
// report: the fan-out then scales with flushes, not with orders (BenchmarkFanOut).
func (h *Hub) drain() {
	for range maxCoalesce {
		select {
		case m := <-h.in:
			h.handle(m)
		default:
			return
		}
	}
}

// flush sends each changed account's updates to its connections: one executions frame with every new
// report, one orders frame with the latest state of each changed order, balances and positions once.
func (h *Hub) flush() {
	for id, u := range h.dirty {
		if len(u.newExecs) > 0 {
			rs := make([]json.RawMessage, len(u.newExecs))
			for i, r := range u.newExecs {
				rs[i] = reportData(r)
			}
			for _, c := range chunks(rs) {
				h.publishUser(id, "executions", func() any { return map[string]any{"executions": c} })
			}
		}
		if len(u.changed) > 0 {
			vs := make([]json.RawMessage, 0, len(u.changed))
			for _, v := range u.changed {
				if b := h.encode(v); b != nil {
					vs = append(vs, b)
				}
			}
			for _, c := range chunks(vs) {
				h.publishUser(id, "orders", func() any { return map[string]any{"orders": c} })
			}
		}
		if u.balancesDirty {
			h.publishUser(id, "balances", func() any { return map[string]any{"balances": balancesData(u.acct)} })
		}
		if u.marksDirty {
			h.publishUser(id, "positions", func() any { return map[string]any{"positions": h.positions(u)} })
		}
		u.newExecs, u.changed, u.balancesDirty, u.marksDirty = nil, nil, false, false
		clear(u.changedAt)
		delete(h.dirty, id)
	}
}

// maxUpdateBytes bounds a coalesced update's payload: a burst goes out in several frames rather than
// one that a client with a default message limit (32 KiB in some WebSocket libraries) cannot read.
const maxUpdateBytes = 16 << 10

// chunks splits items into runs of at most maxUpdateBytes (a single larger item goes alone).
func chunks(items []json.RawMessage) [][]json.RawMessage {
	var out [][]json.RawMessage
	var cur []json.RawMessage
	n := 0
	for _, it := range items {
		if len(cur) > 0 && n+len(it) > maxUpdateBytes {
			out, cur, n = append(out, cur), nil, 0
		}
		cur = append(cur, it)
		n += len(it) + 1
	}
	if len(cur) > 0 {
		out = append(out, cur)
	}
	return out
}

// watched reports whether the account has connections, and marks it for the next flush if so.
func (h *Hub) watched(id order.AccountID, u *userState) bool {
	if len(h.accounts[id]) == 0 {
		return false
	}
	h.dirty[id] = u
	return true
}

func (h *Hub) handle(m msg) {
	switch {
	case m.tick != nil:
		h.onTick(*m.tick)
	case m.report != nil:
		h.onReport(*m.report)
	case m.reg != nil:
		h.conns[m.reg] = struct{}{}
		if a := m.reg.account; a != "" {
			if h.accounts[a] == nil {
				h.accounts[a] = map[*conn]struct{}{}
			}
			h.accounts[a][m.reg] = struct{}{}
		}
	case m.unreg != nil:
		c := m.unreg
		c.dead = true
		delete(h.conns, c)
		for key := range c.subs {
			h.unindex(c, key)
		}
		if cs := h.accounts[c.account]; cs != nil {
			delete(cs, c)
			if len(cs) == 0 {
				delete(h.accounts, c.account)
			}
		}
	case m.op != nil:
		h.onOp(m.c, *m.op)
	}
}

func (h *Hub) sym(s instrument.Symbol) *symbolState {
	st := h.market[s]
	if st == nil {
		st = newSymbolState()
		h.market[s] = st
	}
	return st
}

func (h *Hub) user(id order.AccountID) *userState {
	u := h.users[id]
	if u == nil {
		u = &userState{acct: h.cfg.NewAccount(id), orders: map[order.ID]*orderView{}}
		h.users[id] = u
	}
	return u
}

func (h *Hub) onTick(t events.PriceTick) {
	st := h.sym(t.Symbol)
	trade, changed, ok := st.apply(t)
	if !ok {
		return
	}
	h.publish(subKey{"ticker", t.Symbol}, func(*subState) any { return tickerData(st.ticker(t.Symbol)) })
	h.publish(subKey{"book", t.Symbol}, func(s *subState) any { return bookData(st.last, s.depth) })
	if trade != nil {
		h.publish(subKey{"trades", t.Symbol}, func(*subState) any { return tradeData(*trade) })
	}
	for _, iv := range changed {
		cs := st.candles[iv]
		h.publish(subKey{"candles:" + iv, t.Symbol}, func(*subState) any { return candleData(cs[len(cs)-1]) })
	}
	// Positions are marked to market: every connected account holding this symbol gets fresh P&L.
	for id := range h.accounts {
		if u := h.users[id]; u != nil && !u.acct.Position(t.Symbol).Qty.IsZero() && h.watched(id, u) {
			u.marksDirty = true
		}
	}
}

func (h *Hub) onReport(r events.ExecutionReport) {
	u := h.user(r.Account)
	if err := u.acct.Apply(r); err != nil {
		h.log.Warn("stream: report does not apply; balances may lag", "exec_id", r.ExecID, "err", err)
	}
	u.execs = append(u.execs, r)
	if len(u.execs) > keepExecutions {
		u.execs = u.execs[len(u.execs)-keepExecutions:]
	}
	watched := h.watched(r.Account, u)
	if watched {
		u.newExecs = append(u.newExecs, r)
	}
	if r.Seq == 0 {
		return
	}
	v := u.orders[r.OrderID]
	if v != nil && r.Seq <= v.Seq {
		return
	}
	nv := viewOf(r, v)
	u.orders[r.OrderID] = &nv
	if r.Status.Terminal() {
		u.closed = append(u.closed, r.OrderID)
		if len(u.closed) > keepClosed {
			delete(u.orders, u.closed[0])
			u.closed = u.closed[1:]
		}
	}
	if !watched {
		return
	}
	if i, ok := u.changedAt[r.OrderID]; ok {
		u.changed[i] = nv
	} else {
		if u.changedAt == nil {
			u.changedAt = map[order.ID]int{}
		}
		u.changedAt[r.OrderID] = len(u.changed)
		u.changed = append(u.changed, nv)
	}
	if r.ExecType == order.ExecTrade || r.ExecType == order.ExecNew || r.Status.Terminal() || r.ExecType == order.ExecReplaced {
		u.balancesDirty = true
	}
	if r.ExecType == order.ExecTrade {
		u.marksDirty = true
	}
}

// publish sends an update on key to every subscriber, each with its own sequence number. The payload
// is built and encoded once per book depth, not once per connection: with a hundred dashboards the
// per-connection cost is a copy, which keeps the fan-out from competing with the order path for CPU.
func (h *Hub) publish(key subKey, data func(*subState) any) {
	var env *envelope
	var payloads map[int][]byte
	for c, s := range h.subs[key] {
		if c.dead {
			continue
		}
		if env == nil {
			env, payloads = newEnvelope(key.channel, key.symbol), map[int][]byte{}
		}
		p, ok := payloads[s.depth]
		if !ok {
			if p = h.encode(data(s)); p == nil {
				return
			}
			payloads[s.depth] = p
		}
		s.seq++
		h.sendBytes(c, env.frame(s.seq, p))
	}
}

func (h *Hub) publishUser(id order.AccountID, channel string, data func() any) {
	key := subKey{channel: channel}
	var env *envelope
	var payload []byte
	for c := range h.accounts[id] {
		if c.dead {
			continue
		}
		if s, ok := c.subs[key]; ok {
			if env == nil {
				if payload = h.encode(data()); payload == nil {
					return
				}
				env = newEnvelope(channel, "")
			}
			s.seq++
			h.sendBytes(c, env.frame(s.seq, payload))
		}
	}
}

func (h *Hub) encode(v any) []byte {
	b, err := json.Marshal(v)
	if err != nil {
		h.log.Error("stream: encode payload", "err", err)
		return nil
	}
	return b
}

// envelope is the fixed part of an update frame; it encodes exactly as frame does (same field order,
// omitempty symbol), which TestUpdateFrameMatchesFrame pins.
type envelope struct{ head []byte }

func newEnvelope(channel string, symbol instrument.Symbol) *envelope {
	ch, _ := json.Marshal(channel)
	head := append([]byte(`{"type":"update","channel":`), ch...)
	if symbol != "" {
		sym, _ := json.Marshal(string(symbol))
		head = append(append(head, `,"symbol":`...), sym...)
	}
	return &envelope{head: append(head, `,"seq":`...)}
}

func (e *envelope) frame(seq uint64, payload []byte) []byte {
	b := make([]byte, 0, len(e.head)+len(payload)+32)
	b = append(b, e.head...)
	b = strconv.AppendUint(b, seq, 10)
	b = append(b, `,"data":`...)
	b = append(b, payload...)
	return append(b, '}')
}

type frame struct {
	Type    string `json:"type"`
	Channel string `json:"channel,omitempty"`
	Symbol  string `json:"symbol,omitempty"`
	Seq     uint64 `json:"seq,omitempty"`
	ID      string `json:"id,omitempty"`
	Code    string `json:"code,omitempty"`
	Msg     string `json:"msg,omitempty"`
	Time    string `json:"time,omitempty"`
	Data    any    `json:"data,omitempty"`
}

// send queues a frame without blocking; a full queue means a slow consumer, which is cut off.
func (h *Hub) send(c *conn, f frame) {
	if c.dead {
		return
	}
	b, err := json.Marshal(f)
	if err != nil {
		h.log.Error("stream: encode frame", "err", err)
		return
	}
	h.sendBytes(c, b)
}

func (h *Hub) sendBytes(c *conn, b []byte) {
	if c.dead {
		return
	}
	if c.pending.Load()+int64(len(b)) > maxPendingBytes {
		c.dead = true
		h.dropped++
		c.kill("SLOW_CONSUMER")
		return
	}
	select {
	case c.send <- b:
		c.pending.Add(int64(len(b)))
	default:
		c.dead = true
		h.dropped++
		c.kill("SLOW_CONSUMER")
	}
}

func (h *Hub) onOp(c *conn, op clientOp) {
	if c.dead {
		return
	}
	fail := func(code, text string) { h.send(c, frame{Type: "error", Code: code, Msg: text, ID: op.ID}) }
	switch op.Op {
	case "ping":
		h.send(c, frame{Type: "pong", ID: op.ID})
		return
	case "subscribe", "unsubscribe":
	default:
		fail("BAD_MESSAGE", `op must be "subscribe", "unsubscribe" or "ping"`)
		return
	}
	key, depth, code, text := h.parseSub(c, op)
	if code != "" {
		fail(code, text)
		return
	}
	if op.Op == "unsubscribe" {
		delete(c.subs, key)
		h.unindex(c, key)
		h.send(c, frame{Type: "unsubscribed", Channel: key.channel, Symbol: string(key.symbol), ID: op.ID})
		return
	}
	if _, dup := c.subs[key]; !dup && len(c.subs) >= maxSubs {
		fail("TOO_MANY_SUBSCRIPTIONS", "at most 50 subscriptions per connection")
		return
	}
	s := &subState{seq: 1, depth: depth}
	c.subs[key] = s
	if key.symbol != "" {
		if h.subs[key] == nil {
			h.subs[key] = map[*conn]*subState{}
		}
		h.subs[key][c] = s
	}
	h.send(c, frame{Type: "subscribed", Channel: key.channel, Symbol: string(key.symbol), ID: op.ID})
	h.send(c, frame{Type: "snapshot", Channel: key.channel, Symbol: string(key.symbol), Seq: 1, Data: h.snapshot(c, key, depth)})
}

func (h *Hub) unindex(c *conn, key subKey) {
	if cs := h.subs[key]; cs != nil {
		delete(cs, c)
		if len(cs) == 0 {
			delete(h.subs, key)
		}
	}
}

func (h *Hub) parseSub(c *conn, op clientOp) (subKey, int, string, string) {
	switch op.Channel {
	case "orders", "executions", "positions", "balances":
		if c.account == "" {
			return subKey{}, 0, "UNAUTHENTICATED", "user channels need a token from POST /api/ws-token"
		}
		return subKey{channel: op.Channel}, 0, "", ""
	}
	sym, err := instrument.ParseSymbol(op.Symbol)
	if err != nil {
		return subKey{}, 0, "INVALID_SYMBOL", "market channels need a symbol such as BTC-USD"
	}
	if _, ok := h.cfg.Catalog.Lookup(sym); !ok {
		return subKey{}, 0, "UNKNOWN_SYMBOL", "symbol " + string(sym) + " is not traded here"
	}
	switch {
	case op.Channel == "ticker" || op.Channel == "trades":
		return subKey{op.Channel, sym}, 0, "", ""
	case op.Channel == "book":
		depth := op.Depth
		if depth <= 0 || depth > 20 {
			depth = 5
		}
		return subKey{"book", sym}, depth, "", ""
	case len(op.Channel) > 8 && op.Channel[:8] == "candles:":
		if _, ok := Intervals[op.Channel[8:]]; !ok {
			return subKey{}, 0, "UNKNOWN_INTERVAL", "candle intervals are 1m, 5m, 15m, 1h, 4h, 1d"
		}
		return subKey{op.Channel, sym}, 0, "", ""
	}
	return subKey{}, 0, "UNKNOWN_CHANNEL", "unknown channel " + op.Channel
}

func (h *Hub) snapshot(c *conn, key subKey, depth int) any {
	switch key.channel {
	case "orders", "executions", "positions", "balances":
		u := h.user(c.account)
		switch key.channel {
		case "orders":
			views := make([]orderView, 0, len(u.orders))
			for _, v := range u.orders {
				views = append(views, *v)
			}
			sort.Slice(views, func(i, j int) bool { return views[i].CreatedAt > views[j].CreatedAt })
			return map[string]any{"orders": views}
		case "executions":
			out := make([]reportJSON, 0, len(u.execs))
			for i := len(u.execs) - 1; i >= 0; i-- {
				out = append(out, reportData(u.execs[i]))
			}
			return map[string]any{"executions": out}
		case "positions":
			return map[string]any{"positions": h.positions(u)}
		default:
			return map[string]any{"balances": balancesData(u.acct)}
		}
	}
	st := h.sym(key.symbol)
	switch {
	case key.channel == "ticker":
		return tickerData(st.ticker(key.symbol))
	case key.channel == "book":
		return bookData(st.last, depth)
	case key.channel == "trades":
		ts := make([]tradeJSON, 0, len(st.trades))
		for _, t := range st.trades {
			ts = append(ts, tradeData(t))
		}
		return map[string]any{"symbol": key.symbol, "trades": ts}
	default:
		iv := key.channel[8:]
		cs := make([]candleJSON, 0, len(st.candles[iv]))
		for _, c := range st.candles[iv] {
			cs = append(cs, candleData(c))
		}
		return map[string]any{"symbol": key.symbol, "interval": iv, "candles": cs}
	}
}

func (h *Hub) positions(u *userState) []positionJSON {
	var out []positionJSON
	for _, in := range h.cfg.Catalog.All() {
		p := u.acct.Position(in.Symbol)
		if p.Qty.IsZero() && p.Realized.IsZero() {
			continue
		}
		pj := positionJSON{Symbol: string(in.Symbol), Quantity: p.Qty.String(), AvgEntryPrice: p.AvgEntry.String(), RealizedPnl: p.Realized.String()}
		if st := h.market[in.Symbol]; st != nil && st.last != nil && !st.last.BestBid().IsZero() {
			mark, _ := st.last.BestBid().Add(st.last.BestAsk()).Div(money.FromInt(2), 8)
			pj.MarkPrice = mark.String()
			pj.UnrealizedPnl = mark.Sub(p.AvgEntry).Mul(p.Qty).Round(8).String()
		}
		out = append(out, pj)
	}
	return out
}

func heartbeat(now time.Time) []byte {
	b, _ := json.Marshal(frame{Type: "heartbeat", Time: now.UTC().Format(time.RFC3339Nano)})
	return b
}
