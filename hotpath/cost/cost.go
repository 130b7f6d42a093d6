// Package cost prices crypto-oms on AWS per month for a traffic profile, in two layouts: hybrid (the
// edges as Lambdas) and EKS-only (the same edges as pods on the cluster). It reads the shared sizing from
// package estate, a pinned price sheet and traffic profiles, and it is pure: no I/O beyond embedded files,
// no clock. Money is decimal throughout; floats appear only as chart coordinates and search variables.
package cost

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"errors"
	"fmt"
	"regexp"
	"sort"

	"github.com/shopspring/decimal"
)

//go:embed pricesheet.json
var priceSheetJSON []byte

//go:embed profiles.json
var profilesJSON []byte

// Price is one list price with its provenance: every number the model multiplies carries the region
// (the sheet's), the date it was recorded and where it came from.
type Price struct {
	USD    decimal.Decimal `json:"usd"`
	Unit   string          `json:"unit"`
	Date   string          `json:"date"`
	Source string          `json:"source"`
	URL    string          `json:"url"`
	// Verified records the check of the value against a public source: "YYYY-MM-DD via <where>" when a
	// source quoting this us-east-1 price was found, "unverified: <reason>" when none was. docs/cost.md
	// lists both kinds.
	Verified string `json:"verified"`
	// Query says how omscost -refresh-prices finds this price in the AWS Price List API; nil keeps the
	// pinned value on refresh (prices whose product filters we have not pinned down).
	Query *Query `json:"query,omitempty"`
}

// IsVerified reports whether p's value was confirmed against a public source.
func (p Price) IsVerified() bool { return verifiedRE.MatchString(p.Verified) }

var (
	verifiedRE   = regexp.MustCompile(`^\d{4}-\d{2}-\d{2} via \S.*$`)
	unverifiedRE = regexp.MustCompile(`^unverified: \S.*$`)
)

// Query selects exactly one product of the AWS Price List API (GetProducts with TERM_MATCH filters).
type Query struct {
	ServiceCode string            `json:"serviceCode"`
	Filters     map[string]string `json:"filters"`
}

// PriceSheet is the price list for one region.
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
		return decimal.Zero, fmt.Errorf("cost: price sheet has no %q", key)
	}
	return p.USD, nil
}

// Marshal encodes the sheet in the pinned file's layout (sorted keys, two-space indent), so a refresh
// produces a reviewable diff.
func (s PriceSheet) Marshal() ([]byte, error) {
	b, err := json.MarshalIndent(s, "", "  ")
	if err != nil {
		return nil, fmt.Errorf("cost: marshal price sheet: %w", err)
	}
	return append(b, '\n'), nil
}

// Traffic is one traffic profile: the load a desk puts on the system.
type Traffic struct {
	// Sizing names the estate sizing profile (sizing.json) this load runs on.
	Sizing           string          `json:"sizing"`
	OrdersPerSecAvg  decimal.Decimal `json:"ordersPerSecAvg"`
	OrdersPerSecPeak decimal.Decimal `json:"ordersPerSecPeak"`
	QueriesPerSec    decimal.Decimal `json:"queriesPerSec"`
	// QueryPeakFactor multiplies QueriesPerSec during the peak hours.
	QueryPeakFactor decimal.Decimal `json:"queryPeakFactor"`
	// PeakHoursPerDay is how long the peak lasts each day; pods and nodes scale up for it and back down.
	PeakHoursPerDay      decimal.Decimal `json:"peakHoursPerDay"`
	AdminRequestsPerDay  decimal.Decimal `json:"adminRequestsPerDay"`
	PriceTicksPerSec     decimal.Decimal `json:"priceTicksPerSec"`
	WebSocketConnections decimal.Decimal `json:"webSocketConnections"`
	RetentionDays        int             `json:"retentionDays"`
	// Region is where the load runs; the model refuses a price sheet for another region.
	Region                     string          `json:"region"`
	NATGBPerMonth              decimal.Decimal `json:"natGBPerMonth"`
	S3GB                       decimal.Decimal `json:"s3GB"`
	CloudFrontGBPerMonth       decimal.Decimal `json:"cloudFrontGBPerMonth"`
	CloudFrontRequestsPerMonth decimal.Decimal `json:"cloudFrontRequestsPerMonth"`
	KMSRequestsPerMonth        decimal.Decimal `json:"kmsRequestsPerMonth"`
}

