// Package admin is the admin Lambda behind the ALB (/api/admin/*): trading states (halt, reduce-only,
// resume; global, per account, per symbol) and per-account risk limits, both published to `control`
// for the processors; accounts; API keys (create, list, rotate, revoke; secrets shown once, stored
// sealed); and an append-only audit log of every mutating call, refused ones included.
//
// Every route but whoami needs a key with the admin scope. Requests are authenticated as at the
// gateway (hotpath/domain/auth through lambdas/albapi).
package admin

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"log/slog"
	"maps"
	"net/http"
	"net/url"
	"slices"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
	"github.com/crypto-oms/crypto-oms/lambdas/albapi"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
)

// Store is the admin data (adminstore.Store).
type Store interface {
	Ping(ctx context.Context) error
	CreateAccount(ctx context.Context, a adminstore.Account) (adminstore.Account, error)
	Account(ctx context.Context, id order.AccountID) (adminstore.Account, error)
	Accounts(ctx context.Context) ([]adminstore.Account, error)
	RiskLimits(ctx context.Context, id order.AccountID) (adminstore.RiskLimits, error)
	PutRiskLimits(ctx context.Context, r adminstore.RiskLimits) error
	TradingStates(ctx context.Context) ([]adminstore.TradingState, error)
	PutTradingState(ctx context.Context, t adminstore.TradingState) error
	AppendAudit(ctx context.Context, e adminstore.AuditEntry) (adminstore.AuditEntry, error)
	Audit(ctx context.Context, f adminstore.AuditFilter) ([]adminstore.AuditEntry, string, error)
}

// KeyStore manages API keys (keystore.Store).
type KeyStore interface {
	Create(ctx context.Context, in keystore.NewKey) (keystore.Record, string, error)
	Rotate(ctx context.Context, id, by string, at time.Time) (keystore.Record, string, error)
	Revoke(ctx context.Context, id, by string, at time.Time) (keystore.Record, error)
	List(ctx context.Context, acct order.AccountID) ([]keystore.Record, error)
}

// Publisher produces a control command and returns once the broker acknowledged it (controlbus).
type Publisher interface {
	PublishControl(ctx context.Context, c oms.Control) error
}

// Config configures a Handler.
type Config struct {
	Store   Store
	Keys    KeyStore
	Verify  albapi.Keys // the key source requests are authenticated against (keystore.Cache)
	Control Publisher
	Catalog *instrument.Catalog
	// Defaults are the limits of an account that never had its own (the processors' defaults).
	Defaults account.Limits
	// DevAccount, when set, lets unsigned requests from loopback act as this account with the trade,
	// read and admin scopes. Only the local runner sets it.
	DevAccount  order.AccountID
	Now         func() time.Time
	ClockWindow time.Duration // ±30 s when 0
	// TokenSecret verifies browser sessions (the gateway's oms_session cookie); empty: signed requests only.
	TokenSecret []byte
	Timeout     time.Duration // per request; 5 s when 0
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
		cfg.Timeout = 5 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Catalog == nil {
		cfg.Catalog = instrument.Default()
	}
	a := &albapi.Authenticator{Keys: cfg.Verify, DevAccount: cfg.DevAccount, Now: cfg.Now, ClockWindow: cfg.ClockWindow, TokenSecret: cfg.TokenSecret,
		DevScopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead, auth.ScopeAdmin}}
	return &Handler{cfg: cfg, auth: a, log: cfg.Logger}
}

// Audit actions.
const (
	ActionSetTradingState = "SET_TRADING_STATE"
	ActionCreateAccount   = "CREATE_ACCOUNT"
	ActionSetRiskLimits   = "SET_RISK_LIMITS"
	ActionCreateAPIKey    = "CREATE_API_KEY"
	ActionRotateAPIKey    = "ROTATE_API_KEY"
	ActionRevokeAPIKey    = "REVOKE_API_KEY"
)

// Actions lists every audit action.
var Actions = []string{ActionSetTradingState, ActionCreateAccount, ActionSetRiskLimits, ActionCreateAPIKey, ActionRotateAPIKey, ActionRevokeAPIKey}

// call is one request on its way through a route; mutating routes fill target and details for the
// audit entry as they learn them.
type call struct {
	key     auth.Key
	req     albapi.Request
	arg     string // the path parameter, if the route has one
	now     time.Time
	target  string
	details map[string]string
}

