package events

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// ErrDecode wraps every decoding failure, so consumers can send poison records to the dead-letter topic.
var ErrDecode = errors.New("decode event")

// obj appends a JSON object field by field, skipping zero values to keep records small.
type obj struct{ b []byte }

func (o *obj) key(k string) {
	if len(o.b) > 0 && o.b[len(o.b)-1] != '{' {
		o.b = append(o.b, ',')
	}
	o.b = append(o.b, '"')
	o.b = append(o.b, k...)
	o.b = append(o.b, '"', ':')
}

func (o *obj) str(k, v string) {
	if v == "" {
		return
	}
	o.key(k)
	o.b = strconv.AppendQuote(o.b, v)
}

func (o *obj) dec(k string, v money.Decimal) {
	if v.IsZero() {
		return
	}
	o.key(k)
	o.b = append(o.b, '"')
	o.b = append(o.b, v.String()...)
	o.b = append(o.b, '"')
}

// decAlways writes a decimal even when zero (quantities a reader must see, such as cumQty).
func (o *obj) decAlways(k string, v money.Decimal) {
	o.key(k)
	o.b = append(o.b, '"')
	o.b = append(o.b, v.String()...)
	o.b = append(o.b, '"')
}

func (o *obj) uint(k string, v uint64) {
	o.key(k)
	o.b = strconv.AppendUint(o.b, v, 10)
}

func (o *obj) boolean(k string, v bool) {
	if !v {
		return
	}
	o.key(k)
	o.b = strconv.AppendBool(o.b, v)
}

func (o *obj) ts(k string, t time.Time) {
	if t.IsZero() {
		return
	}
	o.key(k)
	o.b = append(o.b, '"')
	o.b = t.UTC().AppendFormat(o.b, time.RFC3339Nano)
	o.b = append(o.b, '"')
}

func (o *obj) levels(k string, ls []Level) {
	o.key(k)
	o.b = append(o.b, '[')
	for i, l := range ls {
		if i > 0 {
			o.b = append(o.b, ',')
		}
		o.b = append(o.b, '[', '"')
		o.b = append(o.b, l.Price.String()...)
		o.b = append(o.b, '"', ',', '"')
		o.b = append(o.b, l.Size.String()...)
		o.b = append(o.b, '"', ']')
	}
	o.b = append(o.b, ']')
}

func enumStr[T interface{ String() string }](v T, zero bool) string {
	if zero {
		return ""
	}
	return v.String()
}

// AppendCommand appends the JSON form of c to dst.
func AppendCommand(dst []byte, c OrderCommand) []byte {
	o := obj{b: append(dst, '{')}
	o.str("kind", c.Kind.String())
	o.str("commandId", c.CommandID)
	o.str("accountId", string(c.Account))
	o.str("orderId", string(c.OrderID))
	if c.Kind == CmdNew {
		s := c.Spec
		o.str("clientOrderId", s.ClientOrderID)
		o.str("symbol", string(s.Symbol))
		o.str("side", s.Side.String())
		o.str("orderType", s.Type.String())
		o.str("timeInForce", s.TimeInForce.String())
		o.dec("quantity", s.Quantity)
		o.dec("price", s.Price)
		o.dec("stopPrice", s.StopPrice)
		o.ts("expireTime", s.ExpireTime)
		o.boolean("postOnly", s.PostOnly)
		o.boolean("reduceOnly", s.ReduceOnly)
	} else {
		o.str("symbol", string(c.Symbol))
	}
	o.dec("newQuantity", c.NewQty)
	o.dec("newPrice", c.NewPrice)
	o.ts("receivedAt", c.ReceivedAt)
	return append(o.b, '}')
}

