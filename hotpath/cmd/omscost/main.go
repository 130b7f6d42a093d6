// Command omscost prints crypto-oms's monthly AWS cost for the shipped traffic profiles in two layouts,
// hybrid (Lambda edges) and EKS-only (edge pods), with the query-volume break-even, and writes CSV, SVG
// charts and docs/cost.md. Prices come from the pinned sheet in package costmodel.
package main

import (
	"context"
	"encoding/csv"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"os/signal"
	"path/filepath"
	"strings"

	"github.com/crypto-oms/crypto-oms/hotpath/costmodel"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
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

// config is the command's flags.
type config struct {
	profile       string
	all           bool
	csvDir        string
	svgFile       string
	docsFile      string
	refreshPrices bool
}

// result is one profile's comparison with its chart.
type result struct {
	cmp     costmodel.Comparison
	traffic costmodel.Traffic
	maxQPS  float64
	svg     []byte
	svgPath string
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	var cfg config
	fs := flag.NewFlagSet("omscost", flag.ContinueOnError)
	fs.SetOutput(stderr)
	fs.StringVar(&cfg.profile, "profile", "small-desk", "traffic profile: "+strings.Join(costmodel.ProfileNames, ", "))
	fs.BoolVar(&cfg.all, "all", false, "price every shipped profile")
	fs.StringVar(&cfg.csvDir, "csv", "", "directory for one CSV per profile")
	fs.StringVar(&cfg.svgFile, "svg", "", "SVG chart file (with -all, one file per profile named FILE-<profile>.svg)")
	fs.StringVar(&cfg.docsFile, "docs", "", "write the generated markdown (docs/cost.md) here")
	fs.BoolVar(&cfg.refreshPrices, "refresh-prices", false, "refresh the price sheet from the AWS Price List API")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if cfg.refreshPrices {
		fmt.Fprintln(stderr, "omscost: -refresh-prices needs AWS credentials and the Price List API client, which this build does not include; keeping the pinned sheet (hotpath/costmodel/pricesheet.json).")
	}
	sizing, err := estate.LoadSizing()
	if err != nil {
		return err
	}
	model, profs, err := costmodel.New()
	if err != nil {
		return err
	}
	names := []string{cfg.profile}
	if cfg.all {
		names = costmodel.ProfileNames
	}
	var results []result
	for _, n := range names {
		if err := ctx.Err(); err != nil {
			return err
		}
		t, ok := profs.Profiles[n]
		if !ok {
			return fmt.Errorf("unknown profile %q", n)
		}
		maxQPS := max(1000, t.QueriesPerSec.InexactFloat64()*20)
		c, err := model.Compare(sizing, profs, n, maxQPS)
		if err != nil {
			return err
		}
		p, err := sizing.Profile(t.Sizing)
		if err != nil {
			return err
		}
		pts, err := model.Curve(p, t, maxQPS, 60)
		if err != nil {
			return err
		}
		r := result{cmp: c, traffic: t, maxQPS: maxQPS,
			svg: costmodel.SVG(fmt.Sprintf("crypto-oms %s (sizing %s): monthly cost vs query volume", n, t.Sizing), pts, c.BreakEvenQPS, c.BreakEvenFound)}
		if cfg.svgFile != "" {
			r.svgPath = cfg.svgFile
			if cfg.all {
				r.svgPath = strings.TrimSuffix(cfg.svgFile, ".svg") + "-" + n + ".svg"
			}
			if err := writeFile(r.svgPath, r.svg); err != nil {
				return err
			}
		}
		if cfg.csvDir != "" {
			if err := writeCSV(filepath.Join(cfg.csvDir, n+".csv"), c); err != nil {
				return err
			}
		}
		results = append(results, r)
	}
	cross, err := model.CrossCheck()
	if err != nil {
		return err
	}
	var md strings.Builder
	for _, r := range results {
		writeProfile(&md, r, "")
	}
	m5, err := model.Sheet.Get("msk.kafka.m5.large")
	if err != nil {
		return err
	}
	m5Brokers := m5.Mul(decimal.NewFromInt(2)).Mul(model.Sheet.HoursPerMonth).Round(2)
	writeCrossCheck(&md, cross, m5Brokers)
	if _, err := io.WriteString(stdout, md.String()); err != nil {
		return err
	}
	if cfg.docsFile != "" {
		return writeFile(cfg.docsFile, []byte(docs(results, cross, m5Brokers, model, profs, cfg.docsFile)))
	}
	return nil
}

func writeFile(path string, b []byte) error {
	if dir := filepath.Dir(path); dir != "." {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			return err
		}
	}
	return os.WriteFile(path, b, 0o644)
}

func writeCSV(path string, c costmodel.Comparison) (err error) {
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		return err
	}
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	defer func() { err = errors.Join(err, f.Close()) }()
	w := csv.NewWriter(f)
	_ = w.Write([]string{"profile", "layout", "service", "detail", "usd_per_month"})
	for _, b := range []costmodel.Bill{c.Hybrid, c.EKSOnly} {
		for _, l := range b.Lines {
			_ = w.Write([]string{c.Profile, b.Layout.String(), l.Service, l.Detail, l.Monthly.StringFixed(2)})
		}
		_ = w.Write([]string{c.Profile, b.Layout.String(), "TOTAL", "", b.Total.StringFixed(2)})
	}
	w.Flush()
	return w.Error()
}

