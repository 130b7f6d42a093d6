package cost_test

import (
	"math"
	"slices"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
)

func setup(t *testing.T) (cost.Model, cost.Profiles, estate.Sizing) {
	t.Helper()
	m, p, err := cost.New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	return m, p, s
}

func sizing(t *testing.T, s estate.Sizing, name string) estate.Profile {
	t.Helper()
	p, err := s.Profile(name)
	if err != nil {
		t.Fatal(err)
	}
	return p
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// quiet is the dev profile with no load at all, no peak hours: only the fixed estate remains.
func quiet(p cost.Profiles) cost.Traffic {
	t := p.Profiles["dev"]
	t.OrdersPerSecAvg, t.OrdersPerSecPeak, t.QueriesPerSec, t.PeakHoursPerDay = d("0"), d("0"), d("0"), d("0")
	t.AdminRequestsPerDay, t.PriceTicksPerSec, t.WebSocketConnections = d("0"), d("0"), d("0")
	return t
}

func TestParsePriceSheet(t *testing.T) {
	const ok = `{"region":"us-east-1","currency":"USD","hoursPerMonth":"730","prices":{"x":{"usd":"1","unit":"hour","date":"2026-11-25","source":"s","url":"u","verified":"2026-11-25 via https://example.com/p"}}}`
	tests := []struct {
		name, doc string
		wantErr   bool
	}{
		{"complete", ok, false},
		{"no date or source", `{"region":"us-east-1","currency":"USD","hoursPerMonth":"730","prices":{"x":{"usd":"1","unit":"hour"}}}`, true},
		{"negative", strings.Replace(ok, `"usd":"1"`, `"usd":"-1"`, 1), true},
		{"no region", strings.Replace(ok, `"region":"us-east-1"`, `"region":""`, 1), true},
		{"other currency", strings.Replace(ok, `"USD"`, `"EUR"`, 1), true},
		{"unknown field", strings.Replace(ok, `"url":"u"`, `"url":"u","note":"n"`, 1), true},
		{"unverified with a reason", strings.Replace(ok, `"2026-11-25 via https://example.com/p"`, `"unverified: no page found"`, 1), false},
		{"verification missing", strings.Replace(ok, `,"verified":"2026-11-25 via https://example.com/p"`, ``, 1), true},
		{"verified without a date", strings.Replace(ok, `"2026-11-25 via https://example.com/p"`, `"via https://example.com/p"`, 1), true},
		{"unverified without a reason", strings.Replace(ok, `"2026-11-25 via https://example.com/p"`, `"unverified: "`, 1), true},
		{"query without filters", strings.Replace(ok, `"url":"u"`, `"url":"u","query":{"serviceCode":"AmazonEC2"}`, 1), true},
		{"not json", `{`, true},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := cost.ParsePriceSheet([]byte(tt.doc))
			if (err != nil) != tt.wantErr {
				t.Fatalf("err = %v, wantErr %v", err, tt.wantErr)
			}
		})
	}
	s, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	if s.Region != "us-east-1" || !s.HoursPerMonth.Equal(d("730")) {
		t.Fatalf("pinned sheet: region %q hours %s", s.Region, s.HoursPerMonth)
	}
	b, err := s.Marshal()
	if err != nil {
		t.Fatal(err)
	}
	again, err := cost.ParsePriceSheet(b)
	if err != nil || len(again.Prices) != len(s.Prices) {
		t.Fatalf("marshal round trip: %v, %d prices", err, len(again.Prices))
	}
}

