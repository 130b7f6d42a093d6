package marketquery_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the requests in this file")

// The market-query target group of the estate, as the ALB names it in requests.
const targetGroupARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/oms-dev-market-query/0b6f8e2d41c7a935"

// fixtures are the ALB requests of testdata/, by file name. They read the market that
// lambdas/marketingest/testdata/batch.json leaves; the answers, worked out by hand, are checked in
// hotpath/internal/edges. Market data is public: none is signed.
func fixtures() map[string]events.ALBTargetGroupRequest {
	get := func(pathAndQuery string) events.ALBTargetGroupRequest {
		r := lambdatest.ALBRequest("GET", pathAndQuery)
		r.RequestContext.ELB.TargetGroupArn = targetGroupARN
		return r
	}
	return map[string]events.ALBTargetGroupRequest{
		"prices.json":            get("/api/market-data/prices"),
		"price.json":             get("/api/market-data/prices/BTC%2FUSD"),
		"candlestick.json":       get("/api/market-data/candlestick/BTC-USD?interval=1m&limit=5"),
		"candles.json":           get("/api/market-data/candles/ETH-USD"),
		"orderbook.json":         get("/api/market-data/orderbook/BTC-USD?depth=1"),
		"trades.json":            get("/api/market-data/trades/BTC-USD?limit=2"),
		"bad-interval.json":      get("/api/market-data/candlestick/BTC-USD?interval=7m"),
		"bad-limit.json":         get("/api/market-data/candlestick/BTC-USD?limit=1001"),
		"unknown-parameter.json": get("/api/market-data/trades/BTC-USD?since=0"),
		"unknown-symbol.json":    get("/api/market-data/prices/DOGE-USD"),
	}
}

// TestFixturesAreCurrent keeps the recorded ALB requests in testdata/ equal to fixtures(). After a
// deliberate change, rewrite them with `go test ./lambdas/marketquery -run TestFixtures -update` and
// review the diff.
func TestFixturesAreCurrent(t *testing.T) {
	for name, req := range fixtures() {
		t.Run(name, func(t *testing.T) {
			want, err := lambdatest.Encode(req)
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
				t.Errorf("%s differs from fixtures(); rerun with -update and review the diff", path)
			}
			var back events.ALBTargetGroupRequest
			if err := json.Unmarshal(got, &back); err != nil {
				t.Fatal(err)
			}
			if back.HTTPMethod != "GET" || back.RequestContext.ELB.TargetGroupArn != targetGroupARN || back.Headers["x-forwarded-for"] == "" {
				t.Errorf("not an ALB request to market-query: %+v", back)
			}
		})
	}
}
