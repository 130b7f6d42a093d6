package rediscache_test

import (
	"context"
	"crypto/sha256"
	"errors"
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/alicebob/miniredis/v2"
	"github.com/redis/go-redis/v9"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/rediscache"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

const (
	ttl        = 24 * time.Hour
	pendingTTL = 30 * time.Second
)

// backend is one Redis the contract suite runs against.
type backend struct {
	client *redis.Client
	// advance moves the server's clock: real time for redis-server, FastForward for miniredis.
	advance func(time.Duration)
	// stop makes the server unavailable.
	stop func()
}

// client has small timeouts and no retries, so an unavailable server is reported at once; the
// package leaves these to its caller.
func client(t testing.TB, addr string) *redis.Client {
	c := redis.NewClient(&redis.Options{
		Addr: addr, MaxRetries: -1,
		DialTimeout: 200 * time.Millisecond, ReadTimeout: 200 * time.Millisecond, WriteTimeout: 200 * time.Millisecond,
	})
	t.Cleanup(func() { _ = c.Close() })
	return c
}

func backends() map[string]func(t *testing.T) backend {
	return map[string]func(t *testing.T) backend{
		"redis-server": func(t *testing.T) backend {
			r := testenv.RealRedis(t)
			return backend{client: client(t, r.Addr()), advance: time.Sleep, stop: r.Stop}
		},
		"miniredis": func(t *testing.T) backend {
			m := miniredis.RunT(t)
			return backend{client: client(t, m.Addr()), advance: m.FastForward, stop: m.Close}
		},
	}
}

func hashOf(s string) [32]byte { return sha256.Sum256([]byte(s)) }

// TestContract runs every behaviour of the store against each backend.
func TestContract(t *testing.T) {
	for name, start := range backends() {
		t.Run(name, func(t *testing.T) {
			for _, tc := range contract {
				t.Run(tc.name, func(t *testing.T) {
					b := start(t)
					tc.run(t, b, rediscache.New(b.client, ttl, pendingTTL))
				})
			}
		})
	}
}

var contract = []struct {
	name string
	run  func(t *testing.T, b backend, s *rediscache.Store)
}{
	{"batch reserve and complete in one round trip each", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "pending", hashOf("p"))
		mustReserve(t, s, "acct", "done", hashOf("d"))
		if err := s.Complete(t.Context(), "acct", "done", hashOf("d"), 202, []byte("old")); err != nil {
			t.Fatal(err)
		}
		keys := []string{"new1", "pending", "done", "done", "new2"}
		hashes := [][32]byte{hashOf("n1"), hashOf("p"), hashOf("d"), hashOf("other"), hashOf("n2")}
		res, errs := s.ReserveMany(t.Context(), "acct", keys, hashes)
		if errs[0] != nil || !res[0].Reserved() || errs[4] != nil || !res[4].Reserved() {
			t.Fatalf("new keys: %+v %v", res, errs)
		}
		wantErr(t, errs[1], rediscache.ErrInFlight)
		if errs[2] != nil || !res[2].Replay || string(res[2].Body) != "old" {
			t.Fatalf("done key: %+v %v", res[2], errs[2])
		}
		wantErr(t, errs[3], rediscache.ErrMismatch)
		cerrs := s.CompleteMany(t.Context(), "acct", []string{"new1", "new2"}, [][32]byte{hashOf("n1"), hashOf("n2")}, []int{202, 202}, [][]byte{[]byte("b1"), []byte("b2")})
		if cerrs[0] != nil || cerrs[1] != nil {
			t.Fatalf("complete many: %v", cerrs)
		}
		for i, k := range []string{"new1", "new2"} {
			r, err := s.Reserve(t.Context(), "acct", k, hashes[i*4])
			if err != nil || !r.Replay || string(r.Body) != []string{"b1", "b2"}[i] {
				t.Fatalf("replay %s: %+v %v", k, r, err)
			}
		}
		wantTTL(t, b, rediscache.Key("acct", "new1"), ttl)
		b.stop()
		_, errs = s.ReserveMany(t.Context(), "acct", []string{"x"}, [][32]byte{hashOf("x")})
		wantErr(t, errs[0], rediscache.ErrUnavailable)
	}},
	{"reserve new key", func(t *testing.T, b backend, s *rediscache.Store) {
		res, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
		if err != nil || !res.Reserved() {
			t.Fatalf("Reserve = %+v, %v; want reserved", res, err)
		}
		wantTTL(t, b, rediscache.Key("acct", "k1"), pendingTTL)
	}},
	{"same body while pending is in flight", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		_, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
		wantErr(t, err, rediscache.ErrInFlight)
	}},
	{"different body while pending is a mismatch", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		_, err := s.Reserve(t.Context(), "acct", "k1", hashOf("b"))
		wantErr(t, err, rediscache.ErrMismatch)
	}},
	{"replay after complete", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		body := []byte(`{"orderId":"o-1","status":"PENDING_NEW"}`)
		if err := s.Complete(t.Context(), "acct", "k1", hashOf("a"), 202, body); err != nil {
			t.Fatal(err)
		}
		wantTTL(t, b, rediscache.Key("acct", "k1"), ttl)
		for range 2 { // replays do not consume the response
			res, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
			if err != nil || !res.Replay || res.Status != 202 || string(res.Body) != string(body) {
				t.Fatalf("Reserve = %+v (%s), %v; want replay of 202 %s", res, res.Body, err, body)
			}
		}
	}},
	{"replay of an empty body and a large status", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		if err := s.Complete(t.Context(), "acct", "k1", hashOf("a"), 503, nil); err != nil {
			t.Fatal(err)
		}
		res, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
		if err != nil || !res.Replay || res.Status != 503 || len(res.Body) != 0 {
			t.Fatalf("Reserve = %+v, %v", res, err)
		}
	}},
	{"different body after complete is a mismatch", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		if err := s.Complete(t.Context(), "acct", "k1", hashOf("a"), 202, []byte("x")); err != nil {
			t.Fatal(err)
		}
		_, err := s.Reserve(t.Context(), "acct", "k1", hashOf("b"))
		wantErr(t, err, rediscache.ErrMismatch)
	}},
	{"release then reserve again", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		if err := s.Release(t.Context(), "acct", "k1", hashOf("a")); err != nil {
			t.Fatal(err)
		}
		mustReserve(t, s, "acct", "k1", hashOf("a"))
	}},
	{"release leaves another request's claim alone", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		if err := s.Release(t.Context(), "acct", "k1", hashOf("b")); err != nil {
			t.Fatal(err)
		}
		_, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
		wantErr(t, err, rediscache.ErrInFlight)
	}},
	{"release leaves a completed response alone", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		if err := s.Complete(t.Context(), "acct", "k1", hashOf("a"), 202, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if err := s.Release(t.Context(), "acct", "k1", hashOf("a")); err != nil {
			t.Fatal(err)
		}
		if res, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a")); err != nil || !res.Replay {
			t.Fatalf("Reserve = %+v, %v; want replay", res, err)
		}
	}},
	{"release of an absent key is a no-op", func(t *testing.T, b backend, s *rediscache.Store) {
		if err := s.Release(t.Context(), "acct", "nope", hashOf("a")); err != nil {
			t.Fatal(err)
		}
	}},
	{"an expired claim frees the key", func(t *testing.T, b backend, s *rediscache.Store) {
		short := rediscache.New(b.client, ttl, 50*time.Millisecond)
		mustReserve(t, short, "acct", "k1", hashOf("a"))
		b.advance(120 * time.Millisecond)
		mustReserve(t, short, "acct", "k1", hashOf("b"))
	}},
	{"complete after the claim expired and was taken is refused", func(t *testing.T, b backend, s *rediscache.Store) {
		short := rediscache.New(b.client, ttl, 50*time.Millisecond)
		mustReserve(t, short, "acct", "k1", hashOf("a"))
		b.advance(120 * time.Millisecond)
		mustReserve(t, short, "acct", "k1", hashOf("b"))
		err := short.Complete(t.Context(), "acct", "k1", hashOf("a"), 202, []byte("x"))
		wantErr(t, err, rediscache.ErrClaimLost)
	}},
	{"complete after the claim expired untaken still stores the response", func(t *testing.T, b backend, s *rediscache.Store) {
		short := rediscache.New(b.client, ttl, 50*time.Millisecond)
		mustReserve(t, short, "acct", "k1", hashOf("a"))
		b.advance(120 * time.Millisecond)
		if err := short.Complete(t.Context(), "acct", "k1", hashOf("a"), 202, []byte("x")); err != nil {
			t.Fatal(err)
		}
		if res, err := short.Reserve(t.Context(), "acct", "k1", hashOf("a")); err != nil || !res.Replay {
			t.Fatalf("Reserve = %+v, %v; want replay", res, err)
		}
	}},
	{"keys are per account", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct-1", "k1", hashOf("a"))
		mustReserve(t, s, "acct-2", "k1", hashOf("b"))
	}},
	{"keys are namespaced and values compact", func(t *testing.T, b backend, s *rediscache.Store) {
		mustReserve(t, s, "acct", "k1", hashOf("a"))
		keys, err := b.client.Keys(t.Context(), "*").Result()
		if err != nil {
			t.Fatal(err)
		}
		if len(keys) != 1 || keys[0] != "oms:idem:{acct}:k1" {
			t.Fatalf("keys = %q", keys)
		}
		if n, err := b.client.StrLen(t.Context(), keys[0]).Result(); err != nil || n != 33 {
			t.Fatalf("pending value length = %d, %v; want 33", n, err)
		}
	}},
	{"a foreign value is reported corrupt", func(t *testing.T, b backend, s *rediscache.Store) {
		if err := b.client.Set(t.Context(), rediscache.Key("acct", "k1"), "junk", 0).Err(); err != nil {
			t.Fatal(err)
		}
		_, err := s.Reserve(t.Context(), "acct", "k1", hashOf("a"))
		wantErr(t, err, rediscache.ErrCorrupt)
	}},
	{"50 concurrent duplicates: one reserved, the rest in flight", func(t *testing.T, b backend, s *rediscache.Store) {
		const n = 50
		var (
			wg       sync.WaitGroup
			mu       sync.Mutex
			reserved int
			inFlight int
			other    []error
		)
		start := make(chan struct{})
		for range n {
			wg.Go(func() {
				<-start
				res, err := s.Reserve(t.Context(), "acct", "dup", hashOf("same body"))
				mu.Lock()
				defer mu.Unlock()
				switch {
				case err == nil && res.Reserved():
					reserved++
				case errors.Is(err, rediscache.ErrInFlight):
					inFlight++
				default:
					other = append(other, fmt.Errorf("%+v, %w", res, err))
				}
			})
		}
		close(start)
		wg.Wait()
		if reserved != 1 || inFlight != n-1 || len(other) > 0 {
			t.Fatalf("reserved=%d inFlight=%d other=%v; want 1, %d, none", reserved, inFlight, other, n-1)
		}
	}},
	{"unavailable when the server is down", func(t *testing.T, b backend, s *rediscache.Store) {
		if err := s.Ping(t.Context()); err != nil {
			t.Fatal(err)
		}
		b.stop()
		ops := map[string]func(ctx context.Context) error{
			"ping": s.Ping,
			"reserve": func(ctx context.Context) error {
				_, err := s.Reserve(ctx, "acct", "k1", hashOf("a"))
				return err
			},
			"complete": func(ctx context.Context) error {
				return s.Complete(ctx, "acct", "k1", hashOf("a"), 202, nil)
			},
			"release": func(ctx context.Context) error { return s.Release(ctx, "acct", "k1", hashOf("a")) },
		}
		for name, op := range ops {
			t0 := time.Now()
			err := op(t.Context())
			if !errors.Is(err, rediscache.ErrUnavailable) {
				t.Errorf("%s: err = %v; want ErrUnavailable", name, err)
			}
			if d := time.Since(t0); d > time.Second {
				t.Errorf("%s: took %v to fail", name, d)
			}
		}
	}},
}