// TestPriceSheetCoversEveryLineItem prices every shipped profile in both layouts, and the cross-check:
// every line names the prices it used and each exists; every price in the sheet is used by something.
func TestPriceSheetCoversEveryLineItem(t *testing.T) {
	m, p, s := setup(t)
	used := map[string]bool{}
	for _, n := range cost.ProfileNames {
		tr := p.Profiles[n]
		for _, l := range cost.Layouts {
			b, err := m.Estimate(sizing(t, s, tr.Sizing), tr, l)
			if err != nil {
				t.Fatalf("%s %s: %v", n, l, err)
			}
			for _, ln := range b.Lines {
				if len(ln.Prices) == 0 {
					t.Errorf("%s %s: line %q names no price", n, l, ln.Service)
				}
				for _, k := range ln.Prices {
					if _, ok := m.Sheet.Prices[k]; !ok {
						t.Errorf("%s %s: line %q uses missing price %q", n, l, ln.Service, k)
					}
					used[k] = true
				}
			}
		}
	}
	cc, err := m.CrossCheck()
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range cc.Rows {
		for _, k := range r.Prices {
			used[k] = true
		}
	}
	used["msk.kafka.m5.large"] = true // the broker size the published $302 implies
	for _, k := range m.Sheet.Keys() {
		if !used[k] {
			t.Errorf("price %q is used by no line item", k)
		}
	}
	for _, want := range []string{"EKS control plane", "EKS nodes", "MSK brokers", "MSK storage", "ElastiCache", "DocumentDB instances",
		"DocumentDB storage", "DocumentDB I/O", "ALB", "Lambda requests", "Lambda compute (arm64)", "MSK event source pollers",
		"NAT gateways", "Data transfer out", "KMS", "S3", "CloudFront", "CloudWatch logs"} {
		b, _ := m.Estimate(sizing(t, s, "dev"), p.Profiles["dev"], cost.Hybrid)
		if !slices.ContainsFunc(b.Lines, func(l cost.Line) bool { return l.Service == want }) {
			t.Errorf("hybrid bill lacks %q", want)
		}
	}
}

func TestMissingPriceIsAnError(t *testing.T) {
	m, p, s := setup(t)
	m.Sheet.Prices = map[string]cost.Price{}
	if _, err := m.Estimate(sizing(t, s, "dev"), p.Profiles["dev"], cost.Hybrid); err == nil || !strings.Contains(err.Error(), "eks.cluster") {
		t.Fatalf("err = %v, want a missing eks.cluster price", err)
	}
}

func TestRegionMismatchIsAnError(t *testing.T) {
	m, p, s := setup(t)
	tr := p.Profiles["dev"]
	tr.Region = "eu-west-1"
	if _, err := m.Estimate(sizing(t, s, "dev"), tr, cost.Hybrid); err == nil {
		t.Fatal("eu-west-1 traffic priced with a us-east-1 sheet")
	}
}

