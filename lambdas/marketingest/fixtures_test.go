package marketingest_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the scenario in this file")

// t0 is when the fixture market opens (the same instant as lambdatest.T0).
var t0 = time.Date(2026, 11, 25, 6, 0, 0, 0, time.UTC)

// tick is one fixture tick with a two-level book: the second level one unit further out, size 3.
func tick(sym string, seq uint64, at time.Duration, bid, ask, last, vol string) oms.PriceTick {
	d := money.MustParse
	t := oms.PriceTick{Symbol: instrument.Symbol(sym), Seq: seq, Time: t0.Add(at), Volume: d(vol)}
	b, a := d(bid), d(ask)
	t.Bids = []oms.Level{{Price: b, Size: d("1.5")}, {Price: b.Sub(d("1")), Size: d("3")}}
	t.Asks = []oms.Level{{Price: a, Size: d("2")}, {Price: a.Add(d("1")), Size: d("3")}}
	if last != "" {
		t.Last, t.LastSize = d(last), d("0.1")
	}
	return t
}

// The fixture market: BTC-USD (partition 0) and ETH-USD (partition 1) over the first two minutes.
// The expected candles, trades and 24h figures, worked out by hand, are in hotpath/internal/edges.
func scenario() (btc, eth []oms.PriceTick) {
	btc = []oms.PriceTick{
		tick("BTC-USD", 1, 10*time.Second, "100", "101", "", "0"),      // first tick: no print, mid 100.5
		tick("BTC-USD", 2, 20*time.Second, "100", "102", "102", "0.5"), // buy 0.5 at 102
		tick("BTC-USD", 3, 50*time.Second, "99", "100", "99", "0.8"),   // sell 0.3 at 99
		tick("BTC-USD", 4, 65*time.Second, "101", "103", "99", "0.8"),  // no print: mid 102
		tick("BTC-USD", 5, 90*time.Second, "101", "103", "103", "1.8"), // buy 1 at 103
	}
	eth = []oms.PriceTick{
		tick("ETH-USD", 1, 15*time.Second, "2000", "2001", "", "10"),       // first tick: no print, mid 2000.5
		tick("ETH-USD", 2, 25*time.Second, "2000", "2001", "2001", "12"),   // buy 2 at 2001
		tick("ETH-USD", 3, 70*time.Second, "1999", "2000", "1999", "12.5"), // sell 0.5 at 1999
	}
	return btc, eth
}

// Where the fixture log starts on each partition: the topic has history before it.
var firstOffset = map[int32]int64{0: 5000, 1: 3100}

func records(ticks []oms.PriceTick, part int32, from int) []lambdatest.Record {
	out := make([]lambdatest.Record, 0, len(ticks))
	for i, t := range ticks {
		out = append(out, lambdatest.Record{Topic: oms.TopicPrices, Partition: part, Offset: firstOffset[part] + int64(from+i),
			Key: []byte(t.Symbol), Value: oms.AppendTick(nil, t), Time: t.Time})
	}
	return out
}

// Poison are the records poison.json adds to partition 0 after the BTC ticks, in order: cut-off
// JSON, a symbol outside the catalog, a tick without a sequence number and a tombstone.
var Poison = [][]byte{
	[]byte(`{"symbol":"BTC-USD","seq":6,"bids":[["100","1"]`),
	oms.AppendTick(nil, tick("DOGE-USD", 1, 30*time.Second, "2", "3", "", "0")),
	oms.AppendTick(nil, tick("BTC-USD", 0, 95*time.Second, "101", "103", "103", "1.8")),
	nil,
}

func fixtures() map[string]events.KafkaEvent {
	btc, eth := scenario()
	all := append(records(btc, 0, 0), records(eth, 1, 0)...)
	first := append(records(btc[:3], 0, 0), records(eth[:2], 1, 0)...)
	second := append(records(btc[3:], 0, 3), records(eth[2:], 1, 2)...)
	poison := append(records(btc, 0, 0), records(eth, 1, 0)...)
	for i, v := range Poison {
		poison = append(poison, lambdatest.Record{Topic: oms.TopicPrices, Partition: 0, Offset: firstOffset[0] + int64(len(btc)+i),
			Key: []byte("BTC-USD"), Value: v, Time: t0.Add(95 * time.Second)})
	}
	return map[string]events.KafkaEvent{
		"batch.json":   lambdatest.MSKEvent(all),
		"batch-1.json": lambdatest.MSKEvent(first),
		"batch-2.json": lambdatest.MSKEvent(second),
		"poison.json":  lambdatest.MSKEvent(poison),
	}
}

// TestFixturesFollowTheCodec keeps the recorded batches in testdata/ true to the domain's tick codec:
// they are regenerated from the scenario above and must match the files byte for byte. After a
// deliberate change, rewrite them with `go test ./lambdas/marketingest -run TestFixtures -update` and
// review the diff. The handler runs on these files against the real store in hotpath/internal/edges.
func TestFixturesFollowTheCodec(t *testing.T) {
	for name, ev := range fixtures() {
		t.Run(name, func(t *testing.T) {
			want, err := lambdatest.Encode(ev)
			if err != nil {
				t.Fatal(err)
			}
			path := filepath.Join("testdata", name)
			if *update {
				if err := os.WriteFile(path, want, 0o644); err != nil {
					t.Fatal(err)
				}
			}
			got, err := os.ReadFile(path)
			if err != nil {
				t.Fatalf("%v (generate it with -update)", err)
			}
			if !bytes.Equal(got, want) {
				t.Errorf("%s differs from what the codec and the scenario produce now; rerun with -update and review the diff", path)
			}
			var back events.KafkaEvent
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if back.EventSource != "aws:kafka" || back.EventSourceARN == "" || back.BootstrapServers == "" || len(back.Records) == 0 {
				t.Errorf("not an MSK event: %+v", back)
			}
			bad := 0
			for key, recs := range back.Records {
				for _, r := range recs {
					if key != r.Topic+"-"+strconv.FormatInt(r.Partition, 10) {
						t.Errorf("record %s@%d under key %q", r.Topic, r.Offset, key)
					}
					v, err := base64.StdEncoding.DecodeString(r.Value)
					if err != nil {
						t.Fatalf("%s@%d: value is not base64: %v", key, r.Offset, err)
					}
					if tk, err := oms.DecodeTick(v); err != nil || tk.Seq == 0 || tk.Symbol == "DOGE-USD" {
						bad++
					}
				}
			}
			wantBad := 0
			if name == "poison.json" {
				wantBad = len(Poison)
			}
			if bad != wantBad {
				t.Errorf("%d records that are not fixture ticks, want %d", bad, wantBad)
			}
		})
	}
}
