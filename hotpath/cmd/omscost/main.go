// Command omscost prints crypto-oms's monthly AWS cost for a traffic profile in two layouts, hybrid
// (Lambda edges) and EKS-only (edge pods), side by side with the query and order break-even points, and
// writes CSV tables, SVG charts and docs/cost.md. Prices come from the pinned sheet in package cost;
// -refresh-prices updates it from the AWS Price List API (aws-sdk-go-v2/service/pricing) with the default
// credential chain. Offline or without credentials the refresh says so, writes nothing and exits 1; the
// other modes never touch the network. Load beyond the sizing is priced and reported as a warning.
//
//	omscost -profile busy-desk
//	omscost -all -docs docs/cost.md -csv docs/cost -svg docs/cost      (make cost)
//	omscost -refresh-prices                                            (rewrites hotpath/cost/pricesheet.json)
package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"slices"
	"strings"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt)
	err := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	if err != nil {
		fmt.Fprintln(os.Stderr, "omscost:", err)
		os.Exit(1)
	}
}

// Config is the command's flags.
type Config struct {
	Profile  string
	All      bool
	CSVDir   string
	SVGDir   string
	MDFile   string
	DocsFile string
	// Prices replaces the embedded pinned sheet with a file (for example one written by a refresh).
	Prices string
	// Refresh asks the Price List API for every price with a query, writing the result to PricesOut.
	Refresh   bool
	PricesOut string
	// PricingEndpoint overrides the Price List API endpoint.
	PricingEndpoint string
	// IMDS lets the credential chain ask the EC2 instance metadata service; off by default so an
	// offline run does not wait on (or probe) a link-local address.
	IMDS bool
}

// Validate checks the flags make sense together.
func (c Config) Validate() error {
	if !c.All && !slices.Contains(cost.ProfileNames, c.Profile) {
		return fmt.Errorf("unknown traffic profile %q (have %s)", c.Profile, strings.Join(cost.ProfileNames, ", "))
	}
	if c.Refresh && c.PricesOut == "" {
		return errors.New("-refresh-prices needs -prices-out")
	}
	return nil
}

