package marketdata_test

import (
	"slices"
	"sync"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
)

func tick(sym instrument.Symbol, seq uint64) events.PriceTick {
	p := money.FromInt(int64(seq))
	return events.PriceTick{Symbol: sym, Seq: seq, Last: p,
		Bids: []events.Level{{Price: p, Size: d("1")}}, Asks: []events.Level{{Price: p.Add(d("1")), Size: d("1")}}}
}

func TestBooksUpdate(t *testing.T) {
	type update struct {
		sym  instrument.Symbol
		seq  uint64
		want bool // Update's result
	}
	tests := []struct {
		name    string
		updates []update
		want    map[instrument.Symbol]uint64 // Seq of each symbol's book; 0: no book
	}{
		{"empty", nil, map[instrument.Symbol]uint64{"BTC-USD": 0}},
		{"first tick", []update{{"BTC-USD", 1, true}}, map[instrument.Symbol]uint64{"BTC-USD": 1, "ETH-USD": 0}},
		{"newer replaces", []update{{"BTC-USD", 1, true}, {"BTC-USD", 5, true}}, map[instrument.Symbol]uint64{"BTC-USD": 5}},
		{"older ignored", []update{{"BTC-USD", 5, true}, {"BTC-USD", 4, false}}, map[instrument.Symbol]uint64{"BTC-USD": 5}},
		{"equal ignored", []update{{"BTC-USD", 5, true}, {"BTC-USD", 5, false}}, map[instrument.Symbol]uint64{"BTC-USD": 5}},
		{"symbols independent", []update{{"BTC-USD", 9, true}, {"ETH-USD", 1, true}, {"ETH-USD", 2, true}},
			map[instrument.Symbol]uint64{"BTC-USD": 9, "ETH-USD": 2, "SOL-USD": 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var b marketdata.Books // the zero value is ready to use
			for _, u := range tt.updates {
				if got := b.Update(tick(u.sym, u.seq)); got != u.want {
					t.Errorf("Update(%s #%d) = %v, want %v", u.sym, u.seq, got, u.want)
				}
			}
			for sym, seq := range tt.want {
				got := b.Book(sym)
				switch {
				case seq == 0 && got != nil:
					t.Errorf("Book(%s) = #%d, want nil", sym, got.Seq)
				case seq != 0 && (got == nil || got.Seq != seq):
					t.Errorf("Book(%s) = %v, want #%d", sym, got, seq)
				}
			}
		})
	}
}

// TestBooksSnapshotIsolated checks that neither the caller's later writes to its tick nor a newer
// Update change a snapshot a reader already holds.
func TestBooksSnapshotIsolated(t *testing.T) {
	b := marketdata.NewBooks()
	in := tick("BTC-USD", 1)
	b.Update(in)
	held := b.Book("BTC-USD")
	in.Bids[0].Price = d("999")
	in.Asks[0] = events.Level{Price: d("1000"), Size: d("5")}
	b.Update(tick("BTC-USD", 2))
	if !held.BestBid().Equal(d("1")) || !held.BestAsk().Equal(d("2")) || held.Seq != 1 {
		t.Fatalf("held snapshot changed: #%d bid %s ask %s", held.Seq, held.BestBid(), held.BestAsk())
	}
}

func TestBooksChanged(t *testing.T) {
	b := marketdata.NewBooks()
	if got := b.Changed(); got != nil {
		t.Fatalf("Changed on an empty cache = %v", got)
	}
	b.Update(tick("BTC-USD", 2))
	b.Update(tick("ETH-USD", 1))
	b.Update(tick("BTC-USD", 1)) // stale: not a change
	got := b.Changed()
	slices.Sort(got)
	if !slices.Equal(got, []instrument.Symbol{"BTC-USD", "ETH-USD"}) {
		t.Fatalf("Changed = %v, want [BTC-USD ETH-USD]", got)
	}
	if got := b.Changed(); got != nil {
		t.Fatalf("Changed did not forget: %v", got)
	}
	b.Update(tick("BTC-USD", 2)) // equal Seq: not a change either
	if got := b.Changed(); got != nil {
		t.Fatalf("Changed after a stale update = %v", got)
	}
}

// TestBooksConcurrent races writers, which deliver each symbol's ticks out of order from several
// goroutines, against readers; run it with -race. Readers must only ever see a symbol's Seq move
// forward and a snapshot consistent with its Seq, and the cache must end on the highest Seq.
func TestBooksConcurrent(t *testing.T) {
	const (
		writers = 4
		perSym  = 2_000
		readers = 4
	)
	syms := []instrument.Symbol{"BTC-USD", "ETH-USD", "SOL-USD"}
	b := marketdata.NewBooks()
	stop := make(chan struct{})
	var rw sync.WaitGroup
	for range readers {
		rw.Go(func() {
			seen := make(map[instrument.Symbol]uint64)
			for {
				select {
				case <-stop:
					return
				default:
				}
				for _, s := range syms {
					tk := b.Book(s)
					if tk == nil {
						continue
					}
					if tk.Seq < seen[s] {
						t.Errorf("%s went back from #%d to #%d", s, seen[s], tk.Seq)
						return
					}
					if !tk.Last.Equal(money.FromInt(int64(tk.Seq))) || !tk.BestBid().Equal(tk.Last) {
						t.Errorf("%s #%d torn snapshot: last %s bid %s", s, tk.Seq, tk.Last, tk.BestBid())
						return
					}
					seen[s] = tk.Seq
				}
				_ = b.Changed()
			}
		})
	}
	var ww sync.WaitGroup
	for w := range writers {
		ww.Go(func() {
			// Writer w delivers Seqs w+1, w+1+writers, ... so the writers interleave and each
			// symbol sees late, stale ticks.
			for seq := uint64(w + 1); seq <= perSym; seq += writers {
				for _, s := range syms {
					b.Update(tick(s, seq))
				}
			}
		})
	}
	ww.Wait()
	close(stop)
	rw.Wait()
	for _, s := range syms {
		if got := b.Book(s); got == nil || got.Seq != perSym {
			t.Errorf("Book(%s) ended on %v, want #%d", s, got, perSym)
		}
	}
}

func BenchmarkBooksBook(b *testing.B) {
	books := marketdata.NewBooks()
	syms := []instrument.Symbol{"BTC-USD", "ETH-USD", "SOL-USD"}
	for _, s := range syms {
		books.Update(tick(s, 1))
	}
	b.Run("serial", func(b *testing.B) {
		b.ReportAllocs()
		i := 0
		for b.Loop() {
			if books.Book(syms[i%len(syms)]) == nil {
				b.Fatal("no book")
			}
			i++
		}
	})
	b.Run("parallel", func(b *testing.B) {
		b.ReportAllocs()
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if books.Book(syms[i%len(syms)]) == nil {
					b.Fatal("no book")
				}
				i++
			}
		})
	})
	b.Run("parallel with updates", func(b *testing.B) {
		// A writer at a realistic rate would barely register; this one updates as fast as it can to
		// show the copy-on-write map does not slow readers. No ReportAllocs: the writer's copies
		// would be counted against the reads.
		stop := make(chan struct{})
		var wg sync.WaitGroup
		wg.Go(func() {
			for seq := uint64(2); ; seq++ {
				select {
				case <-stop:
					return
				default:
					books.Update(tick(syms[seq%3], seq))
				}
			}
		})
		b.RunParallel(func(pb *testing.PB) {
			i := 0
			for pb.Next() {
				if books.Book(syms[i%len(syms)]) == nil {
					b.Fatal("no book")
				}
				i++
			}
		})
		close(stop)
		wg.Wait()
	})
}
