// Package estate is the single source of the deployment's shape: the sizing profiles (instance types,
// counts, partitions, memory) and the route table (ALB path → target, topic → function). The CDK app,
// the Terraform code (which reads the same JSON files), the cost model and omsd's local router all read
// it, so none of them can drift from the others.
package estate

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"slices"
	"sort"
	"strings"
)

//go:embed sizing.json
var sizingJSON []byte

//go:embed routes.json
var routesJSON []byte

// SizingJSON returns the raw sizing file, for tools that forward it (for example to Terraform).
func SizingJSON() []byte { return bytes.Clone(sizingJSON) }

// RoutesJSON returns the raw route table file.
func RoutesJSON() []byte { return bytes.Clone(routesJSON) }

// Sizing holds every profile.
type Sizing struct {
	Profiles map[string]Profile `json:"profiles"`
}

// Profile is one environment's sizing (dev, prod).
type Profile struct {
	Region string `json:"region"`
	// DeletionProtection turns on deletion protection where AWS offers it (DocumentDB, ALB) and keeps
	// stateful resources on stack deletion.
	DeletionProtection bool                  `json:"deletionProtection"`
	Network            Network               `json:"network"`
	EKS                EKS                   `json:"eks"`
	Workloads          map[string]Workload   `json:"workloads"`
	MSK                MSK                   `json:"msk"`
	Redis              Redis                 `json:"redis"`
	DocumentDB         DocumentDB            `json:"documentdb"`
	Lambdas            map[string]LambdaSize `json:"lambdas"`
	ALB                ALB                   `json:"alb"`
	WAF                WAF                   `json:"waf"`
	Logs               Logs                  `json:"logs"`
	Alarms             Alarms                `json:"alarms"`
	Frontend           Frontend              `json:"frontend"`
}

// Network sizes the VPC.
type Network struct {
	VpcCidr              string `json:"vpcCidr"`
	AZCount              int    `json:"azCount"`
	NATGateways          int    `json:"natGateways"`
	FlowLogRetentionDays int    `json:"flowLogRetentionDays"`
}

// EKS sizes the cluster and its managed node group.
type EKS struct {
	Version          string  `json:"version"`
	NodeInstanceType string  `json:"nodeInstanceType"`
	NodeArch         string  `json:"nodeArch"`
	NodeVCPU         int     `json:"nodeVcpu"`
	NodeMemoryGiB    float64 `json:"nodeMemoryGiB"`
	NodeMin          int     `json:"nodeMin"`
	NodeDesired      int     `json:"nodeDesired"`
	NodeMax          int     `json:"nodeMax"`
	NodeDiskGiB      int     `json:"nodeDiskGiB"`
}

// Workload sizes one hot-path Deployment.
type Workload struct {
	Replicas         int `json:"replicas"`
	MinReplicas      int `json:"minReplicas"`
	MaxReplicas      int `json:"maxReplicas"`
	CPURequestMilli  int `json:"cpuRequestMilli"`
	MemoryRequestMiB int `json:"memoryRequestMiB"`
	CPULimitMilli    int `json:"cpuLimitMilli"`
	MemoryLimitMiB   int `json:"memoryLimitMiB"`
	Port             int `json:"port"`
	DebugPort        int `json:"debugPort"`
	TargetCPUPercent int `json:"targetCpuPercent"`
	MinAvailable     int `json:"minAvailable"`
	// CPUMilliPer1kRps is the CPU (millicores) one replica spends per 1,000 requests/s of the load that
	// drives it (orders/s for gateway and processor, price ticks/s for marketdata). The cost model derives
	// replica and node counts from it at average and peak load; 0 means the workload does not scale with
	// load. An assumption until omsbench measures it on the node type.
	CPUMilliPer1kRps int `json:"cpuMilliPer1kRps"`
	// WSConnectionsPerReplica is how many WebSocket connections one replica holds within its requests
	// (the ALB sends /ws to this workload); the cost model adds replicas when the profile's connections
	// need more. 0 means the workload serves no WebSockets. An assumption until omsbench measures it.
	WSConnectionsPerReplica int `json:"wsConnectionsPerReplica,omitempty"`
}