// AppendReport appends the JSON form of r to dst.
func AppendReport(dst []byte, r ExecutionReport) []byte {
	o := obj{b: append(dst, '{')}
	o.str("execId", r.ExecID)
	o.str("orderId", string(r.OrderID))
	o.str("clientOrderId", r.ClientOrderID)
	o.str("accountId", string(r.Account))
	o.str("symbol", string(r.Symbol))
	o.str("side", enumStr(r.Side, r.Side == 0))
	o.str("orderType", enumStr(r.Type, r.Type == 0))
	o.str("timeInForce", enumStr(r.TimeInForce, r.TimeInForce == 0))
	o.str("execType", r.ExecType.String())
	o.str("status", r.Status.String())
	o.decAlways("quantity", r.Quantity)
	o.dec("price", r.Price)
	o.dec("stopPrice", r.StopPrice)
	o.ts("expireTime", r.ExpireTime)
	o.boolean("postOnly", r.PostOnly)
	o.boolean("reduceOnly", r.ReduceOnly)
	o.dec("lastQty", r.LastQty)
	o.dec("lastPrice", r.LastPrice)
	o.decAlways("cumQty", r.CumQty)
	o.dec("avgPrice", r.AvgPrice)
	o.decAlways("leavesQty", r.LeavesQty)
	o.dec("fee", r.Fee)
	o.str("feeAsset", r.FeeAsset)
	o.str("liquidity", r.Liquidity)
	o.dec("referencePrice", r.ReferencePrice)
	o.uint("seq", r.Seq)
	o.str("reason", r.Reason)
	o.str("text", r.Text)
	o.ts("createdAt", r.CreatedAt)
	o.ts("transactTime", r.TransactTime)
	o.ts("receivedAt", r.ReceivedAt)
	return append(o.b, '}')
}

// AppendTick appends the JSON form of t to dst.
func AppendTick(dst []byte, t PriceTick) []byte {
	o := obj{b: append(dst, '{')}
	o.str("symbol", string(t.Symbol))
	o.uint("seq", t.Seq)
	o.levels("bids", t.Bids)
	o.levels("asks", t.Asks)
	o.dec("last", t.Last)
	o.dec("lastSize", t.LastSize)
	o.dec("volume", t.Volume)
	o.ts("time", t.Time)
	return append(o.b, '}')
}

// AppendControl appends the JSON form of c to dst. Trading-state commands carry no "kind", so they are
// byte for byte what processors from before LIMITS existed decode.
func AppendControl(dst []byte, c Control) []byte {
	o := obj{b: append(dst, '{')}
	if c.Kind != ControlTradingState {
		o.str("kind", c.Kind.String())
	}
	o.str("id", c.ID)
	o.str("scope", c.Scope.String())
	o.str("target", c.Target)
	if c.Kind == ControlLimits {
		o.limits("limits", c.Limits)
	} else {
		o.str("state", c.State.String())
	}
	o.str("reason", c.Reason)
	o.str("by", c.By)
	o.ts("at", c.At)
	return append(o.b, '}')
}

func (o *obj) int(k string, v int) {
	o.key(k)
	o.b = strconv.AppendInt(o.b, int64(v), 10)
}

// limits writes every field, zeros included: 0 means "no limit" for the counts, so absence and zero
// must not be confused by a reader.
func (o *obj) limits(k string, l RiskLimits) {
	o.key(k)
	in := obj{b: append(o.b, '{')}
	in.decAlways("maxOrderNotional", l.MaxOrderNotional)
	in.decAlways("priceCollarPct", l.PriceCollarPct)
	in.int("maxOpenOrders", l.MaxOpenOrders)
	in.int("maxOrdersPerSec", l.MaxOrdersPerSec)
	in.symbolMap("maxOrderQty", l.MaxOrderQty)
	in.symbolMap("maxPosition", l.MaxPosition)
	o.b = append(in.b, '}')
}

// symbolMap writes a per-symbol decimal map with its keys sorted, so equal maps encode equally.
func (o *obj) symbolMap(k string, m map[instrument.Symbol]money.Decimal) {
	o.key(k)
	syms := make([]string, 0, len(m))
	for s := range m {
		syms = append(syms, string(s))
	}
	sort.Strings(syms)
	in := obj{b: append(o.b, '{')}
	for _, s := range syms {
		in.decAlways(s, m[instrument.Symbol(s)])
	}
	o.b = append(in.b, '}')
}

// The wire mirrors below carry no tags: encoding/json matches keys to field names case-insensitively,
// so "clientOrderId" fills ClientOrderID. Unknown keys are rejected to catch contract drift early.

type commandWire struct {
	Kind, CommandID, AccountID, OrderID, ClientOrderID, Symbol, Side, OrderType, TimeInForce string
	Quantity, Price, StopPrice, NewQuantity, NewPrice                                        string
	ExpireTime, ReceivedAt                                                                   string
	PostOnly, ReduceOnly                                                                     bool
}

