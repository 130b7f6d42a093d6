package costmodel_test

import (
	"math"
	"strings"
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/costmodel"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
)

func setup(t *testing.T) (costmodel.Model, costmodel.Profiles, estate.Sizing) {
	t.Helper()
	m, p, err := costmodel.New()
	if err != nil {
		t.Fatal(err)
	}
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	return m, p, s
}

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func TestPriceSheetParsesWithProvenance(t *testing.T) {
	s, err := costmodel.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	if s.Region != "us-east-1" || !s.HoursPerMonth.Equal(d("730")) {
		t.Fatalf("region %q hours %s", s.Region, s.HoursPerMonth)
	}
	if _, err := costmodel.ParsePriceSheet([]byte(`{"region":"us-east-1","currency":"USD","hoursPerMonth":"730","prices":{"x":{"usd":"1","unit":"hour"}}}`)); err == nil {
		t.Fatal("price without date/source accepted")
	}
}

func TestPriceSheetCoversEveryLineItem(t *testing.T) {
	m, p, s := setup(t)
	for _, n := range costmodel.ProfileNames {
		if _, err := m.Compare(s, p, n, 1000); err != nil {
			t.Errorf("%s: %v", n, err)
		}
	}
	if _, err := m.CrossCheck(); err != nil {
		t.Error(err)
	}
	for _, k := range []string{"ec2.m7g.large", "ec2.c7g.2xlarge", "ec2.t3.small", "msk.kafka.t3.small", "msk.kafka.m7g.large", "msk.kafka.m5.large",
		"elasticache.cache.t4g.micro", "elasticache.cache.r7g.large", "elasticache.cache.t3.micro", "docdb.db.t4g.medium", "docdb.db.r6g.large",
		"docdb.db.t3.medium", "docdb.io", "alb.lcu", "lambda.arm64.gbs", "lambda.requests", "nat.gb", "kms.requests", "s3.storage", "cloudfront.gb", "logs.ingest", "logs.storage"} {
		if _, err := m.Sheet.Get(k); err != nil {
			t.Error(err)
		}
	}
	delete(m.Sheet.Prices, "msk.storage")
	if _, err := m.Compare(s, p, "dev", 100); err == nil {
		t.Error("missing price not reported")
	}
}

func TestLineItemsHandComputed(t *testing.T) {
	m, p, s := setup(t)
	dev, _ := s.Profile("dev")
	prod, _ := s.Profile("prod")
	quiet := p.Profiles["dev"]
	quiet.OrdersPerSecAvg, quiet.OrdersPerSecPeak, quiet.QueriesPerSec = d("0"), d("0"), d("0")
	quiet.AdminRequestsPerDay, quiet.PriceTicksPerSec, quiet.WebSocketConnections = d("0"), d("0"), d("0")
	// 1M order-query requests/month ≈ 1e6/2628000 per second at share 0.6: use an exact rate instead.
	loaded := quiet
	loaded.QueriesPerSec = d("1") // 2,628,000 queries/month; 0.6 order-query (25 ms, 512 MiB), 0.4 market-query (10 ms, 256 MiB)
	tests := []struct {
		name    string
		p       estate.Profile
		t       costmodel.Traffic
		layout  costmodel.Layout
		service string
		want    string
	}{
		{"control plane 0.10×730", dev, quiet, costmodel.Hybrid, "EKS control plane", "73.00"},
		{"dev nodes 2×m7g.large", dev, quiet, costmodel.Hybrid, "EKS nodes", "119.14"},        // 2 × 0.0816 × 730
		{"dev node disks 2×40 GiB", dev, quiet, costmodel.Hybrid, "EKS node storage", "6.40"}, // 80 × 0.08
		{"dev MSK 3×t3.small", dev, quiet, costmodel.Hybrid, "MSK brokers", "99.86"},          // 3 × 0.0456 × 730 = 99.864
		{"dev MSK storage", dev, quiet, costmodel.Hybrid, "MSK storage", "30.00"},             // 300 GiB × 0.10
		{"prod MSK 3×m7g.large", prod, quiet, costmodel.Hybrid, "MSK brokers", "446.76"},      // 3 × 0.204 × 730
		{"dev redis", dev, quiet, costmodel.Hybrid, "ElastiCache", "11.68"},                   // 0.016 × 730
		{"prod redis 3 nodes", prod, quiet, costmodel.Hybrid, "ElastiCache", "479.61"},        // 3 × 0.219 × 730
		{"prod docdb 3×r6g.large", prod, quiet, costmodel.Hybrid, "DocumentDB instances", "558.45"},
		{"dev docdb storage", dev, quiet, costmodel.Hybrid, "DocumentDB storage", "2.00"},
		{"ALB idle", dev, quiet, costmodel.Hybrid, "ALB", "16.43"},                          // 0.0225 × 730 = 16.425
		{"dev NAT", dev, quiet, costmodel.Hybrid, "NAT gateways", "34.20"},                  // 32.85 + 30 × 0.045
		{"prod NAT 3", prod, quiet, costmodel.Hybrid, "NAT gateways", "99.90"},              // 98.55 + 1.35
		{"KMS", dev, quiet, costmodel.Hybrid, "KMS", "5.90"},                                // 5 + 300000/10000 × 0.03
		{"S3", dev, quiet, costmodel.Hybrid, "S3", "0.12"},                                  // 5 × 0.023 = 0.115
		{"CloudFront", dev, quiet, costmodel.Hybrid, "CloudFront", "0.19"},                  // 2 × 0.085 + 2 × 0.01
		{"Lambda requests 1 q/s", dev, loaded, costmodel.Hybrid, "Lambda requests", "0.53"}, // 2,628,000 × 0.2e-6 = 0.5256
		// GB-s: 1,576,800 × 0.025 × 0.5 + 1,051,200 × 0.010 × 0.25 = 19,710 + 2,628 = 22,338 → × 0.0000133334 = 0.2978
		{"Lambda compute 1 q/s", dev, loaded, costmodel.Hybrid, "Lambda compute (arm64)", "0.30"},
		{"no Lambda in EKS-only", dev, loaded, costmodel.EKSOnly, "Lambda requests", "0"},
		{"DocumentDB I/O 1 q/s", dev, loaded, costmodel.Hybrid, "DocumentDB I/O", "1.05"}, // 2 × 2,628,000 / 1e6 × 0.20 = 1.0512
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
			var sum decimal.Decimal
			for _, l := range b.Lines {
				sum = sum.Add(l.Monthly)
			}
			if !sum.Equal(b.Total) {
				t.Errorf("total %s != sum of lines %s", b.Total, sum)
			}
		})
	}
}

