// Package rediscache is the Redis adapter of order entry: the idempotency store of DESIGN.md §3 step 1.
//
// A request claims "{account}:{key}" atomically with SET NX as pending, bound to the hash of its
// body, for a short pendingTTL so that a crashed gateway does not block the key for a day. Completing
// the claim replaces it with the response for replay, kept for ttl. Every operation is one round trip:
// Reserve is a single SET NX GET (Redis 7), Complete and Release are compare-and-set Lua scripts.
//
// Stored values are compact binary:
//
//	pending: 'P' | hash[32]
//	done:    'D' | hash[32] | status (uint16, big endian) | body
package rediscache

import (
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"time"

	"github.com/redis/go-redis/v9"
)

// Errors. Test them with errors.Is.
var (
	// ErrMismatch: the key was used with a different request body (HTTP 422).
	ErrMismatch = errors.New("idempotency key reused with a different request")
	// ErrInFlight: the first request with this key and body has not finished yet (HTTP 409).
	ErrInFlight = errors.New("idempotency key in flight")
	// ErrUnavailable: Redis did not answer; nothing is known about the key (HTTP 503).
	ErrUnavailable = errors.New("idempotency store unavailable")
	// ErrClaimLost: Complete found the key held by another request: our pending claim expired and
	// the key was claimed again.
	ErrClaimLost = errors.New("idempotency claim lost")
	// ErrCorrupt: the key holds a value this package did not write.
	ErrCorrupt = errors.New("idempotency value corrupt")
)

// KeyPrefix namespaces every key of this store.
const KeyPrefix = "oms:idem:"

const (
	tagPending = 'P'
	tagDone    = 'D'
	hashLen    = 32
	headerLen  = 1 + hashLen   // tag + hash
	doneLen    = headerLen + 2 // + status
)

// Result is the outcome of a successful Reserve: either the caller now holds the key (Replay false)
// and must Complete or Release it, or the key completed before and Status and Body are the original
// response to send again.
type Result struct {
	Replay bool
	Status int
	Body   []byte
}

// Reserved reports whether the caller holds the key.
func (r Result) Reserved() bool { return !r.Replay }

// Store is the idempotency store. It is safe for concurrent use.
type Store struct {
	c          redis.UniversalClient
	ttl        time.Duration
	pendingTTL time.Duration
}

// New returns a store over c. ttl is how long a completed response is replayed (24 h by design);
// pendingTTL bounds how long a claim whose owner died blocks the key (a few times the longest
// request). Client timeouts and retries are the caller's to set on c.
func New(c redis.UniversalClient, ttl, pendingTTL time.Duration) *Store {
	return &Store{c: c, ttl: ttl, pendingTTL: pendingTTL}
}

// Key returns the Redis key of an idempotency key. The account is a hash tag, so in cluster mode all of
// an account's keys live in one slot.
func Key(account, key string) string { return KeyPrefix + "{" + account + "}:" + key }

func pendingValue(hash [32]byte) []byte {
	v := make([]byte, headerLen)
	v[0] = tagPending
	copy(v[1:], hash[:])
	return v
}

// Reserve claims the key for a request whose body hashes to hash. It returns a Result (see Result),
// or ErrMismatch, ErrInFlight, or an error wrapping ErrUnavailable.
func (s *Store) Reserve(ctx context.Context, account, key string, hash [32]byte) (Result, error) {
	k := Key(account, key)
	// SET NX GET: sets when absent and answers nil, else answers the current value and sets nothing.
	old, err := s.c.SetArgs(ctx, k, pendingValue(hash), redis.SetArgs{Mode: "NX", Get: true, TTL: s.pendingTTL}).Result()
	return classify(k, hash, old, err)
}

// classify turns the answer of SET NX GET into a reservation outcome.
func classify(k string, hash [32]byte, old string, err error) (Result, error) {
	switch {
	case errors.Is(err, redis.Nil):
		return Result{}, nil
	case err != nil:
		return Result{}, fmt.Errorf("reserve %s: %w: %w", k, ErrUnavailable, err)
	}
	if len(old) < headerLen {
		return Result{}, fmt.Errorf("reserve %s: %w", k, ErrCorrupt)
	}
	if old[1:headerLen] != string(hash[:]) {
		return Result{}, fmt.Errorf("reserve %s: %w", k, ErrMismatch)
	}
	switch old[0] {
	case tagPending:
		return Result{}, fmt.Errorf("reserve %s: %w", k, ErrInFlight)
	case tagDone:
		if len(old) < doneLen {
			return Result{}, fmt.Errorf("reserve %s: %w", k, ErrCorrupt)
		}
		return Result{
			Replay: true,
			Status: int(binary.BigEndian.Uint16([]byte(old[headerLen:doneLen]))),
			Body:   []byte(old[doneLen:]),
		}, nil
	}
	return Result{}, fmt.Errorf("reserve %s: %w", k, ErrCorrupt)
}

