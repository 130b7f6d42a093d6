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

// ReserveMany implements gateway.BatchIdempotency.
func (a GatewayAdapter) ReserveMany(ctx context.Context, account string, keys []string, hashes [][32]byte) ([]gateway.Reservation, []error) {
	res, errs := a.S.ReserveMany(ctx, account, keys, hashes)
	out := make([]gateway.Reservation, len(res))
	for i := range res {
		switch {
		case errors.Is(errs[i], ErrMismatch):
			out[i], errs[i] = gateway.Reservation{Conflict: gateway.Mismatch}, nil
		case errors.Is(errs[i], ErrInFlight):
			out[i], errs[i] = gateway.Reservation{Conflict: gateway.InFlight}, nil
		case errs[i] == nil:
			out[i] = gateway.Reservation{Replay: res[i].Replay, Status: res[i].Status, Body: res[i].Body}
		}
	}
	return out, errs
}

// CompleteMany implements gateway.BatchIdempotency.
func (a GatewayAdapter) CompleteMany(ctx context.Context, account string, keys []string, hashes [][32]byte, statuses []int, bodies [][]byte) []error {
	return a.S.CompleteMany(ctx, account, keys, hashes, statuses, bodies)
}
