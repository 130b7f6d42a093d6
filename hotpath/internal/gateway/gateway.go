// Package gateway is order entry: it authenticates, validates, reserves the idempotency key, publishes
// the command to Kafka and answers only once the broker acknowledged it.
package gateway

import (
	"context"
	"crypto/sha256"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/stream"
)

// Conflict is why a key cannot be reserved.
type Conflict uint8

// Conflicts.
const (
	NoConflict Conflict = iota
	InFlight            // same key and body, first request still running: 409
	Mismatch            // same key, different body: 422
)

// Reservation is the outcome of reserving an idempotency key.
type Reservation struct {
	Conflict Conflict
	Replay   bool // the key completed before: Status and Body are the original response
	Status   int
	Body     []byte
}

// Idempotency is the gateway's view of the idempotency store. An error means the store is unavailable.
type Idempotency interface {
	Reserve(ctx context.Context, account, key string, hash [32]byte) (Reservation, error)
	Complete(ctx context.Context, account, key string, hash [32]byte, status int, body []byte) error
	Release(ctx context.Context, account, key string, hash [32]byte) error
	Ping(ctx context.Context) error
}

// BatchIdempotency is implemented by stores that reserve and complete many keys of one account in one
// round trip; the batch endpoint uses it when available.
type BatchIdempotency interface {
	ReserveMany(ctx context.Context, account string, keys []string, hashes [][32]byte) ([]Reservation, []error)
	CompleteMany(ctx context.Context, account string, keys []string, hashes [][32]byte, statuses []int, bodies [][]byte) []error
}

// Publisher produces commands and returns once the broker acknowledged (an error means not published).
type Publisher interface {
	PublishCommand(ctx context.Context, c events.OrderCommand) error
	PublishCommands(ctx context.Context, cs []events.OrderCommand) []error
	Ping(ctx context.Context) error
}

// KeyStore finds API keys; ErrUnknown (from auth) when there is none.
type KeyStore interface {
	Lookup(ctx context.Context, id string) (auth.Key, error)
}

// StaticKeys is a KeyStore over a fixed set of keys (dev mode, tests, keys from a mounted secret).
type StaticKeys map[string]auth.Key

// Lookup implements KeyStore.
func (s StaticKeys) Lookup(_ context.Context, id string) (auth.Key, error) {
	k, ok := s[id]
	if !ok {
		return auth.Key{}, auth.ErrUnknown
	}
	return k, nil
}

// Config configures the gateway.
type Config struct {
	Catalog     *instrument.Catalog
	Keys        KeyStore
	Idem        Idempotency
	Publisher   Publisher
	Now         func() time.Time
	Logger      *slog.Logger
	ClockWindow time.Duration   // accepted skew of signed timestamps
	MaxBody     int64           // bytes
	DevAccount  order.AccountID // when set, unsigned requests from loopback act as this account
	Timeout     time.Duration   // per-request budget for Redis + Kafka
	Metrics     *Metrics        // nil: no metrics
	// TokenSecret signs browser sessions (POST /api/session, the oms_session cookie) and WebSocket
	// tokens (POST /api/ws-token); shared by every gateway pod and the Lambda edges that accept the
	// cookie. Empty disables both.
	TokenSecret []byte
	// SessionTTL is how long a browser session lasts (auth.SessionTTL by default).
	SessionTTL time.Duration
}

// Gateway serves the order-entry routes.
type Gateway struct {
	cfg Config
	log *slog.Logger
}

