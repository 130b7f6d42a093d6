package cost

import (
	"errors"
	"fmt"
	"maps"

	"github.com/shopspring/decimal"
)

// RefreshSource is the provenance a refreshed price carries.
const RefreshSource = "AWS Price List API (GetProducts), On-Demand"

// RefreshURL documents the API a refreshed price came from.
const RefreshURL = "https://docs.aws.amazon.com/aws-cost-management/latest/APIReference/API_pricing_GetProducts.html"

// Quote is one price the AWS Price List API returned: the On-Demand USD price of the product SKU.
type Quote struct {
	USD decimal.Decimal
	SKU string
}

// WithQuotes returns a copy of s with each quoted key's value replaced and its provenance set to the
// Price List API on date (which also verifies it); keys without a quote keep their pinned value, date,
// source and verification. A quote for a key the sheet lacks is an error: the refresh must not invent
// line items.
func (s PriceSheet) WithQuotes(quotes map[string]Quote, date string) (PriceSheet, error) {
	out := s
	out.Prices = maps.Clone(s.Prices)
	var errs []error
	for k, q := range quotes {
		p, ok := out.Prices[k]
		if !ok {
			errs = append(errs, fmt.Errorf("cost: quote for unknown price %q", k))
			continue
		}
		if q.USD.Sign() < 0 || q.SKU == "" {
			errs = append(errs, fmt.Errorf("cost: quote for %q needs a non-negative price and a SKU", k))
			continue
		}
		p.USD, p.Date, p.Source, p.URL = q.USD, date, RefreshSource, RefreshURL
		p.Verified = fmt.Sprintf("%s via AWS Price List API GetProducts, SKU %s", date, q.SKU)
		out.Prices[k] = p
	}
	if err := errors.Join(errs...); err != nil {
		return PriceSheet{}, err
	}
	return out, nil
}
