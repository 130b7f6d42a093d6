// Package orderquery is the order-query Lambda behind the ALB: an account's orders (by id, by client
// order id, filtered and paginated lists), fills, positions and balances, read from the read model.
// Requests are authenticated exactly as the gateway does it (hotpath/domain/auth), and every query is
// scoped to the caller's account: another account's data is never found.
package orderquery

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/http"
	"net/url"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
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

// Keys looks up API keys by id; unknown or revoked keys return auth.ErrUnknown.
type Keys interface {
	Lookup(ctx context.Context, id string) (auth.Key, error)
}

// StaticKeys is a fixed key set.
type StaticKeys map[string]auth.Key

// Lookup returns the key with that id.
func (s StaticKeys) Lookup(_ context.Context, id string) (auth.Key, error) {
	k, ok := s[id]
	if !ok {
		return auth.Key{}, auth.ErrUnknown
	}
	return k, nil
}

// Config configures a Handler.
type Config struct {
	Reader Reader
	Keys   Keys
	// DevAccount, when set, lets unsigned requests from loopback (by X-Forwarded-For) act as this
	// account. Only the local runner sets it.
	DevAccount  order.AccountID
	Now         func() time.Time
	ClockWindow time.Duration // ±30 s when 0
	Timeout     time.Duration // per request; 3 s when 0
	Logger      *slog.Logger
}

// Handler serves ALB target-group requests.
type Handler struct {
	cfg Config
	log *slog.Logger
}

// New returns a handler.
func New(cfg Config) *Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.ClockWindow == 0 {
		cfg.ClockWindow = 30 * time.Second
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 3 * time.Second
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	return &Handler{cfg: cfg, log: cfg.Logger}
}

// request is an ALB request with its headers and query normalized.
type request struct {
	method  string
	path    string
	headers map[string]string   // lower-case names
	query   map[string][]string // decoded
	raw     map[string][]string // as received (ALB does not decode)
	body    []byte
}

func normalize(in events.ALBTargetGroupRequest) (request, error) {
	r := request{method: in.HTTPMethod, path: in.Path, headers: map[string]string{}, query: map[string][]string{}, raw: map[string][]string{}}
	for k, v := range in.Headers {
		r.headers[strings.ToLower(k)] = v
	}
	for k, vs := range in.MultiValueHeaders {
		if len(vs) > 0 {
			r.headers[strings.ToLower(k)] = vs[len(vs)-1]
		}
	}
	add := func(k string, vs ...string) error {
		dk, err := url.QueryUnescape(k)
		if err != nil {
			return err
		}
		for _, v := range vs {
			dv, err := url.QueryUnescape(v)
			if err != nil {
				return err
			}
			r.raw[k] = append(r.raw[k], v)
			r.query[dk] = append(r.query[dk], dv)
		}
		return nil
	}
	if len(in.MultiValueQueryStringParameters) > 0 {
		for k, vs := range in.MultiValueQueryStringParameters {
			if err := add(k, vs...); err != nil {
				return r, err
			}
		}
	} else {
		for k, v := range in.QueryStringParameters {
			if err := add(k, v); err != nil {
				return r, err
			}
		}
	}
	if in.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(in.Body)
		if err != nil {
			return r, err
		}
		r.body = b
	} else {
		r.body = []byte(in.Body)
	}
	return r, nil
}

