package stacks_test

import (
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/cdk/envscan"
	"github.com/crypto-oms/crypto-oms/cdk/stacks"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

// repoRoot is the repository root, relative to this package.
const repoRoot = "../.."

// mainDir is lambdas/<fn without dashes>/cmd, the layout `make lambdas` builds from.
func mainDir(fn string) string {
	return filepath.Join(repoRoot, "lambdas", strings.ReplaceAll(fn, "-", ""), "cmd")
}

// TestLambdaEnvironmentMatchesMains holds every function's environment in the template to what its
// main reads (parsed from lambdas/<fn>/cmd and lambdas/boot), and its role to exactly the secrets that
// environment names.
func TestLambdaEnvironmentMatchesMains(t *testing.T) {
	eachProfile(t, func(t *testing.T, e *stacks.Estate) {
		fns := resources(t, e.Edge.Stack, "AWS::Lambda::Function")
		policies := resources(t, e.Edge.Stack, "AWS::IAM::Policy")
		for _, fn := range estate.Functions {
			t.Run(fn, func(t *testing.T) {
				reads, err := envscan.Reads(mainDir(fn), filepath.Join(repoRoot, "lambdas", "boot"))
				if err != nil {
					t.Fatal(err)
				}
				var vars map[string]any
				for id, f := range fns {
					if strings.HasPrefix(id, "Fn"+strings.ReplaceAll(fn, "-", "")) {
						vars, _ = get(f, "Environment", "Variables").(map[string]any)
					}
				}
				if vars == nil {
					t.Fatal("no function or no environment in the template")
				}
				env := map[string]string{}
				for k, v := range vars {
					if s, ok := v.(string); ok {
						env[k] = s
					} else {
						env[k] = jsonString(v) // tokens (Ref, ImportValue) count as set
					}
				}
				for _, err := range envscan.Check(reads, env, envscan.Lambda) {
					t.Error(err)
				}
				if v, ok := vars["OMS_DLQ_TOPIC"]; ok && v != e.Routes.DeadLetterTopic {
					t.Errorf("OMS_DLQ_TOPIC = %v, want the deployed dead-letter topic %q", v, e.Routes.DeadLetterTopic)
				}
				// The role reads exactly the secrets the environment names.
				var want, got []string
				for k, v := range vars {
					if strings.HasSuffix(k, "_SECRET_ARN") {
						want = append(want, jsonString(v))
					}
				}
				role := "Role" + strings.ReplaceAll(fn, "-", "")
				for _, pol := range policies {
					if !strings.Contains(jsonString(pol["Roles"]), `"Ref":"`+role) {
						continue
					}
					for _, st := range asSlice(get(pol, "PolicyDocument", "Statement")) {
						if strings.Contains(jsonString(get(st, "Action")), "secretsmanager:GetSecretValue") {
							got = append(got, jsonString(get(st, "Resource")))
						}
					}
				}
				slices.Sort(want)
				slices.Sort(got)
				if !slices.Equal(want, got) {
					t.Errorf("role reads secrets %v, environment names %v", got, want)
				}
			})
		}
	})
}

// The scan itself must see what each main is known to read, or the test above proves nothing.
func TestEnvScanSeesTheMains(t *testing.T) {
	for dir, want := range map[string][]string{
		"admin":       {"OMS_KAFKA_BROKERS", "OMS_KAFKA_AUTH", "OMS_DOCDB_SECRET_ARN", "OMS_KEY_ENCRYPTION_SECRET_ARN", "OMS_API_KEYS_SECRET_ARN", "OMS_TOKEN_SECRET_ARN"},
		"orderquery":  {"OMS_DOCDB_SECRET_ARN", "OMS_KEY_ENCRYPTION_SECRET_ARN", "OMS_API_KEYS_SECRET_ARN", "OMS_TOKEN_SECRET_ARN"},
		"marketquery": {"OMS_MONGO_URI", "OMS_DOCDB_ENDPOINT", "OMS_MONGO_DB"},
	} {
		reads, err := envscan.Reads(filepath.Join(repoRoot, "lambdas", dir, "cmd"), filepath.Join(repoRoot, "lambdas", "boot"))
		if err != nil {
			t.Fatal(err)
		}
		for _, w := range want {
			if !reads[w] {
				t.Errorf("%s: scan misses %s (found %v)", dir, w, keys(reads))
			}
		}
		if reads["OMS_KAFKA_BROKERS"] && dir == "marketquery" {
			t.Errorf("%s: scan reports a name the main does not read", dir)
		}
	}
}