// ReserveMany reserves several keys of one account in one round trip (a pipeline): a batch of orders
// costs one Redis exchange instead of one per order. Outcomes are per key, as Reserve's.
func (s *Store) ReserveMany(ctx context.Context, account string, keys []string, hashes [][32]byte) ([]Result, []error) {
	res, errs := make([]Result, len(keys)), make([]error, len(keys))
	cmds := make([]*redis.StatusCmd, len(keys))
	_, perr := s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, key := range keys {
			cmds[i] = p.SetArgs(ctx, Key(account, key), pendingValue(hashes[i]), redis.SetArgs{Mode: "NX", Get: true, TTL: s.pendingTTL})
		}
		return nil
	})
	for i, key := range keys {
		if cmds[i] == nil {
			errs[i] = fmt.Errorf("reserve %s: %w: %w", Key(account, key), ErrUnavailable, perr)
			continue
		}
		old, err := cmds[i].Result()
		res[i], errs[i] = classify(Key(account, key), hashes[i], old, err)
	}
	return res, errs
}

// CompleteMany completes several reserved keys of one account in one round trip.
func (s *Store) CompleteMany(ctx context.Context, account string, keys []string, hashes [][32]byte, statuses []int, bodies [][]byte) []error {
	errs := make([]error, len(keys))
	cmds := make([]*redis.Cmd, len(keys))
	_, _ = s.c.Pipelined(ctx, func(p redis.Pipeliner) error {
		for i, key := range keys {
			cmds[i] = completeScript.Eval(ctx, p, []string{Key(account, key)}, pendingValue(hashes[i]), doneValue(hashes[i], statuses[i], bodies[i]), s.ttl.Milliseconds())
		}
		return nil
	})
	for i, key := range keys {
		n, err := cmds[i].Int()
		switch {
		case err != nil:
			errs[i] = fmt.Errorf("complete %s: %w: %w", Key(account, key), ErrUnavailable, err)
		case n == 0:
			errs[i] = fmt.Errorf("complete %s: %w", Key(account, key), ErrClaimLost)
		}
	}
	return errs
}

// completeScript stores the response if the key still holds our pending claim, or holds nothing (the
// claim expired but nobody took the key: storing the response still makes retries replay it).
var completeScript = redis.NewScript(`
local v = redis.call('GET', KEYS[1])
if v == ARGV[1] or v == false then
  redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
  return 1
end
return 0`)

// Complete replaces the caller's pending claim by the response (status and body), replayed for ttl.
// It returns ErrClaimLost when another request holds the key now.
func (s *Store) Complete(ctx context.Context, account, key string, hash [32]byte, status int, body []byte) error {
	k := Key(account, key)
	if status < 0 || status > 0xFFFF {
		return fmt.Errorf("complete %s: status %d out of range", k, status)
	}
	n, err := completeScript.Run(ctx, s.c, []string{k}, pendingValue(hash), doneValue(hash, status, body), s.ttl.Milliseconds()).Int()
	if err != nil {
		return fmt.Errorf("complete %s: %w: %w", k, ErrUnavailable, err)
	}
	if n == 0 {
		return fmt.Errorf("complete %s: %w", k, ErrClaimLost)
	}
	return nil
}

// releaseScript deletes the key only while it holds our pending claim.
var releaseScript = redis.NewScript(`
if redis.call('GET', KEYS[1]) == ARGV[1] then return redis.call('DEL', KEYS[1]) end
return 0`)

// Release gives up the caller's pending claim after its request failed, so a retry can proceed. A
// key held by anything else (a completed response, another request's claim) is left alone.
func (s *Store) Release(ctx context.Context, account, key string, hash [32]byte) error {
	k := Key(account, key)
	if err := releaseScript.Run(ctx, s.c, []string{k}, pendingValue(hash)).Err(); err != nil {
		return fmt.Errorf("release %s: %w: %w", k, ErrUnavailable, err)
	}
	return nil
}

// Ping checks that Redis answers; the error wraps ErrUnavailable.
func (s *Store) Ping(ctx context.Context) error {
	if err := s.c.Ping(ctx).Err(); err != nil {
		return fmt.Errorf("ping: %w: %w", ErrUnavailable, err)
	}
	return nil
}

// doneValue is a completed key's value: tag, request hash, HTTP status, response body.
func doneValue(hash [32]byte, status int, body []byte) []byte {
	done := make([]byte, doneLen, doneLen+len(body))
	done[0] = tagDone
	copy(done[1:], hash[:])
	binary.BigEndian.PutUint16(done[headerLen:], uint16(status))
	return append(done, body...)
}
