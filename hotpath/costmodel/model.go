package costmodel

import (
	"fmt"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
)

// Layout names a deployment layout the model prices.
type Layout int

const (
	// Hybrid runs the hot path on EKS and the edges (projector, queries, admin, market ingest) as Lambdas.
	Hybrid Layout = iota
	// EKSOnly runs the same edges as pods on the cluster, sized for the profile's peak.
	EKSOnly
)

// String returns the layout's name.
func (l Layout) String() string {
	switch l {
	case Hybrid:
		return "hybrid"
	case EKSOnly:
		return "eks-only"
	default:
		return fmt.Sprintf("Layout(%d)", int(l))
	}
}

// Line is one priced line item: a service, how it was computed, and its monthly cost in USD.
type Line struct {
	Service string
	Detail  string
	Monthly decimal.Decimal
}

// Bill is the monthly cost of one layout for one traffic profile.
type Bill struct {
	Layout Layout
	Lines  []Line
	Total  decimal.Decimal
}

// Line returns the monthly cost of the named service, zero when the layout has no such line.
func (b Bill) Line(service string) decimal.Decimal {
	for _, l := range b.Lines {
		if l.Service == service {
			return l.Monthly
		}
	}
	return decimal.Zero
}

// Model prices layouts from a price sheet, assumptions and the route/consumer wiring.
type Model struct {
	Sheet       PriceSheet
	Assumptions Assumptions
	Routes      estate.Routes
}

// New loads the embedded price sheet, profiles' assumptions and routes into a Model.
func New() (Model, Profiles, error) {
	s, err := LoadPriceSheet()
	if err != nil {
		return Model{}, Profiles{}, err
	}
	p, err := LoadProfiles()
	if err != nil {
		return Model{}, Profiles{}, err
	}
	r, err := estate.LoadRoutes()
	if err != nil {
		return Model{}, Profiles{}, err
	}
	return Model{Sheet: s, Assumptions: p.Assumptions, Routes: r}, p, nil
}

var (
	d1000    = decimal.NewFromInt(1000)
	d1024    = decimal.NewFromInt(1024)
	dMillion = decimal.NewFromInt(1_000_000)
	d10k     = decimal.NewFromInt(10_000)
	d3600    = decimal.NewFromInt(3600)
	d86400   = decimal.NewFromInt(86400)
	d30      = decimal.NewFromInt(30)
)

// invocation is one function's load: invocations per second and records per invocation.
type invocation struct {
	perSec, batch decimal.Decimal
}

// loads returns each function's average (peak=false) or peak load for traffic t.
func (m Model) loads(p estate.Profile, t Traffic, peak bool) map[string]invocation {
	a := m.Assumptions
	orders, queries, ticks := t.OrdersPerSecAvg, t.QueriesPerSec, t.PriceTicksPerSec
	if peak {
		orders, queries = t.OrdersPerSecPeak, t.QueriesPerSec.Mul(t.QueryPeakFactor)
	}
	one := decimal.NewFromInt(1)
	out := map[string]invocation{
		"order-query":  {queries.Mul(a.OrderQueryShare), one},
		"market-query": {queries.Mul(one.Sub(a.OrderQueryShare)), one},
		"admin":        {t.AdminRequestsPerDay.Div(d86400), one},
	}
	records := map[string]decimal.Decimal{"executions": orders.Mul(a.ExecutionsPerOrder), "prices": ticks}
	for _, c := range m.Routes.Consumers {
		rate := records[c.Topic]
		parts := decimal.NewFromInt(int64(max(1, p.MSK.Topics[c.Topic].Partitions)))
		// Each partition's poller fills a batch for up to the batching window, at least one record.
		batch := rate.Div(parts).Mul(decimal.NewFromInt(int64(max(1, c.MaxBatchingWindowSeconds))))
		batch = decimal.Min(decimal.Max(batch, one), decimal.NewFromInt(int64(max(1, c.BatchSize))))
		out[c.Function] = invocation{rate.Div(batch), batch}
	}
	return out
}

