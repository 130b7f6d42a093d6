package stream

import (
	"bufio"
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"encoding/json"
	"errors"
	"net"
	"net/http"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/coder/websocket"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Token lifetimes and connection limits.
const (
	TokenTTL       = 60 * time.Second
	idleTimeout    = 60 * time.Second
	heartbeatEvery = 10 * time.Second
	writeTimeout   = 5 * time.Second
	maxClientFrame = 4 << 10
)

// ErrBadToken is returned for a token that is malformed, forged or expired.
var ErrBadToken = errors.New("invalid or expired stream token")

// IssueToken returns a short-lived token binding a WebSocket connection to account. The browser gets it
// from an authenticated REST call and never sees the API secret.
func IssueToken(secret []byte, account order.AccountID, now time.Time) (string, time.Time) {
	exp := now.Add(TokenTTL)
	payload := base64.RawURLEncoding.EncodeToString([]byte(account)) + "." + strconv.FormatInt(exp.UnixMilli(), 10)
	return payload + "." + sign(secret, payload), exp
}

func sign(secret []byte, payload string) string {
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}

// VerifyToken returns the token's account.
func VerifyToken(secret []byte, token string, now time.Time) (order.AccountID, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 3 {
		return "", ErrBadToken
	}
	payload := parts[0] + "." + parts[1]
	if !hmac.Equal([]byte(sign(secret, payload)), []byte(parts[2])) {
		return "", ErrBadToken
	}
	ms, err := strconv.ParseInt(parts[1], 10, 64)
	if err != nil || now.After(time.UnixMilli(ms)) {
		return "", ErrBadToken
	}
	acct, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || len(acct) == 0 {
		return "", ErrBadToken
	}
	return order.AccountID(acct), nil
}

// ServerConfig configures the /ws endpoint.
type ServerConfig struct {
	Secret     []byte
	DevAccount order.AccountID // when set, loopback connections without a token act as this account
	Now        func() time.Time
}

// Handler returns the /ws handler.
func (h *Hub) Handler(cfg ServerConfig) http.Handler {
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		var acct order.AccountID
		if tok := r.URL.Query().Get("token"); tok != "" {
			a, err := VerifyToken(cfg.Secret, tok, cfg.Now())
			if err != nil {
				w.Header().Set("Content-Type", "application/json")
				w.WriteHeader(http.StatusUnauthorized)
				_, _ = w.Write([]byte(`{"code":"INVALID_STREAM_TOKEN","msg":"the stream token is invalid or expired; get a new one from POST /api/ws-token"}` + "\n"))
				return
			}
			acct = a
		} else if cfg.DevAccount != "" && loopback(r.RemoteAddr) {
			acct = cfg.DevAccount
		}
		cw := &corkingWriter{ResponseWriter: w}
		ws, err := websocket.Accept(cw, r, &websocket.AcceptOptions{InsecureSkipVerify: cfg.DevAccount != ""})
		if err != nil {
			return
		}
		h.serve(r.Context(), ws, cw.conn, acct)
	})
}

func loopback(remote string) bool {
	host, _, err := net.SplitHostPort(remote)
	if err != nil {
		return false
	}
	ip := net.ParseIP(host)
	return ip != nil && ip.IsLoopback()
}

func closeStatus(reason string) websocket.StatusCode {
	switch reason {
	case "SLOW_CONSUMER", "MESSAGE_TOO_LARGE":
		return websocket.StatusPolicyViolation
	case "SHUTDOWN":
		return websocket.StatusGoingAway
	}
	return websocket.StatusNormalClosure
}