// TestLineItemsHandComputed checks line items against arithmetic done by hand from the pinned sheet
// (730 h) and sizing.json.
func TestLineItemsHandComputed(t *testing.T) {
	m, p, s := setup(t)
	dev, prod := sizing(t, s, "dev"), sizing(t, s, "prod")
	q := quiet(p)
	queries := q
	queries.QueriesPerSec = d("1") // 2,628,000 queries/month: 0.6 order-query (25 ms, 512 MiB), 0.4 market-query (10 ms, 256 MiB)
	heavyQueries := q
	heavyQueries.QueriesPerSec = d("1000")
	peaky := q
	// 6,000 orders/s for 6 h a day: gateway needs 6 × 400m ÷ (500m × 60 %) = 8 replicas, processor
	// 6 × 200m ÷ 300m = 4, marketdata 1: 6,250m CPU → 4 m7g.large (1,800m allocatable each) at peak.
	peaky.OrdersPerSecPeak, peaky.PeakHoursPerDay = d("6000"), d("6")
	tests := []struct {
		name    string
		p       estate.Profile
		t       cost.Traffic
		layout  cost.Layout
		service string
		want    string
	}{
		{"control plane 0.10×730", dev, q, cost.Hybrid, "EKS control plane", "73.00"},
		// 2,250m CPU of hot-path requests ÷ 1,800m per node → 2 (also nodeMin): 2 × 0.0816 × 730 = 119.136
		{"dev nodes idle", dev, q, cost.Hybrid, "EKS nodes", "119.14"},
		// + 10 edge pods × 250m = 4,750m → 3 nodes: 3 × 0.0816 × 730 = 178.704
		{"dev nodes idle eks-only", dev, q, cost.EKSOnly, "EKS nodes", "178.70"},
		// (0.75 × 2 + 0.25 × 4) × 730 = 1,825 node-h × 0.0816 = 148.92
		{"dev nodes 6 h peak", dev, peaky, cost.Hybrid, "EKS nodes", "148.92"},
		// 40 GiB × 0.08 × 1,825 / 730 = 8.00
		{"dev node disks 6 h peak", dev, peaky, cost.Hybrid, "EKS node storage", "8.00"},
		// order-query 600/s × 25 ms × 0.2 ÷ 0.6 = 5,000m → 20 pods; market-query 400 × 10 × 0.2 ÷ 0.6 = 1,333m
		// → 6 pods; 3 × 2 idle pods; 32 × 250m + 2,250m = 10,250m → 6 nodes: 6 × 0.0816 × 730 = 357.408
		{"dev nodes 1000 q/s eks-only", dev, heavyQueries, cost.EKSOnly, "EKS nodes", "357.41"},
		{"dev node disks 2×40 GiB", dev, q, cost.Hybrid, "EKS node storage", "6.40"},
		{"dev MSK 3×t3.small", dev, q, cost.Hybrid, "MSK brokers", "99.86"}, // 3 × 0.0456 × 730 = 99.864
		{"dev MSK storage", dev, q, cost.Hybrid, "MSK storage", "30.00"},    // 300 GiB × 0.10
		{"prod MSK 3×m7g.large", prod, q, cost.Hybrid, "MSK brokers", "446.76"},
		{"dev redis", dev, q, cost.Hybrid, "ElastiCache", "11.68"},            // 0.016 × 730
		{"prod redis 3 nodes", prod, q, cost.Hybrid, "ElastiCache", "479.61"}, // 3 × 0.219 × 730
		{"prod docdb 3×r6g.large", prod, q, cost.Hybrid, "DocumentDB instances", "558.45"},
		{"dev docdb storage", dev, q, cost.Hybrid, "DocumentDB storage", "2.00"},
		{"ALB idle", dev, q, cost.Hybrid, "ALB", "16.43"}, // 0.0225 × 730 = 16.425
		// + 2 KB/s = 0.0068665 GB/h → LCU-h 5.0125 × 0.008 = 0.0401
		{"ALB 1 q/s", dev, queries, cost.Hybrid, "ALB", "16.47"},
		{"dev NAT", dev, q, cost.Hybrid, "NAT gateways", "34.20"},     // 32.85 + 30 × 0.045
		{"prod NAT 3", prod, q, cost.Hybrid, "NAT gateways", "99.90"}, // 98.55 + 1.35
		{"no egress idle", dev, q, cost.Hybrid, "Data transfer out", "0"},
		// 2 KB × 2,628,000 = 5.0125 GB × 0.09
		{"egress 1 q/s", dev, queries, cost.EKSOnly, "Data transfer out", "0.45"},
		{"KMS", dev, q, cost.Hybrid, "KMS", "5.90"},                                     // 5 + 300000/10000 × 0.03
		{"S3", dev, q, cost.Hybrid, "S3", "0.12"},                                       // 5 × 0.023 = 0.115
		{"CloudFront", dev, q, cost.Hybrid, "CloudFront", "0.19"},                       // 2 × 0.085 + 2 × 0.01
		{"Lambda requests 1 q/s", dev, queries, cost.Hybrid, "Lambda requests", "0.53"}, // 2,628,000 × 0.2e-6
		// 1,576,800 × 0.025 × 0.5 + 1,051,200 × 0.010 × 0.25 = 22,338 GB-s × 0.0000133334 = 0.2978
		{"Lambda compute 1 q/s", dev, queries, cost.Hybrid, "Lambda compute (arm64)", "0.30"},
		{"no pollers charge in default mode", dev, queries, cost.Hybrid, "MSK event source pollers", "0"},
		{"no Lambda in EKS-only", dev, queries, cost.EKSOnly, "Lambda requests", "0"},
		{"DocumentDB I/O 1 q/s", dev, queries, cost.Hybrid, "DocumentDB I/O", "1.05"}, // 2 × 2.628 M × 0.20
		// (1,314,000 KB of query logs + 2,628,000 × 0.35 KB of REPORT lines) = 2.1303 GB × 0.5
		// + 14/30 of it stored × 0.03 = 1.0950
		{"logs 1 q/s hybrid", dev, queries, cost.Hybrid, "CloudWatch logs", "1.09"},
		{"logs 1 q/s eks-only", dev, queries, cost.EKSOnly, "CloudWatch logs", "0.64"}, // 1.2531 GB × 0.5 + 0.5848 × 0.03
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			b, err := m.Estimate(tt.p, tt.t, tt.layout)
			if err != nil {
				t.Fatal(err)
			}
			if got := b.Line(tt.service); !got.Equal(d(tt.want)) {
				t.Errorf("%s = %s, want %s", tt.service, got, tt.want)
			}
			sum := decimal.Zero
			for _, l := range b.Lines {
				sum = sum.Add(l.Monthly)
			}
			if !sum.Equal(b.Total) {
				t.Errorf("total %s != sum of lines %s", b.Total, sum)
			}
		})
	}
}

