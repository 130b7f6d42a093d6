package orderquery

import (
	"context"
	"errors"
	"strings"
	"time"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// orderView is an order in responses: the original design's fields plus ours, decimals as strings.
type orderView struct {
	OrderID       string  `json:"orderId"`
	ClientOrderID string  `json:"clientOrderId"`
	AccountID     string  `json:"accountId"`
	Symbol        string  `json:"symbol"`
	Side          string  `json:"side"`
	OrderType     string  `json:"orderType"`
	TimeInForce   string  `json:"timeInForce,omitempty"`
	Quantity      string  `json:"quantity"`
	Price         *string `json:"price"`
	StopPrice     *string `json:"stopPrice,omitempty"`
	Status        string  `json:"status"`
	CumQty        string  `json:"cumQty"`
	AvgPrice      string  `json:"avgPrice"`
	LeavesQty     string  `json:"leavesQty"`
	PostOnly      bool    `json:"postOnly"`
	ReduceOnly    bool    `json:"reduceOnly"`
	LastExecType  string  `json:"lastExecType"`
	Reason        string  `json:"reason,omitempty"`
	Text          string  `json:"text,omitempty"`
	Seq           uint64  `json:"seq"`
	CreatedAt     string  `json:"createdAt"`
	UpdatedAt     string  `json:"updatedAt"`
}

type fillView struct {
	ExecID        string `json:"execId"`
	OrderID       string `json:"orderId"`
	ClientOrderID string `json:"clientOrderId"`
	Symbol        string `json:"symbol"`
	Side          string `json:"side"`
	Quantity      string `json:"quantity"`
	Price         string `json:"price"`
	Fee           string `json:"fee"`
	FeeAsset      string `json:"feeAsset,omitempty"`
	Liquidity     string `json:"liquidity,omitempty"`
	Time          string `json:"time"`
}

type positionView struct {
	Symbol        string `json:"symbol"`
	Quantity      string `json:"quantity"`
	AvgEntryPrice string `json:"avgEntryPrice"`
	RealizedPnl   string `json:"realizedPnl"`
	Fees          string `json:"fees"`
	Fills         int64  `json:"fills"`
	UpdatedAt     string `json:"updatedAt"`
	MarkPrice     string `json:"markPrice,omitempty"`     // absent until the symbol has market data
	UnrealizedPnl string `json:"unrealizedPnl,omitempty"` // at MarkPrice, quote units
}

type balanceView struct {
	Asset     string `json:"asset"`
	Total     string `json:"total"`
	Locked    string `json:"locked"`
	Available string `json:"available"`
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func optDec(d money.Decimal) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func name[T interface{ String() string }](v T, zero bool) string {
	if zero {
		return ""
	}
	return v.String()
}

func viewOrder(r oms.ExecutionReport) orderView {
	return orderView{
		OrderID: string(r.OrderID), ClientOrderID: r.ClientOrderID, AccountID: string(r.Account),
		Symbol: string(r.Symbol), Side: name(r.Side, r.Side == 0), OrderType: name(r.Type, r.Type == 0),
		TimeInForce: name(r.TimeInForce, r.TimeInForce == 0),
		Quantity:    r.Quantity.String(), Price: optDec(r.Price), StopPrice: optDec(r.StopPrice),
		Status: r.Status.String(), CumQty: r.CumQty.String(), AvgPrice: r.AvgPrice.String(),
		LeavesQty: r.LeavesQty.String(), PostOnly: r.PostOnly, ReduceOnly: r.ReduceOnly,
		LastExecType: r.ExecType.String(), Reason: r.Reason, Text: r.Text, Seq: r.Seq,
		CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.TransactTime),
	}
}

func viewFill(r oms.ExecutionReport) fillView {
	return fillView{
		ExecID: r.ExecID, OrderID: string(r.OrderID), ClientOrderID: r.ClientOrderID, Symbol: string(r.Symbol),
		Side: name(r.Side, r.Side == 0), Quantity: r.LastQty.String(), Price: r.LastPrice.String(),
		Fee: r.Fee.String(), FeeAsset: r.FeeAsset, Liquidity: r.Liquidity, Time: ts(r.TransactTime),
	}
}

func storeErr(err error) error {
	switch {
	case errors.Is(err, readmodel.ErrNotFound):
		return albapi.Errf(albapi.NotFound, "ORDER_NOT_FOUND", "", "no such order for this account")
	case errors.Is(err, readmodel.ErrBadCursor):
		return albapi.Errf(albapi.Invalid, "INVALID_CURSOR", "cursor", "cursor is not one this API returned")
	case errors.Is(err, context.DeadlineExceeded):
		return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the read model did not answer in time", Err: err}
	}
	return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the read model is unavailable", Err: err}
}

func validOrderID(id string) bool {
	if len(id) != 32 {
		return false
	}
	for _, c := range id {
		if (c < '0' || c > '9') && (c < 'a' || c > 'f') {
			return false
		}
	}
	return true
}

func (h *Handler) getOrder(ctx context.Context, acct order.AccountID, id string, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	if !validOrderID(id) {
		return nil, albapi.Errf(albapi.Invalid, "INVALID_ORDER_ID", "orderId", "order id must be 32 lower-case hex characters")
	}
	r, err := h.cfg.Reader.Order(ctx, acct, order.ID(id))
	if err != nil {
		return nil, storeErr(err)
	}
	return viewOrder(r), nil
}

func (h *Handler) getByClientID(ctx context.Context, acct order.AccountID, id string, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	if len(id) > 64 {
		return nil, albapi.Errf(albapi.Invalid, "INVALID_CLIENT_ORDER_ID", "clientOrderId", "client order id is at most 64 characters")
	}
	r, err := h.cfg.Reader.OrderByClientID(ctx, acct, id)
	if err != nil {
		return nil, storeErr(err)
	}
	return viewOrder(r), nil
}

func (h *Handler) listOrders(ctx context.Context, acct order.AccountID, _ string, q map[string][]string) (any, error) {
	p, err := albapi.QueryParams(q, "symbol", "status", "side", "from", "to", "cursor", "limit")
	if err != nil {
		return nil, err
	}
	f := readmodel.OrderFilter{Account: acct, Cursor: p["cursor"]}
	if s := p["symbol"]; s != "" {
		if f.Symbol, err = instrument.ParseSymbol(s); err != nil {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_SYMBOL", "symbol", "symbol must look like BTC-USD or BTC/USD")
		}
	}
	switch s := strings.ToUpper(p["status"]); s {
	case "":
	case "OPEN":
		f.OpenOnly = true
	default:
		if f.Status, err = order.ParseStatus(s); err != nil {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_STATUS", "status", "status must be open or one of PENDING_NEW, NEW, PARTIALLY_FILLED, FILLED, PENDING_CANCEL, CANCELED, REJECTED, DENIED, EXPIRED")
		}
	}
	if s := p["side"]; s != "" {
		if f.Side, err = order.ParseSide(strings.ToUpper(s)); err != nil {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_SIDE", "side", "side must be BUY or SELL")
		}
	}
	if f.From, err = albapi.ParseTime("from", p["from"]); err != nil {
		return nil, err
	}
	if f.To, err = albapi.ParseTime("to", p["to"]); err != nil {
		return nil, err
	}
	if f.Limit, err = albapi.ParseLimit(p["limit"], 500); err != nil {
		return nil, err
	}
	rs, next, err := h.cfg.Reader.Orders(ctx, f)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Orders     []orderView `json:"orders"`
		NextCursor *string     `json:"nextCursor"`
	}{Orders: make([]orderView, 0, len(rs))}
	for _, r := range rs {
		out.Orders = append(out.Orders, viewOrder(r))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return out, nil
}

func (h *Handler) listFills(ctx context.Context, acct order.AccountID, _ string, q map[string][]string) (any, error) {
	p, err := albapi.QueryParams(q, "symbol", "orderId", "cursor", "limit")
	if err != nil {
		return nil, err
	}
	f := readmodel.FillFilter{Account: acct, Cursor: p["cursor"], OrderID: order.ID(p["orderId"])}
	if s := p["symbol"]; s != "" {
		if f.Symbol, err = instrument.ParseSymbol(s); err != nil {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_SYMBOL", "symbol", "symbol must look like BTC-USD or BTC/USD")
		}
	}
	if f.Limit, err = albapi.ParseLimit(p["limit"], 500); err != nil {
		return nil, err
	}
	rs, next, err := h.cfg.Reader.Fills(ctx, f)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Fills      []fillView `json:"fills"`
		NextCursor *string    `json:"nextCursor"`
	}{Fills: make([]fillView, 0, len(rs))}
	for _, r := range rs {
		out.Fills = append(out.Fills, viewFill(r))
	}
	if next != "" {
		out.NextCursor = &next
	}
	return out, nil
}

