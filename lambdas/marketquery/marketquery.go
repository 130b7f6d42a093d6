// Package marketquery is the market-query Lambda behind the ALB: public market data (price snapshots
// with 24h figures, candles, the order book, recent trades) read from the market data store that
// market-ingest writes. Like an exchange's public endpoints it needs no API key.
package marketquery

import (
	"context"
	"errors"
	"log/slog"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/market"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
)

// Reader is the market data market-query serves from (marketstore.Store in production).
type Reader interface {
	Snapshots(ctx context.Context) ([]marketstore.Snapshot, error)
	Snapshot(ctx context.Context, sym instrument.Symbol) (marketstore.Snapshot, error)
	Candles(ctx context.Context, sym instrument.Symbol, iv market.Interval, end time.Time, limit int) ([]market.Candle, error)
	Trades(ctx context.Context, sym instrument.Symbol, limit int) ([]marketstore.Trade, error)
}

// Config configures a Handler.
type Config struct {
	Reader  Reader
	Catalog *instrument.Catalog // the symbols served; instrument.Default() when nil
	Timeout time.Duration       // per request; 3 s when 0
	Logger  *slog.Logger
}

// Handler serves ALB target-group requests.
type Handler struct {
	cfg Config
	log *slog.Logger
}

// New returns a handler.
func New(cfg Config) *Handler {
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Catalog == nil {
		cfg.Catalog = instrument.Default()
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, log: cfg.Logger}
}

// Limits of the query parameters.
const (
	DefaultCandles = 100
	MaxCandles     = 1000
	DefaultDepth   = 20
	MaxDepth       = 50
	DefaultTrades  = 50
	MaxTrades      = 500
)

// Handle serves one request. It returns an error only for failures of the invocation itself; every
// request-level failure is a response.
func (h *Handler) Handle(ctx context.Context, in events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	req, err := albapi.Parse(in)
	if err != nil {
		return h.fail(albapi.Errf(albapi.Invalid, "MALFORMED_QUERY", "", "the query string is not valid URL encoding")), nil
	}
	if req.Method != http.MethodGet && req.Method != http.MethodHead {
		return h.fail(albapi.Errf(albapi.MethodNotAllowed, "METHOD_NOT_ALLOWED", "", "only GET is served here")), nil
	}
	rt, err := Match(req.Path)
	if err != nil {
		return h.fail(err), nil
	}
	var sym instrument.Symbol
	if rt.Kind != RoutePrices {
		if sym, err = h.symbol(rt.Symbol); err != nil {
			return h.fail(err), nil
		}
	}
	var body any
	switch rt.Kind {
	case RoutePrices:
		body, err = h.prices(ctx, req.Query)
	case RoutePrice:
		body, err = h.price(ctx, sym, req.Query)
	case RouteCandles:
		body, err = h.candles(ctx, sym, req.Query)
	case RouteOrderBook:
		body, err = h.orderBook(ctx, sym, req.Query)
	case RouteTrades:
		body, err = h.trades(ctx, sym, req.Query)
	}
	if err != nil {
		return h.fail(err), nil
	}
	return albapi.Respond(http.StatusOK, body), nil
}

func (h *Handler) fail(err error) events.ALBTargetGroupResponse { return albapi.Fail(h.log, err) }

// RouteKind names an endpoint.
type RouteKind uint8

// Endpoints.
const (
	RoutePrices    RouteKind = iota + 1 // /api/market-data/prices
	RoutePrice                          // /api/market-data/prices/{symbol}
	RouteCandles                        // /api/market-data/candlestick/{symbol} and /candles/{symbol}
	RouteOrderBook                      // /api/market-data/orderbook/{symbol}
	RouteTrades                         // /api/market-data/trades/{symbol}
)

// Route is a matched path: the endpoint and its symbol segment, unescaped but not yet validated.
type Route struct {
	Kind   RouteKind
	Symbol string
}

const prefix = "/api/market-data/"