// TestMoreLoadNeverCostsLess raises each load input alone, then all together, for every profile and
// layout, and checks the monthly total never falls.
func TestMoreLoadNeverCostsLess(t *testing.T) {
	m, p, s := setup(t)
	scale := map[string]func(tr *cost.Traffic, k decimal.Decimal){
		"orders": func(tr *cost.Traffic, k decimal.Decimal) {
			tr.OrdersPerSecAvg, tr.OrdersPerSecPeak = tr.OrdersPerSecAvg.Mul(k), tr.OrdersPerSecPeak.Mul(k)
		},
		"queries":     func(tr *cost.Traffic, k decimal.Decimal) { tr.QueriesPerSec = tr.QueriesPerSec.Mul(k) },
		"admin":       func(tr *cost.Traffic, k decimal.Decimal) { tr.AdminRequestsPerDay = tr.AdminRequestsPerDay.Mul(k) },
		"ticks":       func(tr *cost.Traffic, k decimal.Decimal) { tr.PriceTicksPerSec = tr.PriceTicksPerSec.Mul(k) },
		"websockets":  func(tr *cost.Traffic, k decimal.Decimal) { tr.WebSocketConnections = tr.WebSocketConnections.Mul(k) },
		"query peaks": func(tr *cost.Traffic, k decimal.Decimal) { tr.QueryPeakFactor = tr.QueryPeakFactor.Mul(k) },
		"peak hours": func(tr *cost.Traffic, k decimal.Decimal) {
			tr.PeakHoursPerDay = decimal.Min(d("24"), tr.PeakHoursPerDay.Mul(k))
		},
	}
	scale["everything"] = func(tr *cost.Traffic, k decimal.Decimal) {
		for name, f := range scale {
			if name != "everything" {
				f(tr, k)
			}
		}
	}
	for _, n := range cost.ProfileNames {
		base := p.Profiles[n]
		sz := sizing(t, s, base.Sizing)
		for what, f := range scale {
			for _, l := range cost.Layouts {
				prev := decimal.Zero
				for _, k := range []string{"1", "1.5", "2", "4", "8", "16", "64"} {
					tr := base
					f(&tr, d(k))
					b, err := m.Estimate(sz, tr, l)
					if err != nil {
						t.Fatal(err)
					}
					if b.Total.LessThan(prev) {
						t.Errorf("%s %s: %s ×%s costs %s < %s", n, l, what, k, b.Total, prev)
					}
					prev = b.Total
				}
			}
		}
	}
}

func TestBreakEvenSyntheticCurves(t *testing.T) {
	tests := []struct {
		name   string
		diff   func(float64) float64
		lo, hi float64
		want   float64
		found  bool
	}{
		{"linear falling", func(x float64) float64 { return 300 - 2*x }, 0, 1000, 150, true},
		{"linear rising", func(x float64) float64 { return x - 42.5 }, 0, 100, 42.5, true},
		{"monotone steps", func(x float64) float64 { return 200 - 100*math.Floor(x/100) - 0.1*x }, 0, 1000, 200, true},
		// Node steps make the difference saw-tooth: the first crossing is the one reported.
		{"saw-tooth, first of three crossings", func(x float64) float64 { return math.Mod(x, 100) - 50 + 0.01*x }, 1, 300, 49.5049, true},
		{"root at lo", func(x float64) float64 { return x }, 0, 10, 0, true},
		{"root at hi", func(x float64) float64 { return 10 - x }, 0, 10, 10, true},
		{"never crosses", func(x float64) float64 { return 10 + x }, 0, 100, 0, false},
		{"stays above zero", func(x float64) float64 { return math.Abs(x-25) + 1 }, 0, 100, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := cost.BreakEven(tt.diff, tt.lo, tt.hi, 1e-6)
			if ok != tt.found || (ok && math.Abs(got-tt.want) > 1e-3) {
				t.Errorf("BreakEven = %v, %v; want %v, %v", got, ok, tt.want, tt.found)
			}
		})
	}
}

