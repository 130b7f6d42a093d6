// Package checks holds the tests of the Terraform estate: formatting, structure and parity with the
// CDK app. They need no AWS provider and no credentials.
package checks

import (
	"os"
	"path/filepath"
	"sort"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/terraform/internal/tfeval"
)

// rootDir is the Terraform root module, relative to this package.
const rootDir = ".."

// moduleDirs returns the root module and every module under modules/.
func moduleDirs(t *testing.T) []string {
	t.Helper()
	dirs := []string{rootDir}
	ents, err := os.ReadDir(filepath.Join(rootDir, "modules"))
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.IsDir() {
			dirs = append(dirs, filepath.Join(rootDir, "modules", e.Name()))
		}
	}
	sort.Strings(dirs)
	return dirs
}

// tfFiles returns every Terraform source file of the tree, examples included.
func tfFiles(t *testing.T) []string {
	t.Helper()
	var out []string
	err := filepath.WalkDir(rootDir, func(p string, d os.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() && (d.Name() == ".terraform" || d.Name() == ".build") {
			return filepath.SkipDir
		}
		if !d.IsDir() && (filepath.Ext(p) == ".tf" || filepath.Base(p) == "backend.tf.example") {
			out = append(out, p)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

func loadModule(t *testing.T, dir string) *tfeval.Module {
	t.Helper()
	m, err := tfeval.Load(dir)
	if err != nil {
		t.Fatal(err)
	}
	return m
}

// profiles lists the sizing profiles of hotpath/estate, the ones `var.profile` accepts.
func profiles(t *testing.T) []string {
	t.Helper()
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	var out []string
	for p := range s.Profiles {
		out = append(out, p)
	}
	sort.Strings(out)
	return out
}
