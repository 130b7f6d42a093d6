package keystore

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"maps"
	"sync"
	"sync/atomic"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
)

// ErrUnavailable says a key could not be verified because the store did not answer: the transports
// answer 503 AUTH_UNAVAILABLE, never 401, so a client does not drop a good key.
var ErrUnavailable = errors.New("key store unavailable")

// CacheConfig configures a Cache. Zero durations take the defaults in brackets.
type CacheConfig struct {
	// Static keys (the bootstrap key file) are checked first and never refreshed.
	Static map[string]auth.Key
	// Refresh [2 s]: a lookup on a cache older than this starts a refresh in the background.
	Refresh time.Duration
	// MaxAge [4 s]: a lookup on a cache older than this waits for the refresh, so a revoked key
	// stops working within MaxAge plus one store round trip even on an instance idle for hours
	// (a Lambda thawed after a long pause). If the store is down, the last known keys are served.
	MaxAge time.Duration
	// MissInterval [1 s]: an id the cache does not know is looked up in the store at most this often,
	// and a failed refresh is retried no sooner.
	MissInterval time.Duration
	// FullEvery [60 s]: refreshes read only keys changed since the last one, and everything this often.
	FullEvery time.Duration
	// Timeout [2 s] bounds a refresh.
	Timeout time.Duration
	Now     func() time.Time
	Logger  *slog.Logger
}

// Cache is a key source over the Store for request verification: a snapshot of every key with its
// secret unsealed, refreshed by the lookups themselves (no goroutine to keep alive, which suits a
// Lambda that is frozen between invocations).
type Cache struct {
	store     *Store
	cfg       CacheConfig
	keys      atomic.Pointer[map[string]entry] // replaced, never modified
	refreshed atomic.Int64                     // start of the last successful refresh, Unix ns; 0: never

	mu        sync.Mutex // guards the fields below and serializes replacing keys
	flight    chan struct{}
	failedAt  time.Time
	failing   bool
	watermark time.Time // newest updatedAt seen
	fullAt    time.Time
	misses    map[string]*miss
}

type entry struct {
	key auth.Key
	err error // the secret could not be unsealed
}

func (e entry) result() (auth.Key, error) {
	switch {
	case e.err != nil:
		return auth.Key{}, fmt.Errorf("look up key %s: %w: %v", e.key.ID, ErrUnavailable, e.err)
	case e.key.Revoked:
		return auth.Key{}, auth.ErrUnknown
	}
	return e.key, nil
}

// miss is one store lookup of an id the cache did not know; concurrent lookups of the id wait for it.
type miss struct {
	at    time.Time
	done  chan struct{}
	found bool
	entry entry
	err   error
}

// overlap re-reads recently changed keys on every incremental refresh: a write stamped just before a
// refresh may commit just after it, and writers' clocks differ.
const overlap = 10 * time.Second

// NewCache returns a cache over s. Call Warm to load it before serving.
func NewCache(s *Store, cfg CacheConfig) *Cache {
	if cfg.Refresh == 0 {
		cfg.Refresh = 2 * time.Second
	}
	if cfg.MaxAge == 0 {
		cfg.MaxAge = 4 * time.Second
	}
	if cfg.MissInterval == 0 {
		cfg.MissInterval = time.Second
	}
	if cfg.FullEvery == 0 {
		cfg.FullEvery = time.Minute
	}
	if cfg.Timeout == 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.Now == nil {
		cfg.Now = time.Now
	}
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	c := &Cache{store: s, cfg: cfg, misses: map[string]*miss{}}
	c.keys.Store(&map[string]entry{})
	return c
}

// Warm loads every key; an error leaves the cache empty (lookups then go to the store).
func (c *Cache) Warm(ctx context.Context) error {
	c.mu.Lock()
	fl := c.flight
	if fl == nil {
		fl = make(chan struct{})
		c.flight = fl
		go c.refresh(fl)
	}
	c.mu.Unlock()
	select {
	case <-fl:
	case <-ctx.Done():
		return fmt.Errorf("warm key cache: %w", ctx.Err())
	}
	if c.refreshed.Load() == 0 {
		return fmt.Errorf("warm key cache: %w", ErrUnavailable)
	}
	return nil
}

// Lookup returns the key with that id: auth.ErrUnknown when there is none or it is revoked, an error
// wrapping ErrUnavailable when the store cannot tell.
func (c *Cache) Lookup(ctx context.Context, id string) (auth.Key, error) {
	if k, ok := c.cfg.Static[id]; ok {
		if k.Revoked {
			return auth.Key{}, auth.ErrUnknown
		}
		return k, nil
	}
	if id == "" || len(id) > 128 {
		return auth.Key{}, auth.ErrUnknown // not worth a store query
	}
	c.freshen(ctx)
	if e, ok := (*c.keys.Load())[id]; ok {
		return e.result()
	}
	return c.lookupMiss(ctx, id)
}

