package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

func TestRunWritesEveryArtefact(t *testing.T) {
	dir := t.TempDir()
	svg := filepath.Join(dir, "cost", "chart.svg")
	docsFile := filepath.Join(dir, "cost.md")
	var out, errOut bytes.Buffer
	args := []string{"-all", "-csv", filepath.Join(dir, "cost"), "-svg", svg, "-docs", docsFile, "-refresh-prices"}
	if err := run(context.Background(), args, &out, &errOut); err != nil {
		t.Fatal(err)
	}
	for _, p := range []string{"dev", "small-desk", "busy-desk", "exchange"} {
		for _, f := range []string{filepath.Join(dir, "cost", "chart-"+p+".svg"), filepath.Join(dir, "cost", p+".csv")} {
			b, err := os.ReadFile(f)
			if err != nil || len(b) == 0 {
				t.Errorf("%s: %v (%d bytes)", f, err, len(b))
			}
		}
		if !strings.Contains(out.String(), "## Profile `"+p+"`") {
			t.Errorf("stdout lacks profile %s", p)
		}
	}
	doc, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"Break-even", "Cross-check", "Price sheet", "assumptions", "](cost/chart-dev.svg)"} {
		if !strings.Contains(strings.ToLower(string(doc)), strings.ToLower(s)) {
			t.Errorf("docs lack %q", s)
		}
	}
	if !strings.Contains(errOut.String(), "keeping the pinned sheet") {
		t.Errorf("refresh message missing: %q", errOut.String())
	}
}

func TestRunSingleProfileSVG(t *testing.T) {
	svg := filepath.Join(t.TempDir(), "one.svg")
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "dev", "-svg", svg}, &out, &out); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(svg)
	if err != nil || !bytes.Contains(b, []byte("<svg")) {
		t.Fatalf("chart not written: %v", err)
	}
}

func TestRunRejectsUnknownProfile(t *testing.T) {
	var out bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "nope"}, &out, &out); err == nil {
		t.Fatal("unknown profile accepted")
	}
}
