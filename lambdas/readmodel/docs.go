package readmodel

import (
	"fmt"
	"strconv"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// orderDoc is one order's latest state: the fields of its newest execution report (camelCase, decimals
// as strings). ID is the order id; it is left empty in $set so that the upsert takes it from the filter.
type orderDoc struct {
	ID            string    `bson:"_id,omitempty"`
	OrderID       string    `bson:"orderId"`
	ClientOrderID string    `bson:"clientOrderId"`
	AccountID     string    `bson:"accountId"`
	Symbol        string    `bson:"symbol"`
	Side          string    `bson:"side"`
	OrderType     string    `bson:"orderType"`
	TimeInForce   string    `bson:"timeInForce"`
	Status        string    `bson:"status"`
	Open          bool      `bson:"open"`
	ExecType      string    `bson:"execType"`
	Quantity      string    `bson:"quantity"`
	Price         string    `bson:"price,omitempty"`
	StopPrice     string    `bson:"stopPrice,omitempty"`
	ExpireTime    time.Time `bson:"expireTime,omitempty"`
	PostOnly      bool      `bson:"postOnly"`
	ReduceOnly    bool      `bson:"reduceOnly"`
	CumQty        string    `bson:"cumQty"`
	AvgPrice      string    `bson:"avgPrice"`
	LeavesQty     string    `bson:"leavesQty"`
	Seq           int64     `bson:"seq"`
	Reason        string    `bson:"reason,omitempty"`
	Text          string    `bson:"text,omitempty"`
	CreatedAt     time.Time `bson:"createdAt"`
	UpdatedAt     time.Time `bson:"updatedAt"`
}

// fillDoc is one trade execution. Key orders an account's fills deterministically (transact time,
// order id, sequence), so that positions folded from them do not depend on arrival order.
type fillDoc struct {
	ExecID        string    `bson:"_id"`
	OrderID       string    `bson:"orderId"`
	ClientOrderID string    `bson:"clientOrderId"`
	AccountID     string    `bson:"accountId"`
	Symbol        string    `bson:"symbol"`
	Side          string    `bson:"side"`
	OrderType     string    `bson:"orderType"`
	Quantity      string    `bson:"quantity"`
	Price         string    `bson:"price"`
	Fee           string    `bson:"fee"`
	FeeAsset      string    `bson:"feeAsset,omitempty"`
	Liquidity     string    `bson:"liquidity,omitempty"`
	Seq           int64     `bson:"seq"`
	Key           string    `bson:"key"`
	TransactTime  time.Time `bson:"transactTime"`
}

// positionDoc is a position and the balance changes its fills caused. Fills and LastKey say which
// fills it folds: all of the account's fills in the symbol with key <= LastKey, Fills of them.
type positionDoc struct {
	ID         string    `bson:"_id"`
	AccountID  string    `bson:"accountId"`
	Symbol     string    `bson:"symbol"`
	Quantity   string    `bson:"quantity"`
	AvgEntry   string    `bson:"avgEntryPrice"`
	Realized   string    `bson:"realizedPnl"`
	BaseAsset  string    `bson:"baseAsset"`
	QuoteAsset string    `bson:"quoteAsset"`
	BaseDelta  string    `bson:"baseDelta"`
	QuoteDelta string    `bson:"quoteDelta"`
	Fees       string    `bson:"fees"`
	Fills      int64     `bson:"fills"`
	LastKey    string    `bson:"lastKey"`
	UpdatedAt  time.Time `bson:"updatedAt"`
}

// balanceDoc is an account's total holding of one asset: funding plus the effect of its fills.
type balanceDoc struct {
	ID        string    `bson:"_id"`
	AccountID string    `bson:"accountId"`
	Asset     string    `bson:"asset"`
	Total     string    `bson:"total"`
	UpdatedAt time.Time `bson:"updatedAt"`
}

// Position is an account's position in one symbol, relative to its funding.
type Position struct {
	Account   order.AccountID
	Symbol    instrument.Symbol
	Qty       money.Decimal // signed base quantity
	AvgEntry  money.Decimal
	Realized  money.Decimal // quote units, before fees
	Fees      money.Decimal // quote units
	Fills     int64
	UpdatedAt time.Time
}

// Balance is an account's holding of one asset. Locked is what its open orders reserve (limit buys:
// leaves × price in the quote asset; sells: leaves in the base asset; taker fees not included).
type Balance struct {
	Account   order.AccountID
	Asset     string
	Total     money.Decimal
	Locked    money.Decimal
	UpdatedAt time.Time
}

// Available is Total less Locked.
func (b Balance) Available() money.Decimal { return b.Total.Sub(b.Locked) }

func decStr(d money.Decimal) string {
	if d.IsZero() {
		return ""
	}
	return d.String()
}

func enumName[T interface{ String() string }](v T, zero bool) string {
	if zero {
		return ""
	}
	return v.String()
}

func orderToDoc(r events.ExecutionReport) orderDoc {
	return orderDoc{
		OrderID:       string(r.OrderID),
		ClientOrderID: r.ClientOrderID,
		AccountID:     string(r.Account),
		Symbol:        string(r.Symbol),
		Side:          enumName(r.Side, r.Side == 0),
		OrderType:     enumName(r.Type, r.Type == 0),
		TimeInForce:   enumName(r.TimeInForce, r.TimeInForce == 0),
		Status:        r.Status.String(),
		Open:          r.Status.Open(),
		ExecType:      r.ExecType.String(),
		Quantity:      r.Quantity.String(),
		Price:         decStr(r.Price),
		StopPrice:     decStr(r.StopPrice),
		ExpireTime:    r.ExpireTime,
		PostOnly:      r.PostOnly,
		ReduceOnly:    r.ReduceOnly,
		CumQty:        r.CumQty.String(),
		AvgPrice:      r.AvgPrice.String(),
		LeavesQty:     r.LeavesQty.String(),
		Seq:           int64(r.Seq),
		Reason:        r.Reason,
		Text:          r.Text,
		CreatedAt:     r.CreatedAt,
		UpdatedAt:     r.TransactTime,
	}
}

// conv collects the first error while converting stored strings back to domain values.
type conv struct{ err error }

func (c *conv) fail(field string, err error) {
	if c.err == nil {
		c.err = fmt.Errorf("%s: %w", field, err)
	}
}

func (c *conv) dec(field, s string) money.Decimal {
	if s == "" {
		return money.Zero
	}
	d, err := money.Parse(s)
	if err != nil {
		c.fail(field, err)
	}
	return d
}

func convEnum[T ~uint8](c *conv, field, s string, parse func(string) (T, error)) T {
	if s == "" {
		return 0
	}
	v, err := parse(s)
	if err != nil {
		c.fail(field, err)
	}
	return v
}

func orderFromDoc(d orderDoc) (events.ExecutionReport, error) {
	var c conv
	r := events.ExecutionReport{
		ExecID:        d.OrderID + ":" + strconv.FormatInt(d.Seq, 10),
		OrderID:       order.ID(d.OrderID),
		ClientOrderID: d.ClientOrderID,
		Account:       order.AccountID(d.AccountID),
		Symbol:        instrument.Symbol(d.Symbol),
		Side:          convEnum(&c, "side", d.Side, order.ParseSide),
		Type:          convEnum(&c, "orderType", d.OrderType, order.ParseType),
		TimeInForce:   convEnum(&c, "timeInForce", d.TimeInForce, order.ParseTimeInForce),
		Status:        convEnum(&c, "status", d.Status, order.ParseStatus),
		ExecType:      convEnum(&c, "execType", d.ExecType, order.ParseExecType),
		Quantity:      c.dec("quantity", d.Quantity),
		Price:         c.dec("price", d.Price),
		StopPrice:     c.dec("stopPrice", d.StopPrice),
		ExpireTime:    d.ExpireTime,
		PostOnly:      d.PostOnly,
		ReduceOnly:    d.ReduceOnly,
		CumQty:        c.dec("cumQty", d.CumQty),
		AvgPrice:      c.dec("avgPrice", d.AvgPrice),
		LeavesQty:     c.dec("leavesQty", d.LeavesQty),
		Seq:           uint64(d.Seq),
		Reason:        d.Reason,
		Text:          d.Text,
		CreatedAt:     d.CreatedAt,
		TransactTime:  d.UpdatedAt,
	}
	if c.err != nil {
		return events.ExecutionReport{}, fmt.Errorf("order %s: %w", d.OrderID, c.err)
	}
	return r, nil
}

// fillKey sorts an account's fills: transact time (fixed-width nanoseconds), order id, sequence.
func fillKey(r events.ExecutionReport) string {
	return fmt.Sprintf("%020d|%s|%020d", r.TransactTime.UnixNano(), r.OrderID, r.Seq)
}

func fillToDoc(r events.ExecutionReport) fillDoc {
	return fillDoc{
		ExecID:        r.ExecID,
		OrderID:       string(r.OrderID),
		ClientOrderID: r.ClientOrderID,
		AccountID:     string(r.Account),
		Symbol:        string(r.Symbol),
		Side:          enumName(r.Side, r.Side == 0),
		OrderType:     enumName(r.Type, r.Type == 0),
		Quantity:      r.LastQty.String(),
		Price:         r.LastPrice.String(),
		Fee:           r.Fee.String(),
		FeeAsset:      r.FeeAsset,
		Liquidity:     r.Liquidity,
		Seq:           int64(r.Seq),
		Key:           fillKey(r),
		TransactTime:  r.TransactTime,
	}
}

// fillFromDoc returns the fill as a trade report: LastQty, LastPrice and Fee carry the execution.
func fillFromDoc(d fillDoc) (events.ExecutionReport, error) {
	var c conv
	r := events.ExecutionReport{
		ExecID:        d.ExecID,
		OrderID:       order.ID(d.OrderID),
		ClientOrderID: d.ClientOrderID,
		Account:       order.AccountID(d.AccountID),
		Symbol:        instrument.Symbol(d.Symbol),
		Side:          convEnum(&c, "side", d.Side, order.ParseSide),
		Type:          convEnum(&c, "orderType", d.OrderType, order.ParseType),
		ExecType:      order.ExecTrade,
		LastQty:       c.dec("quantity", d.Quantity),
		LastPrice:     c.dec("price", d.Price),
		Fee:           c.dec("fee", d.Fee),
		FeeAsset:      d.FeeAsset,
		Liquidity:     d.Liquidity,
		Seq:           uint64(d.Seq),
		TransactTime:  d.TransactTime,
	}
	if c.err != nil {
		return events.ExecutionReport{}, fmt.Errorf("fill %s: %w", d.ExecID, c.err)
	}
	return r, nil
}

// posState is a position being folded from fills.
type posState struct {
	qty, avgEntry, realized money.Decimal
	baseDelta, quoteDelta   money.Decimal
	fees                    money.Decimal
	fills                   int64
	lastKey                 string
}

func posFromDoc(d positionDoc) (posState, error) {
	var c conv
	p := posState{
		qty: c.dec("quantity", d.Quantity), avgEntry: c.dec("avgEntryPrice", d.AvgEntry),
		realized: c.dec("realizedPnl", d.Realized), baseDelta: c.dec("baseDelta", d.BaseDelta),
		quoteDelta: c.dec("quoteDelta", d.QuoteDelta), fees: c.dec("fees", d.Fees),
		fills: d.Fills, lastKey: d.LastKey,
	}
	if c.err != nil {
		return posState{}, fmt.Errorf("position %s: %w", d.ID, c.err)
	}
	return p, nil
}

func posToDoc(id, acct string, sym instrument.Symbol, p posState, now time.Time) positionDoc {
	return positionDoc{
		ID: id, AccountID: acct, Symbol: string(sym),
		Quantity: p.qty.String(), AvgEntry: p.avgEntry.String(), Realized: p.realized.String(),
		BaseAsset: sym.Base(), QuoteAsset: sym.Quote(),
		BaseDelta: p.baseDelta.String(), QuoteDelta: p.quoteDelta.String(), Fees: p.fees.String(),
		Fills: p.fills, LastKey: p.lastKey, UpdatedAt: now,
	}
}

func positionFromDoc(d positionDoc) (Position, error) {
	p, err := posFromDoc(d)
	if err != nil {
		return Position{}, err
	}
	return Position{
		Account: order.AccountID(d.AccountID), Symbol: instrument.Symbol(d.Symbol),
		Qty: p.qty, AvgEntry: p.avgEntry, Realized: p.realized, Fees: p.fees, Fills: p.fills,
		UpdatedAt: d.UpdatedAt,
	}, nil
}

// add folds one fill in, with the processor's arithmetic (account.settle): buys add base and pay
// quote plus fee; sells the reverse. Adding to a position moves the average entry; reducing it
// realizes P&L against the average entry; crossing zero opens the rest at the fill price.
func (p *posState) add(f fillDoc) error {
	var c conv
	qty, price, fee := c.dec("quantity", f.Quantity), c.dec("price", f.Price), c.dec("fee", f.Fee)
	if c.err != nil {
		return fmt.Errorf("fill %s: %w", f.ExecID, c.err)
	}
	gross := qty.Mul(price)
	signed := qty
	if f.Side == order.Sell.String() {
		signed = qty.Neg()
		p.baseDelta = p.baseDelta.Sub(qty)
		p.quoteDelta = p.quoteDelta.Add(gross).Sub(fee)
	} else {
		p.baseDelta = p.baseDelta.Add(qty)
		p.quoteDelta = p.quoteDelta.Sub(gross).Sub(fee)
	}
	p.fees = p.fees.Add(fee)
	// The position arithmetic is the domain's, so the read model and the processor cannot disagree.
	pos := account.Position{Qty: p.qty, AvgEntry: p.avgEntry, Realized: p.realized}
	pos.Apply(signed, price)
	p.qty, p.avgEntry, p.realized = pos.Qty, pos.AvgEntry, pos.Realized
	p.fills++
	p.lastKey = f.Key
	return nil
}