// New returns a gateway; it panics on a config missing a dependency, which is a wiring bug.
func New(cfg Config) *Gateway {
	if cfg.Catalog == nil || cfg.Keys == nil || cfg.Idem == nil || cfg.Publisher == nil {
		panic("gateway: catalog, keys, idempotency store and publisher are required")
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.ClockWindow == 0 {
		cfg.ClockWindow = 30 * time.Second
	}
	if cfg.MaxBody == 0 {
		cfg.MaxBody = 64 << 10
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.SessionTTL == 0 {
		cfg.SessionTTL = auth.SessionTTL
	}
	return &Gateway{cfg: cfg, log: cfg.Logger}
}

// Routes registers the gateway's handlers on mux.
func (g *Gateway) Routes(mux *http.ServeMux) {
	mux.HandleFunc("POST /api/orders", g.authed("place", auth.ScopeTrade, g.placeOrder))
	mux.HandleFunc("POST /api/orders/batch", g.authed("batch", auth.ScopeTrade, g.placeBatch))
	mux.HandleFunc("DELETE /api/orders/{orderId}", g.authed("cancel", auth.ScopeTrade, g.cancelOrder))
	mux.HandleFunc("DELETE /api/orders", g.authed("cancel_all", auth.ScopeTrade, g.cancelAll))
	mux.HandleFunc("PATCH /api/orders/{orderId}", g.authed("amend", auth.ScopeTrade, g.amendOrder))
	mux.HandleFunc("POST /api/ws-token", g.authed("ws_token", auth.ScopeRead, g.wsToken))
	// Any valid key may sign in: an operator's admin-only key opens the dashboard's operator view.
	mux.HandleFunc("POST /api/session", g.authedKey("session_open", anyScope, g.openSession))
	mux.HandleFunc("GET /api/session", g.authedKey("session", anyScope, g.session))
	mux.HandleFunc("DELETE /api/session", g.closeSession)
	mux.HandleFunc("GET /api/instruments", g.instruments)
	mux.HandleFunc("GET /health", g.health)
	mux.HandleFunc("GET /healthz", g.health)
}

type handler func(w http.ResponseWriter, r *http.Request, acct order.AccountID, body []byte) error

// keyHandler is a handler that needs the caller's key, not only its account.
type keyHandler func(w http.ResponseWriter, r *http.Request, k auth.Key, body []byte) error

// statusWriter remembers the status and error code written, for metrics.
type statusWriter struct {
	http.ResponseWriter
	status int
	code   string
}

func (s *statusWriter) WriteHeader(status int) {
	s.status = status
	s.ResponseWriter.WriteHeader(status)
}

// authed reads the body (bounded), authenticates the caller and maps errors to responses.
func (g *Gateway) authed(route string, scope auth.Scope, h handler) http.HandlerFunc {
	return g.authedKey(route, scope, func(w http.ResponseWriter, r *http.Request, k auth.Key, body []byte) error {
		return h(w, r, k.Account, body)
	})
}

func (g *Gateway) authedKey(route string, scope auth.Scope, h keyHandler) http.HandlerFunc {
	return func(rw http.ResponseWriter, r *http.Request) {
		start := time.Now()
		w := &statusWriter{ResponseWriter: rw}
		defer func() { g.cfg.Metrics.observe(route, w.status, w.code, time.Since(start)) }()
		ctx, cancel := context.WithTimeout(r.Context(), g.cfg.Timeout)
		defer cancel()
		r = r.WithContext(ctx)
		body, err := io.ReadAll(http.MaxBytesReader(w, r.Body, g.cfg.MaxBody))
		if err != nil {
			var mbe *http.MaxBytesError
			if errors.As(err, &mbe) {
				writeError(w, g.log, errf(KindTooLarge, "BODY_TOO_LARGE", "", fmt.Sprintf("request body exceeds %d bytes", g.cfg.MaxBody)))
				return
			}
			writeError(w, g.log, errf(KindInvalid, "BAD_BODY", "", "could not read the request body"))
			return
		}
		k, err := g.authenticate(r, body, scope)
		if err != nil {
			writeError(w, g.log, err)
			return
		}
		if err := h(w, r, k, body); err != nil {
			writeError(w, g.log, err)
		}
	}
}

// anyScope lets every valid key through authenticate.
const anyScope auth.Scope = ""

// authenticate finds the caller: a signed request, a session cookie, or in dev mode an unsigned
// request from loopback; and checks its scope (a trading key may also read).
func (g *Gateway) authenticate(r *http.Request, body []byte, scope auth.Scope) (auth.Key, error) {
	k, err := g.identify(r, body)
	if err != nil {
		return auth.Key{}, err
	}
	if scope != anyScope && !k.Has(scope) && !(scope == auth.ScopeRead && k.Has(auth.ScopeTrade)) {
		return auth.Key{}, errf(KindForbidden, "FORBIDDEN", "", fmt.Sprintf("this API key lacks the %s scope", scope))
	}
	return k, nil
}

func (g *Gateway) identify(r *http.Request, body []byte) (auth.Key, error) {
	id := r.Header.Get(auth.HeaderKey)
	if id == "" {
		if c, err := r.Cookie(auth.SessionCookie); err == nil && c.Value != "" && len(g.cfg.TokenSecret) > 0 {
			return g.sessionKey(r, c.Value)
		}
		if g.cfg.DevAccount != "" && isLoopback(r.RemoteAddr) {
			return auth.Key{ID: auth.DevKeyPrefix + string(g.cfg.DevAccount), Account: g.cfg.DevAccount, Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}}, nil
		}
		return auth.Key{}, errf(KindUnauthenticated, "UNAUTHENTICATED", "", "sign the request with X-OMS-Key, X-OMS-Timestamp and X-OMS-Signature, or sign in (POST /api/session)")
	}
	k, err := g.lookup(r, id)
	if err != nil {
		return auth.Key{}, err
	}
	err = auth.Verify(k, r.Header.Get(auth.HeaderTimestamp), r.Header.Get(auth.HeaderSignature), r.Method, r.URL.RequestURI(), body, g.cfg.Now(), g.cfg.ClockWindow)
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, auth.ErrClockSkew):
		return auth.Key{}, errf(KindUnauthenticated, "TIMESTAMP_OUT_OF_WINDOW", "", err.Error())
	default:
		return auth.Key{}, errf(KindUnauthenticated, "INVALID_SIGNATURE", "", "signature does not match the request")
	}
}

