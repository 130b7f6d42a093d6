// Package pricelist refreshes the cost model's pinned price sheet from the AWS Price List API
// (GetProducts). It is the only part of the cost model that does I/O; package cost stays pure and
// decides what a price document means.
package pricelist

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/shopspring/decimal"
)

// DefaultEndpoint is the Price List API endpoint; the API is served from us-east-1 whatever region the
// prices are for.
const DefaultEndpoint = "https://api.pricing.us-east-1.amazonaws.com"

// maxPages bounds pagination: a query that needs more pages than this is too broad to pin one price.
const maxPages = 5

// Client calls GetProducts.
type Client struct {
	// Endpoint defaults to DefaultEndpoint; tests point it at a local server.
	Endpoint    string
	Credentials Credentials
	HTTP        *http.Client
	// Now is the signing clock.
	Now func() time.Time
}

// ErrRequest marks a failure to talk to the API at all (no network, refused credentials, throttling):
// the refresh stops and the pinned sheet stays.
var ErrRequest = errors.New("price list request failed")

type getProductsInput struct {
	ServiceCode   string   `json:"ServiceCode"`
	Filters       []filter `json:"Filters"`
	FormatVersion string   `json:"FormatVersion"`
	MaxResults    int      `json:"MaxResults"`
	NextToken     string   `json:"NextToken,omitempty"`
}

type filter struct {
	Type  string `json:"Type"`
	Field string `json:"Field"`
	Value string `json:"Value"`
}

type getProductsOutput struct {
	PriceList []string `json:"PriceList"`
	NextToken string   `json:"NextToken"`
}

// GetProducts returns every product document matching q (TERM_MATCH on each filter).
func (c *Client) GetProducts(ctx context.Context, q cost.Query) ([]string, error) {
	in := getProductsInput{ServiceCode: q.ServiceCode, FormatVersion: "aws_v1", MaxResults: 100}
	fields := make([]string, 0, len(q.Filters))
	for f := range q.Filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	for _, f := range fields {
		in.Filters = append(in.Filters, filter{Type: "TERM_MATCH", Field: f, Value: q.Filters[f]})
	}
	var docs []string
	for range maxPages {
		out, err := c.call(ctx, in)
		if err != nil {
			return nil, err
		}
		docs = append(docs, out.PriceList...)
		if out.NextToken == "" {
			return docs, nil
		}
		in.NextToken = out.NextToken
	}
	return nil, fmt.Errorf("pricelist: %s query matched more than %d pages", q.ServiceCode, maxPages)
}

func (c *Client) call(ctx context.Context, in getProductsInput) (getProductsOutput, error) {
	body, err := json.Marshal(in)
	if err != nil {
		return getProductsOutput{}, err
	}
	endpoint := c.Endpoint
	if endpoint == "" {
		endpoint = DefaultEndpoint
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, strings.TrimSuffix(endpoint, "/")+"/", bytes.NewReader(body))
	if err != nil {
		return getProductsOutput{}, err
	}
	req.Header.Set("Content-Type", "application/x-amz-json-1.1")
	req.Header.Set("X-Amz-Target", "AWSPriceListService.GetProducts")
	now := time.Now
	if c.Now != nil {
		now = c.Now
	}
	Sign(req, body, c.Credentials, "us-east-1", "pricing", now())
	hc := c.HTTP
	if hc == nil {
		hc = &http.Client{Timeout: 20 * time.Second}
	}
	resp, err := hc.Do(req)
	if err != nil {
		return getProductsOutput{}, fmt.Errorf("%w: %w", ErrRequest, err)
	}
	defer func() { _ = resp.Body.Close() }()
	b, err := io.ReadAll(io.LimitReader(resp.Body, 64<<20))
	if err != nil {
		return getProductsOutput{}, fmt.Errorf("%w: read: %w", ErrRequest, err)
	}
	if resp.StatusCode != http.StatusOK {
		return getProductsOutput{}, fmt.Errorf("%w: HTTP %d: %s", ErrRequest, resp.StatusCode, strings.TrimSpace(string(b)))
	}
	var out getProductsOutput
	if err := json.Unmarshal(b, &out); err != nil {
		return getProductsOutput{}, fmt.Errorf("%w: decode: %w", ErrRequest, err)
	}
	return out, nil
}

// Result is what a refresh found.
type Result struct {
	// Quotes holds the new price of every key whose query matched exactly one product in a compatible unit.
	Quotes map[string]decimal.Decimal
	// Pinned lists keys without a query: kept as pinned.
	Pinned []string
	// Failed maps keys whose query matched no product, several, or a different unit: kept as pinned.
	Failed map[string]error
}

// apiUnits maps the Price List API's unit names to the sheet's.
var apiUnits = map[string]string{"Hrs": "hour", "Hours": "hour", "GB-Mo": "GB-month"}

// Refresh queries every price in s that has a query. It returns an error wrapping ErrRequest when the API
// cannot be reached or refuses the credentials, so the caller keeps the whole pinned sheet rather than
// a mix of old and new prices from a half-finished run.
func Refresh(ctx context.Context, c *Client, s cost.PriceSheet) (Result, error) {
	r := Result{Quotes: map[string]decimal.Decimal{}, Failed: map[string]error{}}
	for _, k := range s.Keys() {
		p := s.Prices[k]
		if p.Query == nil {
			r.Pinned = append(r.Pinned, k)
			continue
		}
		docs, err := c.GetProducts(ctx, *p.Query)
		if errors.Is(err, ErrRequest) {
			return Result{}, fmt.Errorf("pricelist: %s: %w", k, err)
		}
		if err != nil {
			r.Failed[k] = err
			continue
		}
		if len(docs) != 1 {
			r.Failed[k] = fmt.Errorf("query matched %d products, want 1", len(docs))
			continue
		}
		usd, unit, err := cost.OnDemandUSD([]byte(docs[0]))
		if err != nil {
			r.Failed[k] = err
			continue
		}
		if u, ok := apiUnits[unit]; !ok || u != p.Unit {
			r.Failed[k] = fmt.Errorf("unit %q does not match the sheet's %q", unit, p.Unit)
			continue
		}
		r.Quotes[k] = usd
	}
	return r, nil
}
