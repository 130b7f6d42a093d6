package rediscache

import (
	"context"
	"errors"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/gateway"
)

// GatewayAdapter adapts the Redis store to the gateway's port.
type GatewayAdapter struct{ S *Store }

// Reserve implements gateway.Idempotency.
func (a GatewayAdapter) Reserve(ctx context.Context, account, key string, hash [32]byte) (gateway.Reservation, error) {
	res, err := a.S.Reserve(ctx, account, key, hash)
	switch {
	case errors.Is(err, ErrMismatch):
		return gateway.Reservation{Conflict: gateway.Mismatch}, nil
	case errors.Is(err, ErrInFlight):
		return gateway.Reservation{Conflict: gateway.InFlight}, nil
	case err != nil:
		return gateway.Reservation{}, err
	}
	return gateway.Reservation{Replay: res.Replay, Status: res.Status, Body: res.Body}, nil
}

// Complete implements gateway.Idempotency.
func (a GatewayAdapter) Complete(ctx context.Context, account, key string, hash [32]byte, status int, body []byte) error {
	return a.S.Complete(ctx, account, key, hash, status, body)
}

// Release implements gateway.Idempotency.
func (a GatewayAdapter) Release(ctx context.Context, account, key string, hash [32]byte) error {
	return a.S.Release(ctx, account, key, hash)
}

// Ping implements gateway.Idempotency.
func (a GatewayAdapter) Ping(ctx context.Context) error { return a.S.Ping(ctx) }