func (g *Gateway) lookup(r *http.Request, id string) (auth.Key, error) {
	k, err := g.cfg.Keys.Lookup(r.Context(), id)
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, auth.ErrUnknown):
		return auth.Key{}, errf(KindUnauthenticated, "INVALID_API_KEY", "", "unknown or revoked API key")
	default:
		return auth.Key{}, &Error{Kind: KindUnavailable, Code: "AUTH_UNAVAILABLE", Msg: "cannot verify API keys right now", Err: err}
	}
}

// sessionKey authenticates a request by its session cookie (auth.CheckSession).
func (g *Gateway) sessionKey(r *http.Request, token string) (auth.Key, error) {
	k, err := auth.CheckSession(g.cfg.TokenSecret, token, r.Header.Get(auth.SessionHeader), g.cfg.Now(),
		func(id string) (auth.Key, error) { return g.cfg.Keys.Lookup(r.Context(), id) })
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, auth.ErrSessionHeader):
		return auth.Key{}, errf(KindUnauthenticated, "SESSION_HEADER_REQUIRED", "", "requests authenticated by the session cookie must carry the X-OMS-Session header")
	case errors.Is(err, auth.ErrSessionExpired):
		return auth.Key{}, errf(KindUnauthenticated, "SESSION_EXPIRED", "", "the session expired; sign in again")
	case errors.Is(err, auth.ErrBadSession):
		return auth.Key{}, errf(KindUnauthenticated, "INVALID_SESSION", "", "the session is not valid (its key was revoked or rotated, or it was not issued here); sign in again")
	default:
		return auth.Key{}, &Error{Kind: KindUnavailable, Code: "AUTH_UNAVAILABLE", Msg: "cannot verify API keys right now", Err: err}
	}
}

func isLoopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// orderResponse is the 202 body: the original contract's fields plus ours, decimals as strings.
type orderResponse struct {
	OrderID       string  `json:"orderId"`
	ClientOrderID string  `json:"clientOrderId"`
	AccountID     string  `json:"accountId"`
	Symbol        string  `json:"symbol"`
	Side          string  `json:"side"`
	OrderType     string  `json:"orderType"`
	TimeInForce   string  `json:"timeInForce"`
	Quantity      string  `json:"quantity"`
	Price         *string `json:"price"`
	StopPrice     *string `json:"stopPrice,omitempty"`
	ExpireTime    string  `json:"expireTime,omitempty"`
	PostOnly      bool    `json:"postOnly"`
	ReduceOnly    bool    `json:"reduceOnly"`
	Status        string  `json:"status"`
	CreatedAt     string  `json:"createdAt"`
}

func optDecimal(d money.Decimal) *string {
	if d.IsZero() {
		return nil
	}
	s := d.String()
	return &s
}

