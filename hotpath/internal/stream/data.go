package stream

import (
	"encoding/json"
	"sort"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// clientOp is a message from the client.
type clientOp struct {
	Op      string `json:"op"`
	Channel string `json:"channel"`
	Symbol  string `json:"symbol"`
	Depth   int    `json:"depth"`
	ID      string `json:"id"`
}

func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

func dec(d money.Decimal) string { return d.String() }

type tickerJSON struct {
	Symbol           string `json:"symbol"`
	Bid              string `json:"bid"`
	Ask              string `json:"ask"`
	Last             string `json:"last"`
	Open24h          string `json:"open24h"`
	Change24h        string `json:"change24h"`
	ChangePercent24h string `json:"changePercent24h"`
	High24h          string `json:"high24h"`
	Low24h           string `json:"low24h"`
	Volume24h        string `json:"volume24h"`
	Timestamp        string `json:"timestamp"`
}

func tickerData(t Ticker) tickerJSON {
	return tickerJSON{Symbol: string(t.Symbol), Bid: dec(t.Bid), Ask: dec(t.Ask), Last: dec(t.Last), Open24h: dec(t.Open24h),
		Change24h: dec(t.Change24h), ChangePercent24h: dec(t.ChangePercent24h), High24h: dec(t.High24h), Low24h: dec(t.Low24h),
		Volume24h: dec(t.Volume24h), Timestamp: ts(t.Time)}
}

type bookJSON struct {
	Symbol    string      `json:"symbol"`
	Bids      [][2]string `json:"bids"`
	Asks      [][2]string `json:"asks"`
	Timestamp string      `json:"timestamp"`
}

func levels(ls []events.Level, depth int) [][2]string {
	out := make([][2]string, 0, depth)
	for i, l := range ls {
		if i >= depth {
			break
		}
		out = append(out, [2]string{l.Price.String(), l.Size.String()})
	}
	return out
}

func bookData(t *events.PriceTick, depth int) bookJSON {
	if t == nil {
		return bookJSON{Bids: [][2]string{}, Asks: [][2]string{}}
	}
	return bookJSON{Symbol: string(t.Symbol), Bids: levels(t.Bids, depth), Asks: levels(t.Asks, depth), Timestamp: ts(t.Time)}
}

type tradeJSON struct {
	Price     string `json:"price"`
	Size      string `json:"size"`
	Side      string `json:"side"`
	Timestamp string `json:"timestamp"`
}

func tradeData(t Trade) tradeJSON {
	return tradeJSON{Price: dec(t.Price), Size: dec(t.Size), Side: t.Side, Timestamp: ts(t.Time)}
}

type candleJSON struct {
	Time   string `json:"time"`
	Open   string `json:"open"`
	High   string `json:"high"`
	Low    string `json:"low"`
	Close  string `json:"close"`
	Volume string `json:"volume"`
}

func candleData(c Candle) candleJSON {
	return candleJSON{Time: ts(c.Time), Open: dec(c.Open), High: dec(c.High), Low: dec(c.Low), Close: dec(c.Close), Volume: dec(c.Volume)}
}

// reportJSON is a report in exactly the `executions` topic's JSON.
type reportJSON = json.RawMessage

func reportData(r events.ExecutionReport) reportJSON { return events.AppendReport(nil, r) }

// orderView is the latest state of an order as its reports tell it.
type orderView struct {
	OrderID       string  `json:"orderId"`
	ClientOrderID string  `json:"clientOrderId"`
	Symbol        string  `json:"symbol"`
	Side          string  `json:"side"`
	OrderType     string  `json:"orderType"`
	TimeInForce   string  `json:"timeInForce"`
	Status        string  `json:"status"`
	Quantity      string  `json:"quantity"`
	Price         *string `json:"price"`
	StopPrice     *string `json:"stopPrice,omitempty"`
	CumQty        string  `json:"cumQty"`
	AvgPrice      string  `json:"avgPrice"`
	LeavesQty     string  `json:"leavesQty"`
	PostOnly      bool    `json:"postOnly"`
	ReduceOnly    bool    `json:"reduceOnly"`
	Reason        string  `json:"reason,omitempty"`
	Text          string  `json:"text,omitempty"`
	CreatedAt     string  `json:"createdAt"`
	UpdatedAt     string  `json:"updatedAt"`
	Seq           uint64  `json:"seq"`
}

func opt(d money.Decimal) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func viewOf(r events.ExecutionReport, prev *orderView) orderView {
	v := orderView{OrderID: string(r.OrderID), ClientOrderID: r.ClientOrderID, Symbol: string(r.Symbol), Side: r.Side.String(),
		OrderType: r.Type.String(), TimeInForce: r.TimeInForce.String(), Status: r.Status.String(), Quantity: dec(r.Quantity),
		Price: opt(r.Price), StopPrice: opt(r.StopPrice), CumQty: dec(r.CumQty), AvgPrice: dec(r.AvgPrice), LeavesQty: dec(r.LeavesQty),
		PostOnly: r.PostOnly, ReduceOnly: r.ReduceOnly, Reason: r.Reason, Text: r.Text, CreatedAt: ts(r.CreatedAt), UpdatedAt: ts(r.TransactTime), Seq: r.Seq}
	if v.Reason == "" && prev != nil && r.Status.String() == prev.Status {
		v.Reason, v.Text = prev.Reason, prev.Text
	}
	return v
}

type positionJSON struct {
	Symbol        string `json:"symbol"`
	Quantity      string `json:"quantity"`
	AvgEntryPrice string `json:"avgEntryPrice"`
	RealizedPnl   string `json:"realizedPnl"`
	MarkPrice     string `json:"markPrice,omitempty"`
	UnrealizedPnl string `json:"unrealizedPnl,omitempty"`
}

type balanceJSON struct {
	Asset     string `json:"asset"`
	Total     string `json:"total"`
	Reserved  string `json:"reserved"`
	Available string `json:"available"`
}

func balancesData(a *account.Account) []balanceJSON {
	bs := a.Balances()
	out := make([]balanceJSON, 0, len(bs))
	for asset, b := range bs {
		out = append(out, balanceJSON{Asset: asset, Total: dec(b.Total), Reserved: dec(b.Reserved), Available: dec(b.Available())})
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Asset < out[j].Asset })
	return out
}
