// Package edges runs the Lambda edges inside omsd the way AWS runs them: a local ALB-style router
// that picks the target with the estate's route table and invokes the function's handler with a real
// events.ALBTargetGroupRequest, and a local MSK event-source poller that hands a function real
// events.KafkaEvent batches (batch size and batching window as in the route table) and commits the
// offsets only after the handler succeeded.
package edges

import (
	"context"
	"encoding/base64"
	"fmt"
	"io"
	"log/slog"
	"net"
	"net/http"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// ALBHandler is a Lambda function behind an ALB target group.
type ALBHandler func(ctx context.Context, req events.ALBTargetGroupRequest) (events.ALBTargetGroupResponse, error)

// Router serves HTTP requests whose route (by the estate's table) targets one of its Lambda handlers.
type Router struct {
	routes  estate.Routes
	targets map[string]ALBHandler // by route target name ("order-query")
	timeout time.Duration
	maxBody int64
	log     *slog.Logger
}

// NewRouter returns a router over routes; targets maps route target names to handlers. timeout is
// the function timeout (10 s when 0).
func NewRouter(routes estate.Routes, targets map[string]ALBHandler, timeout time.Duration, log *slog.Logger) *Router {
	if timeout == 0 {
		timeout = 10 * time.Second
	}
	if log == nil {
		log = slog.New(slog.DiscardHandler)
	}
	return &Router{routes: routes, targets: targets, timeout: timeout, maxBody: 1 << 20, log: log}
}

// Mount registers the router on mux for everything under /api/ that the mux's more specific
// patterns (the gateway's) do not claim.
func (rt *Router) Mount(mux *http.ServeMux) { mux.Handle("/api/", rt) }

// ServeHTTP routes one request like the ALB listener does.
func (rt *Router) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	route, ok := rt.routes.Match(r.Method, r.URL.Path)
	h := rt.targets[route.Target]
	if !ok || h == nil {
		writeJSON(w, http.StatusNotFound, `{"code":"NOT_FOUND","msg":"no route for this method and path"}`)
		return
	}
	req, err := rt.albRequest(r, route.Target)
	if err != nil {
		writeJSON(w, http.StatusRequestEntityTooLarge, `{"code":"BODY_TOO_LARGE","msg":"request body too large"}`)
		return
	}
	ctx, cancel := context.WithTimeout(r.Context(), rt.timeout)
	defer cancel()
	resp, err := h(ctx, req)
	if err != nil {
		// The ALB answers 502 when the function fails.
		rt.log.Error("lambda target failed", "target", route.Target, "path", r.URL.Path, "err", err)
		writeJSON(w, http.StatusBadGateway, `{"code":"BAD_GATEWAY","msg":"the target function failed"}`)
		return
	}
	if err := writeALB(w, resp); err != nil {
		rt.log.Error("lambda target response", "target", route.Target, "err", err)
	}
}

func writeJSON(w http.ResponseWriter, status int, body string) {
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_, _ = io.WriteString(w, body)
}

// albRequest builds the event an ALB sends to a Lambda target group without multi-value headers:
// lower-case header names (last value wins), query parameters as received (not decoded), the body
// base64-encoded unless it is text.
func (rt *Router) albRequest(r *http.Request, target string) (events.ALBTargetGroupRequest, error) {
	body, err := io.ReadAll(io.LimitReader(r.Body, rt.maxBody+1))
	if err != nil {
		return events.ALBTargetGroupRequest{}, fmt.Errorf("read body: %w", err)
	}
	if int64(len(body)) > rt.maxBody {
		return events.ALBTargetGroupRequest{}, fmt.Errorf("body over %d bytes", rt.maxBody)
	}
	req := events.ALBTargetGroupRequest{
		HTTPMethod: r.Method,
		Path:       r.URL.EscapedPath(),
		Headers:    map[string]string{},
		RequestContext: events.ALBTargetGroupRequestContext{ELB: events.ELBContext{
			TargetGroupArn: "arn:aws:elasticloadbalancing:local:000000000000:targetgroup/" + target + "/omsd",
		}},
	}
	if r.URL.RawQuery != "" {
		req.QueryStringParameters = map[string]string{}
		for _, kv := range strings.Split(r.URL.RawQuery, "&") {
			if kv == "" {
				continue
			}
			k, v, _ := strings.Cut(kv, "=")
			req.QueryStringParameters[k] = v
		}
	}
	for k, vs := range r.Header {
		if len(vs) > 0 {
			req.Headers[strings.ToLower(k)] = vs[len(vs)-1]
		}
	}
	req.Headers["host"] = r.Host
	if host, _, err := net.SplitHostPort(r.RemoteAddr); err == nil {
		if prev := req.Headers["x-forwarded-for"]; prev != "" {
			req.Headers["x-forwarded-for"] = prev + ", " + host
		} else {
			req.Headers["x-forwarded-for"] = host
		}
	}
	req.Headers["x-forwarded-proto"] = "http"
	if len(body) > 0 {
		if utf8.Valid(body) {
			req.Body = string(body)
		} else {
			req.Body, req.IsBase64Encoded = base64.StdEncoding.EncodeToString(body), true
		}
	}
	return req, nil
}

func writeALB(w http.ResponseWriter, resp events.ALBTargetGroupResponse) error {
	for k, v := range resp.Headers {
		w.Header().Set(k, v)
	}
	for k, vs := range resp.MultiValueHeaders {
		w.Header().Del(k)
		for _, v := range vs {
			w.Header().Add(k, v)
		}
	}
	body := []byte(resp.Body)
	if resp.IsBase64Encoded {
		b, err := base64.StdEncoding.DecodeString(resp.Body)
		if err != nil {
			writeJSON(w, http.StatusBadGateway, `{"code":"BAD_GATEWAY","msg":"the target function answered an invalid body"}`)
			return fmt.Errorf("decode body: %w", err)
		}
		body = b
	}
	status := resp.StatusCode
	if status == 0 {
		status = http.StatusBadGateway
	}
	w.WriteHeader(status)
	_, err := w.Write(body)
	return err
}