func responseFor(s order.Spec, now time.Time) orderResponse {
	r := orderResponse{
		OrderID: string(s.ID), ClientOrderID: s.ClientOrderID, AccountID: string(s.Account), Symbol: string(s.Symbol),
		Side: s.Side.String(), OrderType: s.Type.String(), TimeInForce: s.TimeInForce.String(),
		Quantity: s.Quantity.String(), Price: optDecimal(s.Price), StopPrice: optDecimal(s.StopPrice),
		PostOnly: s.PostOnly, ReduceOnly: s.ReduceOnly, Status: order.PendingNew.String(),
		CreatedAt: now.UTC().Format(time.RFC3339Nano),
	}
	if !s.ExpireTime.IsZero() {
		r.ExpireTime = s.ExpireTime.UTC().Format(time.RFC3339Nano)
	}
	return r
}

// requestHash binds an idempotency key to what was asked, in canonical form: 0.1 and "0.10" are the
// same request, a different price is not.
func requestHash(s order.Spec) [32]byte {
	return sha256.Sum256(events.AppendCommand(nil, events.OrderCommand{Kind: events.CmdNew, Account: s.Account, OrderID: s.ID, Spec: s}))
}

func idemKey(r *http.Request) string { return strings.TrimSpace(r.Header.Get("X-Idempotency-Key")) }

func (g *Gateway) placeOrder(w http.ResponseWriter, r *http.Request, acct order.AccountID, body []byte) error {
	now := g.cfg.Now()
	key := idemKey(r)
	spec, err := parseOrder(body, acct, key, g.cfg.Catalog, now)
	if err != nil {
		return err
	}
	if key == "" {
		key = spec.ClientOrderID
	}
	if len(key) > 128 {
		return errf(KindInvalid, "INVALID_IDEMPOTENCY_KEY", "X-Idempotency-Key", "X-Idempotency-Key must be at most 128 characters")
	}
	status, resp, err := g.submit(r.Context(), spec, key, now)
	if err != nil {
		return err
	}
	writeRaw(w, status, resp)
	return nil
}

// submit runs one order through reservation, publication and completion and returns the response.
func (g *Gateway) submit(ctx context.Context, spec order.Spec, key string, now time.Time) (int, []byte, error) {
	hash := requestHash(spec)
	res, err := g.cfg.Idem.Reserve(ctx, string(spec.Account), key, hash)
	if err != nil {
		return 0, nil, &Error{Kind: KindUnavailable, Code: "IDEMPOTENCY_UNAVAILABLE", Msg: "the idempotency store is unavailable; nothing was placed, retry with the same key", Err: err}
	}
	switch {
	case res.Conflict == Mismatch:
		return 0, nil, errf(KindMismatch, "IDEMPOTENCY_KEY_REUSED", "X-Idempotency-Key", "this idempotency key was used for a different request")
	case res.Conflict == InFlight:
		return 0, nil, errf(KindConflict, "REQUEST_IN_FLIGHT", "X-Idempotency-Key", "a request with this idempotency key is still being processed; retry shortly")
	case res.Replay:
		return res.Status, res.Body, nil
	}
	cmd := events.OrderCommand{Kind: events.CmdNew, CommandID: key, Account: spec.Account, OrderID: spec.ID, Spec: spec, ReceivedAt: now}
	if err := g.cfg.Publisher.PublishCommand(ctx, cmd); err != nil {
		// Not acknowledged: give the key back so the client's retry can place the order.
		if rerr := g.cfg.Idem.Release(context.WithoutCancel(ctx), string(spec.Account), key, hash); rerr != nil {
			g.log.Warn("release idempotency key", "account_id", spec.Account, "err", rerr)
		}
		return 0, nil, &Error{Kind: KindUnavailable, Code: "KAFKA_UNAVAILABLE", Msg: "the order could not be made durable; nothing was placed, retry with the same key", Err: err}
	}
	body, err := json.Marshal(responseFor(spec, now))
	if err != nil {
		return 0, nil, fmt.Errorf("place order: %w", err)
	}
	if err := g.cfg.Idem.Complete(context.WithoutCancel(ctx), string(spec.Account), key, hash, http.StatusAccepted, body); err != nil {
		// The order is durable; a retry before the pending claim expires gets 409, after it the processor
		// drops the duplicate by its client order id. Answer with success: the order exists.
		g.log.Warn("complete idempotency key", "account_id", spec.Account, "order_id", spec.ID, "err", err)
	}
	return http.StatusAccepted, body, nil
}

type batchResult struct {
	Index  int             `json:"index"`
	Status int             `json:"status"`
	Order  json.RawMessage `json:"order,omitempty"`
	Error  *errorBody      `json:"error,omitempty"`
}

