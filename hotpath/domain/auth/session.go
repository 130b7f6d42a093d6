package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"strconv"
	"strings"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Browser sessions: a trader signs one request (POST /api/session) with their API key in the browser and
// gets a session token in an HttpOnly cookie; from then on the cookie authenticates their requests to the
// gateway and the Lambda edges, and the API secret is gone from the page. Every cookie-authenticated
// request must also carry SessionHeader: a cross-site page can make the browser send the cookie but not
// add a custom header without a CORS preflight, which nothing here answers.
const (
	SessionCookie = "oms_session"
	SessionHeader = "X-OMS-Session"
	SessionTTL    = 8 * time.Hour // a trading day; then the trader signs in again
)

// Session errors.
var (
	ErrSessionExpired = errors.New("session expired")
	ErrBadSession     = errors.New("invalid session token")
	ErrSessionHeader  = errors.New("session cookie without the " + SessionHeader + " header")
)

// DevKeyPrefix starts the key id of an unsigned dev-mode request (a local run's demo account), so
// audit records and GET /api/session show it as such.
const DevKeyPrefix = "dev:"

// CheckSession authenticates a request by its session cookie, the same way for the gateway and the
// Lambda edges: token is the cookie's value, header the request's SessionHeader value, lookup finds a
// key by id (ErrUnknown when there is none). It returns the key behind the session, or ErrSessionHeader,
// ErrBadSession, ErrSessionExpired, or lookup's own error when the key store cannot answer.
func CheckSession(secret []byte, token, header string, now time.Time, lookup func(id string) (Key, error)) (Key, error) {
	if header == "" {
		return Key{}, ErrSessionHeader
	}
	id, err := SessionKeyID(token)
	if err != nil {
		return Key{}, err
	}
	k, err := lookup(id)
	if errors.Is(err, ErrUnknown) {
		return Key{}, ErrBadSession
	}
	if err != nil {
		return Key{}, err
	}
	if _, err := VerifySession(secret, token, k, now); err != nil {
		return Key{}, err
	}
	return k, nil
}

// Session is what a session token carries. Scopes are not in it: they are read from the key on every
// request. The token's MAC also covers the key's current secret, so revoking or rotating the key ends
// its sessions at once.
type Session struct {
	KeyID   string
	Account order.AccountID
	Expires time.Time
}

const sessionPurpose = "oms-session-v1\x00"

// IssueSession returns a token for key, valid for ttl from now.
func IssueSession(secret []byte, k Key, now time.Time, ttl time.Duration) (string, Session) {
	s := Session{KeyID: k.ID, Account: k.Account, Expires: now.Add(ttl).Truncate(time.Millisecond)}
	payload := base64.RawURLEncoding.EncodeToString([]byte(s.KeyID)) + "." + base64.RawURLEncoding.EncodeToString([]byte(s.Account)) +
		"." + strconv.FormatInt(s.Expires.UnixMilli(), 10)
	return payload + "." + sessionMAC(secret, payload, k.Secret), s
}

// SessionKeyID returns the id of the key a token claims, unverified: the key to look up before
// VerifySession.
func SessionKeyID(token string) (string, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 4 {
		return "", ErrBadSession
	}
	id, err := base64.RawURLEncoding.DecodeString(parts[0])
	if err != nil || len(id) == 0 {
		return "", ErrBadSession
	}
	return string(id), nil
}

// VerifySession checks a token against secret and the key it claims (as looked up now) and returns its
// session: ErrBadSession when forged, malformed, or its key is revoked, rotated or of another account;
// ErrSessionExpired when it is past its time.
func VerifySession(secret []byte, token string, k Key, now time.Time) (Session, error) {
	parts := strings.Split(token, ".")
	if len(parts) != 4 || k.Revoked {
		return Session{}, ErrBadSession
	}
	payload := parts[0] + "." + parts[1] + "." + parts[2]
	if !hmac.Equal([]byte(sessionMAC(secret, payload, k.Secret)), []byte(parts[3])) {
		return Session{}, ErrBadSession
	}
	id, err1 := base64.RawURLEncoding.DecodeString(parts[0])
	acct, err2 := base64.RawURLEncoding.DecodeString(parts[1])
	ms, err3 := strconv.ParseInt(parts[2], 10, 64)
	if err1 != nil || err2 != nil || err3 != nil || string(id) != k.ID || order.AccountID(acct) != k.Account {
		return Session{}, ErrBadSession
	}
	s := Session{KeyID: k.ID, Account: k.Account, Expires: time.UnixMilli(ms)}
	if !now.Before(s.Expires) {
		return Session{}, ErrSessionExpired
	}
	return s, nil
}

func sessionMAC(secret []byte, payload string, keySecret []byte) string {
	binding := sha256.Sum256(keySecret)
	m := hmac.New(sha256.New, secret)
	m.Write([]byte(sessionPurpose))
	m.Write(binding[:])
	m.Write([]byte(payload))
	return hex.EncodeToString(m.Sum(nil))
}
