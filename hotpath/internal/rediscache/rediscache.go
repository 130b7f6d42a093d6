// Package rediscache is the Redis adapter: the idempotency store of order entry (DESIGN.md §3 step 1).
// A key is claimed atomically with SET NX as pending with the request hash; completing it stores the
// response for replay. Every operation is one round trip.
package rediscache

import (
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Sentinel outcomes and failures.
var (
	ErrMismatch    = errors.New("idempotency key used with a different request")
	ErrInFlight    = errors.New("idempotency key still in flight")
	ErrUnavailable = errors.New("redis unavailable")
)

// Result of a reservation: Reserved, or a replay of the stored response.
type Result struct {
	Replay bool
	Status int
	Body   []byte
}

// Store is the idempotency store.
type Store struct {
	c          redis.UniversalClient
	ttl        time.Duration
	pendingTTL time.Duration
}

// New returns a store. ttl keeps completed responses (24 h by design); pendingTTL bounds how long a
// crashed gateway's claim blocks a key.
func New(c redis.UniversalClient, ttl, pendingTTL time.Duration) *Store {
	return &Store{c: c, ttl: ttl, pendingTTL: pendingTTL}
}

func redisKey(account, key string) string { return "oms:idem:{" + account + "}:" + key }

// Values: 'P' + hash (pending) or 'D' + hash + status(2 bytes) + body (done).
func pending(hash [32]byte) []byte { return append([]byte{'P'}, hash[:]...) }

// reserve: SET NX; if the key exists, return its value for the caller to classify.
var reserveScript = redis.NewScript(`
if redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2]) then return false end
return redis.call('GET', KEYS[1])`)

// complete: replace our pending claim with the response, only if it is still ours.
var completeScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3]) return 1 end
return 0`)

// release: delete our pending claim only.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

func unavailable(op string, err error) error {
	return fmt.Errorf("%s: %w: %v", op, ErrUnavailable, err)
}

// Reserve claims {account}:{key} for a request with hash. A nil error with Replay false means the caller
// owns the key and must Complete or Release it.
func (s *Store) Reserve(ctx context.Context, account, key string, hash [32]byte) (Result, error) {
	v, err := reserveScript.Run(ctx, s.c, []string{redisKey(account, key)}, pending(hash), s.pendingTTL.Milliseconds()).Result()
	if errors.Is(err, redis.Nil) {
		return Result{}, nil
	}
	if err != nil {
		return Result{}, unavailable("reserve", err)
	}
	str, ok := v.(string)
	if !ok || len(str) < 33 {
		return Result{}, fmt.Errorf("reserve: corrupt value under %s", redisKey(account, key))
	}
	b := []byte(str)
	if !bytes.Equal(b[1:33], hash[:]) {
		return Result{}, ErrMismatch
	}
	switch b[0] {
	case 'P':
		return Result{}, ErrInFlight
	case 'D':
		if len(b) < 35 {
			return Result{}, fmt.Errorf("reserve: corrupt value under %s", redisKey(account, key))
		}
		return Result{Replay: true, Status: int(binary.BigEndian.Uint16(b[33:35])), Body: b[35:]}, nil
	}
	return Result{}, fmt.Errorf("reserve: corrupt value under %s", redisKey(account, key))
}

// Complete stores the response of a reserved key for replay.
func (s *Store) Complete(ctx context.Context, account, key string, hash [32]byte, status int, body []byte) error {
	done := make([]byte, 0, 35+len(body))
	done = append(done, 'D')
	done = append(done, hash[:]...)
	done = binary.BigEndian.AppendUint16(done, uint16(status))
	done = append(done, body...)
	n, err := completeScript.Run(ctx, s.c, []string{redisKey(account, key)}, pending(hash), done, s.ttl.Milliseconds()).Int()
	if err != nil {
		return unavailable("complete", err)
	}
	if n == 0 {
		return fmt.Errorf("complete: claim on %s was lost (expired)", redisKey(account, key))
	}
	return nil
}

// Release gives back a reserved key whose request failed, so a retry can proceed.
func (s *Store) Release(ctx context.Context, account, key string, hash [32]byte) error {
	if err := releaseScript.Run(ctx, s.c, []string{redisKey(account, key)}, pending(hash)).Err(); err != nil && !errors.Is(err, redis.Nil) {
		return unavailable("release", err)
	}
	return nil
}

// Ping checks the server answers.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.c.Ping(ctx).Err(); err != nil {
		return unavailable("ping", err)
	}
	return nil
}
