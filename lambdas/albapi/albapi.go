// Package albapi is what every Lambda behind the ALB shares: the request as the ALB hands it over
// (headers and query not decoded), authentication with the gateway's HMAC scheme (hotpath/domain/auth),
// the closed set of error kinds with their HTTP statuses, and the one place an error becomes a response.
package albapi

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
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Request is an ALB request with its headers and query normalized.
type Request struct {
	Method  string
	Path    string
	Headers map[string]string   // lower-case names
	Query   map[string][]string // decoded
	Raw     map[string][]string // as received: the ALB does not decode, and the signature covers these
	Body    []byte
}

// Header returns a header by case-insensitive name.
func (r Request) Header(name string) string { return r.Headers[strings.ToLower(name)] }

// Parse normalizes an ALB target-group request. It fails only on invalid URL or base64 encoding.
func Parse(in events.ALBTargetGroupRequest) (Request, error) {
	r := Request{Method: in.HTTPMethod, Path: in.Path, Headers: map[string]string{}, Query: map[string][]string{}, Raw: map[string][]string{}}
	for k, v := range in.Headers {
		r.Headers[strings.ToLower(k)] = v
	}
	for k, vs := range in.MultiValueHeaders {
		if len(vs) > 0 {
			r.Headers[strings.ToLower(k)] = vs[len(vs)-1]
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
			r.Raw[k] = append(r.Raw[k], v)
			r.Query[dk] = append(r.Query[dk], dv)
		}
		return nil
	}
	if len(in.MultiValueQueryStringParameters) > 0 {
		for k, vs := range in.MultiValueQueryStringParameters {
			if err := add(k, vs...); err != nil {
				return r, fmt.Errorf("parse query: %w", err)
			}
		}
	} else {
		for k, v := range in.QueryStringParameters {
			if err := add(k, v); err != nil {
				return r, fmt.Errorf("parse query: %w", err)
			}
		}
	}
	if in.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(in.Body)
		if err != nil {
			return r, fmt.Errorf("parse body: %w", err)
		}
		r.Body = b
	} else {
		r.Body = []byte(in.Body)
	}
	return r, nil
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
	if !ok || k.Revoked {
		return auth.Key{}, auth.ErrUnknown
	}
	return k, nil
}

// Authenticator verifies requests signed the gateway's way.
type Authenticator struct {
	Keys Keys
	// DevAccount, when set, lets unsigned requests from loopback (by X-Forwarded-For) act as this
	// account with DevScopes. Only the local runner sets it.
	DevAccount  order.AccountID
	DevScopes   []auth.Scope
	Now         func() time.Time
	ClockWindow time.Duration // ±30 s when 0
	// TokenSecret verifies browser sessions (the gateway's oms_session cookie, auth.VerifySession);
	// empty: cookies are ignored and only signed requests pass.
	TokenSecret []byte
}

// DevKeyPrefix starts the key id reported for dev-mode requests (auth.DevKeyPrefix).
const DevKeyPrefix = auth.DevKeyPrefix

// Authenticate returns the key that signed r. The ALB hands over the query as a map, so the signed
// path-with-query is rebuilt: every ordering of the parameters is tried (up to five parameters), then
// the parameters sorted by name.
func (a *Authenticator) Authenticate(ctx context.Context, r Request) (auth.Key, error) {
	id := r.Header(auth.HeaderKey)
	if id == "" {
		if tok := sessionCookie(r.Header("Cookie")); tok != "" && len(a.TokenSecret) > 0 {
			return a.session(ctx, r, tok)
		}
		if a.DevAccount != "" && Loopback(r.Headers["x-forwarded-for"]) {
			return auth.Key{ID: DevKeyPrefix + string(a.DevAccount), Account: a.DevAccount, Scopes: a.DevScopes}, nil
		}
		return auth.Key{}, Errf(Unauthenticated, "UNAUTHENTICATED", "", "sign the request with X-OMS-Key, X-OMS-Timestamp and X-OMS-Signature, or sign in (POST /api/session)")
	}
	k, err := a.Keys.Lookup(ctx, id)
	if err != nil {
		if errors.Is(err, auth.ErrUnknown) {
			return auth.Key{}, Errf(Unauthenticated, "INVALID_API_KEY", "", "unknown or revoked API key")
		}
		return auth.Key{}, &Error{Kind: Unavailable, Code: "AUTH_UNAVAILABLE", Msg: "cannot verify API keys right now", Err: err}
	}
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	window := a.ClockWindow
	if window == 0 {
		window = 30 * time.Second
	}
	ts, sig := r.Header(auth.HeaderTimestamp), r.Header(auth.HeaderSignature)
	err = auth.ErrBadSig
	for _, pq := range signedForms(r.Path, r.Raw) {
		if err = auth.Verify(k, ts, sig, r.Method, pq, r.Body, now(), window); !errors.Is(err, auth.ErrBadSig) {
			break
		}
	}
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, auth.ErrClockSkew):
		return auth.Key{}, Errf(Unauthenticated, "TIMESTAMP_OUT_OF_WINDOW", "", err.Error())
	default:
		return auth.Key{}, Errf(Unauthenticated, "INVALID_SIGNATURE", "", "signature does not match the request")
	}
}

