// Package pricelist refreshes the cost model's pinned price sheet from the AWS Price List API
// (GetProducts, through aws-sdk-go-v2/service/pricing) and reads the API's product documents. It is the
// only part of the cost model that does I/O; package cost stays pure.
package pricelist

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"sort"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/service/pricing"
	"github.com/aws/aws-sdk-go-v2/service/pricing/types"
	"github.com/aws/smithy-go"
	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/shopspring/decimal"
)

// APIRegion is where the Price List API is served from, whatever region the prices are for.
const APIRegion = "us-east-1"

// maxPages bounds pagination: a query that needs more pages than this is too broad to pin one price.
const maxPages = 5

// ErrRequest marks a failure to use the API at all (no network, refused or expired credentials,
// throttling, a server fault): the refresh stops and the caller keeps the pinned sheet whole.
var ErrRequest = errors.New("price list request failed")

// NewClient returns a Price List API client for cfg's credentials, in APIRegion. endpoint, when not
// empty, replaces the service endpoint (a VPC endpoint, or a local server in tests).
func NewClient(cfg aws.Config, endpoint string) *pricing.Client {
	return pricing.NewFromConfig(cfg, func(o *pricing.Options) {
		o.Region = APIRegion
		if endpoint != "" {
			o.BaseEndpoint = aws.String(endpoint)
		}
	})
}

// Product is what the model reads from one Price List product document (one element of GetProducts'
// PriceList, format aws_v1).
type Product struct {
	SKU        string
	Attributes map[string]string
	// Unit is the API's unit name ("Hrs", "GB-Mo", ...) of the first-tier On-Demand price.
	Unit string
	USD  decimal.Decimal
}

type productDoc struct {
	Product struct {
		SKU        string            `json:"sku"`
		Attributes map[string]string `json:"attributes"`
	} `json:"product"`
	Terms struct {
		OnDemand map[string]struct {
			PriceDimensions map[string]struct {
				Unit         string            `json:"unit"`
				BeginRange   string            `json:"beginRange"`
				PricePerUnit map[string]string `json:"pricePerUnit"`
			} `json:"priceDimensions"`
		} `json:"OnDemand"`
	} `json:"terms"`
}

// ParseProduct reads the On-Demand USD price and its unit from one Price List product document. A
// product with several tiers yields its first (beginRange "0"), the tier the pinned sheet records;
// Reserved and other terms are ignored. Anything else ambiguous is an error, never a guess.
func ParseProduct(doc []byte) (Product, error) {
	var d productDoc
	if err := json.Unmarshal(doc, &d); err != nil {
		return Product{}, fmt.Errorf("price list product: %w", err)
	}
	p := Product{SKU: d.Product.SKU, Attributes: d.Product.Attributes}
	if p.SKU == "" {
		return Product{}, errors.New("price list product has no sku")
	}
	if len(d.Terms.OnDemand) != 1 {
		return Product{}, fmt.Errorf("product %s has %d On-Demand terms, want 1", p.SKU, len(d.Terms.OnDemand))
	}
	found := 0
	for _, term := range d.Terms.OnDemand {
		for _, dim := range term.PriceDimensions {
			if len(term.PriceDimensions) > 1 && dim.BeginRange != "0" {
				continue
			}
			usd, ok := dim.PricePerUnit["USD"]
			if !ok {
				continue
			}
			v, err := decimal.NewFromString(usd)
			if err != nil {
				return Product{}, fmt.Errorf("product %s: price %q: %w", p.SKU, usd, err)
			}
			if v.Sign() < 0 {
				return Product{}, fmt.Errorf("product %s: negative price %s", p.SKU, usd)
			}
			p.USD, p.Unit = v, dim.Unit
			found++
		}
	}
	if found != 1 {
		return Product{}, fmt.Errorf("product %s has %d first-tier USD prices, want 1", p.SKU, found)
	}
	return p, nil
}

