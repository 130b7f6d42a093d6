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

func (l Layout) other() Layout {
	if l == Hybrid {
		return EKSOnly
	}
	return Hybrid
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
	// Warnings says where the load needs more than the sizing allows (replicas above maxReplicas, nodes
	// above nodeMax). The bill prices what the load needs; a warning means the deployed sizing would
	// saturate instead.
	Warnings []string
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
	orders, queries, adminPerSec, ticks, wsConnections decimal.Decimal
}

func avgLoad(t Traffic) load {
	return load{t.OrdersPerSecAvg, t.QueriesPerSec, t.AdminRequestsPerDay.Div(d86400), t.PriceTicksPerSec, t.WebSocketConnections}
}

// peakLoad raises orders and queries to their peak; admin traffic, the price feed and the WebSocket
// connections (the profile gives one figure: the connections held open through the day) do not peak
// with trading.
func peakLoad(t Traffic) load {
	return load{t.OrdersPerSecPeak, t.QueriesPerSec.Mul(t.QueryPeakFactor), t.AdminRequestsPerDay.Div(d86400), t.PriceTicksPerSec, t.WebSocketConnections}
}

// workloadDriver says which rate drives each hot-path workload's CPU; the model refuses a workload it
// has no driver for rather than price it flat. WebSocket connections add replicas separately, through
// wsConnectionsPerReplica.
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

// Cluster is what the EKS cluster runs at one load level: replicas of every hot-path workload, the
// edge pods of the EKS-only layout, the requests they add up to and the nodes those need.
type Cluster struct {
	// Replicas maps each hot-path workload (estate.Workloads) to its replica count.
	Replicas map[string]int64
	// EdgePods is the number of edge pods (EKS-only; zero in hybrid).
	EdgePods         int64
	CPUMilli, MemMiB decimal.Decimal
	// Nodes is what the requests need on the sizing's node type, never capped at nodeMax.
	Nodes int64
	// OverMax lists every count above its sizing maximum (maxReplicas, nodeMax): the sizing would have to
	// grow for this load.
	OverMax []string
}

// replicasFor returns the replicas workload w needs at ld: its floor, what its CPU per 1k req/s needs at the
// autoscaler's target, and what its WebSocket connections need.
func replicasFor(w string, wl estate.Workload, ld load) (int64, error) {
	drive, ok := workloadDriver[w]
	if !ok {
		return 0, fmt.Errorf("cost: no load driver for workload %q", w)
	}
	n := int64(max(1, wl.MinReplicas))
	if wl.CPUMilliPer1kRps > 0 && wl.TargetCPUPercent > 0 {
		need := drive(ld).Div(d1000).Mul(dInt(wl.CPUMilliPer1kRps))
		perReplica := dInt(wl.CPURequestMilli).Mul(dInt(wl.TargetCPUPercent)).Div(d100)
		n = max(n, need.Div(perReplica).Ceil().IntPart())
	}
	if wl.WSConnectionsPerReplica > 0 {
		n = max(n, ld.wsConnections.Div(dInt(wl.WSConnectionsPerReplica)).Ceil().IntPart())
	}
	return n, nil
}