// durationMs is the assumed billed duration of one invocation of fn with batch records.
func (m Model) durationMs(fn string, batch decimal.Decimal) (decimal.Decimal, error) {
	h, ok := m.Assumptions.Handlers[fn]
	if !ok {
		return decimal.Zero, fmt.Errorf("costmodel: no handler duration assumption for %q", fn)
	}
	return h.BaseMs.Add(h.PerRecordMs.Mul(batch)).Ceil(), nil
}

// nodesFor returns the node count that fits cpuMilli and memMiB of requests on p's node type.
func (m Model) nodesFor(p estate.Profile, cpuMilli, memMiB decimal.Decimal) int64 {
	alloc := m.Assumptions.NodeAllocatable
	cpuNode := decimal.NewFromInt(int64(p.EKS.NodeVCPU)).Mul(d1000).Mul(alloc)
	memNode := decimal.NewFromFloat(p.EKS.NodeMemoryGiB).Mul(d1024).Mul(alloc)
	n := decimal.Max(cpuMilli.Div(cpuNode).Ceil(), memMiB.Div(memNode).Ceil()).IntPart()
	return max(n, int64(p.EKS.NodeMin))
}

// pricer accumulates lines and remembers the first missing price.
type pricer struct {
	m     Model
	lines []Line
	err   error
}

func (pr *pricer) price(key string) decimal.Decimal {
	v, err := pr.m.Sheet.Get(key)
	if err != nil && pr.err == nil {
		pr.err = err
	}
	return v
}

func (pr *pricer) add(service, detail string, v decimal.Decimal) {
	pr.lines = append(pr.lines, Line{Service: service, Detail: detail, Monthly: v.Round(2)})
}

