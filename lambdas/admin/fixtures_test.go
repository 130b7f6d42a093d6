package admin_test

import (
	"bytes"
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
)

var update = flag.Bool("update", false, "rewrite testdata/ from the fixture table")

// SignedAt is when the fixtures were signed; handler tests run their clock there.
var signedAt = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

// The admin target group of the estate, as the ALB names it in requests.
const targetGroupARN = "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/oms-dev-admin/2b7f4c1d9e3a5f60"

// fixtureKeys: an operator's admin key and a trader's key without the admin scope.
var fixtureKeys = []auth.Key{
	{ID: "key-ops", Secret: []byte("sk-ops-7c1e9a3f5b2d4e6a"), Account: "ops", Scopes: []auth.Scope{auth.ScopeAdmin, auth.ScopeRead}},
	{ID: "key-a", Secret: []byte("sk-a-3f9c1d7e5b2a4c68"), Account: "acct-a", Scopes: []auth.Scope{auth.ScopeTrade, auth.ScopeRead}},
}

type fixture struct {
	method, path, body string
	key                int // index into fixtureKeys
	forge              bool
}

// fixtures are the recorded requests; their expected answers live with the handler tests that run
// them on the real store and broker (hotpath/internal/edges/admin_test.go).
var fixtures = map[string]fixture{
	"whoami.json":                  {"GET", "/api/admin/whoami", "", 0, false},
	"whoami-trader.json":           {"GET", "/api/admin/whoami", "", 1, false},
	"forged-signature.json":        {"GET", "/api/admin/whoami", "", 0, true},
	"trading-state.json":           {"GET", "/api/admin/trading-state", "", 0, false},
	"halt-global.json":             {"POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"HALTED","reason":"exchange incident"}`, 0, false},
	"reduce-account.json":          {"POST", "/api/admin/trading-state", `{"scope":"ACCOUNT","target":"acct-a","state":"REDUCING","reason":"margin call"}`, 0, false},
	"halt-symbol.json":             {"POST", "/api/admin/trading-state", `{"scope":"SYMBOL","target":"BTC/USD","state":"HALTED","reason":"bad prints"}`, 0, false},
	"resume-global.json":           {"POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"ACTIVE","reason":"incident over"}`, 0, false},
	"halt-invalid-state.json":      {"POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"STOPPED","reason":"typo"}`, 0, false},
	"halt-unknown-account.json":    {"POST", "/api/admin/trading-state", `{"scope":"ACCOUNT","target":"ghost","state":"HALTED","reason":"typo"}`, 0, false},
	"halt-by-trader.json":          {"POST", "/api/admin/trading-state", `{"scope":"GLOBAL","state":"HALTED","reason":"not mine to do"}`, 1, false},
	"accounts.json":                {"GET", "/api/admin/accounts", "", 0, false},
	"accounts-unknown-param.json":  {"GET", "/api/admin/accounts?status=ACTIVE", "", 0, false},
	"create-account.json":          {"POST", "/api/admin/accounts", `{"accountId":"acct-new","name":"New desk"}`, 0, false},
	"create-account-invalid.json":  {"POST", "/api/admin/accounts", `{"accountId":"bad id!","name":"x"}`, 0, false},
	"risk-limits.json":             {"GET", "/api/admin/accounts/acct-a/risk-limits", "", 0, false},
	"set-risk-limits.json":         {"PUT", "/api/admin/accounts/acct-a/risk-limits", `{"maxOrderNotional":"5000","maxOrderQty":{"BTC/USD":"0.5"},"maxOrdersPerSec":20}`, 0, false},
	"set-risk-limits-invalid.json": {"PUT", "/api/admin/accounts/acct-a/risk-limits", `{"priceCollarPct":"150"}`, 0, false},
	"api-keys.json":                {"GET", "/api/admin/api-keys?accountId=acct-a", "", 0, false},
	"create-api-key.json":          {"POST", "/api/admin/api-keys", `{"accountId":"acct-a","scopes":["trade","read"],"label":"bot 1"}`, 0, false},
	"rotate-unknown-key.json":      {"POST", "/api/admin/api-keys/key-00000000000000000000/rotate", "", 0, false},
	"revoke-unknown-key.json":      {"DELETE", "/api/admin/api-keys/key-00000000000000000000", "", 0, false},
	"audit.json":                   {"GET", "/api/admin/audit?limit=5", "", 0, false},
	"audit-bad-action.json":        {"GET", "/api/admin/audit?action=NOPE", "", 0, false},
	"audit-by-trader.json":         {"GET", "/api/admin/audit", "", 1, false},
}

func (f fixture) request() events.ALBTargetGroupRequest {
	req := lambdatest.ALBRequest(f.method, f.path)
	req.RequestContext.ELB.TargetGroupArn = targetGroupARN
	if f.body != "" {
		req.Body = f.body
		req.Headers["content-type"] = "application/json"
		req.Headers["content-length"] = strconv.Itoa(len(f.body))
	}
	k := fixtureKeys[f.key]
	if f.forge {
		k.Secret = []byte("not-the-secret-of-key-ops")
	}
	lambdatest.Sign(&req, k, signedAt)
	return req
}

func keyFile() []byte {
	type entry struct {
		ID      string   `json:"id"`
		Secret  string   `json:"secret"`
		Account string   `json:"account"`
		Scopes  []string `json:"scopes"`
	}
	var out []entry
	for _, k := range fixtureKeys {
		e := entry{ID: k.ID, Secret: string(k.Secret), Account: string(k.Account)}
		for _, s := range k.Scopes {
			e.Scopes = append(e.Scopes, string(s))
		}
		out = append(out, e)
	}
	b, err := lambdatest.Encode(out)
	if err != nil {
		panic(err)
	}
	return b
}

// TestFixturesAreCurrent keeps testdata/ equal to the table above, signed with the domain's auth code.
// After a deliberate change, rewrite them with `go test ./lambdas/admin -run TestFixtures -update`
// and review the diff.
func TestFixturesAreCurrent(t *testing.T) {
	files := map[string][]byte{"keys.json": keyFile()}
	for name, f := range fixtures {
		b, err := lambdatest.Encode(f.request())
		if err != nil {
			t.Fatal(err)
		}
		files[name] = b
	}
	names := make([]string, 0, len(files))
	for n := range files {
		names = append(names, n)
	}
	sort.Strings(names)
	for _, name := range names {
		want := files[name]
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
				t.Errorf("%s differs from the fixture table; rerun with -update and review the diff", path)
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
			if req.Headers["x-oms-timestamp"] != strconv.FormatInt(signedAt.UnixMilli(), 10) || req.RequestContext.ELB.TargetGroupArn != targetGroupARN {
				t.Errorf("not a request signed at %s for the admin target group: %+v", signedAt, req)
			}
		})
	}
	// Every file in testdata/ is in the table: a stale fixture would run against nothing.
	entries, err := os.ReadDir("testdata")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		if _, ok := files[e.Name()]; !ok && filepath.Ext(e.Name()) == ".json" {
			t.Errorf("testdata/%s is not in the fixture table", e.Name())
		}
	}
}