// Match maps a request path (as the ALB passes it: still percent-encoded) to an endpoint. A symbol
// may be sent as BTC-USD, BTC%2FUSD or even BTC/USD. Unknown paths give a NOT_FOUND error.
func Match(path string) (Route, error) {
	notFound := albapi.Errf(albapi.NotFound, "NOT_FOUND", "", "no such resource")
	rest, ok := strings.CutPrefix(path, prefix)
	if !ok {
		return Route{}, notFound
	}
	seg := strings.Split(strings.TrimSuffix(rest, "/"), "/")
	if len(seg) == 1 && seg[0] == "prices" {
		return Route{Kind: RoutePrices}, nil
	}
	switch len(seg) {
	case 2:
	case 3: // an unencoded BTC/USD, as clients of the original design may send it
		seg = []string{seg[0], seg[1] + "/" + seg[2]}
	default:
		return Route{}, notFound
	}
	var kind RouteKind
	switch seg[0] {
	case "prices":
		kind = RoutePrice
	case "candlestick", "candles":
		kind = RouteCandles
	case "orderbook":
		kind = RouteOrderBook
	case "trades":
		kind = RouteTrades
	default:
		return Route{}, notFound
	}
	sym, err := url.PathUnescape(seg[1])
	if err != nil || sym == "" {
		return Route{}, albapi.Errf(albapi.Invalid, "INVALID_SYMBOL", "symbol", "symbol must look like BTC-USD or BTC/USD")
	}
	return Route{Kind: kind, Symbol: sym}, nil
}

func (h *Handler) symbol(s string) (instrument.Symbol, error) {
	sym, err := instrument.ParseSymbol(s)
	if err != nil {
		return "", albapi.Errf(albapi.Invalid, "INVALID_SYMBOL", "symbol", "symbol must look like BTC-USD or BTC/USD")
	}
	if _, ok := h.cfg.Catalog.Lookup(sym); !ok {
		return "", albapi.Errf(albapi.NotFound, "UNKNOWN_SYMBOL", "symbol", "symbol "+string(sym)+" is not traded here")
	}
	return sym, nil
}

func storeErr(err error) error {
	if errors.Is(err, context.DeadlineExceeded) {
		return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the market data store did not answer in time", Err: err}
	}
	return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the market data store is unavailable", Err: err}
}

func noData(sym instrument.Symbol) error {
	return albapi.Errf(albapi.NotFound, "NO_MARKET_DATA", "symbol", "no market data for "+string(sym)+" yet")
}

// ts formats a time as the contract does: RFC 3339 UTC with milliseconds.
func ts(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format("2006-01-02T15:04:05.000Z07:00")
}

type snapshotView struct {
	Symbol           string `json:"symbol"`
	PriceValue       string `json:"priceValue"`
	Bid              string `json:"bid"`
	Ask              string `json:"ask"`
	Change24h        string `json:"change24h"`
	ChangePercent24h string `json:"changePercent24h"`
	High24h          string `json:"high24h"`
	Low24h           string `json:"low24h"`
	Volume24h        string `json:"volume24h"`
	Timestamp        string `json:"timestamp"`
}

func viewSnapshot(s marketstore.Snapshot) snapshotView {
	tk := s.Ticker
	return snapshotView{Symbol: string(s.Tick.Symbol), PriceValue: tk.Last.String(), Bid: tk.Bid.String(), Ask: tk.Ask.String(),
		Change24h: tk.Change24h.String(), ChangePercent24h: tk.ChangePercent24h.String(), High24h: tk.High24h.String(),
		Low24h: tk.Low24h.String(), Volume24h: tk.Volume24h.String(), Timestamp: ts(tk.Time)}
}

func (h *Handler) prices(ctx context.Context, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	snaps, err := h.cfg.Reader.Snapshots(ctx)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Prices []snapshotView `json:"prices"`
	}{Prices: make([]snapshotView, 0, len(snaps))}
	for _, s := range snaps {
		if _, ok := h.cfg.Catalog.Lookup(s.Tick.Symbol); ok {
			out.Prices = append(out.Prices, viewSnapshot(s))
		}
	}
	return out, nil
}

func (h *Handler) price(ctx context.Context, sym instrument.Symbol, q map[string][]string) (any, error) {
	if _, err := albapi.QueryParams(q); err != nil {
		return nil, err
	}
	s, err := h.cfg.Reader.Snapshot(ctx, sym)
	if errors.Is(err, marketstore.ErrNotFound) {
		return nil, noData(sym)
	}
	if err != nil {
		return nil, storeErr(err)
	}
	return viewSnapshot(s), nil
}

type candleView struct {
	OpenTime  string `json:"openTime"`
	CloseTime string `json:"closeTime"`
	Open      string `json:"open"`
	High      string `json:"high"`
	Low       string `json:"low"`
	Close     string `json:"close"`
	Volume    string `json:"volume"`
	Trades    int64  `json:"trades"`
}

