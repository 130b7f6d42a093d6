// Package auth verifies API requests: an API key id plus an HMAC-SHA256 signature over the timestamp,
// method, path (with query) and body, within a bounded clock window. The gateway and the Lambda edges
// share this code so that authentication cannot drift between them.
package auth

import (
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"strconv"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Header names carried by signed requests.
const (
	HeaderKey       = "X-OMS-Key"
	HeaderTimestamp = "X-OMS-Timestamp" // Unix milliseconds
	HeaderSignature = "X-OMS-Signature" // lowercase hex HMAC-SHA256
)

// Scope is what a key may do.
type Scope string

// Scopes.
const (
	ScopeTrade Scope = "trade"
	ScopeRead  Scope = "read"
	ScopeAdmin Scope = "admin"
)

// Key is a verified API key's identity.
type Key struct {
	ID      string
	Secret  []byte
	Account order.AccountID
	Scopes  []Scope
	Revoked bool
}

// Has reports whether the key carries a scope.
func (k Key) Has(s Scope) bool {
	for _, x := range k.Scopes {
		if x == s {
			return true
		}
	}
	return false
}

// Errors, classified for the transports.
var (
	ErrMissing   = errors.New("missing credentials")
	ErrUnknown   = errors.New("unknown or revoked API key")
	ErrBadSig    = errors.New("signature does not match")
	ErrClockSkew = errors.New("timestamp outside the allowed window")
	ErrMalformed = errors.New("malformed credentials")
)

// Payload is the exact byte string that is signed.
func Payload(timestampMillis, method, pathAndQuery string, body []byte) []byte {
	b := make([]byte, 0, len(timestampMillis)+len(method)+len(pathAndQuery)+len(body))
	b = append(b, timestampMillis...)
	b = append(b, method...)
	b = append(b, pathAndQuery...)
	return append(b, body...)
}

// Sign returns the hex signature a client sends.
func Sign(secret []byte, timestampMillis, method, pathAndQuery string, body []byte) string {
	m := hmac.New(sha256.New, secret)
	m.Write(Payload(timestampMillis, method, pathAndQuery, body))
	return hex.EncodeToString(m.Sum(nil))
}

// Verify checks a request's signature and timestamp. now and window bound replay of a captured request.
func Verify(k Key, timestampMillis, signature, method, pathAndQuery string, body []byte, now time.Time, window time.Duration) error {
	if k.Revoked {
		return ErrUnknown
	}
	ms, err := strconv.ParseInt(timestampMillis, 10, 64)
	if err != nil {
		return fmt.Errorf("%w: timestamp must be Unix milliseconds", ErrMalformed)
	}
	ts := time.UnixMilli(ms)
	if d := now.Sub(ts); d > window || d < -window {
		return fmt.Errorf("%w: timestamp %s is %s from server time (window ±%s)", ErrClockSkew, timestampMillis, d.Round(time.Millisecond), window)
	}
	got, err := hex.DecodeString(signature)
	if err != nil || len(got) != sha256.Size {
		return fmt.Errorf("%w: signature must be 64 hex characters", ErrMalformed)
	}
	m := hmac.New(sha256.New, k.Secret)
	m.Write(Payload(timestampMillis, method, pathAndQuery, body))
	if !hmac.Equal(got, m.Sum(nil)) { // constant time
		return ErrBadSig
	}
	return nil
}