type reportWire struct {
	ExecID, OrderID, ClientOrderID, AccountID, Symbol, Side, OrderType, TimeInForce, ExecType, Status string
	Quantity, Price, StopPrice, LastQty, LastPrice, CumQty, AvgPrice, LeavesQty, Fee, ReferencePrice  string
	FeeAsset, Liquidity, Reason, Text                                                                 string
	ExpireTime, CreatedAt, TransactTime, ReceivedAt                                                   string
	PostOnly, ReduceOnly                                                                              bool
	Seq                                                                                               uint64
}

type tickWire struct {
	Symbol                 string
	Seq                    uint64
	Bids, Asks             [][2]string
	Last, LastSize, Volume string
	Time                   string
}

type controlWire struct {
	Kind, ID, Scope, Target, State, Reason, By, At string
	Limits                                         *limitsWire
}

type limitsWire struct {
	MaxOrderNotional, PriceCollarPct string
	MaxOpenOrders, MaxOrdersPerSec   int
	MaxOrderQty, MaxPosition         map[string]string
}

func strict(b []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data")
	}
	return nil
}

// fieldReader collects the first error while converting wire strings to domain values.
type fieldReader struct{ err error }

func (r *fieldReader) fail(field string, err error) {
	if r.err == nil {
		r.err = fmt.Errorf("%s: %w", field, err)
	}
}

func (r *fieldReader) dec(field, s string) money.Decimal {
	if s == "" {
		return money.Zero
	}
	d, err := money.Parse(s)
	if err != nil {
		r.fail(field, err)
	}
	return d
}

func (r *fieldReader) ts(field, s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		r.fail(field, err)
	}
	return t
}

func (r *fieldReader) symbol(s string) instrument.Symbol {
	if s == "" {
		return ""
	}
	sym, err := instrument.ParseSymbol(s)
	if err != nil {
		r.fail("symbol", err)
	}
	return sym
}

func optEnum[T ~uint8](r *fieldReader, field, s string, parse func(string) (T, error)) T {
	if s == "" {
		return 0
	}
	v, err := parse(s)
	if err != nil {
		r.fail(field, err)
	}
	return v
}

func parseKind(s string) (CommandKind, error) {
	for i := 1; i < len(cmdNames); i++ {
		if cmdNames[i] == s {
			return CommandKind(i), nil
		}
	}
	return 0, fmt.Errorf("unknown command kind %q", s)
}

// DecodeCommand parses an OrderCommand.
func DecodeCommand(b []byte) (OrderCommand, error) {
	var w commandWire
	if err := strict(b, &w); err != nil {
		return OrderCommand{}, fmt.Errorf("%w: command: %v", ErrDecode, err)
	}
	var r fieldReader
	c := OrderCommand{
		Kind:       optEnum(&r, "kind", w.Kind, parseKind),
		CommandID:  w.CommandID,
		Account:    order.AccountID(w.AccountID),
		OrderID:    order.ID(w.OrderID),
		NewQty:     r.dec("newQuantity", w.NewQuantity),
		NewPrice:   r.dec("newPrice", w.NewPrice),
		ReceivedAt: r.ts("receivedAt", w.ReceivedAt),
	}
	sym := r.symbol(w.Symbol)
	if c.Kind == CmdNew {
		c.Spec = order.Spec{
			ID:            c.OrderID,
			ClientOrderID: w.ClientOrderID,
			Account:       c.Account,
			Symbol:        sym,
			Side:          optEnum(&r, "side", w.Side, order.ParseSide),
			Type:          optEnum(&r, "orderType", w.OrderType, order.ParseType),
			TimeInForce:   optEnum(&r, "timeInForce", w.TimeInForce, order.ParseTimeInForce),
			Quantity:      r.dec("quantity", w.Quantity),
			Price:         r.dec("price", w.Price),
			StopPrice:     r.dec("stopPrice", w.StopPrice),
			ExpireTime:    r.ts("expireTime", w.ExpireTime),
			PostOnly:      w.PostOnly,
			ReduceOnly:    w.ReduceOnly,
		}
	} else {
		c.Symbol = sym
	}
	if r.err == nil {
		switch {
		case c.Kind == 0:
			r.err = errors.New("kind missing")
		case c.Account == "":
			r.err = errors.New("accountId missing")
		case c.Kind != CmdCancelAll && c.OrderID == "":
			r.err = errors.New("orderId missing")
		case c.Kind == CmdNew && (c.Spec.Side == 0 || c.Spec.Type == 0 || c.Spec.TimeInForce == 0 || c.Spec.Symbol == ""):
			r.err = errors.New("new order lacks side, orderType, timeInForce or symbol")
		}
	}
	if r.err != nil {
		return OrderCommand{}, fmt.Errorf("%w: command: %v", ErrDecode, r.err)
	}
	return c, nil
}