// Result is what a refresh found.
type Result struct {
	// Quotes holds the new price of every key whose query matched exactly one product in a compatible unit.
	Quotes map[string]cost.Quote
	// Pinned lists keys without a query: kept as pinned.
	Pinned []string
	// Failed maps keys whose query matched no product, several, or one in another unit: kept as pinned.
	Failed map[string]error
}

// apiUnits maps the Price List API's unit names to the sheet's.
var apiUnits = map[string]string{"Hrs": "hour", "Hours": "hour", "GB-Mo": "GB-month", "GB": "GB", "LCU-Hrs": "LCU-hour"}

// Refresh asks the API for every price in s that has a query. It returns an error wrapping ErrRequest
// when the API cannot be used at all, so the caller keeps the whole pinned sheet rather than a mix of
// old and new prices from a half-finished run; a query the API rejects or answers ambiguously fails
// only its own key.
func Refresh(ctx context.Context, api pricing.GetProductsAPIClient, s cost.PriceSheet) (Result, error) {
	r := Result{Quotes: map[string]cost.Quote{}, Failed: map[string]error{}}
	for _, k := range s.Keys() {
		p := s.Prices[k]
		if p.Query == nil {
			r.Pinned = append(r.Pinned, k)
			continue
		}
		docs, err := getProducts(ctx, api, *p.Query)
		if err != nil {
			if isQueryError(err) {
				r.Failed[k] = err
				continue
			}
			return Result{}, fmt.Errorf("%s: %w: %w", k, ErrRequest, err)
		}
		if len(docs) != 1 {
			r.Failed[k] = fmt.Errorf("query matched %d products, want 1", len(docs))
			continue
		}
		prod, err := ParseProduct([]byte(docs[0]))
		if err != nil {
			r.Failed[k] = err
			continue
		}
		if u, ok := apiUnits[prod.Unit]; !ok || u != p.Unit {
			r.Failed[k] = fmt.Errorf("unit %q does not match the sheet's %q", prod.Unit, p.Unit)
			continue
		}
		r.Quotes[k] = cost.Quote{USD: prod.USD, SKU: prod.SKU}
	}
	return r, nil
}

// getProducts returns every product document matching q (TERM_MATCH on each filter), page by page.
func getProducts(ctx context.Context, api pricing.GetProductsAPIClient, q cost.Query) ([]string, error) {
	fields := make([]string, 0, len(q.Filters))
	for f := range q.Filters {
		fields = append(fields, f)
	}
	sort.Strings(fields)
	in := &pricing.GetProductsInput{
		ServiceCode:   aws.String(q.ServiceCode),
		FormatVersion: aws.String("aws_v1"),
		MaxResults:    aws.Int32(100),
	}
	for _, f := range fields {
		in.Filters = append(in.Filters, types.Filter{Type: types.FilterTypeTermMatch, Field: aws.String(f), Value: aws.String(q.Filters[f])})
	}
	pages := pricing.NewGetProductsPaginator(api, in, func(o *pricing.GetProductsPaginatorOptions) { o.StopOnDuplicateToken = true })
	var docs []string
	for n := 0; pages.HasMorePages(); n++ {
		if n == maxPages {
			return nil, &tooBroadError{q.ServiceCode}
		}
		out, err := pages.NextPage(ctx)
		if err != nil {
			return nil, err
		}
		docs = append(docs, out.PriceList...)
	}
	return docs, nil
}

type tooBroadError struct{ service string }

func (e *tooBroadError) Error() string {
	return fmt.Sprintf("%s query matched more than %d pages of products", e.service, maxPages)
}

// isQueryError reports whether err is about the query itself (bad filter, unknown service, too broad),
// so only that price fails, rather than about reaching or being allowed to use the API.
func isQueryError(err error) bool {
	var tb *tooBroadError
	if errors.As(err, &tb) {
		return true
	}
	var invalid *types.InvalidParameterException
	var notFound *types.NotFoundException
	if errors.As(err, &invalid) || errors.As(err, &notFound) {
		return true
	}
	var apiErr smithy.APIError
	return errors.As(err, &apiErr) && (apiErr.ErrorCode() == "InvalidParameterException" || apiErr.ErrorCode() == "NotFoundException")
}