// Estimate prices layout l of sizing profile p under traffic t for one month.
func (m Model) Estimate(p estate.Profile, t Traffic, l Layout) (Bill, error) {
	a := m.Assumptions
	pr := &pricer{m: m}
	H := m.Sheet.HoursPerMonth
	secs := H.Mul(d3600)

	pr.add("EKS control plane", fmt.Sprintf("1 cluster × %s h", H), pr.price("eks.cluster").Mul(H))

	// Node count from CPU/memory requests of the hot-path workloads, plus edge pods in EKS-only.
	var cpu, mem decimal.Decimal
	for _, w := range estate.Workloads {
		wl := p.Workloads[w]
		cpu = cpu.Add(decimal.NewFromInt(int64(wl.Replicas * wl.CPURequestMilli)))
		mem = mem.Add(decimal.NewFromInt(int64(wl.Replicas * wl.MemoryRequestMiB)))
	}
	edgeNote := ""
	if l == EKSOnly {
		peak := m.loads(p, t, true)
		var edgeReplicas int64
		for _, fn := range estate.Functions {
			ld := peak[fn]
			dur, err := m.durationMs(fn, ld.batch)
			if err != nil {
				return Bill{}, err
			}
			cores := ld.perSec.Mul(dur).Div(d1000).Mul(a.PodCPUShareOfDuration).Div(a.PodTargetCPU)
			podCPU := decimal.NewFromInt(int64(a.EdgePodCPUMilli))
			r := max(int64(a.EdgeMinReplicas), cores.Mul(d1000).Div(podCPU).Ceil().IntPart())
			edgeReplicas += r
			cpu = cpu.Add(podCPU.Mul(decimal.NewFromInt(r)))
			mem = mem.Add(decimal.NewFromInt(int64(p.Lambdas[fn].MemoryMiB) * r))
		}
		edgeNote = fmt.Sprintf(" incl. %d edge pods", edgeReplicas)
	}
	nodes := m.nodesFor(p, cpu, mem)
	dn := decimal.NewFromInt(nodes)
	capNote := ""
	if nodes > int64(p.EKS.NodeMax) {
		capNote = fmt.Sprintf(", above nodeMax %d", p.EKS.NodeMax)
	}
	pr.add("EKS nodes", fmt.Sprintf("%d × %s × %s h (requests %sm CPU, %s MiB%s%s)", nodes, p.EKS.NodeInstanceType, H, cpu, mem, edgeNote, capNote),
		pr.price("ec2."+p.EKS.NodeInstanceType).Mul(dn).Mul(H))
	pr.add("EKS node storage", fmt.Sprintf("%d × %d GiB gp3", nodes, p.EKS.NodeDiskGiB),
		pr.price("ebs.gp3").Mul(dn).Mul(decimal.NewFromInt(int64(p.EKS.NodeDiskGiB))))

	bc := decimal.NewFromInt(int64(p.MSK.BrokerCount))
	pr.add("MSK brokers", fmt.Sprintf("%d × %s × %s h", p.MSK.BrokerCount, p.MSK.BrokerInstanceType, H),
		pr.price("msk."+p.MSK.BrokerInstanceType).Mul(bc).Mul(H))
	pr.add("MSK storage", fmt.Sprintf("%d × %d GiB", p.MSK.BrokerCount, p.MSK.EBSVolumeGiB),
		pr.price("msk.storage").Mul(bc).Mul(decimal.NewFromInt(int64(p.MSK.EBSVolumeGiB))))

	cn := int64(max(1, p.Redis.Shards) * (1 + p.Redis.ReplicasPerShard))
	pr.add("ElastiCache", fmt.Sprintf("%d × %s × %s h", cn, p.Redis.NodeType, H),
		pr.price("elasticache."+p.Redis.NodeType).Mul(decimal.NewFromInt(cn)).Mul(H))

	pr.add("DocumentDB instances", fmt.Sprintf("%d × %s × %s h", p.DocumentDB.Instances, p.DocumentDB.InstanceClass, H),
		pr.price("docdb."+p.DocumentDB.InstanceClass).Mul(decimal.NewFromInt(int64(p.DocumentDB.Instances))).Mul(H))
	pr.add("DocumentDB storage", fmt.Sprintf("%d GiB", p.DocumentDB.StorageGiB),
		pr.price("docdb.storage").Mul(decimal.NewFromInt(int64(p.DocumentDB.StorageGiB))))
	events := t.OrdersPerSecAvg.Mul(a.ExecutionsPerOrder)
	ios := t.QueriesPerSec.Mul(a.DocDBReadIOPerQuery).Add(events.Mul(a.DocDBWriteIOPerEvent)).Mul(secs)
	pr.add("DocumentDB I/O", fmt.Sprintf("%s M I/Os", ios.Div(dMillion).Round(1)), pr.price("docdb.io").Mul(ios).Div(dMillion))

	// ALB: LCU is the max of new connections/25, active connections/3000 and processed GB/h; 7 rules stay
	// under the 10 free rule evaluations.
	reqs := t.OrdersPerSecAvg.Add(t.QueriesPerSec).Add(t.AdminRequestsPerDay.Div(d86400))
	newConn := reqs.Div(a.RequestsPerConnection)
	active := t.WebSocketConnections.Add(newConn)
	kbps := reqs.Mul(a.RequestKB).Add(t.WebSocketConnections.Mul(a.WSBytesPerSec).Div(d1024))
	gbh := kbps.Mul(d3600).Div(d1024).Div(d1024)
	lcu := decimal.Max(newConn.Div(decimal.NewFromInt(25)), active.Div(decimal.NewFromInt(3000)), gbh)
	pr.add("ALB", fmt.Sprintf("1 ALB × %s h + %s LCU", H, lcu.Round(3)),
		pr.price("alb.hour").Mul(H).Add(pr.price("alb.lcu").Mul(lcu).Mul(H)))

	if l == Hybrid {
		avg := m.loads(p, t, false)
		var inv, gbs decimal.Decimal
		for _, fn := range estate.Functions {
			ld := avg[fn]
			dur, err := m.durationMs(fn, ld.batch)
			if err != nil {
				return Bill{}, err
			}
			n := ld.perSec.Mul(secs)
			inv = inv.Add(n)
			gbs = gbs.Add(n.Mul(dur).Div(d1000).Mul(decimal.NewFromInt(int64(p.Lambdas[fn].MemoryMiB))).Div(d1024))
		}
		pr.add("Lambda requests", fmt.Sprintf("%s M invocations", inv.Div(dMillion).Round(2)), pr.price("lambda.requests").Mul(inv).Div(dMillion))
		pr.add("Lambda compute (arm64)", fmt.Sprintf("%s GB-s", gbs.Round(0)), pr.price("lambda.arm64.gbs").Mul(gbs))
		pr.add("MSK event source pollers", fmt.Sprintf("%d mappings, default mode", len(m.Routes.Consumers)),
			pr.price("msk.esm.poller").Mul(decimal.NewFromInt(int64(len(m.Routes.Consumers)))).Mul(H))
	}

	nat := decimal.NewFromInt(int64(p.Network.NATGateways))
	pr.add("NAT gateways", fmt.Sprintf("%d × %s h + %s GB", p.Network.NATGateways, H, t.NATGBPerMonth),
		pr.price("nat.hour").Mul(nat).Mul(H).Add(pr.price("nat.gb").Mul(t.NATGBPerMonth)))
	pr.add("KMS", fmt.Sprintf("%d keys + %s requests", a.KMSKeys, t.KMSRequestsPerMonth),
		pr.price("kms.key").Mul(decimal.NewFromInt(int64(a.KMSKeys))).Add(pr.price("kms.requests").Mul(t.KMSRequestsPerMonth).Div(d10k)))
	pr.add("S3", fmt.Sprintf("%s GB Standard", t.S3GB), pr.price("s3.storage").Mul(t.S3GB))
	pr.add("CloudFront", fmt.Sprintf("%s GB + %s requests", t.CloudFrontGBPerMonth, t.CloudFrontRequestsPerMonth),
		pr.price("cloudfront.gb").Mul(t.CloudFrontGBPerMonth).Add(pr.price("cloudfront.requests").Mul(t.CloudFrontRequestsPerMonth).Div(d10k)))
	ingest := t.OrdersPerSecAvg.Mul(a.LogKBPerOrder).Add(t.QueriesPerSec.Mul(a.LogKBPerQuery)).Mul(secs).Div(d1024).Div(d1024)
	stored := ingest.Mul(decimal.NewFromInt(int64(t.RetentionDays))).Div(d30)
	pr.add("CloudWatch logs", fmt.Sprintf("%s GB ingested, %s GB stored (%d days)", ingest.Round(1), stored.Round(1), t.RetentionDays),
		pr.price("logs.ingest").Mul(ingest).Add(pr.price("logs.storage").Mul(stored)))

	if pr.err != nil {
		return Bill{}, pr.err
	}
	b := Bill{Layout: l, Lines: pr.lines}
	for _, ln := range b.Lines {
		b.Total = b.Total.Add(ln.Monthly)
	}
	return b, nil
}