// freshen starts a refresh when the snapshot is older than Refresh, and waits for it when older than
// MaxAge.
func (c *Cache) freshen(ctx context.Context) {
	now := c.cfg.Now()
	age := time.Duration(1<<63 - 1)
	if ns := c.refreshed.Load(); ns != 0 {
		age = now.Sub(time.Unix(0, ns))
	}
	if age < c.cfg.Refresh {
		return
	}
	c.mu.Lock()
	if c.flight == nil && (!c.failing || now.Sub(c.failedAt) >= c.cfg.MissInterval) {
		c.flight = make(chan struct{})
		go c.refresh(c.flight)
	}
	fl, failing := c.flight, c.failing
	c.mu.Unlock()
	// While the store is known to be failing, lookups serve the last known keys without waiting:
	// an outage must not add a refresh timeout to every signed request.
	if fl == nil || age < c.cfg.MaxAge || failing {
		return
	}
	select {
	case <-fl:
	case <-ctx.Done():
	}
}

// refresh reads the keys changed since the last refresh (all of them at times) and publishes a new
// snapshot; it closes done when finished. It runs on its own deadline: a lookup whose request ends
// must not abort the refresh others wait for.
func (c *Cache) refresh(done chan struct{}) {
	start := c.cfg.Now()
	c.mu.Lock()
	full := c.watermark.IsZero() || start.Sub(c.fullAt) >= c.cfg.FullEvery
	since := time.Time{}
	if !full {
		since = c.watermark.Add(-overlap)
	}
	c.mu.Unlock()
	ctx, cancel := context.WithTimeout(context.Background(), c.cfg.Timeout)
	docs, err := c.store.changedSince(ctx, since)
	cancel()

	c.mu.Lock()
	defer func() {
		c.flight = nil
		close(done)
		c.mu.Unlock()
	}()
	if err != nil {
		if !c.failing {
			c.cfg.Logger.Warn("api key refresh failed; serving the last known keys", "err", err)
		}
		c.failing, c.failedAt = true, c.cfg.Now()
		return
	}
	if c.failing {
		c.cfg.Logger.Info("api key refresh recovered")
	}
	c.failing = false
	next := map[string]entry{}
	if !full {
		next = maps.Clone(*c.keys.Load())
	}
	for _, d := range docs {
		next[d.ID] = c.entry(d)
		if d.UpdatedAt.After(c.watermark) {
			c.watermark = d.UpdatedAt
		}
	}
	if full {
		c.fullAt = start
	}
	c.keys.Store(&next)
	c.refreshed.Store(start.UnixNano())
}

func (c *Cache) entry(d keyDoc) entry {
	k, err := c.store.verifier(d)
	if err != nil {
		// Never the secret; the key id and the reason only.
		c.cfg.Logger.Error("api key cannot be unsealed: is OMS_KEY_ENCRYPTION_KEY the one it was sealed with?", "key_id", d.ID, "err", err)
		return entry{key: auth.Key{ID: d.ID}, err: err}
	}
	return entry{key: k}
}

// lookupMiss asks the store for an id the snapshot lacks, at most once per MissInterval per id.
func (c *Cache) lookupMiss(ctx context.Context, id string) (auth.Key, error) {
	now := c.cfg.Now()
	c.mu.Lock()
	if m := c.misses[id]; m != nil && now.Sub(m.at) < c.cfg.MissInterval {
		c.mu.Unlock()
		return m.wait(ctx)
	}
	m := &miss{at: now, done: make(chan struct{})}
	c.misses[id] = m
	c.pruneMisses(now)
	c.mu.Unlock()

	qctx, cancel := context.WithTimeout(ctx, c.cfg.Timeout)
	d, err := c.store.get(qctx, id)
	cancel()
	c.mu.Lock()
	switch {
	case errors.Is(err, ErrNotFound):
		m.err = auth.ErrUnknown
	case err != nil:
		m.err = fmt.Errorf("look up key %s: %w: %v", id, ErrUnavailable, err)
	default:
		m.found, m.entry = true, c.entry(d)
		next := maps.Clone(*c.keys.Load())
		next[id] = m.entry
		c.keys.Store(&next)
		delete(c.misses, id)
	}
	close(m.done)
	c.mu.Unlock()
	return m.wait(ctx)
}

func (m *miss) wait(ctx context.Context) (auth.Key, error) {
	select {
	case <-m.done:
	case <-ctx.Done():
		return auth.Key{}, fmt.Errorf("look up key: %w: %v", ErrUnavailable, ctx.Err())
	}
	if m.found {
		return m.entry.result()
	}
	return auth.Key{}, m.err
}

// pruneMisses forgets finished lookups older than MissInterval once many ids were looked up, so
// requests with made-up key ids cannot grow the map without bound.
func (c *Cache) pruneMisses(now time.Time) {
	if len(c.misses) < 4096 {
		return
	}
	for id, m := range c.misses {
		select {
		case <-m.done:
			if now.Sub(m.at) >= c.cfg.MissInterval {
				delete(c.misses, id)
			}
		default:
		}
	}
}