// TestBreakEvenOnModelIsACrossing checks that every break-even Compare reports is a real sign change of
// the model's own difference, and that the side it calls cheaper below the crossing is.
func TestBreakEvenOnModelIsACrossing(t *testing.T) {
	m, p, s := setup(t)
	for _, n := range cost.ProfileNames {
		tr := p.Profiles[n]
		sz := sizing(t, s, tr.Sizing)
		c, err := m.Compare(sz, n, tr)
		if err != nil {
			t.Fatal(err)
		}
		if !c.Difference.Equal(c.EKSOnly.Total.Sub(c.Hybrid.Total)) {
			t.Errorf("%s: difference %s", n, c.Difference)
		}
		for what, be := range map[string]struct {
			pt   cost.BreakEvenPoint
			vary func(cost.Traffic, float64) cost.Traffic
		}{"queries": {c.Queries, cost.AtQueries}, "orders": {c.Orders, cost.AtOrders}} {
			diff := func(x float64) float64 {
				h, _ := m.Estimate(sz, be.vary(tr, x), cost.Hybrid)
				e, _ := m.Estimate(sz, be.vary(tr, x), cost.EKSOnly)
				return e.Total.Sub(h.Total).InexactFloat64()
			}
			if cheaperBelow := map[bool]cost.Layout{true: cost.Hybrid, false: cost.EKSOnly}[diff(0) > 0]; be.pt.CheaperBelow != cheaperBelow {
				t.Errorf("%s %s: cheaper below = %s, want %s", n, what, be.pt.CheaperBelow, cheaperBelow)
			}
			if !be.pt.Found {
				continue
			}
			below, above := diff(math.Max(0, be.pt.At-0.05)), diff(be.pt.At+0.05)
			if (below > 0) == (above > 0) {
				t.Errorf("%s %s: no sign change around %v: %v, %v", n, what, be.pt.At, below, above)
			}
		}
	}
}

func TestCrossCheckExplainsThePublished514(t *testing.T) {
	m, _, _ := setup(t)
	cc, err := m.CrossCheck()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct{ model, model720 string }{
		"EKS control plane": {"73.00", "72.00"},
		"MSK brokers":       {"66.58", "65.66"}, // 2 × 0.0456 × 730 | 720
		"ElastiCache":       {"12.41", "12.24"},
		"DocumentDB":        {"56.94", "56.16"},
		"ALB":               {"16.43", "16.20"},
		"KMS":               {"5.00", "5.00"},
		"S3":                {"0.99", "0.99"}, // 43 GB × 0.023
		"NAT gateway":       {"32.85", "32.40"},
		"EKS node":          {"16.78", "16.58"}, // t3.small 0.0208 h + 20 GiB × 0.08
	}
	published := decimal.Zero
	for _, r := range cc.Rows {
		w, ok := want[r.Service]
		if !ok {
			t.Errorf("unexpected row %q", r.Service)
			continue
		}
		if !r.Model.Equal(d(w.model)) || !r.Model720.Equal(d(w.model720)) {
			t.Errorf("%s = %s / %s at 720 h, want %s / %s", r.Service, r.Model, r.Model720, w.model, w.model720)
		}
		if r.Explanation == "" {
			t.Errorf("%s: no explanation", r.Service)
		}
		published = published.Add(r.Published)
	}
	if !published.Equal(d("458")) {
		t.Errorf("itemised published lines sum to %s, want 458", published)
	}
	if cc.ImpliedBroker != "kafka.m5.large" {
		t.Errorf("$302 implies %q, want kafka.m5.large", cc.ImpliedBroker)
	}
	// 2 × 0.21 × 720 = 302.40 in place of 65.66: within 2 % of the published ≈514.
	if gap := cc.ImpliedTotal.Sub(d("514")).Abs(); gap.GreaterThan(d("10.28")) {
		t.Errorf("implied total %s is %s from 514", cc.ImpliedTotal, gap)
	}
	// 514 − 458 itemised − (NAT 32.40 + node 16.58) at 720 h
	if !cc.Unitemised.Equal(d("7.02")) {
		t.Errorf("unitemised = %s, want 7.02", cc.Unitemised)
	}
}