// clusterAt sizes the cluster for layout l at load ld: hot-path replicas from each workload's CPU per 1k
// req/s and WebSocket connections, edge pods (EKS-only) from the handler durations, nodes from the sum of
// requests.
func (m Model) clusterAt(p estate.Profile, ld load, l Layout) (Cluster, error) {
	a := m.Assumptions
	c := Cluster{Replicas: map[string]int64{}}
	for _, w := range estate.Workloads {
		wl := p.Workloads[w]
		n, err := replicasFor(w, wl, ld)
		if err != nil {
			return Cluster{}, err
		}
		if wl.MaxReplicas > 0 && n > int64(wl.MaxReplicas) {
			c.OverMax = append(c.OverMax, fmt.Sprintf("%s needs %d replicas > maxReplicas %d", w, n, wl.MaxReplicas))
		}
		c.Replicas[w] = n
		c.CPUMilli = c.CPUMilli.Add(dInt(n * int64(wl.CPURequestMilli)))
		c.MemMiB = c.MemMiB.Add(dInt(n * int64(wl.MemoryRequestMiB)))
	}
	if l == EKSOnly {
		inv := m.invocations(p, ld)
		for _, fn := range estate.Functions {
			pod := p.Lambdas[fn].EKSOnlyPod
			if pod.CPURequestMilli <= 0 {
				return Cluster{}, fmt.Errorf("cost: sizing has no eksOnlyPod for %q", fn)
			}
			dur, err := m.durationMs(fn, inv[fn].batch)
			if err != nil {
				return Cluster{}, err
			}
			// CPU cores busy = invocations/s × seconds each × the CPU share of that time, held at the
			// autoscaler's target utilisation.
			milli := inv[fn].perSec.Mul(dur).Mul(a.PodCPUShareOfDuration).Div(a.PodTargetCPU)
			r := max(int64(max(1, pod.MinReplicas)), milli.Div(dInt(pod.CPURequestMilli)).Ceil().IntPart())
			c.EdgePods += r
			c.CPUMilli = c.CPUMilli.Add(dInt(r * int64(pod.CPURequestMilli)))
			c.MemMiB = c.MemMiB.Add(dInt(r * int64(pod.MemoryRequestMiB)))
		}
	}
	cpuNode := dInt(p.EKS.NodeVCPU).Mul(d1000).Mul(a.NodeAllocatable)
	memNode := decimal.NewFromFloat(p.EKS.NodeMemoryGiB).Mul(d1024).Mul(a.NodeAllocatable)
	if cpuNode.Sign() <= 0 || memNode.Sign() <= 0 {
		return Cluster{}, fmt.Errorf("cost: node type %s has no allocatable CPU or memory", p.EKS.NodeInstanceType)
	}
	c.Nodes = max(int64(p.EKS.NodeMin), c.CPUMilli.Div(cpuNode).Ceil().IntPart(), c.MemMiB.Div(memNode).Ceil().IntPart())
	if c.Nodes > int64(p.EKS.NodeMax) {
		c.OverMax = append(c.OverMax, fmt.Sprintf("needs %d %s nodes > nodeMax %d", c.Nodes, p.EKS.NodeInstanceType, p.EKS.NodeMax))
	}
	return c, nil
}

// Clusters sizes the cluster of layout l under traffic t at its two load levels: off-peak (the average
// load) and peak.
func (m Model) Clusters(p estate.Profile, t Traffic, l Layout) (offPeak, peak Cluster, err error) {
	if offPeak, err = m.clusterAt(p, avgLoad(t), l); err != nil {
		return Cluster{}, Cluster{}, err
	}
	if peak, err = m.clusterAt(p, peakLoad(t), l); err != nil {
		return Cluster{}, Cluster{}, err
	}
	return offPeak, peak, nil
}

func (c Cluster) describe() string {
	reps := make([]string, 0, len(estate.Workloads))
	for _, w := range estate.Workloads {
		reps = append(reps, fmt.Sprintf("%s %d", w, c.Replicas[w]))
	}
	s := fmt.Sprintf("%d nodes for %sm CPU, %s MiB (%s", c.Nodes, c.CPUMilli, c.MemMiB, strings.Join(reps, ", "))
	if c.EdgePods > 0 {
		s += fmt.Sprintf(", %d edge pods", c.EdgePods)
	}
	s += ")"
	if len(c.OverMax) > 0 {
		s += "; ABOVE SIZING: " + strings.Join(c.OverMax, ", ")
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
	cAvg, cPeak, err := m.Clusters(p, t, l)
	if err != nil {
		return Bill{}, err
	}
	var warnings []string
	for _, lv := range []struct {
		name string
		c    Cluster
	}{{"off-peak", cAvg}, {"peak", cPeak}} {
		for _, o := range lv.c.OverMax {
			warnings = append(warnings, fmt.Sprintf("%s at %s load %s: sizing profile %q must grow for this load; priced as needed, not capped", l, lv.name, o, t.Sizing))
		}
	}
	nodeHours := weighted(dInt(cAvg.Nodes), dInt(cPeak.Nodes), peakShare).Mul(H)
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
	b := Bill{Layout: l, Lines: pr.lines, Warnings: warnings}
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
