package cost

import (
	"fmt"
	"math"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
)

// BreakEvenPoint is where the two layouts cost the same as one load variable sweeps a range, all other
// load held at the profile.
type BreakEvenPoint struct {
	// At is the load (queries/s or average orders/s) of the first crossing; valid when Found.
	At    float64
	Found bool
	// Lo and Hi bound the range searched.
	Lo, Hi float64
	// CheaperBelow is the layout that costs less below At (or over the whole range when not Found).
	CheaperBelow Layout
}

// Comparison is both layouts side by side for one traffic profile.
type Comparison struct {
	Profile string
	Traffic Traffic
	Hybrid  Bill
	EKSOnly Bill
	// Difference is EKS-only minus hybrid: positive when hybrid is cheaper.
	Difference decimal.Decimal
	// Queries sweeps the query volume; Orders sweeps the average order rate with the peak scaled by the
	// profile's peak/average ratio.
	Queries, Orders BreakEvenPoint
}

// QueryRange is the query volume range Compare searches and charts: twenty times the profile's, at
// least 1,000 q/s, so every shipped profile shows where it sits relative to the crossing.
func QueryRange(t Traffic) float64 { return math.Max(1000, 20*t.QueriesPerSec.InexactFloat64()) }

// OrderRange is the average order rate range Compare searches, on the same rule as QueryRange.
func OrderRange(t Traffic) float64 { return math.Max(100, 20*t.OrdersPerSecAvg.InexactFloat64()) }

// Compare prices both layouts of sizing p under the traffic profile name/t and searches both
// break-even points.
func (m Model) Compare(p estate.Profile, name string, t Traffic) (Comparison, error) {
	h, err := m.Estimate(p, t, Hybrid)
	if err != nil {
		return Comparison{}, fmt.Errorf("cost: %s: %w", name, err)
	}
	e, err := m.Estimate(p, t, EKSOnly)
	if err != nil {
		return Comparison{}, fmt.Errorf("cost: %s: %w", name, err)
	}
	c := Comparison{Profile: name, Traffic: t, Hybrid: h, EKSOnly: e, Difference: e.Total.Sub(h.Total)}
	c.Queries, err = m.search(p, t, AtQueries, QueryRange(t))
	if err != nil {
		return Comparison{}, err
	}
	c.Orders, err = m.search(p, t, AtOrders, OrderRange(t))
	if err != nil {
		return Comparison{}, err
	}
	return c, nil
}

// search finds the first crossing of EKS-only − hybrid as vary sets one load variable over [0, hi].
func (m Model) search(p estate.Profile, t Traffic, vary func(Traffic, float64) Traffic, hi float64) (BreakEvenPoint, error) {
	var firstErr error
	diff := func(x float64) float64 {
		h, e, err := m.totals(p, vary(t, x))
		if err != nil && firstErr == nil {
			firstErr = err
		}
		return e - h
	}
	at, found := BreakEven(diff, 0, hi, 0.01)
	if firstErr != nil {
		return BreakEvenPoint{}, firstErr
	}
	cheaper := Hybrid
	if diff(0) < 0 {
		cheaper = EKSOnly
	}
	return BreakEvenPoint{At: at, Found: found, Lo: 0, Hi: hi, CheaperBelow: cheaper}, nil
}

// AtOrders returns t with its average order rate replaced by ordersPerSec and its peak scaled by the same
// factor, keeping the profile's peak/average ratio.
func AtOrders(t Traffic, ordersPerSec float64) Traffic {
	o := decimal.NewFromFloat(ordersPerSec)
	if t.OrdersPerSecAvg.Sign() > 0 {
		t.OrdersPerSecPeak = t.OrdersPerSecPeak.Mul(o).Div(t.OrdersPerSecAvg)
	} else {
		t.OrdersPerSecPeak = o
	}
	t.OrdersPerSecAvg = o
	return t
}

// AtQueries returns t with its average query volume replaced by qps (the peak factor still applies).
func AtQueries(t Traffic, qps float64) Traffic {
	t.QueriesPerSec = decimal.NewFromFloat(qps)
	return t
}

// totals returns both layouts' monthly totals as float coordinates.
func (m Model) totals(p estate.Profile, t Traffic) (hybrid, eksOnly float64, err error) {
	h, err := m.Estimate(p, t, Hybrid)
	if err != nil {
		return 0, 0, err
	}
	e, err := m.Estimate(p, t, EKSOnly)
	if err != nil {
		return 0, 0, err
	}
	return h.Total.InexactFloat64(), e.Total.InexactFloat64(), nil
}

// BreakEven finds the first x in [lo, hi] where diff changes sign. Cost curves move in whole-node and
// whole-pod steps, so diff need not be monotone: it is sampled on a grid of 400 steps, and the first
// step whose end has a different sign from diff(lo) is bisected to within tol. A crossing that enters and
// leaves within one grid step is missed. It reports false when no sampled point differs in sign from lo.
func BreakEven(diff func(float64) float64, lo, hi, tol float64) (float64, bool) {
	const steps = 400
	f0 := diff(lo)
	if f0 == 0 {
		return lo, true
	}
	prev := lo
	for i := 1; i <= steps; i++ {
		x := lo + (hi-lo)*float64(i)/steps
		fx := diff(x)
		if fx == 0 {
			return x, true
		}
		if (fx > 0) != (f0 > 0) {
			a, b := prev, x
			for b-a > tol {
				mid := a + (b-a)/2
				fm := diff(mid)
				if fm == 0 {
					return mid, true
				}
				if (fm > 0) == (f0 > 0) {
					a = mid
				} else {
					b = mid
				}
			}
			return a + (b-a)/2, true
		}
		prev = x
	}
	return 0, false
}

// Point is one chart sample: query volume and both layouts' monthly totals, as float chart coordinates.
type Point struct {
	QPS, Hybrid, EKSOnly float64
}

// Curve samples both layouts' monthly totals at n+1 query volumes evenly spread over [0, maxQPS].
func (m Model) Curve(p estate.Profile, t Traffic, maxQPS float64, n int) ([]Point, error) {
	pts := make([]Point, 0, n+1)
	for i := 0; i <= n; i++ {
		q := maxQPS * float64(i) / float64(n)
		h, e, err := m.totals(p, AtQueries(t, q))
		if err != nil {
			return nil, err
		}
		pts = append(pts, Point{QPS: q, Hybrid: h, EKSOnly: e})
	}
	return pts, nil
}