func TestSVGMarksBreakEvenAndProfile(t *testing.T) {
	pts := []cost.Point{{QPS: 0, Hybrid: 10, EKSOnly: 20}, {QPS: 100, Hybrid: 30, EKSOnly: 25}}
	tests := []struct {
		name    string
		be      cost.BreakEvenPoint
		current float64
		want    []string
	}{
		{"crossing", cost.BreakEvenPoint{At: 60, Found: true}, 20, []string{"<svg", "<polyline", "break-even 60.0 q/s: hybrid cheaper below, eks-only above", "<circle", "profile 20 q/s", "</svg>"}},
		{"no crossing", cost.BreakEvenPoint{CheaperBelow: cost.EKSOnly}, -1, []string{"no break-even in range: eks-only cheaper throughout", ">$5<", ">$35<", ">20<", ">100<"}}, // ticks on round steps: 10..30 padded to 5..35 by 5, 0..100 by 20
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			svg := string(cost.SVG("t <&>", pts, tt.be, tt.current))
			for _, s := range append(tt.want, "t &lt;&amp;&gt;") {
				if !strings.Contains(svg, s) {
					t.Errorf("svg lacks %q", s)
				}
			}
		})
	}
}

func TestAtOrdersKeepsPeakRatio(t *testing.T) {
	tests := []struct {
		avg, peak string
		to        float64
		wantPeak  string
	}{
		{"20", "200", 40, "400"},
		{"0", "0", 5, "5"},
	}
	for _, tt := range tests {
		got := cost.AtOrders(cost.Traffic{OrdersPerSecAvg: d(tt.avg), OrdersPerSecPeak: d(tt.peak)}, tt.to)
		if !got.OrdersPerSecPeak.Equal(d(tt.wantPeak)) || got.OrdersPerSecAvg.InexactFloat64() != tt.to {
			t.Errorf("AtOrders(%s/%s, %v) = %s/%s", tt.avg, tt.peak, tt.to, got.OrdersPerSecAvg, got.OrdersPerSecPeak)
		}
	}
}

func TestParseProfilesRejectsBadTraffic(t *testing.T) {
	_, p, _ := setup(t)
	tests := []struct {
		name  string
		spoil func(*cost.Traffic)
	}{
		{"peak below average", func(tr *cost.Traffic) { tr.OrdersPerSecPeak = d("0.5") }},
		{"negative queries", func(tr *cost.Traffic) { tr.QueriesPerSec = d("-1") }},
		{"25 peak hours", func(tr *cost.Traffic) { tr.PeakHoursPerDay = d("25") }},
		{"query peak below 1", func(tr *cost.Traffic) { tr.QueryPeakFactor = d("0.5") }},
		{"no region", func(tr *cost.Traffic) { tr.Region = "" }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tr := p.Profiles["dev"]
			tt.spoil(&tr)
			if err := tr.Validate(); err == nil {
				t.Fatal("accepted")
			}
		})
	}
	if _, err := cost.ParseProfiles([]byte(`{"profiles":{}}`)); err == nil {
		t.Fatal("profiles without the shipped names accepted")
	}
}

func TestWithQuotes(t *testing.T) {
	s, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	before := s.Prices["ec2.m7g.large"]
	got, err := s.WithQuotes(map[string]cost.Quote{"ec2.m7g.large": {USD: d("0.09"), SKU: "J4NPDA23XG74H3ZT"}}, "2027-01-02")
	if err != nil {
		t.Fatal(err)
	}
	p := got.Prices["ec2.m7g.large"]
	if !p.USD.Equal(d("0.09")) || p.Date != "2027-01-02" || p.Source != cost.RefreshSource || p.Query == nil ||
		p.Verified != "2027-01-02 via AWS Price List API GetProducts, SKU J4NPDA23XG74H3ZT" || !p.IsVerified() {
		t.Errorf("refreshed price = %+v", p)
	}
	if _, err := got.Marshal(); err != nil {
		t.Fatal(err)
	}
	if s.Prices["ec2.m7g.large"] != before {
		t.Error("WithQuotes changed the original sheet")
	}
	if got.Prices["nat.hour"] != s.Prices["nat.hour"] {
		t.Error("an unquoted price changed")
	}
	for name, q := range map[string]map[string]cost.Quote{
		"unknown key": {"ec2.x1.huge": {USD: d("1"), SKU: "S"}},
		"negative":    {"ec2.m7g.large": {USD: d("-1"), SKU: "S"}},
		"no SKU":      {"ec2.m7g.large": {USD: d("1")}},
	} {
		if _, err := s.WithQuotes(q, "2027-01-02"); err == nil {
			t.Errorf("%s: quote accepted", name)
		}
	}
}