// MSK sizes the Kafka cluster and its topics.
type MSK struct {
	KafkaVersion       string           `json:"kafkaVersion"`
	BrokerInstanceType string           `json:"brokerInstanceType"`
	BrokerCount        int              `json:"brokerCount"`
	EBSVolumeGiB       int              `json:"ebsVolumeGiB"`
	MinInsyncReplicas  int              `json:"minInsyncReplicas"`
	RetentionHours     int              `json:"retentionHours"`
	Topics             map[string]Topic `json:"topics"`
}

// Topic sizes one Kafka topic.
type Topic struct {
	Partitions        int `json:"partitions"`
	ReplicationFactor int `json:"replicationFactor"`
}

// Redis sizes the ElastiCache replication group.
type Redis struct {
	EngineVersion         string `json:"engineVersion"`
	NodeType              string `json:"nodeType"`
	Shards                int    `json:"shards"`
	ReplicasPerShard      int    `json:"replicasPerShard"`
	MultiAZ               bool   `json:"multiAz"`
	SnapshotRetentionDays int    `json:"snapshotRetentionDays"`
	// Port is the TLS port clients dial; not the default 6379, so scans for open Redis miss it.
	Port int `json:"port"`
}

// DocumentDB sizes the read-model cluster.
type DocumentDB struct {
	EngineVersion       string `json:"engineVersion"`
	InstanceClass       string `json:"instanceClass"`
	Instances           int    `json:"instances"`
	StorageGiB          int    `json:"storageGiB"`
	BackupRetentionDays int    `json:"backupRetentionDays"`
	MasterUsername      string `json:"masterUsername"`
	// Port is the cluster port; not the default 27017, for the same reason as Redis.Port.
	Port int `json:"port"`
}

// LambdaSize sizes one function.
type LambdaSize struct {
	MemoryMiB           int `json:"memoryMiB"`
	TimeoutSeconds      int `json:"timeoutSeconds"`
	ReservedConcurrency int `json:"reservedConcurrency"`
	// EKSOnlyPod sizes the same function when it runs as a pod (the EKS-only layout the cost model
	// compares against); nothing deploys it today.
	EKSOnlyPod PodSize `json:"eksOnlyPod"`
}

// PodSize is one pod's requests and its replica floor.
type PodSize struct {
	CPURequestMilli  int `json:"cpuRequestMilli"`
	MemoryRequestMiB int `json:"memoryRequestMiB"`
	MinReplicas      int `json:"minReplicas"`
}

// ALB configures the front door.
type ALB struct {
	// DomainName is the name the certificate covers and the DNS record operators point at the ALB;
	// CloudFront uses it as the origin host so its TLS handshake to the ALB validates.
	DomainName         string `json:"domainName"`
	CertificateARN     string `json:"certificateArn"`
	SSLPolicy          string `json:"sslPolicy"`
	IdleTimeoutSeconds int    `json:"idleTimeoutSeconds"`
}

// WAF configures the web ACL.
type WAF struct {
	RateLimitPer5Min int `json:"rateLimitPer5Min"`
}

// Logs configures CloudWatch log retention.
type Logs struct {
	RetentionDays int `json:"retentionDays"`
}

// Alarms holds the CloudWatch alarm thresholds.
type Alarms struct {
	// ConsumerLagMessages is the offset lag (messages) of a consumer group or event source mapping.
	ConsumerLagMessages int `json:"consumerLagMessages"`
	// HTTP5xxPercent is the share of ALB requests answered with a 5xx, over 5 minutes.
	HTTP5xxPercent int `json:"http5xxPercent"`
	// P99LatencyMs is the ALB target response time p99.
	P99LatencyMs int `json:"p99LatencyMs"`
	// DLQMessages is the number of records written to the dead-letter topic in 5 minutes.
	DLQMessages int `json:"dlqMessages"`
	// LambdaErrors is the number of errors of one function in 5 minutes.
	LambdaErrors int `json:"lambdaErrors"`
	// MSKDiskUsedPercent is the share of one MSK broker's data volume in use (KafkaDataLogsDiskUsed,
	// maximum over 5 minutes). The executions topic is kept forever (ADR 0002), so broker disks only
	// fill up; this alarm is the warning to add storage (docs/operations.md).
	MSKDiskUsedPercent int `json:"mskDiskUsedPercent"`
}