func (g *Gateway) placeBatch(w http.ResponseWriter, r *http.Request, acct order.AccountID, body []byte) error {
	var wrapper struct {
		Orders []json.RawMessage `json:"orders"`
	}
	if len(body) > 0 && body[0] == '[' {
		if err := json.Unmarshal(body, &wrapper.Orders); err != nil {
			return errf(KindInvalid, "MALFORMED_JSON", "", "request body is not valid JSON")
		}
	} else if err := decodeStrict(body, &wrapper); err != nil {
		return err
	}
	if n := len(wrapper.Orders); n == 0 || n > 100 {
		return errf(KindInvalid, "BATCH_SIZE", "orders", "a batch holds 1 to 100 orders")
	}
	now := g.cfg.Now()
	var results []batchResult
	if b, ok := g.cfg.Idem.(BatchIdempotency); ok {
		results = g.batchPipelined(r.Context(), b, wrapper.Orders, acct, now)
	} else {
		results = make([]batchResult, len(wrapper.Orders))
		// Each order is its own idempotent request keyed by its clientOrderId; they run concurrently so
		// a batch costs about one broker round trip.
		done := make(chan struct{}, len(wrapper.Orders))
		for i, raw := range wrapper.Orders {
			go func() {
				defer func() { done <- struct{}{} }()
				results[i] = g.batchOne(r.Context(), i, raw, acct, now)
			}()
		}
		for range wrapper.Orders {
			<-done
		}
	}
	writeJSON(w, http.StatusOK, map[string]any{"results": results})
	return nil
}

func failResult(i int, err error) batchResult {
	var e *Error
	if !errors.As(err, &e) {
		e = &Error{Kind: KindInternal, Code: "INTERNAL", Msg: "internal error"}
	}
	return batchResult{Index: i, Status: kindStatus[e.Kind], Error: &errorBody{Code: e.Code, Msg: e.Msg, Field: e.Field}}
}

// batchSpec parses one order of a batch; its clientOrderId is its idempotency key.
func (g *Gateway) batchSpec(raw json.RawMessage, acct order.AccountID, now time.Time) (order.Spec, error) {
	var req orderRequest
	if err := decodeStrict(raw, &req); err != nil {
		return order.Spec{}, err
	}
	if req.ClientOrderID == "" {
		return order.Spec{}, errf(KindInvalid, "FIELD_REQUIRED", "clientOrderId", "every order in a batch needs a clientOrderId (its idempotency key)")
	}
	return specFrom(req, acct, "", g.cfg.Catalog, now)
}

// batchPipelined runs a batch with one Redis round trip to reserve, one produce of every command and one
// Redis round trip to complete, instead of three exchanges per order.
func (g *Gateway) batchPipelined(ctx context.Context, store BatchIdempotency, raws []json.RawMessage, acct order.AccountID, now time.Time) []batchResult {
	results := make([]batchResult, len(raws))
	var (
		idx    []int
		keys   []string
		hashes [][32]byte
		specs  []order.Spec
	)
	for i, raw := range raws {
		spec, err := g.batchSpec(raw, acct, now)
		if err != nil {
			results[i] = failResult(i, err)
			continue
		}
		idx, keys, hashes, specs = append(idx, i), append(keys, spec.ClientOrderID), append(hashes, requestHash(spec)), append(specs, spec)
	}
	if len(idx) == 0 {
		return results
	}
	res, errs := store.ReserveMany(ctx, string(acct), keys, hashes)
	var pub []int // positions in idx/keys of the commands to publish
	var cmds []events.OrderCommand
	for j, i := range idx {
		switch {
		case errs[j] != nil:
			results[i] = failResult(i, &Error{Kind: KindUnavailable, Code: "IDEMPOTENCY_UNAVAILABLE", Msg: "the idempotency store is unavailable; nothing was placed, retry with the same key", Err: errs[j]})
		case res[j].Conflict == Mismatch:
			results[i] = failResult(i, errf(KindMismatch, "IDEMPOTENCY_KEY_REUSED", "clientOrderId", "this clientOrderId was used for a different request"))
		case res[j].Conflict == InFlight:
			results[i] = failResult(i, errf(KindConflict, "REQUEST_IN_FLIGHT", "clientOrderId", "a request with this clientOrderId is still being processed; retry shortly"))
		case res[j].Replay:
			results[i] = batchResult{Index: i, Status: res[j].Status, Order: res[j].Body}
		default:
			s := specs[j]
			pub = append(pub, j)
			cmds = append(cmds, events.OrderCommand{Kind: events.CmdNew, CommandID: s.ClientOrderID, Account: acct, OrderID: s.ID, Spec: s, ReceivedAt: now})
		}
	}
	if len(cmds) == 0 {
		return results
	}
	perrs := g.cfg.Publisher.PublishCommands(ctx, cmds)
	var cKeys []string
	var cHashes [][32]byte
	var cStatus []int
	var cBodies [][]byte
	for n, j := range pub {
		i := idx[j]
		if perrs[n] != nil {
			if rerr := g.cfg.Idem.Release(context.WithoutCancel(ctx), string(acct), keys[j], hashes[j]); rerr != nil {
				g.log.Warn("release idempotency key", "account_id", acct, "err", rerr)
			}
			results[i] = failResult(i, &Error{Kind: KindUnavailable, Code: "KAFKA_UNAVAILABLE", Msg: "the order could not be made durable; nothing was placed, retry with the same key", Err: perrs[n]})
			continue
		}
		body, err := json.Marshal(responseFor(specs[j], now))
		if err != nil {
			results[i] = failResult(i, err)
			continue
		}
		results[i] = batchResult{Index: i, Status: http.StatusAccepted, Order: body}
		cKeys, cHashes, cStatus, cBodies = append(cKeys, keys[j]), append(cHashes, hashes[j]), append(cStatus, http.StatusAccepted), append(cBodies, body)
	}
	if len(cKeys) > 0 {
		for _, err := range store.CompleteMany(context.WithoutCancel(ctx), string(acct), cKeys, cHashes, cStatus, cBodies) {
			if err != nil {
				g.log.Warn("complete idempotency key", "account_id", acct, "err", err)
			}
		}
	}
	return results
}