// Comparison is both layouts side by side for one profile.
type Comparison struct {
	Profile string
	Sizing  string
	Hybrid  Bill
	EKSOnly Bill
	// Difference is EKS-only minus hybrid: positive when hybrid is cheaper.
	Difference decimal.Decimal
	// BreakEvenQPS is the query volume at which both layouts cost the same; valid when BreakEvenFound.
	BreakEvenQPS   float64
	BreakEvenFound bool
	// BreakEvenOrders is the average order rate (peak scaled by the profile's peak/average ratio) at which
	// both layouts cost the same, searched in [0, MaxOrders]; valid when BreakEvenOrdersFound.
	BreakEvenOrders      float64
	BreakEvenOrdersFound bool
	MaxOrders            float64
}

// Compare prices both layouts for the named traffic profile and searches the query break-even in
// [0, maxQPS].
func (m Model) Compare(s estate.Sizing, profs Profiles, name string, maxQPS float64) (Comparison, error) {
	t, ok := profs.Profiles[name]
	if !ok {
		return Comparison{}, fmt.Errorf("costmodel: unknown traffic profile %q", name)
	}
	p, err := s.Profile(t.Sizing)
	if err != nil {
		return Comparison{}, err
	}
	h, err := m.Estimate(p, t, Hybrid)
	if err != nil {
		return Comparison{}, err
	}
	e, err := m.Estimate(p, t, EKSOnly)
	if err != nil {
		return Comparison{}, err
	}
	c := Comparison{Profile: name, Sizing: t.Sizing, Hybrid: h, EKSOnly: e, Difference: e.Total.Sub(h.Total)}
	c.BreakEvenQPS, c.BreakEvenFound = BreakEven(func(q float64) float64 {
		d, err := m.DifferenceAt(p, t, q)
		if err != nil {
			return 0
		}
		return d
	}, 0, maxQPS, 0.01)
	c.MaxOrders = max(100, t.OrdersPerSecAvg.InexactFloat64()*20)
	c.BreakEvenOrders, c.BreakEvenOrdersFound = BreakEven(func(o float64) float64 {
		to := AtOrders(t, o)
		h, herr := m.Estimate(p, to, Hybrid)
		e, eerr := m.Estimate(p, to, EKSOnly)
		if herr != nil || eerr != nil {
			return 0
		}
		return e.Total.Sub(h.Total).InexactFloat64()
	}, 0, c.MaxOrders, 0.01)
	return c, nil
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

// AtQueries returns t with its query volume replaced by qps.
func AtQueries(t Traffic, qps float64) Traffic {
	t.QueriesPerSec = decimal.NewFromFloat(qps)
	return t
}

// DifferenceAt returns EKS-only minus hybrid monthly total, in USD as a float chart coordinate, at qps.
func (m Model) DifferenceAt(p estate.Profile, t Traffic, qps float64) (float64, error) {
	h, e, err := m.TotalsAt(p, t, qps)
	return e - h, err
}

// TotalsAt returns the hybrid and EKS-only monthly totals, as float chart coordinates, at qps.
func (m Model) TotalsAt(p estate.Profile, t Traffic, qps float64) (hybrid, eksOnly float64, err error) {
	tq := AtQueries(t, qps)
	h, err := m.Estimate(p, tq, Hybrid)
	if err != nil {
		return 0, 0, err
	}
	e, err := m.Estimate(p, tq, EKSOnly)
	if err != nil {
		return 0, 0, err
	}
	return h.Total.InexactFloat64(), e.Total.InexactFloat64(), nil
}

// BreakEven finds x in [lo, hi] where diff changes sign, by bisection to within tol. diff is expected to be
// monotone (EKS-only minus hybrid falls as query volume rises); when it is only monotone in trend, with
// steps from whole nodes, the result is a crossing, not necessarily the first. It reports false when diff
// has the same sign at both ends.
func BreakEven(diff func(float64) float64, lo, hi, tol float64) (float64, bool) {
	flo, fhi := diff(lo), diff(hi)
	if flo == 0 {
		return lo, true
	}
	if fhi == 0 {
		return hi, true
	}
	if (flo > 0) == (fhi > 0) {
		return 0, false
	}
	for hi-lo > tol {
		mid := lo + (hi-lo)/2
		fm := diff(mid)
		if fm == 0 {
			return mid, true
		}
		if (fm > 0) == (flo > 0) {
			lo, flo = mid, fm
		} else {
			hi = mid
		}
	}
	return lo + (hi-lo)/2, true
}