// Frontend configures the CloudFront distribution.
type Frontend struct {
	PriceClass string `json:"priceClass"`
}

// Routes is the route table and event wiring.
type Routes struct {
	Routes          []Route           `json:"routes"`
	Targets         map[string]Target `json:"targets"`
	Consumers       []Consumer        `json:"consumers"`
	DeadLetterTopic string            `json:"deadLetterTopic"`
}

// Route is one ALB listener rule. Empty Methods means any method.
type Route struct {
	Name     string   `json:"name"`
	Priority int      `json:"priority"`
	Paths    []string `json:"paths"`
	Methods  []string `json:"methods"`
	Target   string   `json:"target"`
}

// Target names where a route sends traffic: an EKS workload or a Lambda function.
type Target struct {
	Kind     string `json:"kind"` // "eks" or "lambda"
	Workload string `json:"workload,omitempty"`
	Function string `json:"function,omitempty"`
}

// Consumer wires a topic to a function (an MSK event source mapping in AWS, a poller locally).
type Consumer struct {
	Function                 string `json:"function"`
	Topic                    string `json:"topic"`
	BatchSize                int    `json:"batchSize"`
	MaxBatchingWindowSeconds int    `json:"maxBatchingWindowSeconds"`
	StartingPosition         string `json:"startingPosition"`
}

// Functions lists the Lambda functions every layout deploys, in a stable order.
var Functions = []string{"projector", "order-query", "market-ingest", "market-query", "admin"}

// Workloads lists the EKS workloads, in a stable order.
var Workloads = []string{"gateway", "processor", "marketdata"}

// TopicNames lists the Kafka topics, in a stable order.
var TopicNames = []string{"orders", "executions", "prices", "control", "dlq"}

// LoadSizing decodes and validates the embedded sizing file.
func LoadSizing() (Sizing, error) {
	var s Sizing
	if err := decodeStrict(sizingJSON, &s); err != nil {
		return Sizing{}, fmt.Errorf("load sizing: %w", err)
	}
	if err := s.Validate(); err != nil {
		return Sizing{}, fmt.Errorf("load sizing: %w", err)
	}
	return s, nil
}

// Profile returns one named profile.
func (s Sizing) Profile(name string) (Profile, error) {
	p, ok := s.Profiles[name]
	if !ok {
		names := make([]string, 0, len(s.Profiles))
		for n := range s.Profiles {
			names = append(names, n)
		}
		sort.Strings(names)
		return Profile{}, fmt.Errorf("unknown sizing profile %q (have %s)", name, strings.Join(names, ", "))
	}
	return p, nil
}

// LoadRoutes decodes and validates the embedded route table.
func LoadRoutes() (Routes, error) {
	var r Routes
	if err := decodeStrict(routesJSON, &r); err != nil {
		return Routes{}, fmt.Errorf("load routes: %w", err)
	}
	if err := r.Validate(); err != nil {
		return Routes{}, fmt.Errorf("load routes: %w", err)
	}
	return r, nil
}

func decodeStrict(b []byte, v any) error {
	// The files carry a "_comment" key for humans; strip it by decoding into a map first would lose
	// strictness, so accept exactly that one extra key.
	var raw map[string]json.RawMessage
	if err := json.Unmarshal(b, &raw); err != nil {
		return err
	}
	delete(raw, "_comment")
	clean, err := json.Marshal(raw)
	if err != nil {
		return err
	}
	dec := json.NewDecoder(bytes.NewReader(clean))
	dec.DisallowUnknownFields()
	return dec.Decode(v)
}

