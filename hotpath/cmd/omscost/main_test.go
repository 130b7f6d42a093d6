package main

import (
	"bytes"
	"context"
	"encoding/json"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
)

func TestRunWritesEveryArtefact(t *testing.T) {
	dir := t.TempDir()
	out := filepath.Join(dir, "cost")
	docsFile, mdFile := filepath.Join(dir, "cost.md"), filepath.Join(dir, "report.md")
	var stdout, stderr bytes.Buffer
	args := []string{"-all", "-csv", out, "-svg", out, "-docs", docsFile, "-md", mdFile}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v: %s", err, stderr.String())
	}
	for _, p := range cost.ProfileNames {
		svg, err := os.ReadFile(filepath.Join(out, "cost-vs-queries-"+p+".svg"))
		if err != nil || !bytes.HasPrefix(svg, []byte("<svg")) || !bytes.Contains(svg, []byte("break-even")) || !bytes.HasSuffix(svg, []byte("</svg>\n")) {
			t.Errorf("%s chart: %v, %d bytes", p, err, len(svg))
		}
		csv, err := os.ReadFile(filepath.Join(out, p+".csv"))
		if err != nil || !bytes.Contains(csv, []byte(p+",hybrid,TOTAL,")) || !bytes.Contains(csv, []byte(p+",eks-only,TOTAL,")) {
			t.Errorf("%s csv: %v\n%s", p, err, csv)
		}
		if !strings.Contains(stdout.String(), "## Profile `"+p+"`") {
			t.Errorf("stdout lacks profile %s", p)
		}
	}
	summary, err := os.ReadFile(filepath.Join(out, "summary.csv"))
	if err != nil || bytes.Count(summary, []byte("\n")) != 1+len(cost.ProfileNames) {
		t.Errorf("summary.csv: %v\n%s", err, summary)
	}
	md, err := os.ReadFile(mdFile)
	if err != nil || string(md) != stdout.String() {
		t.Errorf("-md file differs from stdout: %v", err)
	}
	doc, err := os.ReadFile(docsFile)
	if err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{"## Summary", "## The two layouts", "assumed, to be replaced by measurements", "### Traffic profiles",
		"Break-even query volume", "Break-even order volume", "## Cross-check", "kafka.m5.large", "## Price sheet", "](cost/cost-vs-queries-dev.svg)"} {
		if !strings.Contains(string(doc), s) {
			t.Errorf("docs lack %q", s)
		}
	}
}

func TestRunSingleProfile(t *testing.T) {
	dir := t.TempDir()
	var stdout bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "busy-desk", "-svg", dir}, &stdout, &stdout); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(filepath.Join(dir, "cost-vs-queries-busy-desk.svg")); err != nil {
		t.Error(err)
	}
	if strings.Contains(stdout.String(), "Profile `dev`") || !strings.Contains(stdout.String(), "Profile `busy-desk`") {
		t.Error("single profile run printed the wrong profiles")
	}
}

func TestRunRejectsBadFlags(t *testing.T) {
	tests := [][]string{
		{"-profile", "nope"},
		{"-no-such-flag"},
		{"dev"},
		{"-prices", "/nonexistent/sheet.json"},
		{"-refresh-prices", "-prices-out", ""},
	}
	for _, args := range tests {
		var out bytes.Buffer
		if err := run(context.Background(), args, &out, &out); err == nil {
			t.Errorf("%q accepted", args)
		}
	}
}

// isolateAWS points the SDK's configuration at nothing, so the test sees only the credentials it sets.
func isolateAWS(t *testing.T, keyID, secret string) {
	t.Helper()
	empty := filepath.Join(t.TempDir(), "none")
	for k, v := range map[string]string{
		"AWS_ACCESS_KEY_ID": keyID, "AWS_SECRET_ACCESS_KEY": secret, "AWS_SESSION_TOKEN": "", "AWS_PROFILE": "",
		"AWS_CONFIG_FILE": empty, "AWS_SHARED_CREDENTIALS_FILE": empty, "AWS_EC2_METADATA_DISABLED": "true",
		"AWS_CONTAINER_CREDENTIALS_RELATIVE_URI": "", "AWS_CONTAINER_CREDENTIALS_FULL_URI": "", "AWS_WEB_IDENTITY_TOKEN_FILE": "",
	} {
		t.Setenv(k, v)
	}
}

func TestRefreshOfflineKeepsThePinnedSheet(t *testing.T) {
	isolateAWS(t, "", "")
	outFile := filepath.Join(t.TempDir(), "pricesheet.json")
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "dev", "-refresh-prices", "-prices-out", outFile}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	if !strings.Contains(stderr.String(), "offline") || !strings.Contains(stderr.String(), "keeping the pinned price sheet") {
		t.Errorf("stderr = %q", stderr.String())
	}
	if _, err := os.Stat(outFile); !os.IsNotExist(err) {
		t.Errorf("offline refresh wrote %s", outFile)
	}
	if !strings.Contains(stdout.String(), "(pinned)") {
		t.Error("report does not say it used the pinned sheet")
	}
}

func TestRefreshWithCredentialsWritesTheSheet(t *testing.T) {
	isolateAWS(t, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	const doc = `{"product":{"sku":"S"},"terms":{"OnDemand":{"S.T":{"priceDimensions":{"S.T.D":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"0.0900000000"}}}}}}}`
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
			http.Error(w, "unsigned", http.StatusForbidden)
			return
		}
		var in struct {
			Filters []struct{ Field, Value string }
		}
		_ = json.NewDecoder(r.Body).Decode(&in)
		var out struct{ PriceList []string }
		for _, f := range in.Filters {
			if f.Field == "instanceType" && f.Value == "m7g.large" {
				out.PriceList = []string{doc}
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
	defer srv.Close()
	outFile := filepath.Join(t.TempDir(), "pricesheet.json")
	var stdout, stderr bytes.Buffer
	args := []string{"-profile", "dev", "-refresh-prices", "-prices-out", outFile, "-pricing-endpoint", srv.URL}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	b, err := os.ReadFile(outFile)
	if err != nil {
		t.Fatalf("%v; stderr %s", err, stderr.String())
	}
	s, err := cost.ParsePriceSheet(b)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Prices["ec2.m7g.large"]; p.USD.String() != "0.09" || p.Source != cost.RefreshSource {
		t.Errorf("refreshed price = %+v", p)
	}
	if !strings.Contains(stdout.String(), "(refreshed)") || !strings.Contains(stderr.String(), "kept pinned") {
		t.Errorf("stdout %q\nstderr %q", stdout.String()[:80], stderr.String())
	}
	// The refreshed sheet is a valid -prices input.
	stdout.Reset()
	if err := run(context.Background(), []string{"-profile", "dev", "-prices", outFile}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
}
