package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist/pricelisttest"
	"github.com/shopspring/decimal"
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
		"Break-even query volume", "Break-even order volume", "## Cross-check", "kafka.m5.large", "## Price sheet", "](cost/cost-vs-queries-dev.svg)",
		"**Verified** (", "**Not verified** (", "Warnings: the load needs more than the sizing allows", "wsConnectionsPerReplica"} {
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

func TestRefreshWithoutCredentialsKeepsThePinnedSheet(t *testing.T) {
	isolateAWS(t, "", "")
	outFile := filepath.Join(t.TempDir(), "pricesheet.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-profile", "dev", "-refresh-prices", "-prices-out", outFile}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "no AWS credentials found") || !strings.Contains(err.Error(), "pinned price sheet is kept") {
		t.Fatalf("err = %v, want a refusal naming the missing credentials and the kept sheet", err)
	}
	if _, err := os.Stat(outFile); !os.IsNotExist(err) {
		t.Errorf("failed refresh wrote %s", outFile)
	}
}

func TestRefreshWithTheAPIUnreachableFails(t *testing.T) {
	isolateAWS(t, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	t.Setenv("AWS_MAX_ATTEMPTS", "1")
	srv := pricelisttest.NewServer(t, "AKIDEXAMPLE", nil)
	srv.Close()
	outFile := filepath.Join(t.TempDir(), "pricesheet.json")
	var stdout, stderr bytes.Buffer
	err := run(context.Background(), []string{"-profile", "dev", "-refresh-prices", "-prices-out", outFile, "-pricing-endpoint", srv.URL}, &stdout, &stderr)
	if err == nil || !strings.Contains(err.Error(), "cannot use the AWS Price List API") {
		t.Fatalf("err = %v", err)
	}
	if _, err := os.Stat(outFile); !os.IsNotExist(err) || stdout.Len() != 0 {
		t.Errorf("failed refresh wrote %s or a report (%d bytes)", outFile, stdout.Len())
	}
}

// TestRefreshWithCredentialsWritesTheSheet refreshes through the SDK against a server speaking the Price
// List protocol from the recorded product documents, starting from a sheet whose m7g.large price is off.
func TestRefreshWithCredentialsWritesTheSheet(t *testing.T) {
	isolateAWS(t, "AKIDEXAMPLE", "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY")
	srv := pricelisttest.NewServer(t, "AKIDEXAMPLE", pricelisttest.LoadDocs(t, filepath.Join("..", "..", "cost", "pricelist", "testdata", "products")))
	pinned, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	stale := pinned.Prices["ec2.m7g.large"]
	stale.USD, stale.Verified = decimal.RequireFromString("0.09"), "unverified: a stale test value"
	pinned.Prices["ec2.m7g.large"] = stale
	b, err := pinned.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	in, outFile := filepath.Join(dir, "stale.json"), filepath.Join(dir, "pricesheet.json")
	if err := os.WriteFile(in, b, 0o644); err != nil {
		t.Fatal(err)
	}
	var stdout, stderr bytes.Buffer
	args := []string{"-profile", "dev", "-prices", in, "-refresh-prices", "-prices-out", outFile, "-pricing-endpoint", srv.URL}
	if err := run(context.Background(), args, &stdout, &stderr); err != nil {
		t.Fatalf("%v\n%s", err, stderr.String())
	}
	b, err = os.ReadFile(outFile)
	if err != nil {
		t.Fatal(err)
	}
	s, err := cost.ParsePriceSheet(b)
	if err != nil {
		t.Fatal(err)
	}
	if p := s.Prices["ec2.m7g.large"]; p.USD.String() != "0.0816" || p.Source != cost.RefreshSource || !p.IsVerified() || !strings.Contains(p.Verified, "SKU ") {
		t.Errorf("refreshed price = %+v", p)
	}
	if p, was := s.Prices["docdb.io"], pinned.Prices["docdb.io"]; !p.USD.Equal(was.USD) || p.Verified != was.Verified || p.Date != was.Date {
		t.Errorf("a price without a query changed: %+v", p)
	}
	if !strings.Contains(stdout.String(), "(refreshed)") || !strings.Contains(stderr.String(), "0.09 -> 0.0816") {
		t.Errorf("stdout %q\nstderr %q", stdout.String()[:120], stderr.String())
	}
	if srv.Requests() == 0 {
		t.Error("the server saw no request")
	}
	// The refreshed sheet is a valid -prices input.
	stdout.Reset()
	if err := run(context.Background(), []string{"-profile", "dev", "-prices", outFile}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
}

// TestExchangeNeedsMoreNodesThanTheSizingAllows checks the over-sizing is said, not silently capped.
func TestExchangeNeedsMoreNodesThanTheSizingAllows(t *testing.T) {
	var stdout, stderr bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "exchange"}, &stdout, &stderr); err != nil {
		t.Fatal(err)
	}
	for _, s := range []string{stderr.String(), stdout.String()} {
		if !strings.Contains(s, "eks-only at peak load needs") || !strings.Contains(s, "nodeMax 12") || !strings.Contains(s, "not capped") {
			t.Errorf("no nodeMax warning in:\n%s", s)
		}
	}
	var quiet bytes.Buffer
	if err := run(context.Background(), []string{"-profile", "small-desk"}, &quiet, &quiet); err != nil {
		t.Fatal(err)
	}
	if strings.Contains(quiet.String(), "WARNING") || strings.Contains(quiet.String(), "Warning") {
		t.Errorf("small-desk fits its sizing but warned:\n%s", quiet.String())
	}
}
