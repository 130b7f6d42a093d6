package checks

import (
	"bytes"
	"os"
	"os/exec"
	"testing"

	"github.com/hashicorp/hcl/v2/hclwrite"
)

// TestCanonicalFormat holds every Terraform file to the canonical layout that `terraform fmt` writes
// (hclwrite.Format is its formatter), so reviews never carry whitespace noise.
func TestCanonicalFormat(t *testing.T) {
	files := tfFiles(t)
	if len(files) < 20 {
		t.Fatalf("found only %d Terraform files; is the test running from terraform/checks?", len(files))
	}
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		if got := hclwrite.Format(src); !bytes.Equal(got, src) {
			t.Errorf("%s is not in canonical form; run `terraform fmt -recursive terraform/`", f)
		}
	}
}

// TestTerraformFmt runs the real formatter too when the binary is installed; it needs no provider.
func TestTerraformFmt(t *testing.T) {
	bin, err := exec.LookPath("terraform")
	if err != nil {
		t.Skip("terraform binary not on PATH")
	}
	cmd := exec.Command(bin, "fmt", "-check", "-recursive", rootDir)
	cmd.Env = append(os.Environ(), "TF_CLI_CONFIG_FILE=/dev/null", "CHECKPOINT_DISABLE=1")
	out, err := cmd.CombinedOutput()
	if err != nil {
		t.Fatalf("terraform fmt -check -recursive: %v\n%s", err, out)
	}
}