// Validate checks that every profile is complete and internally consistent.
func (s Sizing) Validate() error {
	if len(s.Profiles) == 0 {
		return errors.New("no profiles")
	}
	var errs []error
	for name, p := range s.Profiles {
		bad := func(format string, a ...any) {
			errs = append(errs, fmt.Errorf("profile %s: %s", name, fmt.Sprintf(format, a...)))
		}
		if p.Region == "" {
			bad("region missing")
		}
		if p.Network.AZCount < 2 {
			bad("network.azCount %d < 2", p.Network.AZCount)
		}
		if p.EKS.NodeMin < 1 || p.EKS.NodeMin > p.EKS.NodeDesired || p.EKS.NodeDesired > p.EKS.NodeMax {
			bad("eks node counts must satisfy 1 <= min <= desired <= max")
		}
		for _, w := range Workloads {
			wl, ok := p.Workloads[w]
			if !ok {
				bad("workload %s missing", w)
				continue
			}
			if wl.MinReplicas < 1 || wl.MinReplicas > wl.MaxReplicas || wl.Replicas < wl.MinReplicas || wl.Replicas > wl.MaxReplicas {
				bad("workload %s replica counts inconsistent", w)
			}
			if wl.CPURequestMilli <= 0 || wl.CPULimitMilli < wl.CPURequestMilli || wl.MemoryRequestMiB <= 0 || wl.MemoryLimitMiB < wl.MemoryRequestMiB {
				bad("workload %s requests/limits inconsistent", w)
			}
			if wl.CPUMilliPer1kRps < 0 || wl.WSConnectionsPerReplica < 0 {
				bad("workload %s cpuMilliPer1kRps or wsConnectionsPerReplica is negative", w)
			}
			if wl.MinAvailable >= wl.MinReplicas && wl.MinReplicas > 1 {
				bad("workload %s minAvailable %d leaves no room for disruption", w, wl.MinAvailable)
			}
		}
		if p.MSK.BrokerCount < 2 || p.Network.AZCount < 1 || p.MSK.BrokerCount%p.Network.AZCount != 0 {
			bad("msk brokerCount %d must be a multiple of the AZ count", p.MSK.BrokerCount)
		}
		for _, t := range TopicNames {
			tp, ok := p.MSK.Topics[t]
			if !ok {
				bad("topic %s missing", t)
				continue
			}
			if tp.Partitions < 1 || tp.ReplicationFactor < 1 || tp.ReplicationFactor > p.MSK.BrokerCount {
				bad("topic %s partitions/replication invalid", t)
			}
			if p.MSK.MinInsyncReplicas >= tp.ReplicationFactor && tp.ReplicationFactor > 1 {
				bad("topic %s: min.insync.replicas %d must be below replication %d", t, p.MSK.MinInsyncReplicas, tp.ReplicationFactor)
			}
		}
		for _, f := range Functions {
			l, ok := p.Lambdas[f]
			if !ok {
				bad("lambda %s missing", f)
				continue
			}
			if l.MemoryMiB < 128 || l.MemoryMiB > 10240 || l.TimeoutSeconds < 1 || l.TimeoutSeconds > 900 {
				bad("lambda %s memory/timeout out of range", f)
			}
			if pod := l.EKSOnlyPod; pod.CPURequestMilli <= 0 || pod.MemoryRequestMiB <= 0 || pod.MinReplicas < 1 {
				bad("lambda %s eksOnlyPod needs cpuRequestMilli, memoryRequestMiB and minReplicas >= 1", f)
			}
		}
		if slices.Contains([]string{"admin", "root", "administrator", "master", "postgres", "serviceadmin"}, strings.ToLower(p.DocumentDB.MasterUsername)) {
			bad("documentdb masterUsername %q is a reserved word", p.DocumentDB.MasterUsername)
		}
		if p.DocumentDB.Instances < 1 || p.Redis.Shards < 1 {
			bad("documentdb instances and redis shards must be >= 1")
		}
		if p.Redis.Port < 1 || p.Redis.Port > 65535 || p.DocumentDB.Port < 1 || p.DocumentDB.Port > 65535 {
			bad("redis.port and documentdb.port must be valid TCP ports")
		}
		if p.ALB.DomainName == "" || !strings.HasPrefix(p.ALB.CertificateARN, "arn:") {
			bad("alb.domainName and alb.certificateArn are required")
		}
		if a := p.Alarms; a.ConsumerLagMessages < 1 || a.HTTP5xxPercent < 1 || a.P99LatencyMs < 1 || a.DLQMessages < 1 || a.LambdaErrors < 1 || a.MSKDiskUsedPercent < 1 {
			bad("alarms thresholds must all be >= 1")
		}
		if p.Alarms.MSKDiskUsedPercent >= 100 {
			bad("alarms.mskDiskUsedPercent %d must be below 100: a full broker disk stops the cluster", p.Alarms.MSKDiskUsedPercent)
		}
		if p.Logs.RetentionDays < 1 {
			bad("logs.retentionDays missing")
		}
	}
	return errors.Join(errs...)
}