type routeFunc func(h *Handler, ctx context.Context, c *call) (int, any, error)

type route struct {
	fn     routeFunc
	action string // audited mutation; "" for reads
	open   bool   // any valid key (whoami); otherwise the admin scope is required
}

// match finds the route for a method and path under /api/admin/. It returns ok=false for an unknown
// path and a nil route with ok=true for a known path and a method it does not serve.
func match(method, path string) (r *route, arg string, allow string, ok bool) {
	seg := strings.Split(strings.Trim(path, "/"), "/")
	if len(seg) < 3 || seg[0] != "api" || seg[1] != "admin" {
		return nil, "", "", false
	}
	seg = seg[2:]
	for i, s := range seg {
		v, err := url.PathUnescape(s)
		if err != nil || v == "" {
			return nil, "", "", false
		}
		seg[i] = v
	}
	byMethod := map[string]route{}
	switch {
	case len(seg) == 1 && seg[0] == "whoami":
		byMethod[http.MethodGet] = route{fn: (*Handler).whoami, open: true}
	case len(seg) == 1 && seg[0] == "trading-state":
		byMethod[http.MethodGet] = route{fn: (*Handler).tradingStates}
		byMethod[http.MethodPost] = route{fn: (*Handler).setTradingState, action: ActionSetTradingState}
	case len(seg) == 1 && seg[0] == "accounts":
		byMethod[http.MethodGet] = route{fn: (*Handler).accounts}
		byMethod[http.MethodPost] = route{fn: (*Handler).createAccount, action: ActionCreateAccount}
	case len(seg) == 3 && seg[0] == "accounts" && seg[2] == "risk-limits":
		arg = seg[1]
		byMethod[http.MethodGet] = route{fn: (*Handler).riskLimits}
		byMethod[http.MethodPut] = route{fn: (*Handler).setRiskLimits, action: ActionSetRiskLimits}
	case len(seg) == 1 && seg[0] == "api-keys":
		byMethod[http.MethodGet] = route{fn: (*Handler).listKeys}
		byMethod[http.MethodPost] = route{fn: (*Handler).createKey, action: ActionCreateAPIKey}
	case len(seg) == 2 && seg[0] == "api-keys":
		arg = seg[1]
		byMethod[http.MethodDelete] = route{fn: (*Handler).revokeKey, action: ActionRevokeAPIKey}
	case len(seg) == 3 && seg[0] == "api-keys" && seg[2] == "rotate":
		arg = seg[1]
		byMethod[http.MethodPost] = route{fn: (*Handler).rotateKey, action: ActionRotateAPIKey}
	case len(seg) == 1 && seg[0] == "audit":
		byMethod[http.MethodGet] = route{fn: (*Handler).audit}
	default:
		return nil, "", "", false
	}
	if rt, found := byMethod[method]; found {
		return &rt, arg, "", true
	}
	return nil, arg, strings.Join(slices.Sorted(maps.Keys(byMethod)), ", "), true
}

// Handle serves one request. It returns an error only for failures of the invocation itself; every
// request-level failure is a response.
func (h *Handler) Handle(ctx context.Context, in events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	req, err := albapi.Parse(in)
	if err != nil {
		return h.fail(albapi.Errf(albapi.Invalid, "MALFORMED_QUERY", "", "the query string or body encoding is not valid")), nil
	}
	rt, arg, allow, ok := match(req.Method, req.Path)
	if !ok {
		return h.fail(albapi.Errf(albapi.NotFound, "NOT_FOUND", "", "no such admin resource")), nil
	}
	if rt == nil {
		resp := h.fail(albapi.Errf(albapi.MethodNotAllowed, "METHOD_NOT_ALLOWED", "", "allowed here: "+allow))
		resp.Headers["Allow"] = allow
		return resp, nil
	}
	key, err := h.auth.Authenticate(ctx, req)
	if err != nil {
		// Not audited: without a verified identity an entry would only record noise anyone can make.
		return h.fail(err), nil
	}
	c := &call{key: key, req: req, arg: arg, now: h.cfg.Now().UTC(), target: arg, details: map[string]string{}}
	var (
		status int
		body   any
	)
	if !rt.open && !key.Has(auth.ScopeAdmin) {
		err = albapi.Errf(albapi.Forbidden, "FORBIDDEN", "", "admin scope required")
	} else {
		status, body, err = rt.fn(h, ctx, c)
	}
	if rt.action != "" {
		h.record(ctx, rt.action, c, err)
	}
	if err != nil {
		return h.fail(err), nil
	}
	return albapi.Respond(status, body), nil
}