// Validate checks that t is usable: non-negative rates, peak at or above average, peak hours in a day.
func (t Traffic) Validate() error {
	var errs []error
	for name, v := range map[string]decimal.Decimal{
		"ordersPerSecAvg": t.OrdersPerSecAvg, "ordersPerSecPeak": t.OrdersPerSecPeak, "queriesPerSec": t.QueriesPerSec,
		"adminRequestsPerDay": t.AdminRequestsPerDay, "priceTicksPerSec": t.PriceTicksPerSec,
		"webSocketConnections": t.WebSocketConnections, "natGBPerMonth": t.NATGBPerMonth, "s3GB": t.S3GB,
		"cloudFrontGBPerMonth": t.CloudFrontGBPerMonth, "cloudFrontRequestsPerMonth": t.CloudFrontRequestsPerMonth,
		"kmsRequestsPerMonth": t.KMSRequestsPerMonth,
	} {
		if v.Sign() < 0 {
			errs = append(errs, fmt.Errorf("%s is negative", name))
		}
	}
	if t.OrdersPerSecPeak.LessThan(t.OrdersPerSecAvg) {
		errs = append(errs, errors.New("ordersPerSecPeak is below ordersPerSecAvg"))
	}
	if t.QueryPeakFactor.LessThan(decimal.NewFromInt(1)) {
		errs = append(errs, errors.New("queryPeakFactor is below 1"))
	}
	if t.PeakHoursPerDay.Sign() < 0 || t.PeakHoursPerDay.GreaterThan(decimal.NewFromInt(24)) {
		errs = append(errs, errors.New("peakHoursPerDay outside 0..24"))
	}
	if t.Sizing == "" || t.Region == "" || t.RetentionDays < 1 {
		errs = append(errs, errors.New("sizing, region and retentionDays are required"))
	}
	return errors.Join(errs...)
}

// Handler is the assumed billed duration of one Lambda handler: BaseMs per invocation plus PerRecordMs
// per record in a batch. The handlers are not measured yet; these numbers are to be replaced by p50
// billed durations from CloudWatch (or omsbench against the runtime emulator).
type Handler struct {
	BaseMs      decimal.Decimal `json:"baseMs"`
	PerRecordMs decimal.Decimal `json:"perRecordMs"`
}

// Assumptions are the model's explicit, documented guesses; docs/cost.md lists every one.
type Assumptions struct {
	Comment            string             `json:"_comment"`
	Handlers           map[string]Handler `json:"handlers"`
	OrderQueryShare    decimal.Decimal    `json:"orderQueryShare"`
	ExecutionsPerOrder decimal.Decimal    `json:"executionsPerOrder"`
	// KMSKeys is the number of customer managed keys (DESIGN.md §2: MSK, DocumentDB, ElastiCache, S3,
	// secrets).
	KMSKeys               int             `json:"kmsKeys"`
	RequestsPerConnection decimal.Decimal `json:"requestsPerConnection"`
	RequestKB             decimal.Decimal `json:"requestKB"`
	WSBytesPerSec         decimal.Decimal `json:"wsBytesPerSec"`
	DocDBReadIOPerQuery   decimal.Decimal `json:"docdbReadIOPerQuery"`
	DocDBWriteIOPerEvent  decimal.Decimal `json:"docdbWriteIOPerEvent"`
	LogKBPerOrder         decimal.Decimal `json:"logKBPerOrder"`
	LogKBPerQuery         decimal.Decimal `json:"logKBPerQuery"`
	// LambdaLogKBPerInvocation is the START/END/REPORT lines Lambda writes for every invocation, which
	// pods do not write.
	LambdaLogKBPerInvocation decimal.Decimal `json:"lambdaLogKBPerInvocation"`
	// PodTargetCPU is the utilisation the horizontal autoscaler keeps edge pods at in the EKS-only layout.
	PodTargetCPU decimal.Decimal `json:"podTargetCpu"`
	// NodeAllocatable is the share of a node's CPU and memory left for pods after kubelet, system
	// daemons and DaemonSets.
	NodeAllocatable decimal.Decimal `json:"nodeAllocatable"`
	// PodCPUShareOfDuration is the share of a handler's billed duration that is CPU work on a pod; the rest
	// is waiting on DocumentDB, Redis or Kafka, during which a pod serves other requests.
	PodCPUShareOfDuration decimal.Decimal `json:"podCpuShareOfDuration"`
}

