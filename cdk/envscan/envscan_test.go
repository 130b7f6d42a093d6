package envscan_test

import (
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/cdk/envscan"
)

func write(t *testing.T, dir, name, src string) {
	t.Helper()
	if err := os.MkdirAll(dir, 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, name), []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

func TestReads(t *testing.T) {
	root := t.TempDir()
	boot, withBoot, without := filepath.Join(root, "boot"), filepath.Join(root, "a"), filepath.Join(root, "b")
	write(t, boot, "boot.go", `package boot
type Resolver struct{ Env func(string) string }
func (r *Resolver) Store() string { return r.Env("OMS_STORE") + r.helper() }
func (r *Resolver) helper() string { return r.Env("OMS_HELPER") }
func (r Resolver) Other() string { return r.Env("OMS_OTHER") }
func Free() string { return "OMS_NOT_A_METHOD" }
`)
	write(t, boot, "boot_test.go", `package boot
var _ = "OMS_ONLY_IN_TESTS"
`)
	write(t, withBoot, "main.go", `// Environment: OMS_IN_A_COMMENT
package main
import ("os"; "github.com/crypto-oms/crypto-oms/lambdas/boot")
func main() { _ = os.Getenv("OMS_DIRECT"); _ = (&boot.Resolver{}).Store(); _ = "not OMS_X" }
`)
	write(t, without, "main.go", `package main
type r struct{}
func (r) Other() string { return "" }
func main() { _ = r{}.Other() }
`)
	got, err := envscan.Reads(withBoot, boot)
	if err != nil {
		t.Fatal(err)
	}
	want := "OMS_DIRECT,OMS_HELPER,OMS_STORE"
	if names := strings.Join(sorted(got), ","); names != want {
		t.Errorf("reads %s, want %s", names, want)
	}
	// A method of the same name on another type is not the Resolver's when boot is not imported.
	if got, err := envscan.Reads(without, boot); err != nil || len(got) != 0 {
		t.Errorf("reads %v (%v), want none", got, err)
	}
	if _, err := envscan.Reads(filepath.Join(root, "missing"), boot); err == nil {
		t.Error("missing directory accepted")
	}
}

func sorted(m map[string]bool) []string {
	var out []string
	for k := range m {
		out = append(out, k)
	}
	for i := range out {
		for j := i + 1; j < len(out); j++ {
			if out[j] < out[i] {
				out[i], out[j] = out[j], out[i]
			}
		}
	}
	return out
}

func TestCheck(t *testing.T) {
	store := map[string]bool{"OMS_MONGO_URI": true, "OMS_DOCDB_SECRET_ARN": true, "OMS_DOCDB_ENDPOINT": true, "OMS_DOCDB_CA_FILE": true, "OMS_MONGO_DB": true}
	storeEnv := map[string]string{"OMS_DOCDB_SECRET_ARN": "arn", "OMS_DOCDB_ENDPOINT": "h:1"}
	with := func(base map[string]string, kv ...string) map[string]string {
		out := map[string]string{}
		for k, v := range base {
			out[k] = v
		}
		for i := 0; i < len(kv); i += 2 {
			if kv[i+1] == "-" {
				delete(out, kv[i])
			} else {
				out[kv[i]] = kv[i+1]
			}
		}
		return out
	}
	union := func(a map[string]bool, names ...string) map[string]bool {
		out := map[string]bool{}
		for k := range a {
			out[k] = true
		}
		for _, n := range names {
			out[n] = true
		}
		return out
	}
	kafka := union(store, "OMS_KAFKA_BROKERS", "OMS_KAFKA_AUTH", "OMS_KAFKA_TLS", "OMS_DLQ_TOPIC")
	kafkaEnv := with(storeEnv, "OMS_KAFKA_BROKERS", "b:9098", "OMS_KAFKA_AUTH", "aws-msk-iam", "OMS_DLQ_TOPIC", "dlq")
	keys := union(store, "OMS_API_KEYS_FILE", "OMS_API_KEYS_SECRET_ARN", "OMS_KEY_ENCRYPTION_KEY", "OMS_KEY_ENCRYPTION_SECRET_ARN")
	keysEnv := with(storeEnv, "OMS_API_KEYS_SECRET_ARN", "arn:k", "OMS_KEY_ENCRYPTION_SECRET_ARN", "arn:kek")
	token := union(store, "OMS_TOKEN_SECRET", "OMS_TOKEN_SECRET_ARN")
	tokenEnv := with(storeEnv, "OMS_TOKEN_SECRET_ARN", "arn:token")
	for _, tc := range []struct {
		name  string
		reads map[string]bool
		env   map[string]string
		on    envscan.Platform
		want  string // substring of an expected error; empty: none
	}{
		{"store from its secret", store, storeEnv, envscan.Lambda, ""},
		{"unread variable", store, with(storeEnv, "OMS_PROFILE", "dev"), envscan.Lambda, "never reads"},
		{"URI with password", store, with(storeEnv, "OMS_MONGO_URI", "mongodb://u:p@h"), envscan.Lambda, "plain text"},
		{"endpoint missing", store, with(storeEnv, "OMS_DOCDB_ENDPOINT", "-"), envscan.Lambda, "OMS_DOCDB_ENDPOINT is not set"},
		{"main without boot", map[string]bool{"OMS_MONGO_URI": true}, map[string]string{}, envscan.Lambda, "does not read OMS_DOCDB_SECRET_ARN"},
		{"pod without CA file", store, storeEnv, envscan.Pod, "OMS_DOCDB_CA_FILE"},
		{"pod with CA file", store, with(storeEnv, "OMS_DOCDB_CA_FILE", "/ca.pem"), envscan.Pod, ""},
		{"producer over IAM", kafka, kafkaEnv, envscan.Lambda, ""},
		{"producer without auth", kafka, with(kafkaEnv, "OMS_KAFKA_AUTH", "-"), envscan.Lambda, "OMS_KAFKA_AUTH is not set"},
		{"producer with plain TLS", kafka, with(kafkaEnv, "OMS_KAFKA_AUTH", "tls"), envscan.Lambda, "want aws-msk-iam"},
		{"dead letters unnamed", kafka, with(kafkaEnv, "OMS_DLQ_TOPIC", "-"), envscan.Lambda, "OMS_DLQ_TOPIC"},
		{"keys from secrets", keys, keysEnv, envscan.Lambda, ""},
		{"KEK in the clear", keys, with(keysEnv, "OMS_KEY_ENCRYPTION_KEY", "c2VjcmV0"), envscan.Lambda, "must not sit"},
		{"key file on Lambda", keys, with(keysEnv, "OMS_API_KEYS_FILE", "/keys.json"), envscan.Lambda, "no mounted files"},
		{"key file on a pod", keys, with(keysEnv, "OMS_API_KEYS_FILE", "/keys.json", "OMS_DOCDB_CA_FILE", "/ca.pem"), envscan.Pod, ""},
		{"token key from its secret", token, with(tokenEnv, "OMS_DOCDB_CA_FILE", "/ca.pem"), envscan.Pod, ""},
		{"token key from its secret on Lambda", token, tokenEnv, envscan.Lambda, ""},
		{"token key in the clear", token, with(tokenEnv, "OMS_TOKEN_SECRET", "0123456789abcdef0123456789abcdef"), envscan.Lambda, "sets OMS_TOKEN_SECRET: the key itself must not sit"},
		{"token key unset", token, storeEnv, envscan.Lambda, "OMS_TOKEN_SECRET_ARN is not set"},
		{"token key only literal", union(store, "OMS_TOKEN_SECRET"), storeEnv, envscan.Lambda, "does not read OMS_TOKEN_SECRET_ARN"},
		{"token key set but not read", store, tokenEnv, envscan.Lambda, "sets OMS_TOKEN_SECRET_ARN, which the main never reads"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			errs := envscan.Check(tc.reads, tc.env, tc.on)
			switch {
			case tc.want == "" && len(errs) > 0:
				t.Errorf("unexpected errors %v", errs)
			case tc.want != "" && !slices.ContainsFunc(errs, func(err error) bool { return strings.Contains(err.Error(), tc.want) }):
				t.Errorf("errors %v, want one containing %q", errs, tc.want)
			}
		})
	}
}

// The real lambdas/boot: the Resolver methods that resolve a key from its secret read both the literal
// key and the secret's ARN, so Check sees a main that calls them.
func TestResolverReadsBoot(t *testing.T) {
	methods, err := envscan.ResolverReads(filepath.Join("..", "..", "lambdas", "boot"))
	if err != nil {
		t.Fatal(err)
	}
	for m, want := range map[string][]string{
		"KeyEncryptionKey": {"OMS_KEY_ENCRYPTION_KEY", "OMS_KEY_ENCRYPTION_SECRET_ARN"},
		"TokenSecret":      {"OMS_TOKEN_SECRET", "OMS_TOKEN_SECRET_ARN"},
	} {
		for _, w := range want {
			if !slices.Contains(methods[m], w) {
				t.Errorf("Resolver.%s reads %v, want %s among them", m, methods[m], w)
			}
		}
	}
}