// record appends the audit entry of a mutating call. The call already happened (or was refused), so
// a store failure here cannot change the answer; the entry then goes to the log instead.
func (h *Handler) record(ctx context.Context, action string, c *call, err error) {
	e := adminstore.AuditEntry{At: c.now, By: c.key.ID, Action: action, Target: c.target, Result: adminstore.ResultOK, Details: c.details}
	if err != nil {
		var ae *albapi.Error
		switch {
		case !errors.As(err, &ae):
			e.Result, e.Details["code"] = adminstore.ResultFailed, "INTERNAL"
		case ae.Kind == albapi.Forbidden:
			e.Result = adminstore.ResultDenied
		case ae.Kind == albapi.Unavailable || ae.Kind == albapi.Internal:
			e.Result = adminstore.ResultFailed
		default:
			e.Result = adminstore.ResultInvalid
		}
		if ae != nil {
			e.Details["code"], e.Details["msg"] = ae.Code, ae.Msg
			if ae.Field != "" {
				e.Details["field"] = ae.Field
			}
		}
	}
	h.log.Info("admin action", "action", action, "key_id", e.By, "account_id", string(c.key.Account), "target", e.Target, "result", e.Result, "code", e.Details["code"])
	// The request's own deadline may be what failed, so the entry gets a moment of its own; a short
	// one when the store has just failed, so an outage does not double every answer's latency.
	budget := 2 * time.Second
	if e.Details["code"] == "STORE_UNAVAILABLE" {
		budget = 500 * time.Millisecond
	}
	actx, cancel := context.WithTimeout(context.WithoutCancel(ctx), budget)
	defer cancel()
	if _, aerr := h.cfg.Store.AppendAudit(actx, e); aerr != nil {
		h.log.Error("audit entry not stored", "err", aerr, "at", e.At, "action", action, "key_id", e.By, "target", e.Target, "result", e.Result, "details", e.Details)
	}
}

func (h *Handler) fail(err error) events.ALBTargetGroupResponse { return albapi.Fail(h.log, err) }

func newCommandID() string {
	b := make([]byte, 12)
	_, _ = rand.Read(b) // crypto/rand.Read never fails on supported platforms
	return "cmd-" + hex.EncodeToString(b)
}

// storeErr maps a store failure to a public error.
func storeErr(err error) error {
	switch {
	case errors.Is(err, adminstore.ErrBadCursor):
		return albapi.Errf(albapi.Invalid, "INVALID_CURSOR", "cursor", "cursor is not one this API returned")
	case errors.Is(err, context.DeadlineExceeded):
		return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the store did not answer in time", Err: err}
	}
	return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Msg: "the store is unavailable", Err: err}
}

// knownAccount checks that an account exists before anything acts on it, so a typo does not halt or
// limit an account nobody trades.
func (h *Handler) knownAccount(ctx context.Context, id order.AccountID) error {
	if _, err := h.cfg.Store.Account(ctx, id); errors.Is(err, adminstore.ErrNotFound) {
		return albapi.Errf(albapi.NotFound, "ACCOUNT_NOT_FOUND", "", "no account "+string(id)+"; create it first (POST /api/admin/accounts)")
	} else if err != nil {
		return storeErr(err)
	}
	return nil
}

// publish sends a control command; before that it checks that the store answers, so that a command
// is rarely published without being recorded.
func (h *Handler) publish(ctx context.Context, cmd oms.Control) error {
	if err := h.cfg.Store.Ping(ctx); err != nil {
		return storeErr(err)
	}
	if err := h.cfg.Control.PublishControl(ctx, cmd); err != nil {
		return &albapi.Error{Kind: albapi.Unavailable, Code: "KAFKA_UNAVAILABLE", Msg: "the control topic did not acknowledge the command in time; retry it (repeating a command is harmless)", Err: err}
	}
	return nil
}

// unrecorded is the answer when a command was acknowledged but its record could not be written.
func unrecorded(cmdID string, err error) error {
	return &albapi.Error{Kind: albapi.Unavailable, Code: "STORE_UNAVAILABLE", Err: err,
		Msg: "command " + cmdID + " was published and takes effect, but could not be recorded; repeat the request once the store is back"}
}