// writeProfile writes one profile's side-by-side table and break-even as markdown.
func writeProfile(w *strings.Builder, r result, svgRel string) {
	c := r.cmp
	fmt.Fprintf(w, "## Profile `%s` (sizing `%s`)\n\n", c.Profile, c.Sizing)
	t := r.traffic
	fmt.Fprintf(w, "Load: %s orders/s avg (%s peak), %s queries/s (peak ×%s), %s admin requests/day, %s price ticks/s, %s WebSocket connections, %d days retention.\n\n",
		t.OrdersPerSecAvg, t.OrdersPerSecPeak, t.QueriesPerSec, t.QueryPeakFactor, t.AdminRequestsPerDay, t.PriceTicksPerSec, t.WebSocketConnections, t.RetentionDays)
	w.WriteString("| service | hybrid USD/mo | hybrid basis | EKS-only USD/mo | EKS-only basis |\n|---|---:|---|---:|---|\n")
	seen := map[string]bool{}
	var services []string
	for _, b := range []costmodel.Bill{c.Hybrid, c.EKSOnly} {
		for _, l := range b.Lines {
			if !seen[l.Service] {
				seen[l.Service] = true
				services = append(services, l.Service)
			}
		}
	}
	detail := func(b costmodel.Bill, s string) (string, string) {
		for _, l := range b.Lines {
			if l.Service == s {
				return l.Monthly.StringFixed(2), l.Detail
			}
		}
		return "—", "not in this layout"
	}
	for _, s := range services {
		hv, hd := detail(c.Hybrid, s)
		ev, ed := detail(c.EKSOnly, s)
		fmt.Fprintf(w, "| %s | %s | %s | %s | %s |\n", s, hv, hd, ev, ed)
	}
	fmt.Fprintf(w, "| **total** | **%s** | | **%s** | |\n\n", c.Hybrid.Total.StringFixed(2), c.EKSOnly.Total.StringFixed(2))
	fmt.Fprintf(w, "Difference (EKS-only − hybrid): **%s USD/month**", c.Difference.StringFixed(2))
	if c.Difference.Sign() > 0 {
		w.WriteString(" — hybrid is cheaper at this load.\n\n")
	} else {
		w.WriteString(" — EKS-only is cheaper at this load.\n\n")
	}
	if c.BreakEvenFound {
		fmt.Fprintf(w, "Break-even query volume: **%.1f queries/s** (searched 0–%.0f q/s, other load held at this profile).\n\n", c.BreakEvenQPS, r.maxQPS)
	} else {
		cheaper := "hybrid"
		if c.Difference.Sign() < 0 {
			cheaper = "EKS-only"
		}
		fmt.Fprintf(w, "Break-even query volume: **none in 0–%.0f queries/s** (%s is cheaper throughout, other load held at this profile).\n\n", r.maxQPS, cheaper)
	}
	if c.BreakEvenOrdersFound {
		fmt.Fprintf(w, "Break-even order volume: **%.1f orders/s average** (searched 0–%.0f, peak scaled with it, other load held).\n\n", c.BreakEvenOrders, c.MaxOrders)
	} else {
		fmt.Fprintf(w, "Break-even order volume: **none in 0–%.0f orders/s average** (other load held).\n\n", c.MaxOrders)
	}
	if svgRel != "" {
		fmt.Fprintf(w, "![%s: monthly cost vs query volume](%s)\n\n", c.Profile, svgRel)
	}
}

func writeCrossCheck(w *strings.Builder, rows []costmodel.CrossCheckRow, m5Brokers decimal.Decimal) {
	w.WriteString("## Cross-check: the original design's published dev cost (~$514/month)\n\n")
	w.WriteString("| service | published USD/mo | model USD/mo | why they differ |\n|---|---:|---:|---|\n")
	pub, mod, mskModel := costmodel.PublishedDevTotal, decimal.Zero, decimal.Zero
	for _, r := range rows {
		p := "(other tables)"
		if r.Published.Sign() > 0 {
			p = r.Published.StringFixed(2)
		}
		mod = mod.Add(r.Model)
		fmt.Fprintf(w, "| %s | %s | %s | %s |\n", r.Service, p, r.Model.StringFixed(2), r.Explanation)
		if r.Service == "MSK brokers" {
			mskModel = r.Model
		}
	}
	m5Total := mod.Sub(mskModel).Add(m5Brokers)
	fmt.Fprintf(w, "| **total** | **≈%s** | **%s** | The model prices the Terraform defaults (2 × kafka.t3.small); most of the gap is the MSK line. With 2 × kafka.m5.large instead (the size $302 implies), the model total is %s, within rounding and the 720 h vs 730 h convention of the published ≈%s. |\n\n",
		pub.StringFixed(0), mod.StringFixed(2), m5Total.StringFixed(2), pub.StringFixed(0))
}