// session authenticates a request by its session cookie (auth.CheckSession), with the gateway's codes.
func (a *Authenticator) session(ctx context.Context, r Request, tok string) (auth.Key, error) {
	now := time.Now
	if a.Now != nil {
		now = a.Now
	}
	k, err := auth.CheckSession(a.TokenSecret, tok, r.Header(auth.SessionHeader), now(),
		func(id string) (auth.Key, error) { return a.Keys.Lookup(ctx, id) })
	switch {
	case err == nil:
		return k, nil
	case errors.Is(err, auth.ErrSessionHeader):
		return auth.Key{}, Errf(Unauthenticated, "SESSION_HEADER_REQUIRED", "", "requests authenticated by the session cookie must carry the X-OMS-Session header")
	case errors.Is(err, auth.ErrSessionExpired):
		return auth.Key{}, Errf(Unauthenticated, "SESSION_EXPIRED", "", "the session expired; sign in again")
	case errors.Is(err, auth.ErrBadSession):
		return auth.Key{}, Errf(Unauthenticated, "INVALID_SESSION", "", "the session is not valid (its key was revoked or rotated, or it was not issued here); sign in again")
	default:
		return auth.Key{}, &Error{Kind: Unavailable, Code: "AUTH_UNAVAILABLE", Msg: "cannot verify API keys right now", Err: err}
	}
}

// sessionCookie returns the session token in a Cookie header, if any.
func sessionCookie(header string) string {
	if header == "" {
		return ""
	}
	cs, err := http.ParseCookie(header)
	if err != nil {
		return ""
	}
	for _, c := range cs {
		if c.Name == auth.SessionCookie {
			return c.Value
		}
	}
	return ""
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

// Loopback reports whether the hop nearest the load balancer in X-Forwarded-For is a loopback address.
func Loopback(xff string) bool {
	if xff == "" {
		return false
	}
	parts := strings.Split(xff, ",")
	host := strings.TrimSpace(parts[len(parts)-1])
	if h, _, err := net.SplitHostPort(host); err == nil {
		host = h
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

// Kind classifies an error for the transport; the set is closed.
type Kind uint8

// Kinds.
const (
	Internal Kind = iota
	Invalid
	Unauthenticated
	Forbidden
	NotFound
	Unavailable
	MethodNotAllowed
	Conflict
	Unprocessable
)

var kindStatus = map[Kind]int{
	Internal:         http.StatusInternalServerError,
	Invalid:          http.StatusBadRequest,
	Unauthenticated:  http.StatusUnauthorized,
	Forbidden:        http.StatusForbidden,
	NotFound:         http.StatusNotFound,
	Unavailable:      http.StatusServiceUnavailable,
	MethodNotAllowed: http.StatusMethodNotAllowed,
	Conflict:         http.StatusConflict,
	Unprocessable:    http.StatusUnprocessableEntity,
}

// Error is a public error: a stable code, a human message and, for validation, the field.
type Error struct {
	Kind  Kind
	Code  string
	Msg   string
	Field string
	Err   error // cause, logged only
}

func (e *Error) Error() string {
	if e.Err != nil {
		return e.Code + ": " + e.Msg + ": " + e.Err.Error()
	}
	return e.Code + ": " + e.Msg
}

func (e *Error) Unwrap() error { return e.Err }

// Errf returns a public error.
func Errf(k Kind, code, field, msg string) *Error {
	return &Error{Kind: k, Code: code, Field: field, Msg: msg}
}

// Respond encodes body as the JSON response.
func Respond(status int, body any) events.ALBTargetGroupResponse {
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

// Fail is the one place errors become responses. Unknown errors get a generic message; the detail
// goes to the log only.
func Fail(log *slog.Logger, err error) events.ALBTargetGroupResponse {
	var e *Error
	if !errors.As(err, &e) {
		log.Error("internal error", "err", err)
		e = &Error{Kind: Internal, Code: "INTERNAL", Msg: "internal error"}
	} else if e.Kind == Internal || e.Kind == Unavailable {
		log.Warn("request failed", "code", e.Code, "err", e)
	}
	body := struct {
		Code  string `json:"code"`
		Msg   string `json:"msg"`
		Field string `json:"field,omitempty"`
	}{e.Code, e.Msg, e.Field}
	resp := Respond(kindStatus[e.Kind], body)
	if e.Kind == Unavailable {
		resp.Headers["Retry-After"] = "1"
	}
	return resp
}

// QueryParams checks that only known parameters were sent, each at most once.
func QueryParams(q map[string][]string, known ...string) (map[string]string, error) {
	out := map[string]string{}
	for k, vs := range q {
		if !contains(known, k) {
			return nil, Errf(Invalid, "UNKNOWN_PARAMETER", k, fmt.Sprintf("unknown query parameter %q (known: %s)", k, strings.Join(known, ", ")))
		}
		if len(vs) > 1 {
			return nil, Errf(Invalid, "REPEATED_PARAMETER", k, fmt.Sprintf("query parameter %q given more than once", k))
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

// ParseLimit parses the limit parameter: 0 when absent, else 1..max.
func ParseLimit(s string, max int) (int, error) {
	if s == "" {
		return 0, nil
	}
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 || n > max {
		return 0, Errf(Invalid, "INVALID_LIMIT", "limit", fmt.Sprintf("limit must be 1..%d", max))
	}
	return n, nil
}

// ParseTime parses a time parameter given as RFC 3339 or Unix milliseconds; zero when absent.
func ParseTime(field, s string) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	if ms, err := strconv.ParseInt(s, 10, 64); err == nil {
		return time.UnixMilli(ms).UTC(), nil
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}, Errf(Invalid, "INVALID_TIME", field, field+" must be RFC 3339 or Unix milliseconds")
	}
	return t, nil
}