func (g *Gateway) batchOne(ctx context.Context, i int, raw json.RawMessage, acct order.AccountID, now time.Time) batchResult {
	spec, err := g.batchSpec(raw, acct, now)
	if err != nil {
		return failResult(i, err)
	}
	status, body, err := g.submit(ctx, spec, spec.ClientOrderID, now)
	if err != nil {
		return failResult(i, err)
	}
	return batchResult{Index: i, Status: status, Order: body}
}

type requestAck struct {
	OrderID   string `json:"orderId,omitempty"`
	Symbol    string `json:"symbol,omitempty"`
	Request   string `json:"request"`
	RequestID string `json:"requestId"`
	Status    string `json:"status"`
}

func (g *Gateway) publishRequest(ctx context.Context, w http.ResponseWriter, cmd events.OrderCommand) error {
	if err := g.cfg.Publisher.PublishCommand(ctx, cmd); err != nil {
		return &Error{Kind: KindUnavailable, Code: "KAFKA_UNAVAILABLE", Msg: "the request could not be made durable; retry", Err: err}
	}
	status := order.PendingCancel.String()
	if cmd.Kind == events.CmdReplace {
		status = "PENDING_REPLACE"
	}
	writeJSON(w, http.StatusAccepted, requestAck{OrderID: string(cmd.OrderID), Symbol: string(cmd.Symbol), Request: cmd.Kind.String(), RequestID: cmd.CommandID, Status: status})
	return nil
}

func newRequestID(now time.Time, acct order.AccountID, extra string) string {
	sum := sha256.Sum256([]byte(fmt.Sprintf("%d|%s|%s", now.UnixNano(), acct, extra)))
	return fmt.Sprintf("%x", sum[:12])
}

func (g *Gateway) cancelOrder(w http.ResponseWriter, r *http.Request, acct order.AccountID, _ []byte) error {
	id := r.PathValue("orderId")
	if !validOrderID(id) {
		return errf(KindInvalid, "INVALID_ORDER_ID", "orderId", "orderId must be 32 lowercase hex characters")
	}
	now := g.cfg.Now()
	return g.publishRequest(r.Context(), w, events.OrderCommand{Kind: events.CmdCancel, CommandID: newRequestID(now, acct, id), Account: acct, OrderID: order.ID(id), ReceivedAt: now})
}