// DecodeReport parses an ExecutionReport.
func DecodeReport(b []byte) (ExecutionReport, error) {
	var w reportWire
	if err := strict(b, &w); err != nil {
		return ExecutionReport{}, fmt.Errorf("%w: report: %v", ErrDecode, err)
	}
	var r fieldReader
	e := ExecutionReport{
		ExecID:         w.ExecID,
		OrderID:        order.ID(w.OrderID),
		ClientOrderID:  w.ClientOrderID,
		Account:        order.AccountID(w.AccountID),
		Symbol:         r.symbol(w.Symbol),
		Side:           optEnum(&r, "side", w.Side, order.ParseSide),
		Type:           optEnum(&r, "orderType", w.OrderType, order.ParseType),
		TimeInForce:    optEnum(&r, "timeInForce", w.TimeInForce, order.ParseTimeInForce),
		ExecType:       optEnum(&r, "execType", w.ExecType, order.ParseExecType),
		Status:         optEnum(&r, "status", w.Status, order.ParseStatus),
		Quantity:       r.dec("quantity", w.Quantity),
		Price:          r.dec("price", w.Price),
		StopPrice:      r.dec("stopPrice", w.StopPrice),
		ExpireTime:     r.ts("expireTime", w.ExpireTime),
		PostOnly:       w.PostOnly,
		ReduceOnly:     w.ReduceOnly,
		LastQty:        r.dec("lastQty", w.LastQty),
		LastPrice:      r.dec("lastPrice", w.LastPrice),
		CumQty:         r.dec("cumQty", w.CumQty),
		AvgPrice:       r.dec("avgPrice", w.AvgPrice),
		LeavesQty:      r.dec("leavesQty", w.LeavesQty),
		Fee:            r.dec("fee", w.Fee),
		FeeAsset:       w.FeeAsset,
		Liquidity:      w.Liquidity,
		ReferencePrice: r.dec("referencePrice", w.ReferencePrice),
		Seq:            w.Seq,
		Reason:         w.Reason,
		Text:           w.Text,
		CreatedAt:      r.ts("createdAt", w.CreatedAt),
		TransactTime:   r.ts("transactTime", w.TransactTime),
		ReceivedAt:     r.ts("receivedAt", w.ReceivedAt),
	}
	requestLevel := e.ExecType == order.ExecCancelRejected || e.ExecType == order.ExecReplaceRejected
	if r.err == nil && (e.ExecID == "" || e.OrderID == "" || e.Account == "" || e.ExecType == 0 || e.Status == 0 || (e.Seq == 0 && !requestLevel)) {
		// Sequence 0 marks a request-level notification (a refused cancel or amend), which changes no order.
		r.err = errors.New("execId, orderId, accountId, execType, status and (except for refused requests) seq are required")
	}
	if r.err != nil {
		return ExecutionReport{}, fmt.Errorf("%w: report: %v", ErrDecode, r.err)
	}
	return e, nil
}

// DecodeTick parses a PriceTick.
func DecodeTick(b []byte) (PriceTick, error) {
	var w tickWire
	if err := strict(b, &w); err != nil {
		return PriceTick{}, fmt.Errorf("%w: tick: %v", ErrDecode, err)
	}
	var r fieldReader
	levels := func(field string, in [][2]string) []Level {
		out := make([]Level, 0, len(in))
		for _, l := range in {
			out = append(out, Level{Price: r.dec(field, l[0]), Size: r.dec(field, l[1])})
		}
		return out
	}
	t := PriceTick{
		Symbol:   r.symbol(w.Symbol),
		Seq:      w.Seq,
		Bids:     levels("bids", w.Bids),
		Asks:     levels("asks", w.Asks),
		Last:     r.dec("last", w.Last),
		LastSize: r.dec("lastSize", w.LastSize),
		Volume:   r.dec("volume", w.Volume),
		Time:     r.ts("time", w.Time),
	}
	if r.err == nil && t.Symbol == "" {
		r.err = errors.New("symbol missing")
	}
	if r.err != nil {
		return PriceTick{}, fmt.Errorf("%w: tick: %v", ErrDecode, r.err)
	}
	return t, nil
}

