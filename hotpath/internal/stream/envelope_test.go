package stream

import (
	"encoding/json"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
)

// The fan-out writes update frames by hand; they must be byte-identical to what frame encodes.
func TestUpdateFrameMatchesFrame(t *testing.T) {
	payload := map[string]any{"price": "100.5", "note": "quote \" and <tag>"}
	tests := []struct {
		channel string
		symbol  instrument.Symbol
		seq     uint64
	}{
		{"ticker", "BTC-USD", 1},
		{"candles:5m", "ETH-USD", 18446744073709551615},
		{"orders", "", 42},
		{`we"ird<ch>`, `S&P`, 7},
	}
	for _, tc := range tests {
		p, err := json.Marshal(payload)
		if err != nil {
			t.Fatal(err)
		}
		got := newEnvelope(tc.channel, tc.symbol).frame(tc.seq, p)
		want, err := json.Marshal(frame{Type: "update", Channel: tc.channel, Symbol: string(tc.symbol), Seq: tc.seq, Data: payload})
		if err != nil {
			t.Fatal(err)
		}
		if string(got) != string(want) {
			t.Errorf("envelope\n got %s\nwant %s", got, want)
		}
	}
}
