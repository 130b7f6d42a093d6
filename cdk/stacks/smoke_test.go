package stacks_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/crypto-oms/crypto-oms/cdk/stacks"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

func TestSmoke(t *testing.T) {
	dir := t.TempDir()
	for _, fn := range estate.Functions {
		os.MkdirAll(filepath.Join(dir, fn), 0o755)
		os.WriteFile(filepath.Join(dir, fn, "bootstrap"), []byte("x"), 0o755)
	}
	tpls, err := stacks.SynthTemplates("dev", dir)
	if err != nil {
		t.Fatal(err)
	}
	for k, v := range tpls {
		t.Log(k, len(v["Resources"].(map[string]any)))
	}
}