func parse(args []string, stderr io.Writer) (Config, error) {
	var c Config
	fs := flag.NewFlagSet("omscost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&c.Profile, "profile", "small-desk", "traffic profile: "+strings.Join(cost.ProfileNames, ", "))
	fs.BoolVar(&c.All, "all", false, "price every shipped traffic profile")
	fs.StringVar(&c.CSVDir, "csv", "", "directory for one CSV per profile (<profile>.csv) and summary.csv")
	fs.StringVar(&c.SVGDir, "svg", "", "directory for one chart per profile (cost-vs-queries-<profile>.svg)")
	fs.StringVar(&c.MDFile, "md", "", "also write the markdown report printed on stdout to this file")
	fs.StringVar(&c.DocsFile, "docs", "", "write the full generated document (docs/cost.md) here")
	fs.StringVar(&c.Prices, "prices", "", "price sheet file to use instead of the pinned one embedded in the binary")
	fs.BoolVar(&c.Refresh, "refresh-prices", false, "refresh the price sheet from the AWS Price List API (needs AWS credentials)")
	fs.StringVar(&c.PricesOut, "prices-out", filepath.FromSlash("hotpath/cost/pricesheet.json"), "where -refresh-prices writes the refreshed sheet")
	fs.StringVar(&c.PricingEndpoint, "pricing-endpoint", "", "Price List API endpoint (default the us-east-1 endpoint)")
	fs.BoolVar(&c.IMDS, "imds", false, "let -refresh-prices take credentials from the EC2 instance metadata service")
	if err := fs.Parse(args); err != nil {
		return Config{}, err
	}
	if fs.NArg() > 0 {
		return Config{}, fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	return c, c.Validate()
}

// result is one profile's comparison with its chart.
type result struct {
	cmp     cost.Comparison
	svg     []byte
	svgPath string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	cfg, err := parse(args, stderr)
	if err != nil {
		return err
	}
	sizing, err := estate.LoadSizing()
	if err != nil {
		return err
	}
	model, profs, err := cost.New()
	if err != nil {
		return err
	}
	sheetName := "hotpath/cost/pricesheet.json (pinned)"
	if cfg.Prices != "" {
		b, err := os.ReadFile(cfg.Prices)
		if err != nil {
			return err
		}
		if model.Sheet, err = cost.ParsePriceSheet(b); err != nil {
			return err
		}
		sheetName = cfg.Prices
	}
	if cfg.Refresh {
		sheet, err := refresh(ctx, cfg, model.Sheet, stderr)
		if err != nil {
			return fmt.Errorf("price refresh failed; the pinned price sheet is kept and %s was not written: %w", cfg.PricesOut, err)
		}
		model.Sheet, sheetName = sheet, cfg.PricesOut+" (refreshed)"
	}
	names := []string{cfg.Profile}
	if cfg.All {
		names = cost.ProfileNames
	}
	var results []result
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		r, err := price(model, sizing, profs, n)
		if err != nil {
			return err
		}
		if cfg.SVGDir != "" {
			r.svgPath = filepath.Join(cfg.SVGDir, "cost-vs-queries-"+n+".svg")
			if err := writeFile(r.svgPath, r.svg); err != nil {
				return err
			}
		}
		if cfg.CSVDir != "" {
			if err := writeFile(filepath.Join(cfg.CSVDir, n+".csv"), profileCSV(r.cmp)); err != nil {
				return err
			}
		}
		results = append(results, r)
	}
	if cfg.CSVDir != "" {
		if err := writeFile(filepath.Join(cfg.CSVDir, "summary.csv"), summaryCSV(results)); err != nil {
			return err
		}
	}
	cc, err := model.CrossCheck()
	if err != nil {
		return err
	}
	for _, r := range results {
		for _, msg := range warnings(r.cmp) {
			fmt.Fprintf(stderr, "omscost: WARNING %s\n", msg)
		}
	}
	verified := 0
	for _, p := range model.Sheet.Prices {
		if p.IsVerified() {
			verified++
		}
	}
	var md strings.Builder
	fmt.Fprintf(&md, "Prices: %s, %s, %s h/month; %d of %d prices verified against a public source (the rest are marked unverified in the sheet).\n\n",
		sheetName, model.Sheet.Region, model.Sheet.HoursPerMonth, verified, len(model.Sheet.Prices))
	writeSummary(&md, results)
	for _, r := range results {
		writeProfile(&md, r, "")
	}
	writeCrossCheck(&md, cc)
	if _, err := io.WriteString(stdout, md.String()); err != nil {
		return err
	}
	if cfg.MDFile != "" {
		if err := writeFile(cfg.MDFile, []byte(md.String())); err != nil {
			return err
		}
	}
	if cfg.DocsFile != "" {
		return writeFile(cfg.DocsFile, []byte(docs(results, cc, model, profs, sizing, cfg.DocsFile)))
	}
	return nil
}

// price compares both layouts for traffic profile n and draws its chart.
func price(m cost.Model, s estate.Sizing, profs cost.Profiles, n string) (result, error) {
	t := profs.Profiles[n]
	p, err := s.Profile(t.Sizing)
	if err != nil {
		return result{}, err
	}
	c, err := m.Compare(p, n, t)
	if err != nil {
		return result{}, err
	}
	pts, err := m.Curve(p, t, cost.QueryRange(t), 80)
	if err != nil {
		return result{}, err
	}
	title := fmt.Sprintf("crypto-oms %s (sizing %s): USD/month vs query volume", n, t.Sizing)
	return result{cmp: c, svg: cost.SVG(title, pts, c.Queries, t.QueriesPerSec.InexactFloat64())}, nil
}

func writeFile(path string, b []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b, 0o644)
}