// Profiles is the decoded profiles file.
type Profiles struct {
	Comment     string             `json:"_comment"`
	Profiles    map[string]Traffic `json:"profiles"`
	Assumptions Assumptions        `json:"assumptions"`
}

// ProfileNames lists the shipped traffic profiles in a stable order.
var ProfileNames = []string{"dev", "small-desk", "busy-desk", "exchange"}

// PriceSheetJSON returns a copy of the embedded pinned price sheet.
func PriceSheetJSON() []byte { return bytes.Clone(priceSheetJSON) }

// LoadPriceSheet decodes the embedded pinned price sheet.
func LoadPriceSheet() (PriceSheet, error) { return ParsePriceSheet(priceSheetJSON) }

// ParsePriceSheet decodes a price sheet and checks every entry carries a unit, a date, a source and a
// non-negative value, so no number enters the model without provenance.
func ParsePriceSheet(b []byte) (PriceSheet, error) {
	var s PriceSheet
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&s); err != nil {
		return PriceSheet{}, fmt.Errorf("cost: price sheet: %w", err)
	}
	if s.Region == "" || s.Currency != "USD" || s.HoursPerMonth.Sign() <= 0 {
		return PriceSheet{}, errors.New("cost: price sheet needs region, currency USD and hoursPerMonth")
	}
	for _, k := range s.Keys() {
		p := s.Prices[k]
		if p.Date == "" || p.Source == "" || p.URL == "" || p.Unit == "" || p.USD.Sign() < 0 {
			return PriceSheet{}, fmt.Errorf("cost: price %q lacks date, source, url, unit or a non-negative value", k)
		}
		if !verifiedRE.MatchString(p.Verified) && !unverifiedRE.MatchString(p.Verified) {
			return PriceSheet{}, fmt.Errorf("cost: price %q: verified must be \"YYYY-MM-DD via <source>\" or \"unverified: <reason>\", not %q", k, p.Verified)
		}
		if p.Query != nil && (p.Query.ServiceCode == "" || len(p.Query.Filters) == 0) {
			return PriceSheet{}, fmt.Errorf("cost: price %q has a query without serviceCode or filters", k)
		}
	}
	return s, nil
}

// LoadProfiles decodes the embedded traffic profiles and assumptions.
func LoadProfiles() (Profiles, error) { return ParseProfiles(profilesJSON) }

// ParseProfiles decodes a profiles file and validates every profile; the shipped names must be present.
func ParseProfiles(b []byte) (Profiles, error) {
	var p Profiles
	dec := json.NewDecoder(bytes.NewReader(b))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&p); err != nil {
		return Profiles{}, fmt.Errorf("cost: profiles: %w", err)
	}
	for _, n := range ProfileNames {
		t, ok := p.Profiles[n]
		if !ok {
			return Profiles{}, fmt.Errorf("cost: profiles: missing %q", n)
		}
		if err := t.Validate(); err != nil {
			return Profiles{}, fmt.Errorf("cost: profile %s: %w", n, err)
		}
	}
	return p, nil
}
