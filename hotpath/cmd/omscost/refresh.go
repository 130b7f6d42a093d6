package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/aws/aws-sdk-go-v2/feature/ec2/imds"
	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist"
)

// refreshTimeout bounds the whole refresh: a few dozen GetProducts calls, with the SDK's retries.
const refreshTimeout = 2 * time.Minute

// refresh asks the Price List API for every price in sheet that has a query, writes the refreshed sheet
// to cfg.PricesOut and returns it. Without credentials, or when the API cannot be used, it returns an
// error and writes nothing: the pinned sheet stays whole.
func refresh(ctx context.Context, cfg Config, sheet cost.PriceSheet, stderr io.Writer) (cost.PriceSheet, error) {
	opts := []func(*config.LoadOptions) error{config.WithRegion(pricelist.APIRegion)}
	chain := "environment, shared config and credentials files, SSO, web identity, container credentials"
	if cfg.IMDS {
		chain += ", EC2 instance metadata"
	} else {
		// Off EC2 nothing answers the metadata address and the chain would wait on it; -imds asks for it.
		opts = append(opts, config.WithEC2IMDSClientEnableState(imds.ClientDisabled))
	}
	lctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	awsCfg, err := config.LoadDefaultConfig(lctx, opts...)
	if err != nil {
		return sheet, fmt.Errorf("cannot load the AWS configuration: %w", err)
	}
	if awsCfg.Credentials == nil {
		return sheet, fmt.Errorf("no AWS credentials found (looked in: %s)", chain)
	}
	creds, err := awsCfg.Credentials.Retrieve(lctx)
	if err != nil || !creds.HasKeys() {
		if err == nil {
			err = errors.New("the provider returned no keys")
		}
		return sheet, fmt.Errorf("no AWS credentials found (looked in: %s): %w", chain, err)
	}
	rctx, cancel := context.WithTimeout(ctx, refreshTimeout)
	defer cancel()
	res, err := pricelist.Refresh(rctx, pricelist.NewClient(awsCfg, cfg.PricingEndpoint), sheet)
	if err != nil {
		return sheet, fmt.Errorf("cannot use the AWS Price List API (offline, or the credentials may not call pricing:GetProducts): %w", err)
	}
	next, err := sheet.WithQuotes(res.Quotes, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return sheet, err
	}
	b, err := next.Marshal()
	if err != nil {
		return sheet, err
	}
	if err := writeFile(cfg.PricesOut, b); err != nil {
		return sheet, fmt.Errorf("write refreshed price sheet: %w", err)
	}
	keys := make([]string, 0, len(res.Quotes))
	for k := range res.Quotes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(stderr, "omscost: refreshed %d prices from the AWS Price List API into %s:\n", len(keys), cfg.PricesOut)
	for _, k := range keys {
		fmt.Fprintf(stderr, "  %-32s %s -> %s (SKU %s)\n", k, sheet.Prices[k].USD, res.Quotes[k].USD, res.Quotes[k].SKU)
	}
	failed := make([]string, 0, len(res.Failed))
	for k := range res.Failed {
		failed = append(failed, k)
	}
	sort.Strings(failed)
	for _, k := range failed {
		fmt.Fprintf(stderr, "  %-32s kept pinned: %v\n", k, res.Failed[k])
	}
	fmt.Fprintf(stderr, "omscost: %d prices have no Price List query and stay as pinned.\n", len(res.Pinned))
	return next, nil
}
