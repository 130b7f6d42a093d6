package edges_test

import (
	"context"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync/atomic"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"
	"github.com/twmb/franz-go/pkg/kgo"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/admin"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
	"github.com/crypto-oms/crypto-oms/lambdas/controlbus"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// adminSignedAt is when lambdas/admin/testdata was signed (its fixture test checks every file).
var adminSignedAt = time.Date(2026, 11, 25, 9, 30, 0, 0, time.UTC)

func adminFixture(t testing.TB, name string) events.ALBTargetGroupRequest {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "lambdas", "admin", "testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	var req events.ALBTargetGroupRequest
	if err := json.Unmarshal(b, &req); err != nil {
		t.Fatalf("%s: %v", name, err)
	}
	return req
}

func adminFixtureKeys(t testing.TB) map[string]auth.Key {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "..", "..", "lambdas", "admin", "testdata", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	keys, err := auth.ParseKeyFile(b)
	if err != nil {
		t.Fatal(err)
	}
	return keys
}

// adminEnv is the admin handler as its main builds it, on a real store and broker. Its clock starts
// at the fixtures' signing time and moves a millisecond per reading, so audit entries have distinct,
// ordered times.
type adminEnv struct {
	h       *admin.Handler
	store   *adminstore.Store
	keys    *keystore.Store
	cache   *keystore.Cache
	kafka   *embedded.Kafka
	st      *embedded.Store
	control *controlbus.Producer
	static  map[string]auth.Key
}

func newAdminEnv(t *testing.T, st *embedded.Store, db string) *adminEnv {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	e := &adminEnv{st: st, static: adminFixtureKeys(t)}
	e.kafka = testenv.Kafka(t, map[string]int32{oms.TopicControl: 1})
	// As lambdas/admin/cmd connects: a store outage answers within the server selection timeout.
	cl, err := mongo.Connect(options.Client().ApplyURI(st.URI()).SetTimeout(10 * time.Second).SetServerSelectionTimeout(2 * time.Second))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	sealer, err := keystore.NewSealer([]byte(strings.Repeat("k", 32)))
	if err != nil {
		t.Fatal(err)
	}
	if e.store, err = adminstore.New(ctx, cl.Database(db)); err != nil {
		t.Fatal(err)
	}
	if e.keys, err = keystore.NewStore(ctx, cl.Database(db), sealer); err != nil {
		t.Fatal(err)
	}
	for _, k := range e.static {
		if err := e.store.EnsureAccount(ctx, adminstore.Account{ID: k.Account, Name: string(k.Account), Status: "ACTIVE", CreatedAt: adminSignedAt, CreatedBy: "bootstrap"}); err != nil {
			t.Fatal(err)
		}
	}
	e.cache = keystore.NewCache(e.keys, keystore.CacheConfig{Static: e.static, Logger: testenv.Logger(t)})
	if e.control, err = controlbus.New(e.kafka.Addrs(), time.Second); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(e.control.Close)
	var tick atomic.Int64
	e.h = admin.New(admin.Config{
		Store: e.store, Keys: e.keys, Verify: e.cache, Control: e.control, Catalog: instrument.Default(),
		Defaults: account.DefaultLimits(), Logger: testenv.Logger(t),
		Now: func() time.Time { return adminSignedAt.Add(time.Duration(tick.Add(1)) * time.Millisecond) },
	})
	return e
}

type answer struct {
	status int
	body   map[string]any
	raw    string
}

func (e *adminEnv) call(t *testing.T, req events.ALBTargetGroupRequest) answer {
	t.Helper()
	resp, err := e.h.Handle(context.Background(), req)
	if err != nil {
		t.Fatalf("invocation failed: %v", err)
	}
	var m map[string]any
	if err := json.Unmarshal([]byte(resp.Body), &m); err != nil {
		t.Fatalf("non-JSON answer %d %q", resp.StatusCode, resp.Body)
	}
	if resp.Headers["Content-Type"] != "application/json" {
		t.Errorf("content type %q", resp.Headers["Content-Type"])
	}
	return answer{resp.StatusCode, m, resp.Body}
}

// signedReq is a request the fixtures do not cover, signed like them.
func signedReq(k auth.Key, method, pathQuery, body string, at time.Time) events.ALBTargetGroupRequest {
	req := lambdatest.ALBRequest(method, pathQuery)
	req.Body = body
	lambdatest.Sign(&req, k, at)
	return req
}

// controlRecords reads every command on `control`.
func controlRecords(t *testing.T, brokers []string) []oms.Control {
	t.Helper()
	cl, err := kgo.NewClient(kgo.SeedBrokers(brokers...), kgo.ConsumeTopics(oms.TopicControl), kgo.ConsumeResetOffset(kgo.NewOffset().AtStart()))
	if err != nil {
		t.Fatal(err)
	}
	defer cl.Close()
	var out []oms.Control
	for {
		ctx, cancel := context.WithTimeout(context.Background(), 500*time.Millisecond)
		fs := cl.PollFetches(ctx)
		cancel()
		n := 0
		fs.EachRecord(func(r *kgo.Record) {
			n++
			c, err := oms.DecodeControl(r.Value)
			if err != nil {
				t.Errorf("undecodable control record %s: %v", r.Value, err)
				return
			}
			if string(r.Key) != c.Key() {
				t.Errorf("control record keyed %q, want %q", r.Key, c.Key())
			}
			out = append(out, c)
		})
		if n == 0 {
			return out
		}
	}
}

// TestAdminFixtures runs every recorded request through the handler on FerretDB and kfake, in an
// order that tells a story, and then checks the control topic and the audit log it left.
func TestAdminFixtures(t *testing.T) {
	e := newAdminEnv(t, testenv.Store(t), "admin")
	type step struct {
		fixture string
		status  int
		code    string // error code, or "" for success
		check   func(t *testing.T, a answer)
	}
	field := func(k string, want any) func(*testing.T, answer) {
		return func(t *testing.T, a answer) {
			t.Helper()
			if !cmp.Equal(a.body[k], want) {
				t.Errorf("%s = %#v, want %#v (body %s)", k, a.body[k], want, a.raw)
			}
		}
	}
	all := func(fs ...func(*testing.T, answer)) func(*testing.T, answer) {
		return func(t *testing.T, a answer) {
			for _, f := range fs {
				f(t, a)
			}
		}
	}
	entries := func(k string, n int) func(*testing.T, answer) {
		return func(t *testing.T, a answer) {
			if l, ok := a.body[k].([]any); !ok || len(l) != n {
				t.Errorf("%s has %v, want %d entries (body %s)", k, a.body[k], n, a.raw)
			}
		}
	}
	var keyID string
	steps := []step{
		{"whoami.json", 200, "", all(field("keyId", "key-ops"), field("accountId", "ops"), field("scopes", []any{"admin", "read"}))},
		{"whoami-trader.json", 200, "", field("accountId", "acct-a")},
		{"forged-signature.json", 401, "INVALID_SIGNATURE", nil},
		{"trading-state.json", 200, "", all(entries("accounts", 0), entries("symbols", 0), func(t *testing.T, a answer) {
			if g := a.body["global"].(map[string]any); g["state"] != "ACTIVE" || g["at"] != nil {
				t.Errorf("global before any command: %v", g)
			}
		})},
		{"halt-global.json", 202, "", all(field("scope", "GLOBAL"), field("state", "HALTED"), field("by", "key-ops"), field("reason", "exchange incident"))},
		{"halt-symbol.json", 202, "", all(field("target", "BTC-USD"), field("state", "HALTED"))},
		{"reduce-account.json", 202, "", all(field("target", "acct-a"), field("state", "REDUCING"))},
		{"halt-unknown-account.json", 404, "ACCOUNT_NOT_FOUND", nil},
		{"halt-invalid-state.json", 400, "INVALID_STATE", field("field", "state")},
		{"halt-by-trader.json", 403, "FORBIDDEN", field("msg", "admin scope required")},
		{"trading-state.json", 200, "", all(entries("accounts", 1), entries("symbols", 1), func(t *testing.T, a answer) {
			g, acct, sym := a.body["global"].(map[string]any), a.body["accounts"].([]any)[0].(map[string]any), a.body["symbols"].([]any)[0].(map[string]any)
			if g["state"] != "HALTED" || acct["state"] != "REDUCING" || acct["target"] != "acct-a" || sym["state"] != "HALTED" || sym["target"] != "BTC-USD" {
				t.Errorf("states: %s", a.raw)
			}
			if at, _ := g["at"].(string); !strings.HasSuffix(at, "Z") || len(at) != len("2026-11-25T09:30:00.000Z") {
				t.Errorf("at %q is not RFC 3339 UTC with milliseconds", at)
			}
		})},
		{"resume-global.json", 202, "", field("state", "ACTIVE")},
		{"accounts.json", 200, "", func(t *testing.T, a answer) {
			ids := []string{}
			for _, x := range a.body["accounts"].([]any) {
				ids = append(ids, x.(map[string]any)["accountId"].(string))
			}
			if !cmp.Equal(ids, []string{"acct-a", "ops"}) {
				t.Errorf("accounts %v", ids)
			}
		}},
		{"create-account.json", 201, "", all(field("accountId", "acct-new"), field("name", "New desk"), field("status", "ACTIVE"), field("createdBy", "key-ops"))},
		{"create-account.json", 409, "ACCOUNT_EXISTS", nil},
		{"create-account-invalid.json", 400, "INVALID_ACCOUNT_ID", nil},
		{"accounts-unknown-param.json", 400, "UNKNOWN_PARAMETER", field("field", "status")},
		{"risk-limits.json", 200, "", all(field("source", "DEFAULT"), field("maxOrderNotional", "1000000"), field("priceCollarPct", "10"), field("updatedAt", nil),
			field("maxOrderQty", map[string]any{"BTC-USD": "50", "ETH-USD": "500", "SOL-USD": "20000"}))},
		{"set-risk-limits.json", 200, "", all(field("source", "SET"), field("maxOrderNotional", "5000"), field("maxOrdersPerSec", 20.0),
			field("maxOrderQty", map[string]any{"BTC-USD": "0.5"}), field("priceCollarPct", "10"), field("updatedBy", "key-ops"))},
		{"risk-limits.json", 200, "", all(field("source", "SET"), field("maxOrderNotional", "5000"), field("maxOrderQty", map[string]any{"BTC-USD": "0.5"}),
			field("maxPosition", map[string]any{"BTC-USD": "100", "ETH-USD": "1000", "SOL-USD": "50000"}))},
		{"set-risk-limits-invalid.json", 400, "INVALID_LIMIT", field("field", "priceCollarPct")},
		{"api-keys.json", 200, "", entries("keys", 0)},
		{"create-api-key.json", 201, "", func(t *testing.T, a answer) {
			secret, _ := a.body["secret"].(string)
			keyID, _ = a.body["keyId"].(string)
			if len(secret) != 64 || a.body["status"] != "ACTIVE" || a.body["accountId"] != "acct-a" || a.body["label"] != "bot 1" || a.body["revokedAt"] != nil || !strings.HasPrefix(keyID, "key-") {
				t.Errorf("created key %s", a.raw)
			}
		}},
		{"api-keys.json", 200, "", all(entries("keys", 1), func(t *testing.T, a answer) {
			k := a.body["keys"].([]any)[0].(map[string]any)
			if _, has := k["secret"]; has || k["keyId"] != keyID {
				t.Errorf("listed key %v", k)
			}
		})},
		{"rotate-unknown-key.json", 404, "KEY_NOT_FOUND", nil},
		{"revoke-unknown-key.json", 404, "KEY_NOT_FOUND", nil},
		{"audit-bad-action.json", 400, "INVALID_ACTION", nil},
		{"audit-by-trader.json", 403, "FORBIDDEN", nil},
		{"audit.json", 200, "", all(entries("entries", 5), func(t *testing.T, a answer) {
			if c, _ := a.body["nextCursor"].(string); c == "" {
				t.Errorf("no next cursor: %s", a.raw)
			}
		})},
	}
	for i, s := range steps {
		t.Run(fmt.Sprintf("%02d-%s", i, s.fixture), func(t *testing.T) {
			a := e.call(t, adminFixture(t, s.fixture))
			if a.status != s.status || (s.code != "" && a.body["code"] != s.code) {
				t.Fatalf("%d %s, want %d %s", a.status, a.raw, s.status, s.code)
			}
			if s.check != nil {
				s.check(t, a)
			}
		})
	}

	// The control topic holds exactly the acknowledged commands, in order.
	var got []string
	for _, c := range controlRecords(t, e.kafka.Addrs()) {
		got = append(got, fmt.Sprintf("%s %s/%s %s by %s", c.Kind, c.Scope, c.Target, c.State, c.By))
	}
	want := []string{
		"TRADING_STATE GLOBAL/ HALTED by key-ops", "TRADING_STATE SYMBOL/BTC-USD HALTED by key-ops",
		"TRADING_STATE ACCOUNT/acct-a REDUCING by key-ops", "TRADING_STATE GLOBAL/ ACTIVE by key-ops",
		"LIMITS ACCOUNT/acct-a UNKNOWN by key-ops",
	}
	if diff := cmp.Diff(want, got); diff != "" {
		t.Errorf("control topic (-want +got):\n%s", diff)
	}

	// The audit log, paged newest first, has every mutating call with its result, refusals included.
	ops := e.static["key-ops"]
	var trail []string
	cursor := ""
	for page := 0; ; page++ {
		path := "/api/admin/audit?limit=4"
		if cursor != "" {
			path += "&cursor=" + cursor
		}
		a := e.call(t, signedReq(ops, "GET", path, "", adminSignedAt))
		if a.status != 200 {
			t.Fatalf("audit page %d: %s", page, a.raw)
		}
		for _, x := range a.body["entries"].([]any) {
			en := x.(map[string]any)
			trail = append(trail, fmt.Sprintf("%s %s %s %s", en["action"], en["result"], en["by"], en["target"]))
			if en["result"] == "OK" && en["action"] == "CREATE_API_KEY" {
				for k, v := range en["details"].(map[string]any) {
					if len(fmt.Sprint(v)) == 64 {
						t.Errorf("audit detail %s looks like a secret: %v", k, v)
					}
				}
			}
		}
		next, _ := a.body["nextCursor"].(string)
		if next == "" {
			break
		}
		cursor = next
	}
	wantTrail := []string{
		"REVOKE_API_KEY INVALID key-ops key-00000000000000000000",
		"ROTATE_API_KEY INVALID key-ops key-00000000000000000000",
		"CREATE_API_KEY OK key-ops " + keyID,
		"SET_RISK_LIMITS INVALID key-ops acct-a",
		"SET_RISK_LIMITS OK key-ops acct-a",
		"CREATE_ACCOUNT INVALID key-ops ",
		"CREATE_ACCOUNT INVALID key-ops acct-new",
		"CREATE_ACCOUNT OK key-ops acct-new",
		"SET_TRADING_STATE OK key-ops GLOBAL",
		"SET_TRADING_STATE DENIED key-a ",
		"SET_TRADING_STATE INVALID key-ops ",
		"SET_TRADING_STATE INVALID key-ops ACCOUNT/ghost",
		"SET_TRADING_STATE OK key-ops ACCOUNT/acct-a",
		"SET_TRADING_STATE OK key-ops SYMBOL/BTC-USD",
		"SET_TRADING_STATE OK key-ops GLOBAL",
	}
	if diff := cmp.Diff(wantTrail, trail); diff != "" {
		t.Errorf("audit trail, newest first (-want +got):\n%s", diff)
	}
	bad := e.call(t, signedReq(ops, "GET", "/api/admin/audit?cursor=bm90LWEtY3Vyc29y", "", adminSignedAt))
	if bad.status != 400 || bad.body["code"] != "INVALID_CURSOR" {
		t.Errorf("forged cursor: %s", bad.raw)
	}
	byAction := e.call(t, signedReq(ops, "GET", "/api/admin/audit?action=CREATE_ACCOUNT", "", adminSignedAt))
	if l, _ := byAction.body["entries"].([]any); len(l) != 3 {
		t.Errorf("audit filtered by action: %s", byAction.raw)
	}
	// Routing answers: an unknown resource, a method the resource does not serve.
	if a := e.call(t, signedReq(ops, "GET", "/api/admin/nothing", "", adminSignedAt)); a.status != 404 || a.body["code"] != "NOT_FOUND" {
		t.Errorf("unknown path: %s", a.raw)
	}
	if a := e.call(t, signedReq(ops, "DELETE", "/api/admin/accounts", "", adminSignedAt)); a.status != 405 || a.body["code"] != "METHOD_NOT_ALLOWED" {
		t.Errorf("DELETE accounts: %s", a.raw)
	}
}

// TestAdminKeyLifecycleAtTheHandler rotates and revokes a key created here; the handler's own key
// cache must stop accepting the old secret and then the key.
func TestAdminKeyLifecycleAtTheHandler(t *testing.T) {
	e := newAdminEnv(t, testenv.Store(t), "admin")
	ops := e.static["key-ops"]
	body := `{"accountId":"acct-a","scopes":["admin"],"label":"second operator"}`
	created := e.call(t, signedReq(ops, "POST", "/api/admin/api-keys", body, adminSignedAt))
	if created.status != 201 {
		t.Fatalf("create: %s", created.raw)
	}
	k := auth.Key{ID: created.body["keyId"].(string), Secret: []byte(created.body["secret"].(string))}
	if a := e.call(t, signedReq(k, "GET", "/api/admin/whoami", "", adminSignedAt)); a.status != 200 || a.body["accountId"] != "acct-a" || !cmp.Equal(a.body["scopes"], []any{"admin"}) {
		t.Fatalf("new key at whoami: %s", a.raw)
	}
	rotated := e.call(t, signedReq(k, "POST", "/api/admin/api-keys/"+k.ID+"/rotate", "", adminSignedAt))
	if rotated.status != 200 || rotated.body["rotatedAt"] == nil || rotated.body["secret"] == string(k.Secret) {
		t.Fatalf("rotate: %s", rotated.raw)
	}
	fresh := auth.Key{ID: k.ID, Secret: []byte(rotated.body["secret"].(string))}
	start := time.Now()
	waitFor(t, 15*time.Second, "old secret refused", func() bool {
		a := e.call(t, signedReq(k, "GET", "/api/admin/whoami", "", adminSignedAt))
		return a.status == 401 && a.body["code"] == "INVALID_SIGNATURE"
	})
	t.Logf("rotation took effect at this handler after %s", time.Since(start).Round(time.Millisecond))
	if a := e.call(t, signedReq(fresh, "GET", "/api/admin/whoami", "", adminSignedAt)); a.status != 200 {
		t.Fatalf("new secret: %s", a.raw)
	}
	for range 2 { // revoking is idempotent
		a := e.call(t, signedReq(ops, "DELETE", "/api/admin/api-keys/"+k.ID, "", adminSignedAt))
		if a.status != 200 || a.body["status"] != "REVOKED" || a.body["revokedAt"] == nil {
			t.Fatalf("revoke: %s", a.raw)
		}
	}
	start = time.Now()
	waitFor(t, 15*time.Second, "revoked key refused", func() bool {
		a := e.call(t, signedReq(fresh, "GET", "/api/admin/whoami", "", adminSignedAt))
		return a.status == 401 && a.body["code"] == "INVALID_API_KEY"
	})
	t.Logf("revocation took effect at this handler after %s", time.Since(start).Round(time.Millisecond))
	if a := e.call(t, signedReq(ops, "POST", "/api/admin/api-keys/"+k.ID+"/rotate", "", adminSignedAt)); a.status != 409 || a.body["code"] != "KEY_REVOKED" {
		t.Errorf("rotate a revoked key: %s", a.raw)
	}
}

// TestAdminKafkaDown: a command the broker did not acknowledge is a 503, changes nothing, and is
// audited as FAILED.
func TestAdminKafkaDown(t *testing.T) {
	e := newAdminEnv(t, testenv.Store(t), "admin")
	e.kafka.Close()
	start := time.Now()
	a := e.call(t, adminFixture(t, "halt-global.json"))
	if a.status != 503 || a.body["code"] != "KAFKA_UNAVAILABLE" {
		t.Fatalf("halt with Kafka down: %s", a.raw)
	}
	t.Logf("KAFKA_UNAVAILABLE after %s", time.Since(start).Round(time.Millisecond))
	if a := e.call(t, adminFixture(t, "set-risk-limits.json")); a.status != 503 || a.body["code"] != "KAFKA_UNAVAILABLE" {
		t.Fatalf("limits with Kafka down: %s", a.raw)
	}
	st := e.call(t, adminFixture(t, "trading-state.json"))
	if st.body["global"].(map[string]any)["state"] != "ACTIVE" {
		t.Errorf("an unpublished halt was recorded: %s", st.raw)
	}
	if lim := e.call(t, adminFixture(t, "risk-limits.json")); lim.body["source"] != "DEFAULT" {
		t.Errorf("unpublished limits were recorded: %s", lim.raw)
	}
	au := e.call(t, adminFixture(t, "audit.json"))
	es := au.body["entries"].([]any)
	if len(es) != 2 {
		t.Fatalf("audit: %s", au.raw)
	}
	for _, x := range es {
		en := x.(map[string]any)
		if en["result"] != "FAILED" || en["details"].(map[string]any)["code"] != "KAFKA_UNAVAILABLE" {
			t.Errorf("audit entry %v", en)
		}
	}
}

// TestAdminStoreDown: with the store gone, mutations are 503 STORE_UNAVAILABLE before anything is
// published; keys the cache knows still verify, a key it never saw is 503 AUTH_UNAVAILABLE, not 401.
func TestAdminStoreDown(t *testing.T) {
	st := testenv.Store(t)
	e := newAdminEnv(t, st, "admin")
	ops := e.static["key-ops"]
	created := e.call(t, signedReq(ops, "POST", "/api/admin/api-keys", `{"accountId":"ops","scopes":["read"]}`, adminSignedAt))
	if created.status != 201 {
		t.Fatalf("create: %s", created.raw)
	}
	stored := auth.Key{ID: created.body["keyId"].(string), Secret: []byte(created.body["secret"].(string))}
	if a := e.call(t, signedReq(stored, "GET", "/api/admin/whoami", "", adminSignedAt)); a.status != 200 {
		t.Fatalf("stored key before the outage: %s", a.raw)
	}
	st.Stop()
	for _, name := range []string{"halt-global.json", "create-account.json", "set-risk-limits.json", "create-api-key.json"} {
		start := time.Now()
		if a := e.call(t, adminFixture(t, name)); a.status != 503 || a.body["code"] != "STORE_UNAVAILABLE" {
			t.Errorf("%s with the store down: %s", name, a.raw)
		}
		t.Logf("%s with the store down: 503 after %s", name, time.Since(start).Round(time.Millisecond))
	}
	if a := e.call(t, adminFixture(t, "accounts.json")); a.status != 503 || a.body["code"] != "STORE_UNAVAILABLE" {
		t.Errorf("read with the store down: %s", a.raw)
	}
	if cs := controlRecords(t, e.kafka.Addrs()); len(cs) != 0 {
		t.Errorf("published with the store down: %+v", cs)
	}
	if a := e.call(t, signedReq(stored, "GET", "/api/admin/whoami", "", adminSignedAt)); a.status != 200 || a.body["keyId"] != stored.ID {
		t.Errorf("a cached key with the store down: %s", a.raw)
	}
	never := auth.Key{ID: "key-ffffffffffffffffffff", Secret: []byte("whatever-secret-1234")}
	if a := e.call(t, signedReq(never, "GET", "/api/admin/whoami", "", adminSignedAt)); a.status != 503 || a.body["code"] != "AUTH_UNAVAILABLE" {
		t.Errorf("an unknown key with the store down: %s", a.raw)
	}
	if a := e.call(t, adminFixture(t, "whoami.json")); a.status != 200 {
		t.Errorf("a bootstrap key with the store down: %s", a.raw)
	}
}

func connect(ctx context.Context, uri string) (*mongo.Client, error) {
	return readmodel.Connect(ctx, uri)
}

// waitFor polls cond until it holds or d passes.
func waitFor(t *testing.T, d time.Duration, what string, cond func() bool) {
	t.Helper()
	deadline := time.Now().Add(d)
	for !cond() {
		if time.Now().After(deadline) {
			t.Fatalf("%s: not within %s", what, d)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