func mustReserve(t *testing.T, s *rediscache.Store, account, key string, hash [32]byte) {
	t.Helper()
	res, err := s.Reserve(t.Context(), account, key, hash)
	if err != nil || !res.Reserved() {
		t.Fatalf("Reserve(%s, %s) = %+v, %v; want reserved", account, key, res, err)
	}
}

func wantErr(t *testing.T, err, want error) {
	t.Helper()
	if !errors.Is(err, want) {
		t.Fatalf("err = %v; want %v", err, want)
	}
}

// wantTTL checks the key expires in (want-2s, want].
func wantTTL(t *testing.T, b backend, key string, want time.Duration) {
	t.Helper()
	got, err := b.client.PTTL(t.Context(), key).Result()
	if err != nil {
		t.Fatal(err)
	}
	if got > want || got < want-2*time.Second {
		t.Fatalf("PTTL(%s) = %v; want about %v", key, got, want)
	}
}

func BenchmarkReserveComplete(b *testing.B) {
	r := testenv.RealRedis(b)
	c := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer c.Close()
	s := rediscache.New(c, ttl, pendingTTL)
	ctx := context.Background()
	hash := hashOf("body")
	body := []byte(`{"orderId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","clientOrderId":"c-1","status":"PENDING_NEW"}`)
	b.ReportAllocs()
	i := 0
	for b.Loop() {
		i++
		key := fmt.Sprint("k", i)
		if _, err := s.Reserve(ctx, "acct", key, hash); err != nil {
			b.Fatal(err)
		}
		if err := s.Complete(ctx, "acct", key, hash, 202, body); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkReserveCompleteParallel is the gateway's pattern: many requests at once over one client.
func BenchmarkReserveCompleteParallel(b *testing.B) {
	r := testenv.RealRedis(b)
	c := redis.NewClient(&redis.Options{Addr: r.Addr()})
	defer c.Close()
	s := rediscache.New(c, ttl, pendingTTL)
	hash := hashOf("body")
	body := []byte(`{"orderId":"0193a1b2-c3d4-7e5f-8a9b-0c1d2e3f4a5b","clientOrderId":"c-1","status":"PENDING_NEW"}`)
	var mu sync.Mutex
	next := 0
	b.ReportAllocs()
	b.SetParallelism(16) // 32 requests in flight on 2 cores: the gateway serves many at once
	b.RunParallel(func(pb *testing.PB) {
		mu.Lock()
		next++
		prefix := fmt.Sprint("p", next, "-")
		mu.Unlock()
		i := 0
		for pb.Next() {
			i++
			key := fmt.Sprint(prefix, i)
			if _, err := s.Reserve(context.Background(), "acct", key, hash); err != nil {
				b.Error(err)
				return
			}
			if err := s.Complete(context.Background(), "acct", key, hash, 202, body); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