func parseScope(s string) (Scope, error) {
	for i := 1; i < len(scopeNames); i++ {
		if scopeNames[i] == s {
			return Scope(i), nil
		}
	}
	return 0, fmt.Errorf("unknown scope %q", s)
}

// ParseTradingState parses ACTIVE, HALTED or REDUCING.
func ParseTradingState(s string) (TradingState, error) {
	for i := 1; i < len(stateNames); i++ {
		if stateNames[i] == s {
			return TradingState(i), nil
		}
	}
	return 0, fmt.Errorf("unknown trading state %q", s)
}

// ParseScope parses GLOBAL, ACCOUNT or SYMBOL.
func ParseScope(s string) (Scope, error) { return parseScope(s) }

// DecodeControl parses a Control command. A record without "kind" is a trading-state command.
func DecodeControl(b []byte) (Control, error) {
	var w controlWire
	if err := strict(b, &w); err != nil {
		return Control{}, fmt.Errorf("%w: control: %v", ErrDecode, err)
	}
	var r fieldReader
	c := Control{
		Kind:   optEnum(&r, "kind", w.Kind, ParseControlKind),
		ID:     w.ID,
		Scope:  optEnum(&r, "scope", w.Scope, parseScope),
		Target: w.Target,
		State:  optEnum(&r, "state", w.State, ParseTradingState),
		Reason: w.Reason,
		By:     w.By,
		At:     r.ts("at", w.At),
	}
	if w.Limits != nil {
		c.Limits = r.limits(*w.Limits)
	}
	if r.err == nil {
		switch c.Kind {
		case ControlTradingState:
			if c.Scope == 0 || c.State == 0 || (c.Scope != ScopeGlobal && c.Target == "") || w.Limits != nil {
				r.err = errors.New("scope, state and (unless GLOBAL) target are required, and limits are not allowed")
			}
		case ControlLimits:
			if c.Scope != ScopeAccount || c.Target == "" || c.State != 0 || w.Limits == nil {
				r.err = errors.New("LIMITS needs scope ACCOUNT, a target and limits, and no state")
			}
		}
	}
	if r.err != nil {
		return Control{}, fmt.Errorf("%w: control: %v", ErrDecode, r.err)
	}
	return c, nil
}

func (r *fieldReader) limits(w limitsWire) RiskLimits {
	return RiskLimits{
		MaxOrderQty:      r.symbolMap("limits.maxOrderQty", w.MaxOrderQty),
		MaxOrderNotional: r.dec("limits.maxOrderNotional", w.MaxOrderNotional),
		MaxPosition:      r.symbolMap("limits.maxPosition", w.MaxPosition),
		PriceCollarPct:   r.dec("limits.priceCollarPct", w.PriceCollarPct),
		MaxOpenOrders:    w.MaxOpenOrders,
		MaxOrdersPerSec:  w.MaxOrdersPerSec,
	}
}

// symbolMap reads a per-symbol decimal map; it is never nil, so a decoded LIMITS command compares
// equal to its re-encoding.
func (r *fieldReader) symbolMap(field string, in map[string]string) map[instrument.Symbol]money.Decimal {
	out := make(map[instrument.Symbol]money.Decimal, len(in))
	for k, v := range in {
		sym, err := instrument.ParseSymbol(k)
		if err != nil {
			r.fail(field, err)
			continue
		}
		if _, dup := out[sym]; dup {
			r.fail(field, fmt.Errorf("symbol %s given twice", sym))
			continue
		}
		if v == "" {
			r.fail(field+"."+string(sym), money.ErrSyntax)
			continue
		}
		out[sym] = r.dec(field+"."+string(sym), v)
	}
	return out
}
