package auth

import (
	"bytes"
	"encoding/json"
	"fmt"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// keyFileEntry mirrors one entry of a key file. It has no tags: encoding/json matches "id", "secret",
// "account" and "scopes" to the fields case-insensitively.
type keyFileEntry struct {
	ID      string
	Secret  string
	Account string
	Scopes  []string
}

// MinSecretLen is the shortest accepted API secret.
const MinSecretLen = 16

// ParseKeyFile reads the API key file every service mounts from its secret:
// [{"id":"…","secret":"…","account":"…","scopes":["trade","read"]}]. Keys are returned by id.
func ParseKeyFile(b []byte) (map[string]Key, error) {
	var entries []keyFileEntry
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&entries); err != nil {
		return nil, fmt.Errorf("parse key file: %w", err)
	}
	keys := make(map[string]Key, len(entries))
	for _, e := range entries {
		if e.ID == "" || len(e.Secret) < MinSecretLen || e.Account == "" {
			return nil, fmt.Errorf("parse key file: key %q needs an id, an account and a secret of %d+ characters", e.ID, MinSecretLen)
		}
		if _, dup := keys[e.ID]; dup {
			return nil, fmt.Errorf("parse key file: key %q listed twice", e.ID)
		}
		k := Key{ID: e.ID, Secret: []byte(e.Secret), Account: order.AccountID(e.Account)}
		for _, s := range e.Scopes {
			switch sc := Scope(s); sc {
			case ScopeTrade, ScopeRead, ScopeAdmin:
				k.Scopes = append(k.Scopes, sc)
			default:
				return nil, fmt.Errorf("parse key file: key %q has unknown scope %q", e.ID, s)
			}
		}
		keys[e.ID] = k
	}
	return keys, nil
}
