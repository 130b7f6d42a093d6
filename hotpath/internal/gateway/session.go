package gateway

import (
	"net/http"
	"strings"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
)

type sessionJSON struct {
	AccountID string       `json:"accountId"`
	KeyID     string       `json:"keyId"`
	Scopes    []auth.Scope `json:"scopes"`
	ExpiresAt string       `json:"expiresAt,omitempty"`
}

// openSession turns one signed request into a browser session: the token goes into an HttpOnly
// cookie the page cannot read, and the API secret that signed the request is no longer needed.
// Only a signed request opens one: a session cannot extend itself.
func (g *Gateway) openSession(w http.ResponseWriter, r *http.Request, k auth.Key, _ []byte) error {
	if len(g.cfg.TokenSecret) == 0 {
		return errf(KindNotFound, "NOT_AVAILABLE", "", "sessions are not enabled on this gateway")
	}
	if r.Header.Get(auth.HeaderKey) == "" {
		return errf(KindUnauthenticated, "UNAUTHENTICATED", "", "sign this request with the API key (X-OMS-Key, X-OMS-Timestamp, X-OMS-Signature) to open a session")
	}
	tok, s := auth.IssueSession(g.cfg.TokenSecret, k, g.cfg.Now(), g.cfg.SessionTTL)
	http.SetCookie(w, g.cookie(r, tok, int(g.cfg.SessionTTL/time.Second)))
	writeJSON(w, http.StatusOK, sessionJSON{AccountID: string(k.Account), KeyID: k.ID, Scopes: k.Scopes, ExpiresAt: s.Expires.UTC().Format(time.RFC3339)})
	return nil
}

// session tells the dashboard who it is signed in as (any authenticated caller; in dev mode the demo
// account without a cookie).
func (g *Gateway) session(w http.ResponseWriter, r *http.Request, k auth.Key, _ []byte) error {
	out := sessionJSON{AccountID: string(k.Account), KeyID: k.ID, Scopes: k.Scopes}
	if c, err := r.Cookie(auth.SessionCookie); err == nil && r.Header.Get(auth.HeaderKey) == "" {
		if s, err := auth.VerifySession(g.cfg.TokenSecret, c.Value, k, g.cfg.Now()); err == nil {
			out.ExpiresAt = s.Expires.UTC().Format(time.RFC3339)
		}
	}
	writeJSON(w, http.StatusOK, out)
	return nil
}

// closeSession clears the cookie. The token itself stays valid until it expires (it is stateless):
// revoking or rotating the key is what ends every session of a key at once.
func (g *Gateway) closeSession(w http.ResponseWriter, r *http.Request) {
	http.SetCookie(w, g.cookie(r, "", -1))
	w.WriteHeader(http.StatusNoContent)
}

func (g *Gateway) cookie(r *http.Request, value string, maxAge int) *http.Cookie {
	// Secure everywhere but plain HTTP on loopback (a local run, which nobody on the network can read;
	// browsers differ on keeping Secure cookies there). Behind the ALB the request arrives as HTTP from
	// the ALB's address with X-Forwarded-Proto: https.
	plain := r.TLS == nil && !strings.EqualFold(r.Header.Get("X-Forwarded-Proto"), "https")
	return &http.Cookie{
		Name: auth.SessionCookie, Value: value, Path: "/", MaxAge: maxAge,
		HttpOnly: true, SameSite: http.SameSiteStrictMode, Secure: !(plain && isLoopback(r.RemoteAddr)),
	}
}
