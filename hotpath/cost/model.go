package cost

import (
	"fmt"
	"strings"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/shopspring/decimal"
)

// Layout names a deployment layout the model prices.
type Layout int

const (
	// Hybrid runs the hot path on EKS and the edges (projector, queries, admin, market ingest) as Lambdas.
	Hybrid Layout = iota
	// EKSOnly runs the same edges as pods on the cluster, sized for the same load.
	EKSOnly
)

// Layouts lists every layout in report order.
var Layouts = []Layout{Hybrid, EKSOnly}

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

// Line is one priced line item: a service, how it was computed, its monthly cost in USD (rounded to the
// cent) and the price-sheet keys it multiplies, so every figure traces back to the sheet.
type Line struct {
	Service string
	Detail  string
	Monthly decimal.Decimal
	Prices  []string
}

// Bill is the monthly cost of one layout for one traffic profile; Total is the sum of the rounded lines,
// so the table a reader adds up matches it to the cent.
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

// Model prices layouts from a price sheet, the assumptions and the route/consumer wiring.
type Model struct {
	Sheet       PriceSheet
	Assumptions Assumptions
	Routes      estate.Routes
}

// New loads the embedded price sheet, the profiles and their assumptions, and the routes into a Model.
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
	one      = decimal.NewFromInt(1)
	d24      = decimal.NewFromInt(24)
	d30      = decimal.NewFromInt(30)
	d100     = decimal.NewFromInt(100)
	d1000    = decimal.NewFromInt(1000)
	d1024    = decimal.NewFromInt(1024)
	d3600    = decimal.NewFromInt(3600)
	d10k     = decimal.NewFromInt(10_000)
	d86400   = decimal.NewFromInt(86400)
	dMillion = decimal.NewFromInt(1_000_000)
)

func dInt[T ~int | ~int64](v T) decimal.Decimal { return decimal.NewFromInt(int64(v)) }

// load is the request rate at one moment: the profile's average or its peak.
type load struct {
	orders, queries, adminPerSec, ticks decimal.Decimal
}

func avgLoad(t Traffic) load {
	return load{t.OrdersPerSecAvg, t.QueriesPerSec, t.AdminRequestsPerDay.Div(d86400), t.PriceTicksPerSec}
}

// peakLoad raises orders and queries to their peak; admin traffic and the price feed do not peak with
// trading.
func peakLoad(t Traffic) load {
	return load{t.OrdersPerSecPeak, t.QueriesPerSec.Mul(t.QueryPeakFactor), t.AdminRequestsPerDay.Div(d86400), t.PriceTicksPerSec}
}

// workloadDriver says which rate drives each hot-path workload's CPU; the model refuses a workload it
// has no driver for rather than price it flat.
var workloadDriver = map[string]func(load) decimal.Decimal{
	"gateway":    func(l load) decimal.Decimal { return l.orders },
	"processor":  func(l load) decimal.Decimal { return l.orders },
	"marketdata": func(l load) decimal.Decimal { return l.ticks },
}

// invocation is one function's load: invocations per second and records per invocation.
type invocation struct {
	perSec, batch decimal.Decimal
}

// invocations returns each function's load at ld.
func (m Model) invocations(p estate.Profile, ld load) map[string]invocation {
	a := m.Assumptions
	out := map[string]invocation{
		"order-query":  {ld.queries.Mul(a.OrderQueryShare), one},
		"market-query": {ld.queries.Mul(one.Sub(a.OrderQueryShare)), one},
		"admin":        {ld.adminPerSec, one},
	}
	records := map[string]decimal.Decimal{"executions": ld.orders.Mul(a.ExecutionsPerOrder), "prices": ld.ticks}
	for _, c := range m.Routes.Consumers {
		rate := records[c.Topic]
		parts := dInt(max(1, p.MSK.Topics[c.Topic].Partitions))
		// Each partition's poller fills a batch for up to the batching window: at least one record, at
		// most batchSize.
		batch := rate.Div(parts).Mul(dInt(max(1, c.MaxBatchingWindowSeconds)))
		batch = decimal.Min(decimal.Max(batch, one), dInt(max(1, c.BatchSize)))
		out[c.Function] = invocation{rate.Div(batch), batch}
	}
	return out
}

// durationMs is the assumed billed duration of one invocation of fn with batch records, rounded up to
// the millisecond as Lambda bills it.
func (m Model) durationMs(fn string, batch decimal.Decimal) (decimal.Decimal, error) {
	h, ok := m.Assumptions.Handlers[fn]
	if !ok {
		return decimal.Zero, fmt.Errorf("cost: no handler duration assumption for %q", fn)
	}
	return h.BaseMs.Add(h.PerRecordMs.Mul(batch)).Ceil(), nil
}

