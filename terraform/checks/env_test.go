package checks

import (
	"path/filepath"
	"strings"
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/crypto-oms/crypto-oms/cdk/envscan"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// TestLambdaEnvironmentMatchesMains holds every function's Terraform environment to what its main
// reads (lambdas/<fn>/cmd and lambdas/boot, parsed), and each role to exactly the secrets that
// environment names: the same rules as the CDK app's test, so neither tool can drift from the mains.
func TestLambdaEnvironmentMatchesMains(t *testing.T) {
	repo := filepath.Join(rootDir, "..")
	routes, err := estate.LoadRoutes()
	if err != nil {
		t.Fatal(err)
	}
	for _, profile := range profiles(t) {
		r, err := tfeval.Evaluate(rootDir, map[string]cty.Value{"profile": cty.StringVal(profile)})
		if err != nil {
			t.Fatal(err)
		}
		mod := r.Children["lambdas"]
		envs := map[string]map[string]any{}
		for _, in := range mod.Instances("aws_lambda_function.fn") {
			envs[in.Key.(string)], _ = get(in.Values, "environment.0.variables").(map[string]any)
		}
		statements := tfeval.ToGo(mod.Locals["statements"]).(map[string]any)
		for _, fn := range estate.Functions {
			t.Run(profile+"/"+fn, func(t *testing.T) {
				reads, err := envscan.Reads(filepath.Join(repo, "lambdas", strings.ReplaceAll(fn, "-", ""), "cmd"), filepath.Join(repo, "lambdas", "boot"))
				if err != nil {
					t.Fatal(err)
				}
				vars := envs[fn]
				if vars == nil {
					t.Fatal("no function or no environment")
				}
				env := map[string]string{}
				for k, v := range vars {
					env[k] = norm(v) // values known after apply count as set
				}
				for _, err := range envscan.Check(reads, env, envscan.Lambda) {
					t.Error(err)
				}
				if v, ok := vars["OMS_DLQ_TOPIC"]; ok && v != routes.DeadLetterTopic {
					t.Errorf("OMS_DLQ_TOPIC = %v, want %q", v, routes.DeadLetterTopic)
				}
				var want, got []any
				for k, v := range vars {
					if strings.HasSuffix(k, "_SECRET_ARN") {
						want = append(want, norm(v))
					}
				}
				for _, st := range statements[fn].([]any) {
					if strings.Contains(norm(get(st, "Action")), "secretsmanager:GetSecretValue") {
						for _, res := range get(st, "Resource").([]any) {
							got = append(got, norm(res))
						}
					}
				}
				if sortedNorm(want) != sortedNorm(got) {
					t.Errorf("role reads secrets %s, environment names %s", sortedNorm(got), sortedNorm(want))
				}
			})
		}
	}
}
