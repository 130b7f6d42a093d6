package lambdatest_test

import (
	"encoding/base64"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

func TestSignedRequestsVerify(t *testing.T) {
	k := lambdatest.Keys()["key-a"]
	now := time.Date(2026, 11, 25, 6, 10, 0, 0, time.UTC)
	tests := []struct{ pathAndQuery, signed string }{
		{"/api/orders", "/api/orders"},
		{"/api/orders?status=open&limit=5", "/api/orders?limit=5&status=open"},
		{"/api/orders?from=2026-11-25T06%3A00%3A04Z", "/api/orders?from=2026-11-25T06%3A00%3A04Z"},
	}
	for _, tc := range tests {
		req := lambdatest.ALBRequest("GET", tc.pathAndQuery)
		lambdatest.Sign(&req, k, now)
		if got := lambdatest.SignedPath(req); got != tc.signed {
			t.Errorf("SignedPath(%s) = %s, want %s", tc.pathAndQuery, got, tc.signed)
		}
		err := auth.Verify(k, req.Headers["x-oms-timestamp"], req.Headers["x-oms-signature"], "GET", tc.signed, nil, now, 30*time.Second)
		if err != nil || req.Headers["x-oms-key"] != k.ID {
			t.Errorf("%s: %v", tc.pathAndQuery, err)
		}
	}
}

func TestMSKEventGroupsByPartitionInOffsetOrder(t *testing.T) {
	recs := []lambdatest.Record{
		{Topic: "executions", Partition: 1, Offset: 8, Value: []byte("b")},
		{Topic: "executions", Partition: 0, Offset: 3, Value: []byte("a"), Key: []byte("k")},
		{Topic: "executions", Partition: 1, Offset: 7, Value: []byte("c"), Headers: []lambdatest.Header{{Key: "h", Value: []byte{1, 2}}}},
	}
	ev := lambdatest.MSKEvent(recs)
	if ev.EventSource != "aws:kafka" || len(ev.Records) != 2 {
		t.Fatalf("%+v", ev)
	}
	p1 := ev.Records["executions-1"]
	if len(p1) != 2 || p1[0].Offset != 7 || p1[1].Offset != 8 || len(p1[0].Headers) != 1 || string(p1[0].Headers[0]["h"]) != "\x01\x02" {
		t.Errorf("partition 1: %+v", p1)
	}
	p0 := ev.Records["executions-0"][0]
	if v, _ := base64.StdEncoding.DecodeString(p0.Value); string(v) != "a" || p0.Key != base64.StdEncoding.EncodeToString([]byte("k")) {
		t.Errorf("partition 0: %+v", p0)
	}
}

// The scenario is the processor's decisions: replaying its log on fresh accounts is accepted in full
// and gives the same balances.
func TestScenarioReplays(t *testing.T) {
	d, err := lambdatest.Scenario()
	if err != nil {
		t.Fatal(err)
	}
	replay := lambdatest.NewDesk(lambdatest.FundingAmounts())
	for _, r := range d.Reports {
		if err := replay.Account(r.Account).Apply(r); err != nil {
			t.Fatalf("replay %s: %v", r.ExecID, err)
		}
		back, err := oms.DecodeReport(oms.AppendReport(nil, r))
		if err != nil || back.ExecID != r.ExecID || !back.CumQty.Equal(r.CumQty) {
			t.Fatalf("codec round trip of %s: %v", r.ExecID, err)
		}
	}
	for _, a := range []string{"acct-a", "acct-b", "acct-c"} {
		want, got := d.Account(order.AccountID(a)).Balances(), replay.Account(order.AccountID(a)).Balances()
		for asset, b := range want {
			if !got[asset].Total.Equal(b.Total) || !got[asset].Reserved.Equal(b.Reserved) {
				t.Errorf("%s %s: replay %+v, live %+v", a, asset, got[asset], b)
			}
		}
	}
}
