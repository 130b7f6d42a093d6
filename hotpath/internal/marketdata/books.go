package marketdata

import (
	"sync"
	"sync/atomic"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
)

// Books caches the latest tick per symbol. The processor reads it on every order while updates arrive
// a few dozen times a second, so reads are one atomic load and a map lookup with no lock, and each
// update publishes a new copy of the map (copy-on-write). The zero value is an empty cache.
type Books struct {
	cur atomic.Pointer[map[instrument.Symbol]*events.PriceTick] // replaced whole, never mutated

	mu      sync.Mutex // serialises writers (Update, Changed) and guards changed; Book never takes it
	changed map[instrument.Symbol]struct{}
}

// NewBooks returns an empty cache.
func NewBooks() *Books { return &Books{} }

// Update stores a copy of t as its symbol's book and reports whether it did. A tick whose Seq is not
// above the cached one is dropped: Kafka may redeliver, and a replayed old tick must not move the
// market backwards.
func (b *Books) Update(t events.PriceTick) bool {
	b.mu.Lock()
	defer b.mu.Unlock()
	var old map[instrument.Symbol]*events.PriceTick
	if p := b.cur.Load(); p != nil {
		old = *p
	}
	if cur, ok := old[t.Symbol]; ok && cur.Seq >= t.Seq {
		return false
	}
	// Copy the levels so the snapshot stays immutable even if the caller reuses its slices.
	if n := len(t.Bids) + len(t.Asks); n > 0 {
		lv := make([]events.Level, n)
		nb := copy(lv, t.Bids)
		copy(lv[nb:], t.Asks)
		t.Bids, t.Asks = lv[:nb:nb], lv[nb:]
	}
	next := make(map[instrument.Symbol]*events.PriceTick, len(old)+1)
	for k, v := range old {
		next[k] = v
	}
	next[t.Symbol] = &t
	b.cur.Store(&next)
	if b.changed == nil {
		b.changed = make(map[instrument.Symbol]struct{})
	}
	b.changed[t.Symbol] = struct{}{}
	return true
}

// Book returns the latest tick of s, or nil before the first. The tick is a shared snapshot: read it,
// never modify it. It is safe to call from any number of goroutines concurrently with Update.
func (b *Books) Book(s instrument.Symbol) *events.PriceTick {
	p := b.cur.Load()
	if p == nil {
		return nil
	}
	return (*p)[s]
}

// Changed returns the symbols updated since the previous call, in no particular order, and forgets
// them; nil when none. The processor calls it once per batch to re-check resting and stop orders only
// where the market moved.
func (b *Books) Changed() []instrument.Symbol {
	b.mu.Lock()
	defer b.mu.Unlock()
	if len(b.changed) == 0 {
		return nil
	}
	out := make([]instrument.Symbol, 0, len(b.changed))
	for s := range b.changed {
		out = append(out, s)
	}
	clear(b.changed)
	return out
}
