// Package orderquery is the order-query Lambda behind the ALB: an account's orders (by id, by client
// order id, filtered and paginated lists), fills, positions and balances, read from the read model.
// Requests are authenticated exactly as the gateway does it (hotpath/domain/auth), and every query is
// scoped to the caller's account: another account's data is never found.
package orderquery

import (
	"context"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// Reader is the read model order-query serves from (readmodel.Store in production).
type Reader interface {
	Order(ctx context.Context, acct order.AccountID, id order.ID) (oms.ExecutionReport, error)
	OrderByClientID(ctx context.Context, acct order.AccountID, clientOrderID string) (oms.ExecutionReport, error)
	Orders(ctx context.Context, f readmodel.OrderFilter) ([]oms.ExecutionReport, string, error)
	Fills(ctx context.Context, f readmodel.FillFilter) ([]oms.ExecutionReport, string, error)
	Positions(ctx context.Context, acct order.AccountID) ([]readmodel.Position, error)
	Balances(ctx context.Context, acct order.AccountID) ([]readmodel.Balance, error)
}

// Marks gives the prices positions are marked at, by symbol (marketstore.Store in production);
// symbols without market data are absent from the answer.
type Marks interface {
	Marks(ctx context.Context, syms []instrument.Symbol) (map[instrument.Symbol]money.Decimal, error)
}

// Config configures a Handler.
type Config struct {
	Reader Reader
	// Marks, when set, adds the mark price and unrealized P&L to positions.
	Marks Marks
	Keys  albapi.Keys
	// DevAccount, when set, lets unsigned requests from loopback (by X-Forwarded-For) act as this
	// account. Only the local runner sets it.
	DevAccount  order.AccountID
	Now         func() time.Time
	ClockWindow time.Duration // ±30 s when 0
	// TokenSecret verifies browser sessions (the gateway's oms_session cookie); empty: signed requests only.
	TokenSecret []byte
	Timeout     time.Duration // per request; 3 s when 0
	Logger      *slog.Logger
}

// Handler serves ALB target-group requests.
type Handler struct {
	cfg  Config
	auth *albapi.Authenticator
	log  *slog.Logger
}

// New returns a handler.
func New(cfg Config) *Handler {
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	a := &albapi.Authenticator{Keys: cfg.Keys, DevAccount: cfg.DevAccount, DevScopes: []auth.Scope{auth.ScopeRead, auth.ScopeTrade}, Now: cfg.Now, ClockWindow: cfg.ClockWindow, TokenSecret: cfg.TokenSecret}
	return &Handler{cfg: cfg, auth: a, log: cfg.Logger}
}

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
	route, arg, ok := match(req.Path)
	if !ok {
		return h.fail(albapi.Errf(albapi.NotFound, "NOT_FOUND", "", "no such resource")), nil
	}
	key, err := h.auth.Authenticate(ctx, req)
	if err != nil {
		return h.fail(err), nil
	}
	if !key.Has(auth.ScopeRead) && !key.Has(auth.ScopeTrade) {
		return h.fail(albapi.Errf(albapi.Forbidden, "FORBIDDEN", "", "this API key may not read orders")), nil
	}
	body, err := route(h, ctx, key.Account, arg, req.Query)
	if err != nil {
		return h.fail(err), nil
	}
	return albapi.Respond(http.StatusOK, body), nil
}

type routeFunc func(h *Handler, ctx context.Context, acct order.AccountID, arg string, q map[string][]string) (any, error)

func match(path string) (routeFunc, string, bool) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	if len(seg) < 2 || seg[0] != "api" {
		return nil, "", false
	}
	unesc := func(s string) (string, bool) {
		v, err := url.PathUnescape(s)
		return v, err == nil && v != ""
	}
	switch {
	case len(seg) == 2 && seg[1] == "orders":
		return (*Handler).listOrders, "", true
	case len(seg) == 3 && seg[1] == "orders":
		id, ok := unesc(seg[2])
		return (*Handler).getOrder, id, ok
	case len(seg) == 4 && seg[1] == "orders" && seg[2] == "by-client-id":
		id, ok := unesc(seg[3])
		return (*Handler).getByClientID, id, ok
	case len(seg) == 2 && seg[1] == "fills":
		return (*Handler).listFills, "", true
	case len(seg) == 2 && seg[1] == "positions":
		return (*Handler).listPositions, "", true
	case len(seg) == 2 && seg[1] == "balances":
		return (*Handler).listBalances, "", true
	}
	return nil, "", false
}

func (h *Handler) fail(err error) events.ALBTargetGroupResponse { return albapi.Fail(h.log, err) }