// cluster is what the EKS cluster runs at one load level.
type cluster struct {
	cpuMilli, memMiB decimal.Decimal
	nodes, edgePods  int64
	replicas         []string // "gateway 2" etc., for the detail column
	overMax          []string // workloads or node counts above their sizing maximum
}

// clusterAt sizes the cluster for layout l at load ld: hot-path replicas from each workload's CPU per
// 1k req/s, edge pods (EKS-only) from the handler durations, nodes from the sum of requests.
func (m Model) clusterAt(p estate.Profile, ld load, l Layout) (cluster, error) {
	a := m.Assumptions
	var c cluster
	for _, w := range estate.Workloads {
		wl := p.Workloads[w]
		drive, ok := workloadDriver[w]
		if !ok {
			return cluster{}, fmt.Errorf("cost: no load driver for workload %q", w)
		}
		n := int64(max(1, wl.MinReplicas))
		if wl.CPUMilliPer1kRps > 0 && wl.TargetCPUPercent > 0 {
			need := drive(ld).Div(d1000).Mul(dInt(wl.CPUMilliPer1kRps))
			perReplica := dInt(wl.CPURequestMilli).Mul(dInt(wl.TargetCPUPercent)).Div(d100)
			n = max(n, need.Div(perReplica).Ceil().IntPart())
		}
		if wl.MaxReplicas > 0 && n > int64(wl.MaxReplicas) {
			c.overMax = append(c.overMax, fmt.Sprintf("%s %d > maxReplicas %d", w, n, wl.MaxReplicas))
		}
		c.replicas = append(c.replicas, fmt.Sprintf("%s %d", w, n))
		c.cpuMilli = c.cpuMilli.Add(dInt(n * int64(wl.CPURequestMilli)))
		c.memMiB = c.memMiB.Add(dInt(n * int64(wl.MemoryRequestMiB)))
	}
	if l == EKSOnly {
		inv := m.invocations(p, ld)
		for _, fn := range estate.Functions {
			pod := p.Lambdas[fn].EKSOnlyPod
			if pod.CPURequestMilli <= 0 {
				return cluster{}, fmt.Errorf("cost: sizing has no eksOnlyPod for %q", fn)
			}
			dur, err := m.durationMs(fn, inv[fn].batch)
			if err != nil {
				return cluster{}, err
			}
			// CPU cores busy = invocations/s × seconds each × the CPU share of that time, held at the
			// autoscaler's target utilisation.
			milli := inv[fn].perSec.Mul(dur).Mul(a.PodCPUShareOfDuration).Div(a.PodTargetCPU)
			r := max(int64(max(1, pod.MinReplicas)), milli.Div(dInt(pod.CPURequestMilli)).Ceil().IntPart())
			c.edgePods += r
			c.cpuMilli = c.cpuMilli.Add(dInt(r * int64(pod.CPURequestMilli)))
			c.memMiB = c.memMiB.Add(dInt(r * int64(pod.MemoryRequestMiB)))
		}
	}
	cpuNode := dInt(p.EKS.NodeVCPU).Mul(d1000).Mul(a.NodeAllocatable)
	memNode := decimal.NewFromFloat(p.EKS.NodeMemoryGiB).Mul(d1024).Mul(a.NodeAllocatable)
	if cpuNode.Sign() <= 0 || memNode.Sign() <= 0 {
		return cluster{}, fmt.Errorf("cost: node type %s has no allocatable CPU or memory", p.EKS.NodeInstanceType)
	}
	c.nodes = max(int64(p.EKS.NodeMin), c.cpuMilli.Div(cpuNode).Ceil().IntPart(), c.memMiB.Div(memNode).Ceil().IntPart())
	if c.nodes > int64(p.EKS.NodeMax) {
		c.overMax = append(c.overMax, fmt.Sprintf("nodes %d > nodeMax %d", c.nodes, p.EKS.NodeMax))
	}
	return c, nil
}

func (c cluster) describe() string {
	s := fmt.Sprintf("%d nodes for %sm CPU, %s MiB (%s", c.nodes, c.cpuMilli, c.memMiB, strings.Join(c.replicas, ", "))
	if c.edgePods > 0 {
		s += fmt.Sprintf(", %d edge pods", c.edgePods)
	}
	s += ")"
	if len(c.overMax) > 0 {
		s += "; above sizing: " + strings.Join(c.overMax, ", ")
	}
	return s
}

// pricer accumulates lines, remembers the price keys each line used and the first missing price.
type pricer struct {
	m     Model
	lines []Line
	keys  []string
	err   error
}

func (pr *pricer) price(key string) decimal.Decimal {
	v, err := pr.m.Sheet.Get(key)
	if err != nil && pr.err == nil {
		pr.err = err
	}
	pr.keys = append(pr.keys, key)
	return v
}