func (h *Hub) serve(ctx context.Context, ws *websocket.Conn, cc *corkedConn, acct order.AccountID) {
	ws.SetReadLimit(maxClientFrame)
	stop := make(chan struct{})
	var once sync.Once
	c := &conn{account: acct, send: make(chan []byte, sendQueue), subs: map[subKey]*subState{}}
	// kill stops the writer after its current frame and closes with a reason the client reads in the
	// close frame (after what is already in flight); the close handshake also ends the read loop below.
	c.kill = func(reason string) {
		once.Do(func() {
			close(stop)
			go func() { _ = ws.Close(closeStatus(reason), reason) }()
		})
	}
	h.post(msg{reg: c})
	defer h.post(msg{unreg: c})

	writerDone := make(chan struct{})
	go func() {
		defer close(writerDone)
		hb := time.NewTicker(heartbeatEvery)
		defer hb.Stop()
		for {
			var b []byte
			select {
			case <-stop:
				return
			case b = <-c.send:
				c.pending.Add(-int64(len(b)))
			case now := <-hb.C:
				b = heartbeat(now)
			}
			if err := writeBatch(ws, cc, c, b); err != nil {
				c.kill("WRITE_TIMEOUT")
				return
			}
		}
	}()

	idle := time.AfterFunc(idleTimeout, func() { c.kill("IDLE_TIMEOUT") })
	defer idle.Stop()
	for {
		typ, data, err := ws.Read(ctx)
		if err != nil {
			if websocket.CloseStatus(err) == websocket.StatusMessageTooBig {
				c.kill("MESSAGE_TOO_LARGE")
			}
			break
		}
		idle.Reset(idleTimeout)
		if typ != websocket.MessageText {
			h.post(msg{c: c, op: &clientOp{Op: "binary"}})
			continue
		}
		var op clientOp
		if err := json.Unmarshal(data, &op); err != nil {
			op = clientOp{Op: "malformed"}
		}
		h.post(msg{c: c, op: &op})
	}
	c.kill("bye")
	<-writerDone
}

// maxBatchBytes bounds what one write holds back, so a burst still reaches the client in pieces.
const maxBatchBytes = 64 << 10

// writeBatch writes b and whatever else is already queued as separate WebSocket messages, held in
// the corked connection and sent with one write. A busy account produces thousands of small frames a
// second per connection; a syscall for each is what made the fan-out compete with the order path for
// CPU (omsbench, phase open+100ws). Nothing waits for a batch to fill: a lone frame goes out at once.
func writeBatch(ws *websocket.Conn, cc *corkedConn, c *conn, b []byte) error {
	cc.cork()
	n := 0
	for {
		// Into memory, so it cannot block: no deadline to arm (a timer per frame was a tenth of the
		// fan-out's CPU). The one real write, in uncork, has its own.
		if err := ws.Write(context.Background(), websocket.MessageText, b); err != nil {
			_ = cc.uncork(writeTimeout)
			return err
		}
		if n += len(b); n >= maxBatchBytes {
			break
		}
		select {
		case b = <-c.send:
			c.pending.Add(-int64(len(b)))
			continue
		default:
		}
		break
	}
	return cc.uncork(writeTimeout)
}

// corkingWriter hands the WebSocket library a connection that can hold writes back (corkedConn). A
// successful websocket.Accept has hijacked through it, so conn is set from then on.
type corkingWriter struct {
	http.ResponseWriter
	conn *corkedConn
}

func (w *corkingWriter) Hijack() (net.Conn, *bufio.ReadWriter, error) {
	hj, ok := w.ResponseWriter.(http.Hijacker)
	if !ok {
		return nil, nil, errors.New("stream: the response writer cannot be hijacked")
	}
	nc, brw, err := hj.Hijack()
	if err != nil {
		return nil, nil, err
	}
	w.conn = &corkedConn{Conn: nc}
	return w.conn, bufio.NewReadWriter(brw.Reader, bufio.NewWriterSize(w.conn, brw.Writer.Size())), nil
}

// corkedConn is a net.Conn whose writes, between cork and uncork, are gathered and sent as one. Writes
// from other goroutines (a close frame, a pong) join the batch or go straight out when uncorked.
type corkedConn struct {
	net.Conn
	mu     sync.Mutex
	corked bool
	held   []byte
}

func (c *corkedConn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if c.corked {
		c.held = append(c.held, p...)
		return len(p), nil
	}
	return c.Conn.Write(p)
}

func (c *corkedConn) cork() {
	c.mu.Lock()
	c.corked = true
	c.mu.Unlock()
}

// uncork sends what was held. A client whose socket stays full past timeout is a slow consumer.
func (c *corkedConn) uncork(timeout time.Duration) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.corked = false
	if len(c.held) == 0 {
		return nil
	}
	_ = c.Conn.SetWriteDeadline(time.Now().Add(timeout))
	_, err := c.Conn.Write(c.held)
	_ = c.Conn.SetWriteDeadline(time.Time{})
	if cap(c.held) > 4*maxBatchBytes {
		c.held = nil // a rare huge snapshot should not pin its buffer for the connection's life
	} else {
		c.held = c.held[:0]
	}
	return err
}
