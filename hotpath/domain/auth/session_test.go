package auth_test

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
)

var (
	sessSecret = []byte("session-signing-key-of-the-estate-0123456789")
	sessKey    = auth.Key{ID: "k1", Secret: []byte("0123456789abcdef0123"), Account: "acct-1", Scopes: []auth.Scope{auth.ScopeTrade}}
	t0         = time.Date(2026, 12, 3, 9, 0, 0, 0, time.UTC)
)

func TestSession(t *testing.T) {
	tok, s := auth.IssueSession(sessSecret, sessKey, t0, auth.SessionTTL)
	if s.KeyID != "k1" || s.Account != "acct-1" || !s.Expires.Equal(t0.Add(8*time.Hour)) {
		t.Fatalf("issued %+v", s)
	}
	if id, err := auth.SessionKeyID(tok); err != nil || id != "k1" {
		t.Fatalf("key id %q %v", id, err)
	}
	rotated := sessKey
	rotated.Secret = []byte("a-new-secret-after-rotation")
	revoked := sessKey
	revoked.Revoked = true
	other := sessKey
	other.Account = "acct-2"
	otherID := sessKey
	otherID.ID = "k2"
	flip := func(s string) string { // last hex digit of the MAC changed
		last := s[len(s)-1]
		if last == '0' {
			return s[:len(s)-1] + "1"
		}
		return s[:len(s)-1] + "0"
	}
	for _, tc := range []struct {
		name   string
		secret []byte
		token  string
		key    auth.Key
		now    time.Time
		want   error
	}{
		{"valid", sessSecret, tok, sessKey, t0.Add(time.Hour), nil},
		{"last millisecond", sessSecret, tok, sessKey, t0.Add(8*time.Hour - time.Millisecond), nil},
		{"expired", sessSecret, tok, sessKey, t0.Add(8 * time.Hour), auth.ErrSessionExpired},
		{"other signing secret", []byte("another-estate"), tok, sessKey, t0, auth.ErrBadSession},
		{"key rotated", sessSecret, tok, rotated, t0, auth.ErrBadSession},
		{"key revoked", sessSecret, tok, revoked, t0, auth.ErrBadSession},
		{"key moved to another account", sessSecret, tok, other, t0, auth.ErrBadSession},
		{"another key", sessSecret, tok, otherID, t0, auth.ErrBadSession},
		{"mac altered", sessSecret, flip(tok), sessKey, t0, auth.ErrBadSession},
		{"expiry extended", sessSecret, strings.Replace(tok, ".17", ".27", 1), sessKey, t0, auth.ErrBadSession},
		{"stream-token shape", sessSecret, "YWNjdC0x.1764752400000.00", sessKey, t0, auth.ErrBadSession},
		{"empty", sessSecret, "", sessKey, t0, auth.ErrBadSession},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, err := auth.VerifySession(tc.secret, tc.token, tc.key, tc.now)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) {
				t.Fatalf("err %v, want %v", err, tc.want)
			}
			if err == nil && (s.KeyID != "k1" || s.Account != "acct-1") {
				t.Fatalf("session %+v", s)
			}
		})
	}
}

// FuzzSession: no token, however malformed, verifies unless it was issued with the secret and key,
// and parsing never panics.
func FuzzSession(f *testing.F) {
	tok, _ := auth.IssueSession(sessSecret, sessKey, t0, time.Hour)
	f.Add(tok)
	f.Add("")
	f.Add("a.b.c.d")
	f.Add("azE.YWNjdC0x.1764752400000.")
	f.Fuzz(func(t *testing.T, token string) {
		_, _ = auth.SessionKeyID(token)
		s, err := auth.VerifySession(sessSecret, token, sessKey, t0)
		if err == nil && token != tok {
			t.Fatalf("forged token %q verified as %+v", token, s)
		}
	})
}

func TestCheckSession(t *testing.T) {
	tok, _ := auth.IssueSession(sessSecret, sessKey, t0, time.Hour)
	down := errors.New("key store down")
	found := func(string) (auth.Key, error) { return sessKey, nil }
	for _, tc := range []struct {
		name, header string
		lookup       func(string) (auth.Key, error)
		want         error
	}{
		{"valid", "1", found, nil},
		{"no CSRF header", "", found, auth.ErrSessionHeader},
		{"key gone", "1", func(string) (auth.Key, error) { return auth.Key{}, auth.ErrUnknown }, auth.ErrBadSession},
		{"key store down", "1", func(string) (auth.Key, error) { return auth.Key{}, down }, down},
	} {
		t.Run(tc.name, func(t *testing.T) {
			k, err := auth.CheckSession(sessSecret, tok, tc.header, t0, tc.lookup)
			if !errors.Is(err, tc.want) || (err == nil) != (tc.want == nil) || (err == nil && k.ID != "k1") {
				t.Fatalf("key %q, err %v; want %v", k.ID, err, tc.want)
			}
		})
	}
}