// Validate checks that every route names a known target, stays within ALB's condition limits and that
// every consumer names a known function and topic.
func (r Routes) Validate() error {
	var errs []error
	seenPrio := map[int]string{}
	for _, rt := range r.Routes {
		if _, ok := r.Targets[rt.Target]; !ok {
			errs = append(errs, fmt.Errorf("route %s: unknown target %q", rt.Name, rt.Target))
		}
		if prev, dup := seenPrio[rt.Priority]; dup {
			errs = append(errs, fmt.Errorf("route %s: priority %d also used by %s", rt.Name, rt.Priority, prev))
		}
		seenPrio[rt.Priority] = rt.Name
		if len(rt.Paths) == 0 || len(rt.Paths)+len(rt.Methods) > 5 {
			errs = append(errs, fmt.Errorf("route %s: needs 1..5 condition values (paths + methods), has %d", rt.Name, len(rt.Paths)+len(rt.Methods)))
		}
	}
	for name, t := range r.Targets {
		switch t.Kind {
		case "eks":
			if !slices.Contains(Workloads, t.Workload) {
				errs = append(errs, fmt.Errorf("target %s: unknown workload %q", name, t.Workload))
			}
		case "lambda":
			if !slices.Contains(Functions, t.Function) {
				errs = append(errs, fmt.Errorf("target %s: unknown function %q", name, t.Function))
			}
		default:
			errs = append(errs, fmt.Errorf("target %s: kind %q is neither eks nor lambda", name, t.Kind))
		}
	}
	for _, c := range r.Consumers {
		if !slices.Contains(Functions, c.Function) || !slices.Contains(TopicNames, c.Topic) {
			errs = append(errs, fmt.Errorf("consumer %s<-%s: unknown function or topic", c.Function, c.Topic))
		}
		if c.BatchSize < 1 || c.BatchSize > 10000 {
			errs = append(errs, fmt.Errorf("consumer %s: batchSize %d out of range", c.Function, c.BatchSize))
		}
	}
	if !slices.Contains(TopicNames, r.DeadLetterTopic) {
		errs = append(errs, fmt.Errorf("deadLetterTopic %q is not a topic", r.DeadLetterTopic))
	}
	return errors.Join(errs...)
}

// Match returns the route an ALB would pick for method and urlPath: the lowest priority whose path
// patterns (ALB glob: * any run, ? one char; case-sensitive) and methods both match.
func (r Routes) Match(method, urlPath string) (Route, bool) {
	rs := slices.Clone(r.Routes)
	sort.Slice(rs, func(i, j int) bool { return rs[i].Priority < rs[j].Priority })
	for _, rt := range rs {
		if len(rt.Methods) > 0 && !slices.Contains(rt.Methods, method) {
			continue
		}
		for _, p := range rt.Paths {
			if albMatch(p, urlPath) {
				return rt, true
			}
		}
	}
	return Route{}, false
}

// albMatch implements ALB path-pattern matching, where * also crosses '/', unlike path.Match.
func albMatch(pattern, s string) bool {
	if pattern == "" {
		return s == ""
	}
	switch pattern[0] {
	case '*':
		for i := 0; i <= len(s); i++ {
			if albMatch(pattern[1:], s[i:]) {
				return true
			}
		}
		return false
	case '?':
		return s != "" && albMatch(pattern[1:], s[1:])
	default:
		return s != "" && s[0] == pattern[0] && albMatch(pattern[1:], s[1:])
	}
}
