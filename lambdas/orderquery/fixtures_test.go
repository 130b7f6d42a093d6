package orderquery_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

var update = flag.Bool("update", false, "rewrite testdata/ from lambdatest.OrderQueryFixtures")

// TestFixturesAreCurrent keeps the recorded ALB requests in testdata/ (and the key file they are signed
// with) equal to what lambdatest generates: signed with the domain's auth code, for the order ids the
// domain derives. After a deliberate change, rewrite them with
// `go test ./lambdas/orderquery -run TestFixtures -update` and review the diff.
// The handler is run on these files against the real store in hotpath/internal/lambdacheck.
func TestFixturesAreCurrent(t *testing.T) {
	files := map[string][]byte{"keys.json": lambdatest.KeyFile()}
	for name, req := range lambdatest.OrderQueryFixtures() {
		b, err := lambdatest.Encode(req)
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	for name, want := range files {
		t.Run(name, func(t *testing.T) {
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
				t.Errorf("%s differs from what lambdatest generates now; rerun with -update and review the diff", path)
			}
			if name == "keys.json" {
				if _, err := auth.ParseKeyFile(got); err != nil {
					t.Error(err)
				}
				return
			}
			var req events.ALBTargetGroupRequest
			if err := json.Unmarshal(got, &req); err != nil {
				t.Fatal(err)
			}
			if req.HTTPMethod != "GET" || req.RequestContext.ELB.TargetGroupArn == "" || req.Headers["x-oms-signature"] == "" {
				t.Errorf("not a signed ALB request: %+v", req)
			}
		})
	}
}
