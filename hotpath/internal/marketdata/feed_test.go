package marketdata_test

import (
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/marketdata"
)

func newFeed(t *testing.T, seed uint64) *marketdata.Feed {
	f, err := marketdata.NewFeed(marketdata.Config{Seed: seed, Interval: 100 * time.Millisecond, Symbols: marketdata.DefaultSymbols(), Catalog: instrument.Default()})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func TestFeedInvariants(t *testing.T) {
	f := newFeed(t, 7)
	cat := instrument.Default()
	now := time.Unix(0, 0)
	last := map[instrument.Symbol]uint64{}
	for i := 0; i < 5000; i++ {
		now = now.Add(100 * time.Millisecond)
		for _, tk := range f.Step(now) {
			in, _ := cat.Lookup(tk.Symbol)
			if tk.Seq != last[tk.Symbol]+1 {
				t.Fatalf("%s seq %d after %d", tk.Symbol, tk.Seq, last[tk.Symbol])
			}
			last[tk.Symbol] = tk.Seq
			if len(tk.Bids) != 5 || len(tk.Asks) != 5 {
				t.Fatalf("levels %d/%d", len(tk.Bids), len(tk.Asks))
			}
			if !tk.BestBid().LessThan(tk.BestAsk()) {
				t.Fatalf("%s crossed book bid %s ask %s", tk.Symbol, tk.BestBid(), tk.BestAsk())
			}
			for j, l := range append(append([]events.Level{}, tk.Bids...), tk.Asks...) {
				if !l.Price.IsPositive() || !l.Price.IsMultipleOf(in.TickSize) || !l.Size.IsMultipleOf(in.LotSize) || !l.Size.IsPositive() {
					t.Fatalf("%s level %d off grid: %+v", tk.Symbol, j, l)
				}
			}
			for j := 1; j < 5; j++ {
				if !tk.Bids[j].Price.LessThan(tk.Bids[j-1].Price) || !tk.Asks[j].Price.GreaterThan(tk.Asks[j-1].Price) {
					t.Fatalf("%s levels not sorted best first", tk.Symbol)
				}
			}
		}
	}
}

func TestFeedDeterministic(t *testing.T) {
	a, b := newFeed(t, 42), newFeed(t, 42)
	now := time.Unix(100, 0)
	for i := 0; i < 100; i++ {
		ta, tb := a.Step(now), b.Step(now)
		for j := range ta {
			if !ta[j].BestBid().Equal(tb[j].BestBid()) || !ta[j].BestAsk().Equal(tb[j].BestAsk()) {
				t.Fatalf("step %d differs", i)
			}
		}
	}
}

func TestBooks(t *testing.T) {
	b := marketdata.NewBooks()
	b.Update(events.PriceTick{Symbol: "BTC-USD", Seq: 2})
	b.Update(events.PriceTick{Symbol: "BTC-USD", Seq: 1})
	if got := b.Book("BTC-USD"); got == nil || got.Seq != 2 {
		t.Fatalf("stale tick replaced newer: %+v", got)
	}
	if ch := b.Changed(); len(ch) != 1 || ch[0] != "BTC-USD" {
		t.Fatalf("changed %v", ch)
	}
	if ch := b.Changed(); len(ch) != 0 {
		t.Fatalf("changed not cleared: %v", ch)
	}
	if b.Book("ETH-USD") != nil {
		t.Fatal("unknown symbol has a book")
	}
}