func (g *Gateway) cancelAll(w http.ResponseWriter, r *http.Request, acct order.AccountID, _ []byte) error {
	var sym instrument.Symbol
	if s := r.URL.Query().Get("symbol"); s != "" {
		var err error
		if sym, err = instrument.ParseSymbol(s); err != nil {
			return errf(KindInvalid, "INVALID_SYMBOL", "symbol", err.Error())
		}
		if _, ok := g.cfg.Catalog.Lookup(sym); !ok {
			return errf(KindInvalid, "UNKNOWN_SYMBOL", "symbol", fmt.Sprintf("symbol %s is not traded here", sym))
		}
	}
	now := g.cfg.Now()
	return g.publishRequest(r.Context(), w, events.OrderCommand{Kind: events.CmdCancelAll, CommandID: newRequestID(now, acct, string(sym)), Account: acct, Symbol: sym, ReceivedAt: now})
}

func (g *Gateway) amendOrder(w http.ResponseWriter, r *http.Request, acct order.AccountID, body []byte) error {
	id := r.PathValue("orderId")
	if !validOrderID(id) {
		return errf(KindInvalid, "INVALID_ORDER_ID", "orderId", "orderId must be 32 lowercase hex characters")
	}
	var req amendRequest
	if err := decodeStrict(body, &req); err != nil {
		return err
	}
	q, err := decimalField("quantity", req.Quantity)
	if err != nil {
		return err
	}
	p, err := decimalField("price", req.Price)
	if err != nil {
		return err
	}
	if q.IsZero() && p.IsZero() {
		return errf(KindInvalid, "NOTHING_TO_AMEND", "", "give a new quantity, a new price or both")
	}
	if q.IsNegative() || p.IsNegative() {
		return errf(KindInvalid, "INVALID_NUMBER", "", "quantity and price must be positive")
	}
	now := g.cfg.Now()
	return g.publishRequest(r.Context(), w, events.OrderCommand{Kind: events.CmdReplace, CommandID: newRequestID(now, acct, id), Account: acct, OrderID: order.ID(id), NewQty: q, NewPrice: p, ReceivedAt: now})
}

func (g *Gateway) health(w http.ResponseWriter, r *http.Request) {
	ctx, cancel := context.WithTimeout(r.Context(), 2*time.Second)
	defer cancel()
	deps := map[string]string{}
	healthy := true
	check := func(name string, err error) {
		if err != nil {
			healthy = false
			deps[name] = "down: " + err.Error()
			return
		}
		deps[name] = "up"
	}
	check("redis", g.cfg.Idem.Ping(ctx))
	check("kafka", g.cfg.Publisher.Ping(ctx))
	status, code := "healthy", http.StatusOK
	if !healthy {
		status, code = "unhealthy", http.StatusServiceUnavailable
	}
	writeJSON(w, code, map[string]any{"status": status, "service": "gateway", "dependencies": deps, "timestamp": g.cfg.Now().UTC().Format(time.RFC3339)})
}

func (g *Gateway) wsToken(w http.ResponseWriter, _ *http.Request, acct order.AccountID, _ []byte) error {
	if len(g.cfg.TokenSecret) == 0 {
		return errf(KindNotFound, "NOT_AVAILABLE", "", "streams are not enabled on this gateway")
	}
	tok, exp := stream.IssueToken(g.cfg.TokenSecret, acct, g.cfg.Now())
	writeJSON(w, http.StatusOK, map[string]string{"token": tok, "expiresAt": exp.UTC().Format(time.RFC3339Nano), "accountId": string(acct)})
	return nil
}

type instrumentJSON struct {
	Symbol      string `json:"symbol"`
	Base        string `json:"base"`
	Quote       string `json:"quote"`
	TickSize    string `json:"tickSize"`
	LotSize     string `json:"lotSize"`
	MinQty      string `json:"minQty"`
	MaxQty      string `json:"maxQty"`
	MinNotional string `json:"minNotional"`
}

func (g *Gateway) instruments(w http.ResponseWriter, _ *http.Request) {
	all := g.cfg.Catalog.All()
	out := make([]instrumentJSON, 0, len(all))
	for _, in := range all {
		out = append(out, instrumentJSON{Symbol: string(in.Symbol), Base: in.Base(), Quote: in.Quote(), TickSize: in.TickSize.String(),
			LotSize: in.LotSize.String(), MinQty: in.MinQty.String(), MaxQty: in.MaxQty.String(), MinNotional: in.MinNotional.String()})
	}
	writeJSON(w, http.StatusOK, map[string]any{"instruments": out})
}
