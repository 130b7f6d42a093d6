package boot

import (
	"context"
	"errors"
	"fmt"
)

// MinTokenSecretLen is the shortest literal OMS_TOKEN_SECRET accepted.
const MinTokenSecretLen = 32

// TokenSecret returns the key that signs the gateway's short-lived tokens: browser sessions (the
// oms_session cookie, which order-query and admin verify too) and WebSocket tokens. Every gateway pod
// and those functions must share it: a browser signs in on one pod and is served by any.
// OMS_TOKEN_SECRET when set (runs outside AWS), else derived from the secret OMS_TOKEN_SECRET_ARN as the
// key-encryption key is, under its own label.
func (r *Resolver) TokenSecret(ctx context.Context) ([]byte, error) {
	if k := r.Env("OMS_TOKEN_SECRET"); k != "" {
		if len(k) < MinTokenSecretLen {
			return nil, fmt.Errorf("token secret: OMS_TOKEN_SECRET is %d characters, want at least %d", len(k), MinTokenSecretLen)
		}
		return []byte(k), nil
	}
	arn := r.Env("OMS_TOKEN_SECRET_ARN")
	if arn == "" {
		return nil, errors.New("token secret: set OMS_TOKEN_SECRET or OMS_TOKEN_SECRET_ARN")
	}
	sum, err := r.derived(ctx, arn, "crypto-oms token key v1")
	if err != nil {
		return nil, fmt.Errorf("token secret: %w", err)
	}
	return sum[:], nil
}

// OptionalTokenSecret is TokenSecret for the functions that accept browser sessions but also work
// without them (signed requests only): nil, and no error, when neither variable is set.
func (r *Resolver) OptionalTokenSecret(ctx context.Context) ([]byte, error) {
	if r.Env("OMS_TOKEN_SECRET") == "" && r.Env("OMS_TOKEN_SECRET_ARN") == "" {
		return nil, nil
	}
	return r.TokenSecret(ctx)
}