func (h *Handler) candles(ctx context.Context, sym instrument.Symbol, q map[string][]string) (any, error) {
	p, err := albapi.QueryParams(q, "interval", "limit", "endTime")
	if err != nil {
		return nil, err
	}
	iv := market.FiveMinutes
	if s := p["interval"]; s != "" {
		if iv, err = market.ParseInterval(s); err != nil {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_INTERVAL", "interval", "interval must be one of 1m, 5m, 15m, 1h, 4h, 1d")
		}
	}
	limit, err := albapi.ParseLimit(p["limit"], MaxCandles)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = DefaultCandles
	}
	end, err := albapi.ParseTime("endTime", p["endTime"])
	if err != nil {
		return nil, err
	}
	cs, err := h.cfg.Reader.Candles(ctx, sym, iv, end, limit)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Symbol   string       `json:"symbol"`
		Interval string       `json:"interval"`
		Candles  []candleView `json:"candles"`
	}{Symbol: string(sym), Interval: iv.String(), Candles: make([]candleView, 0, len(cs))}
	for _, c := range cs {
		out.Candles = append(out.Candles, candleView{OpenTime: ts(c.Time), CloseTime: ts(c.CloseTime(iv)), Open: c.Open.String(), High: c.High.String(),
			Low: c.Low.String(), Close: c.Close.String(), Volume: c.Volume.String(), Trades: c.Trades})
	}
	return out, nil
}

type levelView struct {
	Price    string `json:"price"`
	Quantity string `json:"quantity"`
}

func (h *Handler) orderBook(ctx context.Context, sym instrument.Symbol, q map[string][]string) (any, error) {
	p, err := albapi.QueryParams(q, "depth")
	if err != nil {
		return nil, err
	}
	depth := DefaultDepth
	if s := p["depth"]; s != "" {
		if depth, err = strconv.Atoi(s); err != nil || depth < 1 || depth > MaxDepth {
			return nil, albapi.Errf(albapi.Invalid, "INVALID_DEPTH", "depth", "depth must be 1..50")
		}
	}
	s, err := h.cfg.Reader.Snapshot(ctx, sym)
	if errors.Is(err, marketstore.ErrNotFound) {
		return nil, noData(sym)
	}
	if err != nil {
		return nil, storeErr(err)
	}
	levels := func(side []oms.Level) []levelView {
		out := make([]levelView, 0, min(depth, len(side)))
		for i, l := range side {
			if i == depth {
				break
			}
			out = append(out, levelView{Price: l.Price.String(), Quantity: l.Size.String()})
		}
		return out
	}
	return struct {
		Symbol    string      `json:"symbol"`
		Bids      []levelView `json:"bids"`
		Asks      []levelView `json:"asks"`
		Seq       uint64      `json:"seq"`
		Timestamp string      `json:"timestamp"`
	}{string(sym), levels(s.Tick.Bids), levels(s.Tick.Asks), s.Tick.Seq, ts(s.Tick.Time)}, nil
}

type tradeView struct {
	ID        string `json:"id"`
	Price     string `json:"price"`
	Quantity  string `json:"quantity"`
	Side      string `json:"side,omitempty"`
	Timestamp string `json:"timestamp"`
}

func (h *Handler) trades(ctx context.Context, sym instrument.Symbol, q map[string][]string) (any, error) {
	p, err := albapi.QueryParams(q, "limit")
	if err != nil {
		return nil, err
	}
	limit, err := albapi.ParseLimit(p["limit"], MaxTrades)
	if err != nil {
		return nil, err
	}
	if limit == 0 {
		limit = DefaultTrades
	}
	list, err := h.cfg.Reader.Trades(ctx, sym, limit)
	if err != nil {
		return nil, storeErr(err)
	}
	out := struct {
		Symbol string      `json:"symbol"`
		Trades []tradeView `json:"trades"`
	}{Symbol: string(sym), Trades: make([]tradeView, 0, len(list))}
	for _, t := range list {
		v := tradeView{ID: strconv.FormatInt(t.ID, 10), Price: t.Price.String(), Quantity: t.Size.String(), Timestamp: ts(t.Time)}
		if t.Side != 0 {
			v.Side = t.Side.String()
		}
		out.Trades = append(out.Trades, v)
	}
	return out, nil
}
