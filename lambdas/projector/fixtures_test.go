package projector_test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"strconv"
	"testing"

	"github.com/aws/aws-lambda-go/events"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

var update = flag.Bool("update", false, "rewrite testdata/ from lambdatest.ProjectorFixtures")

// TestFixturesFollowTheCodec keeps the recorded batches in testdata/ true to the domain's codec: they
// are regenerated from the processor's decisions and the report encoder, and must match the files
// byte for byte. After a deliberate change to the codec or the scenario, rewrite them with
// `go test ./lambdas/projector -run TestFixtures -update` and review the diff.
// The handlers are run on these files against the real store in hotpath/internal/lambdacheck.
func TestFixturesFollowTheCodec(t *testing.T) {
	fixtures, err := lambdatest.ProjectorFixtures()
	if err != nil {
		t.Fatal(err)
	}
	for name, ev := range fixtures {
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
			// The file is what the runtime hands the function: it must decode as an MSK batch whose
			// values are execution reports, except the deliberate poison.
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
					if _, err := oms.DecodeReport(v); err != nil {
						bad++
					}
				}
			}
			wantBad := 0
			if name == "poison.json" {
				wantBad = len(lambdatest.Poison)
			}
			if bad != wantBad {
				t.Errorf("%d undecodable records, want %d", bad, wantBad)
			}
		})
	}
}
