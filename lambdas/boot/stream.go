package boot

import (
	"context"
	"errors"
	"fmt"
)

// MinStreamSecretLen is the shortest literal OMS_STREAM_SECRET accepted.
const MinStreamSecretLen = 32

// StreamSecret returns the key that signs WebSocket tokens (POST /api/ws-token, GET /ws?token=), which
// every gateway pod must share: a browser gets its token from one pod and may connect to another.
// OMS_STREAM_SECRET when set (runs outside AWS), else derived from the secret OMS_STREAM_SECRET_ARN as
// the key-encryption key is, under its own label.
func (r *Resolver) StreamSecret(ctx context.Context) ([]byte, error) {
	if k := r.Env("OMS_STREAM_SECRET"); k != "" {
		if len(k) < MinStreamSecretLen {
			return nil, fmt.Errorf("stream secret: OMS_STREAM_SECRET is %d characters, want at least %d", len(k), MinStreamSecretLen)
		}
		return []byte(k), nil
	}
	arn := r.Env("OMS_STREAM_SECRET_ARN")
	if arn == "" {
		return nil, errors.New("stream secret: set OMS_STREAM_SECRET or OMS_STREAM_SECRET_ARN")
	}
	sum, err := r.derived(ctx, arn, "crypto-oms stream token key v1")
	if err != nil {
		return nil, fmt.Errorf("stream secret: %w", err)
	}
	return sum[:], nil
}
