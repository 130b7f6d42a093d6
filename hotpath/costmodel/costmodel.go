// Package costmodel prices crypto-oms on AWS per month for a traffic profile, in two layouts: hybrid (the
// edges as Lambdas) and EKS-only (the same edges as pods on the cluster). It reads the shared sizing from
// package estate, a pinned price sheet and traffic profiles; it is pure: no I/O beyond embedded files, no
// clock. Money is decimal throughout; floats appear only as chart coordinates.
package costmodel

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"sort"

	"github.com/shopspring/decimal"
)

//go:embed pricesheet.json
var priceSheetJSON []byte

//go:embed profiles.json
var profilesJSON []byte

// Price is one pinned list price with its provenance.
type Price struct {
	USD    decimal.Decimal `json:"usd"`
	Unit   string          `json:"unit"`
	Date   string          `json:"date"`
	Source string          `json:"source"`
	URL    string          `json:"url"`
}

// PriceSheet is the pinned price list for one region.
type PriceSheet struct {
	Comment       string           `json:"_comment"`
	Region        string           `json:"region"`
	Currency      string           `json:"currency"`
	HoursPerMonth decimal.Decimal  `json:"hoursPerMonth"`
	Prices        map[string]Price `json:"prices"`
}

// Keys returns the price keys in sorted order.
func (s PriceSheet) Keys() []string {
	keys := make([]string, 0, len(s.Prices))
	for k := range s.Prices {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// Get returns the price for key or an error naming the missing key.
func (s PriceSheet) Get(key string) (decimal.Decimal, error) {
	p, ok := s.Prices[key]
	if !ok {
		return decimal.Zero, fmt.Errorf("costmodel: price sheet has no %q", key)
	}
	return p.USD, nil
}

// Traffic is one traffic profile: the load a desk puts on the system.
type Traffic struct {
	Sizing                     string          `json:"sizing"`
	OrdersPerSecAvg            decimal.Decimal `json:"ordersPerSecAvg"`
	OrdersPerSecPeak           decimal.Decimal `json:"ordersPerSecPeak"`
	QueriesPerSec              decimal.Decimal `json:"queriesPerSec"`
	QueryPeakFactor            decimal.Decimal `json:"queryPeakFactor"`
	AdminRequestsPerDay        decimal.Decimal `json:"adminRequestsPerDay"`
	PriceTicksPerSec           decimal.Decimal `json:"priceTicksPerSec"`
	WebSocketConnections       decimal.Decimal `json:"webSocketConnections"`
	RetentionDays              int             `json:"retentionDays"`
	NATGBPerMonth              decimal.Decimal `json:"natGBPerMonth"`
	S3GB                       decimal.Decimal `json:"s3GB"`
	CloudFrontGBPerMonth       decimal.Decimal `json:"cloudFrontGBPerMonth"`
	CloudFrontRequestsPerMonth decimal.Decimal `json:"cloudFrontRequestsPerMonth"`
	KMSRequestsPerMonth        decimal.Decimal `json:"kmsRequestsPerMonth"`
}

// Handler is the assumed billed duration of one Lambda handler: BaseMs per invocation plus PerRecordMs per
// record in a batch. These are assumptions to be replaced by measured durations.
type Handler struct {
	BaseMs      decimal.Decimal `json:"baseMs"`
	PerRecordMs decimal.Decimal `json:"perRecordMs"`
}

// Assumptions are the model's explicit, documented guesses.
type Assumptions struct {
	Comment               string             `json:"_comment"`
	Handlers              map[string]Handler `json:"handlers"`
	OrderQueryShare       decimal.Decimal    `json:"orderQueryShare"`
	ExecutionsPerOrder    decimal.Decimal    `json:"executionsPerOrder"`
	KMSKeys               int                `json:"kmsKeys"`
	RequestsPerConnection decimal.Decimal    `json:"requestsPerConnection"`
	RequestKB             decimal.Decimal    `json:"requestKB"`
	WSBytesPerSec         decimal.Decimal    `json:"wsBytesPerSec"`
	DocDBReadIOPerQuery   decimal.Decimal    `json:"docdbReadIOPerQuery"`
	DocDBWriteIOPerEvent  decimal.Decimal    `json:"docdbWriteIOPerEvent"`
	LogKBPerOrder         decimal.Decimal    `json:"logKBPerOrder"`
	LogKBPerQuery         decimal.Decimal    `json:"logKBPerQuery"`
	PodTargetCPU          decimal.Decimal    `json:"podTargetCpu"`
	NodeAllocatable       decimal.Decimal    `json:"nodeAllocatable"`
	EdgeMinReplicas       int                `json:"edgeMinReplicas"`
	EdgePodCPUMilli       int                `json:"edgePodCpuMilli"`
	// PodCPUShareOfDuration is the share of a handler's billed duration that is CPU work on a pod; the rest
	// is waiting on DocumentDB, Redis or Kafka, during which a pod serves other requests.
	PodCPUShareOfDuration decimal.Decimal `json:"podCpuShareOfDuration"`
}

// Profiles is the decoded profiles file.
type Profiles struct {
	Comment     string             `json:"_comment"`
	Region      string             `json:"region"`
	Profiles    map[string]Traffic `json:"profiles"`
	Assumptions Assumptions        `json:"assumptions"`
}

// ProfileNames lists the shipped traffic profiles in a stable order.
var ProfileNames = []string{"dev", "small-desk", "busy-desk", "exchange"}

// PriceSheetJSON returns a copy of the embedded pinned price sheet.
func PriceSheetJSON() []byte { return bytes.Clone(priceSheetJSON) }

// LoadPriceSheet decodes the embedded pinned price sheet.
func LoadPriceSheet() (PriceSheet, error) { return ParsePriceSheet(priceSheetJSON) }

// ParsePriceSheet decodes a price sheet and checks every entry carries a date and a source.
func ParsePriceSheet(b []byte) (PriceSheet, error) {
	var s PriceSheet
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return PriceSheet{}, fmt.Errorf("costmodel: price sheet: %w", err)
	}
	if s.Region == "" || s.HoursPerMonth.Sign() <= 0 {
		return PriceSheet{}, fmt.Errorf("costmodel: price sheet needs region and hoursPerMonth")
	}
	for k, p := range s.Prices {
		if p.Date == "" || p.Source == "" || p.URL == "" || p.Unit == "" || p.USD.Sign() < 0 {
			return PriceSheet{}, fmt.Errorf("costmodel: price %q lacks date, source, url, unit or a non-negative value", k)
		}
	}
	return s, nil
}

// LoadProfiles decodes the embedded traffic profiles and assumptions.
func LoadProfiles() (Profiles, error) {
	var p Profiles
	dec := json.NewDecoder(bytes.NewReader(profilesJSON))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profiles{}, fmt.Errorf("costmodel: profiles: %w", err)
	}
	for _, n := range ProfileNames {
		if _, ok := p.Profiles[n]; !ok {
			return Profiles{}, fmt.Errorf("costmodel: profiles: missing %q", n)
		}
	}
	return p, nil
}