func (pr *pricer) add(service, detail string, v decimal.Decimal) {
	pr.lines = append(pr.lines, Line{Service: service, Detail: detail, Monthly: v.Round(2), Prices: pr.keys})
	pr.keys = nil
}

// weighted returns off-peak × (1 − share) + peak × share: a month of hours split between the two load
// levels.
func weighted(offPeak, peak, share decimal.Decimal) decimal.Decimal {
	return offPeak.Mul(one.Sub(share)).Add(peak.Mul(share))
}

// Estimate prices layout l of sizing profile p under traffic t for one month.
func (m Model) Estimate(p estate.Profile, t Traffic, l Layout) (Bill, error) {
	if l != Hybrid && l != EKSOnly {
		return Bill{}, fmt.Errorf("cost: unknown layout %v", l)
	}
	if t.Region != m.Sheet.Region || p.Region != m.Sheet.Region {
		return Bill{}, fmt.Errorf("cost: price sheet is for %s; traffic runs in %q on sizing in %q", m.Sheet.Region, t.Region, p.Region)
	}
	a := m.Assumptions
	pr := &pricer{m: m}
	H := m.Sheet.HoursPerMonth
	secs := H.Mul(d3600)
	peakShare := t.PeakHoursPerDay.Div(d24)
	avg, peak := avgLoad(t), peakLoad(t)

	pr.add("EKS control plane", fmt.Sprintf("1 cluster × %s h", H), pr.price("eks.cluster").Mul(H))

	// Nodes: sized at average load off-peak (conservative: the off-peak load is below the average) and
	// at peak load for the peak hours; the cluster autoscaler follows both.
	cAvg, err := m.clusterAt(p, avg, l)
	if err != nil {
		return Bill{}, err
	}
	cPeak, err := m.clusterAt(p, peak, l)
	if err != nil {
		return Bill{}, err
	}
	nodeHours := weighted(dInt(cAvg.nodes), dInt(cPeak.nodes), peakShare).Mul(H)
	pr.add("EKS nodes", fmt.Sprintf("%s node-h of %s: off-peak %s; peak (%s h/day) %s", nodeHours.Round(1), p.EKS.NodeInstanceType, cAvg.describe(), t.PeakHoursPerDay, cPeak.describe()),
		pr.price("ec2."+p.EKS.NodeInstanceType).Mul(nodeHours))
	pr.add("EKS node storage", fmt.Sprintf("%d GiB gp3 per node × %s node-h", p.EKS.NodeDiskGiB, nodeHours.Round(1)),
		pr.price("ebs.gp3").Mul(dInt(p.EKS.NodeDiskGiB)).Mul(nodeHours).Div(H))

	bc := dInt(p.MSK.BrokerCount)
	pr.add("MSK brokers", fmt.Sprintf("%d × %s × %s h", p.MSK.BrokerCount, p.MSK.BrokerInstanceType, H),
		pr.price("msk."+p.MSK.BrokerInstanceType).Mul(bc).Mul(H))
	pr.add("MSK storage", fmt.Sprintf("%d × %d GiB", p.MSK.BrokerCount, p.MSK.EBSVolumeGiB),
		pr.price("msk.storage").Mul(bc).Mul(dInt(p.MSK.EBSVolumeGiB)))

	cn := int64(max(1, p.Redis.Shards) * (1 + p.Redis.ReplicasPerShard))
	pr.add("ElastiCache", fmt.Sprintf("%d × %s × %s h", cn, p.Redis.NodeType, H),
		pr.price("elasticache."+p.Redis.NodeType).Mul(dInt(cn)).Mul(H))

	pr.add("DocumentDB instances", fmt.Sprintf("%d × %s × %s h", p.DocumentDB.Instances, p.DocumentDB.InstanceClass, H),
		pr.price("docdb."+p.DocumentDB.InstanceClass).Mul(dInt(p.DocumentDB.Instances)).Mul(H))
	pr.add("DocumentDB storage", fmt.Sprintf("%d GiB", p.DocumentDB.StorageGiB),
		pr.price("docdb.storage").Mul(dInt(p.DocumentDB.StorageGiB)))
	events := t.OrdersPerSecAvg.Mul(a.ExecutionsPerOrder)
	ios := t.QueriesPerSec.Mul(a.DocDBReadIOPerQuery).Add(events.Mul(a.DocDBWriteIOPerEvent)).Mul(secs)
	pr.add("DocumentDB I/O", fmt.Sprintf("%s M I/Os", ios.Div(dMillion).Round(1)), pr.price("docdb.io").Mul(ios).Div(dMillion))

	lcuAvg, lcuPeak := m.lcu(t, avg), m.lcu(t, peak)
	lcuHours := weighted(lcuAvg, lcuPeak, peakShare).Mul(H)
	pr.add("ALB", fmt.Sprintf("1 ALB × %s h + %s LCU-h (off-peak %s LCU, peak %s LCU)", H, lcuHours.Round(1), lcuAvg.Round(3), lcuPeak.Round(3)),
		pr.price("alb.hour").Mul(H).Add(pr.price("alb.lcu").Mul(lcuHours)))

	var invocations decimal.Decimal
	if l == Hybrid {
		inv := m.invocations(p, avg)
		var gbs decimal.Decimal
		for _, fn := range estate.Functions {
			dur, err := m.durationMs(fn, inv[fn].batch)
			if err != nil {
				return Bill{}, err
			}
			n := inv[fn].perSec.Mul(secs)
			invocations = invocations.Add(n)
			gbs = gbs.Add(n.Mul(dur).Div(d1000).Mul(dInt(p.Lambdas[fn].MemoryMiB)).Div(d1024))
		}
		pr.add("Lambda requests", fmt.Sprintf("%s M invocations", invocations.Div(dMillion).Round(2)), pr.price("lambda.requests").Mul(invocations).Div(dMillion))
		pr.add("Lambda compute (arm64)", fmt.Sprintf("%s GB-s", gbs.Round(0)), pr.price("lambda.arm64.gbs").Mul(gbs))
		pr.add("MSK event source pollers", fmt.Sprintf("%d mappings × %s h, default (on-demand) mode", len(m.Routes.Consumers), H),
			pr.price("lambda.esm.kafka.poller").Mul(dInt(len(m.Routes.Consumers))).Mul(H))
	}

	nat := dInt(p.Network.NATGateways)
	pr.add("NAT gateways", fmt.Sprintf("%d × %s h + %s GB processed", p.Network.NATGateways, H, t.NATGBPerMonth),
		pr.price("nat.hour").Mul(nat).Mul(H).Add(pr.price("nat.gb").Mul(t.NATGBPerMonth)))
	// Internet egress: everything the ALB processes is counted as leaving AWS (responses and pushes
	// dominate), at the first 10 TB tier; CloudFront's own egress is in its line.
	egressGB := m.processedKBps(t, avg).Mul(secs).Div(d1024).Div(d1024)
	pr.add("Data transfer out", fmt.Sprintf("%s GB to the internet via the ALB", egressGB.Round(1)), pr.price("dataTransfer.internetOut").Mul(egressGB))
	pr.add("KMS", fmt.Sprintf("%d keys + %s requests", a.KMSKeys, t.KMSRequestsPerMonth),
		pr.price("kms.key").Mul(dInt(a.KMSKeys)).Add(pr.price("kms.requests").Mul(t.KMSRequestsPerMonth).Div(d10k)))
	pr.add("S3", fmt.Sprintf("%s GB Standard", t.S3GB), pr.price("s3.storage").Mul(t.S3GB))
	pr.add("CloudFront", fmt.Sprintf("%s GB + %s HTTPS requests", t.CloudFrontGBPerMonth, t.CloudFrontRequestsPerMonth),
		pr.price("cloudfront.gb").Mul(t.CloudFrontGBPerMonth).Add(pr.price("cloudfront.requests").Mul(t.CloudFrontRequestsPerMonth).Div(d10k)))

	kb := t.OrdersPerSecAvg.Mul(a.LogKBPerOrder).Add(t.QueriesPerSec.Mul(a.LogKBPerQuery)).Mul(secs).
		Add(invocations.Mul(a.LambdaLogKBPerInvocation))
	ingest := kb.Div(d1024).Div(d1024)
	stored := ingest.Mul(dInt(t.RetentionDays)).Div(d30)
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

// lcu returns the ALB's load balancer capacity units at ld: the largest of new connections/s ÷ 25,
// active connections ÷ 3,000, processed GB/h and rule evaluations/s ÷ 1,000 beyond the 10 free rules.
func (m Model) lcu(t Traffic, ld load) decimal.Decimal {
	a := m.Assumptions
	reqs := ld.orders.Add(ld.queries).Add(ld.adminPerSec)
	newConn := reqs.Div(a.RequestsPerConnection)
	active := t.WebSocketConnections.Add(newConn)
	gbh := m.processedKBps(t, ld).Mul(d3600).Div(d1024).Div(d1024)
	rules := reqs.Mul(dInt(max(0, len(m.Routes.Routes)-10))).Div(d1000)
	return decimal.Max(newConn.Div(decimal.NewFromInt(25)), active.Div(decimal.NewFromInt(3000)), gbh, rules)
}

// processedKBps is the KB/s the ALB processes at ld: requests and WebSocket pushes.
func (m Model) processedKBps(t Traffic, ld load) decimal.Decimal {
	a := m.Assumptions
	reqs := ld.orders.Add(ld.queries).Add(ld.adminPerSec)
	return reqs.Mul(a.RequestKB).Add(t.WebSocketConnections.Mul(a.WSBytesPerSec).Div(d1024))
}