// TestHotPathScalesWithLoad raises each load driver alone over five orders of magnitude, for both
// sizings and both layouts: the replicas of the workload it drives and the nodes never fall at either
// load level, and at the top they are above the sizing's floor, so the driver really scales them.
func TestHotPathScalesWithLoad(t *testing.T) {
	m, p, s := setup(t)
	drivers := []struct {
		name, workload string
		set            func(*cost.Traffic, decimal.Decimal)
	}{
		{"orders", "gateway", func(tr *cost.Traffic, v decimal.Decimal) { tr.OrdersPerSecAvg, tr.OrdersPerSecPeak = v, v.Mul(d("10")) }},
		{"orders", "processor", func(tr *cost.Traffic, v decimal.Decimal) { tr.OrdersPerSecAvg, tr.OrdersPerSecPeak = v, v.Mul(d("10")) }},
		{"peak orders", "gateway", func(tr *cost.Traffic, v decimal.Decimal) { tr.OrdersPerSecPeak = v }},
		{"price ticks", "marketdata", func(tr *cost.Traffic, v decimal.Decimal) { tr.PriceTicksPerSec = v }},
		{"websockets", "gateway", func(tr *cost.Traffic, v decimal.Decimal) { tr.WebSocketConnections = v }},
	}
	for _, sizingName := range []string{"dev", "prod"} {
		sz := sizing(t, s, sizingName)
		for _, l := range cost.Layouts {
			for _, dr := range drivers {
				t.Run(sizingName+"/"+l.String()+"/"+dr.name+"/"+dr.workload, func(t *testing.T) {
					var prev [2]cost.Cluster
					for i, v := range []string{"0", "10", "100", "1000", "10000", "100000"} {
						tr := quiet(p)
						tr.PeakHoursPerDay = d("4")
						dr.set(&tr, d(v))
						off, peak, err := m.Clusters(sz, tr, l)
						if err != nil {
							t.Fatal(err)
						}
						for lv, c := range [2]cost.Cluster{off, peak} {
							if i > 0 && (c.Replicas[dr.workload] < prev[lv].Replicas[dr.workload] || c.Nodes < prev[lv].Nodes) {
								t.Errorf("%s at %s: level %d has %d replicas, %d nodes; before %d, %d", dr.name, v, lv, c.Replicas[dr.workload], c.Nodes, prev[lv].Replicas[dr.workload], prev[lv].Nodes)
							}
						}
						prev = [2]cost.Cluster{off, peak}
					}
					floor := int64(sz.Workloads[dr.workload].MinReplicas)
					if prev[1].Replicas[dr.workload] <= floor || prev[1].Nodes <= int64(sz.EKS.NodeMin) {
						t.Errorf("%s at 100000: %s has %d replicas (floor %d) on %d nodes (nodeMin %d): the load does not drive it",
							dr.name, dr.workload, prev[1].Replicas[dr.workload], floor, prev[1].Nodes, sz.EKS.NodeMin)
					}
				})
			}
		}
	}
}