func (h *Handler) listPositions(ctx context.Context, acct order.AccountID, _ string, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	ps, err := h.cfg.Reader.Positions(ctx, acct)
	if err != nil {
		return nil, storeErr(err)
	}
	marks := map[instrument.Symbol]money.Decimal{}
	if h.cfg.Marks != nil && len(ps) > 0 {
		syms := make([]instrument.Symbol, 0, len(ps))
		for _, p := range ps {
			syms = append(syms, p.Symbol)
		}
		if marks, err = h.cfg.Marks.Marks(ctx, syms); err != nil {
			return nil, storeErr(err)
		}
	}
	out := struct {
		Positions []positionView `json:"positions"`
	}{Positions: make([]positionView, 0, len(ps))}
	for _, p := range ps {
		v := positionView{
			Symbol: string(p.Symbol), Quantity: p.Qty.String(), AvgEntryPrice: p.AvgEntry.String(),
			RealizedPnl: p.Realized.String(), Fees: p.Fees.String(), Fills: p.Fills, UpdatedAt: ts(p.UpdatedAt),
		}
		if m, ok := marks[p.Symbol]; ok {
			v.MarkPrice, v.UnrealizedPnl = m.String(), market.UnrealizedPnL(p.Qty, p.AvgEntry, m).String()
		}
		out.Positions = append(out.Positions, v)
	}
	return out, nil
}

func (h *Handler) listBalances(ctx context.Context, acct order.AccountID, _ string, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	bs, err := h.cfg.Reader.Balances(ctx, acct)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Balances []balanceView `json:"balances"`
	}{Balances: make([]balanceView, 0, len(bs))}
	for _, b := range bs {
		out.Balances = append(out.Balances, balanceView{Asset: b.Asset, Total: b.Total.String(), Locked: b.Locked.String(), Available: b.Available().String()})
	}
	return out, nil
}