// Handle serves one request. It returns an error only for failures of the invocation itself; every
// request-level failure is a response.
func (h *Handler) Handle(ctx context.Context, in events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error) {
	ctx, cancel := context.WithTimeout(ctx, h.cfg.Timeout)
	defer cancel()
	req, err := normalize(in)
	if err != nil {
		return h.fail(errf(kindInvalid, "MALFORMED_QUERY", "", "the query string is not valid URL encoding")), nil
	}
	if req.method != http.MethodGet && req.method != http.MethodHead {
		return h.fail(errf(kindMethod, "METHOD_NOT_ALLOWED", "", "only GET is served here")), nil
	}
	route, arg, ok := match(req.path)
	if !ok {
		return h.fail(errf(kindNotFound, "NOT_FOUND", "", "no such resource")), nil
	}
	acct, err := h.authenticate(ctx, req)
	if err != nil {
		return h.fail(err), nil
	}
	body, err := route(h, ctx, acct, arg, req.query)
	if err != nil {
		return h.fail(err), nil
	}
	return respond(http.StatusOK, body), nil
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

// authenticate verifies the HMAC signature with the shared domain code. The ALB hands over the query
// as a map, so the signed path-with-query is rebuilt: every ordering of the parameters is tried (up to
// five parameters), then the parameters sorted by name.
func (h *Handler) authenticate(ctx context.Context, r request) (order.AccountID, error) {
	id := r.headers[strings.ToLower(auth.HeaderKey)]
	if id == "" {
		if h.cfg.DevAccount != "" && loopback(r.headers["x-forwarded-for"]) {
			return h.cfg.DevAccount, nil
		}
		return "", errf(kindUnauthenticated, "UNAUTHENTICATED", "", "sign the request with X-OMS-Key, X-OMS-Timestamp and X-OMS-Signature")
	}
	k, err := h.cfg.Keys.Lookup(ctx, id)
	if err != nil {
		if errors.Is(err, auth.ErrUnknown) {
			return "", errf(kindUnauthenticated, "INVALID_API_KEY", "", "unknown or revoked API key")
		}
		return "", &apiError{kind: kindUnavailable, code: "AUTH_UNAVAILABLE", msg: "cannot verify API keys right now", err: err}
	}
	ts, sig := r.headers[strings.ToLower(auth.HeaderTimestamp)], r.headers[strings.ToLower(auth.HeaderSignature)]
	now := h.cfg.Now()
	err = auth.ErrBadSig
	for _, pq := range signedForms(r.path, r.raw) {
		if err = auth.Verify(k, ts, sig, r.method, pq, r.body, now, h.cfg.ClockWindow); !errors.Is(err, auth.ErrBadSig) {
			break
		}
	}
	switch {
	case err == nil:
	case errors.Is(err, auth.ErrClockSkew):
		return "", errf(kindUnauthenticated, "TIMESTAMP_OUT_OF_WINDOW", "", err.Error())
	default:
		return "", errf(kindUnauthenticated, "INVALID_SIGNATURE", "", "signature does not match the request")
	}
	if !k.Has(auth.ScopeRead) && !k.Has(auth.ScopeTrade) {
		return "", errf(kindForbidden, "FORBIDDEN", "", "this API key may not read orders")
	}
	return k.Account, nil
}

// signedForms lists the path-with-query strings a client may have signed for this request.
func signedForms(path string, raw map[string][]string) []string {
	if len(raw) == 0 {
		return []string{path}
	}
	var pairs []string
	for k, vs := range raw {
		for _, v := range vs {
			pairs = append(pairs, k+"="+v)
		}
	}
	sort.Strings(pairs)
	out := []string{path + "?" + strings.Join(pairs, "&")}
	if len(pairs) > 5 {
		return out
	}
	permute(pairs, 0, func(p []string) {
		out = append(out, path+"?"+strings.Join(p, "&"))
	})
	return out
}

func permute(a []string, i int, visit func([]string)) {
	if i == len(a) {
		visit(a)
		return
	}
	for j := i; j < len(a); j++ {
		a[i], a[j] = a[j], a[i]
		permute(a, i+1, visit)
		a[i], a[j] = a[j], a[i]
	}
}

func loopback(xff string) bool {
	if xff == "" {
		return false
	}
	parts := strings.Split(xff, ",")
	host := strings.TrimSpace(parts[len(parts)-1]) // the hop nearest the load balancer
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func respond(status int, body any) events.ALBTargetGroupResponse {
	b, err := json.Marshal(body)
	if err != nil {
		status, b = http.StatusInternalServerError, []byte(`{"code":"INTERNAL","msg":"internal error"}`)
	}
	return events.ALBTargetGroupResponse{
		StatusCode:        status,
		StatusDescription: fmt.Sprintf("%d %s", status, http.StatusText(status)),
		Headers:           map[string]string{"Content-Type": "application/json", "Cache-Control": "no-store"},
		Body:              string(b),
	}
}

// queryParams checks that only known parameters were sent, each at most once.
func queryParams(q map[string][]string, known ...string) (map[string]string, error) {
	out := map[string]string{}
	for k, vs := range q {
		if !contains(known, k) {
			return nil, errf(kindInvalid, "UNKNOWN_PARAMETER", k, fmt.Sprintf("unknown query parameter %q (known: %s)", k, strings.Join(known, ", ")))
		}
		if len(vs) > 1 {
			return nil, errf(kindInvalid, "REPEATED_PARAMETER", k, fmt.Sprintf("query parameter %q given more than once", k))
		}
		out[k] = vs[0]
	}
	return out, nil
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

func parseLimit(s string) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > 500 {
		return 0, errf(kindInvalid, "INVALID_LIMIT", "limit", "limit must be 1..500")
	}
	return n, nil
}

func parseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, errf(kindInvalid, "INVALID_TIME", field, field+" must be RFC 3339 or Unix milliseconds")
	}
	return t, nil
}