// TestClustersHandComputed checks replica and node counts against arithmetic from sizing.json (prod,
// c7g.2xlarge: 7,200m CPU and 14,745.6 MiB allocatable per node).
func TestClustersHandComputed(t *testing.T) {
	m, p, s := setup(t)
	prod := sizing(t, s, "prod")
	ex := p.Profiles["exchange"]
	off, peak, err := m.Clusters(prod, ex, cost.Hybrid)
	if err != nil {
		t.Fatal(err)
	}
	// Off-peak: gateway max(4, 2,000 orders/s × 400m/1k ÷ 1,200m = 1, 50,000 WebSockets ÷ 5,000 = 10) = 10;
	// processor max(6, 400m ÷ 1,200m) = 6; marketdata max(2, 10,000 ticks × 100m/1k ÷ 700m = 1.4) = 2.
	// CPU 10 × 2,000 + 6 × 2,000 + 2 × 1,000 = 34,000m → 5 nodes; memory 47,104 MiB → 4 nodes.
	// Peak: gateway max(4, 20,000 × 400m/1k ÷ 1,200m = 6.7, 10) = 10: the WebSockets bind, not the orders.
	for name, c := range map[string]cost.Cluster{"off-peak": off, "peak": peak} {
		if c.Replicas["gateway"] != 10 || c.Replicas["processor"] != 6 || c.Replicas["marketdata"] != 2 ||
			!c.CPUMilli.Equal(d("34000")) || !c.MemMiB.Equal(d("47104")) || c.Nodes != 5 || c.EdgePods != 0 || len(c.OverMax) != 0 {
			t.Errorf("%s = %+v", name, c)
		}
	}
	ex.WebSocketConnections = d("0")
	_, peak, err = m.Clusters(prod, ex, cost.Hybrid)
	if err != nil {
		t.Fatal(err)
	}
	if peak.Replicas["gateway"] != 7 {
		t.Errorf("peak gateway without WebSockets = %d, want ceil(6.7) = 7", peak.Replicas["gateway"])
	}
}

// TestOverSizingIsWarnedNotCapped checks that load beyond the sizing is priced in full and said.
func TestOverSizingIsWarnedNotCapped(t *testing.T) {
	m, p, s := setup(t)
	prod := sizing(t, s, "prod")
	ex := p.Profiles["exchange"]
	e, err := m.Estimate(prod, ex, cost.EKSOnly)
	if err != nil {
		t.Fatal(err)
	}
	off, peak, err := m.Clusters(prod, ex, cost.EKSOnly)
	if err != nil {
		t.Fatal(err)
	}
	if peak.Nodes <= int64(prod.EKS.NodeMax) {
		t.Fatalf("exchange EKS-only needs %d nodes at peak, within nodeMax %d: the case this test is about is gone", peak.Nodes, prod.EKS.NodeMax)
	}
	want := "eks-only at peak load needs " + decimal.NewFromInt(peak.Nodes).String() + " c7g.2xlarge nodes > nodeMax 12"
	if len(e.Warnings) != 1 || !strings.Contains(e.Warnings[0], want) || !strings.Contains(e.Warnings[0], "not capped") {
		t.Errorf("warnings = %q, want one containing %q", e.Warnings, want)
	}
	// Node-hours = (off-peak × 20 h + peak × 4 h) ÷ 24 × 730, at $0.29/h, with the peak count uncapped.
	nodeHours := decimal.NewFromInt(off.Nodes*20 + peak.Nodes*4).Div(d("24")).Mul(d("730"))
	if got, want := e.Line("EKS nodes"), nodeHours.Mul(d("0.29")).Round(2); !got.Equal(want) {
		t.Errorf("EKS nodes = %s, want %s (uncapped)", got, want)
	}
	h, err := m.Estimate(prod, ex, cost.Hybrid)
	if err != nil {
		t.Fatal(err)
	}
	if len(h.Warnings) != 0 {
		t.Errorf("hybrid exchange fits its sizing but warns %q", h.Warnings)
	}
	dev := sizing(t, s, "dev")
	crowd := quiet(p)
	crowd.WebSocketConnections = d("20000") // 10 gateway replicas at 2,000 each, maxReplicas 6
	b, err := m.Estimate(dev, crowd, cost.Hybrid)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.ContainsFunc(b.Warnings, func(w string) bool { return strings.Contains(w, "gateway needs 10 replicas > maxReplicas 6") }) {
		t.Errorf("warnings = %q", b.Warnings)
	}
}

func TestPinnedPricesSayWhetherTheyAreVerified(t *testing.T) {
	s, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	for _, k := range s.Keys() {
		p := s.Prices[k]
		if p.IsVerified() && !strings.Contains(p.Verified, "https://") {
			t.Errorf("%s is verified without naming where: %q", k, p.Verified)
		}
	}
}
