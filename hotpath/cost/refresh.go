package cost

import (
	"encoding/json"
	"errors"
	"fmt"
	"maps"

	"github.com/shopspring/decimal"
)

// RefreshSource is the provenance a refreshed price carries.
const RefreshSource = "AWS Price List API (GetProducts), On-Demand"

// RefreshURL documents the API a refreshed price came from.
const RefreshURL = "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html"

// product is the part of one Price List API product document the model reads.
type product struct {
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

// OnDemandUSD extracts the On-Demand USD price and its unit from one Price List API product document (one
// element of GetProducts' PriceList). A product with several tiers yields its first (beginRange "0"),
// which is the tier the pinned sheet records; anything else ambiguous is an error, never a guess.
func OnDemandUSD(doc []byte) (decimal.Decimal, string, error) {
	var p product
	if err := json.Unmarshal(doc, &p); err != nil {
		return decimal.Zero, "", fmt.Errorf("cost: price list product: %w", err)
	}
	if len(p.Terms.OnDemand) != 1 {
		return decimal.Zero, "", fmt.Errorf("cost: product %s has %d On-Demand terms, want 1", p.Product.SKU, len(p.Terms.OnDemand))
	}
	var found []decimal.Decimal
	var unit string
	for _, term := range p.Terms.OnDemand {
		for _, d := range term.PriceDimensions {
			if len(term.PriceDimensions) > 1 && d.BeginRange != "0" {
				continue
			}
			usd, ok := d.PricePerUnit["USD"]
			if !ok {
				continue
			}
			v, err := decimal.NewFromString(usd)
			if err != nil {
				return decimal.Zero, "", fmt.Errorf("cost: product %s: price %q: %w", p.Product.SKU, usd, err)
			}
			found, unit = append(found, v), d.Unit
		}
	}
	if len(found) != 1 {
		return decimal.Zero, "", fmt.Errorf("cost: product %s has %d first-tier USD prices, want 1", p.Product.SKU, len(found))
	}
	return found[0], unit, nil
}

// WithQuotes returns a copy of s with each quoted key's value replaced and its provenance set to the
// Price List API on date; keys without a quote keep their pinned value, date and source. A quote for a
// key the sheet lacks is an error: the refresh must not invent line items.
func (s PriceSheet) WithQuotes(quotes map[string]decimal.Decimal, date string) (PriceSheet, error) {
	out := s
	out.Prices = maps.Clone(s.Prices)
	var errs []error
	for k, v := range quotes {
		p, ok := out.Prices[k]
		if !ok {
			errs = append(errs, fmt.Errorf("cost: quote for unknown price %q", k))
			continue
		}
		if v.Sign() < 0 {
			errs = append(errs, fmt.Errorf("cost: negative quote for %q", k))
			continue
		}
		p.USD, p.Date, p.Source, p.URL = v, date, RefreshSource, RefreshURL
		out.Prices[k] = p
	}
	if err := errors.Join(errs...); err != nil {
		return PriceSheet{}, err
	}
	return out, nil
}
