package checks

import (
	"testing"

	"github.com/zclconf/go-cty/cty"

	"github.com/crypto-oms/crypto-oms/cdk/k8s"
	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// TestManifestInputs: `terraform output -json manifest_inputs` has every value the shared manifest
// renderer (cdk/cmd/manifests) reads, under the keys it reads them by. Values known only after apply
// stand in as placeholders.
func TestManifestInputs(t *testing.T) {
	for _, profile := range profiles(t) {
		r, err := tfeval.Evaluate(rootDir, map[string]cty.Value{"profile": cty.StringVal(profile)})
		if err != nil {
			t.Fatal(err)
		}
		raw, ok := tfeval.ToGo(r.Outputs["manifest_inputs"]).(map[string]any)
		if !ok {
			t.Fatalf("%s: output manifest_inputs is not an object", profile)
		}
		outputs := map[string]map[string]string{}
		for stack, kv := range raw {
			outputs[stack] = map[string]string{}
			for k, v := range kv.(map[string]any) {
				if _, unknown := v.(tfeval.Unknown); unknown {
					v = "placeholder-" + k
				}
				s, _ := v.(string)
				outputs[stack][k] = s
			}
		}
		if _, err := k8s.ValuesFromOutputs(outputs, profile, "us-east-1", "tag"); err != nil {
			t.Errorf("%s: manifest renderer rejects the Terraform outputs: %v", profile, err)
		}
	}
}