func TestMoreLoadNeverCostsLess(t *testing.T) {
	m, p, s := setup(t)
	for _, n := range costmodel.ProfileNames {
		base := p.Profiles[n]
		sz, _ := s.Profile(base.Sizing)
		for _, layout := range []costmodel.Layout{costmodel.Hybrid, costmodel.EKSOnly} {
			prev := decimal.Zero
			for _, f := range []string{"0", "0.5", "1", "2", "4", "8", "16"} {
				tr := base
				k := d(f)
				tr.OrdersPerSecAvg, tr.OrdersPerSecPeak = base.OrdersPerSecAvg.Mul(k), base.OrdersPerSecPeak.Mul(k)
				tr.QueriesPerSec, tr.AdminRequestsPerDay = base.QueriesPerSec.Mul(k), base.AdminRequestsPerDay.Mul(k)
				tr.PriceTicksPerSec, tr.WebSocketConnections = base.PriceTicksPerSec.Mul(k), base.WebSocketConnections.Mul(k)
				b, err := m.Estimate(sz, tr, layout)
				if err != nil {
					t.Fatal(err)
				}
				if b.Total.LessThan(prev) {
					t.Errorf("%s %s: load ×%s costs %s < %s", n, layout, f, b.Total, prev)
				}
				prev = b.Total
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
		{"root at lo", func(x float64) float64 { return x }, 0, 10, 0, true},
		{"never crosses", func(x float64) float64 { return 10 + x }, 0, 100, 0, false},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, ok := costmodel.BreakEven(tt.diff, tt.lo, tt.hi, 1e-6)
			if ok != tt.found || (ok && math.Abs(got-tt.want) > 1e-3) {
				t.Errorf("BreakEven = %v, %v; want %v, %v", got, ok, tt.want, tt.found)
			}
		})
	}
}

func TestBreakEvenOnModelIsACrossing(t *testing.T) {
	m, p, s := setup(t)
	c, err := m.Compare(s, p, "small-desk", 1000)
	if err != nil {
		t.Fatal(err)
	}
	if !c.BreakEvenFound {
		t.Skip("no crossing for small-desk under current assumptions")
	}
	sz, _ := s.Profile("dev")
	below, _ := m.DifferenceAt(sz, p.Profiles["small-desk"], c.BreakEvenQPS-0.05)
	above, _ := m.DifferenceAt(sz, p.Profiles["small-desk"], c.BreakEvenQPS+0.05)
	if (below > 0) == (above > 0) {
		t.Errorf("no sign change around %v: %v, %v", c.BreakEvenQPS, below, above)
	}
}

func TestCrossCheckMSKImpliesM5Large(t *testing.T) {
	m, _, _ := setup(t)
	rows, err := m.CrossCheck()
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]string{"EKS control plane": "73.00", "MSK brokers": "66.58", "ElastiCache": "12.41", "DocumentDB": "56.94", "ALB": "16.43", "KMS": "5.00"}
	for _, r := range rows {
		if w, ok := want[r.Service]; ok && !r.Model.Equal(d(w)) {
			t.Errorf("%s = %s, want %s", r.Service, r.Model, w)
		}
		if r.Service == "MSK brokers" && !strings.Contains(r.Explanation, "m5.large") {
			t.Errorf("MSK explanation %q", r.Explanation)
		}
	}
}

func TestSVGMarksBreakEven(t *testing.T) {
	svg := string(costmodel.SVG("t", []costmodel.Point{{0, 10, 20}, {100, 30, 25}}, 60, true))
	for _, s := range []string{"<svg", "<polyline", "break-even 60", "</svg>"} {
		if !strings.Contains(svg, s) {
			t.Errorf("svg lacks %q", s)
		}
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
		got := costmodel.AtOrders(costmodel.Traffic{OrdersPerSecAvg: d(tt.avg), OrdersPerSecPeak: d(tt.peak)}, tt.to)
		if !got.OrdersPerSecPeak.Equal(d(tt.wantPeak)) || got.OrdersPerSecAvg.InexactFloat64() != tt.to {
			t.Errorf("AtOrders(%s/%s, %v) = %s/%s", tt.avg, tt.peak, tt.to, got.OrdersPerSecAvg, got.OrdersPerSecPeak)
		}
	}
}
