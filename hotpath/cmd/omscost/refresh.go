package main

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"sort"
	"time"

	"github.com/aws/aws-sdk-go-v2/config"
	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist"
)

// refresh asks the Price List API for every price in sheet that has a query and writes the result to
// cfg.PricesOut. Without credentials, or when the API cannot be reached, it says so on stderr and reports
// refreshed=false: the caller keeps the pinned sheet, whole. Only a failure to write the new sheet is an
// error.
func refresh(ctx context.Context, cfg Config, sheet cost.PriceSheet, stderr io.Writer) (cost.PriceSheet, bool, error) {
	keep := func(why string, err error) (cost.PriceSheet, bool, error) {
		fmt.Fprintf(stderr, "omscost: offline: %s (%v); keeping the pinned price sheet (%s, %d prices).\n", why, err, sheet.Region, len(sheet.Prices))
		return sheet, false, nil
	}
	if !cfg.IMDS && os.Getenv("AWS_EC2_METADATA_DISABLED") == "" {
		// The SDK's credential chain ends at the EC2 metadata service; off EC2 that is a link-local
		// address nothing answers. The documented switch turns it off unless -imds asks for it.
		if err := os.Setenv("AWS_EC2_METADATA_DISABLED", "true"); err != nil {
			return sheet, false, err
		}
	}
	lctx, cancel := context.WithTimeout(ctx, 15*time.Second)
	defer cancel()
	awsCfg, err := config.LoadDefaultConfig(lctx, config.WithRegion("us-east-1"))
	if err != nil {
		return keep("cannot load the AWS configuration", err)
	}
	if awsCfg.Credentials == nil {
		return keep("no AWS credentials found", errors.New("no credential provider"))
	}
	creds, err := awsCfg.Credentials.Retrieve(lctx)
	if err != nil || !creds.HasKeys() {
		return keep("no AWS credentials found", err)
	}
	client := &pricelist.Client{
		Endpoint:    cfg.PricingEndpoint,
		Credentials: pricelist.Credentials{AccessKeyID: creds.AccessKeyID, SecretAccessKey: creds.SecretAccessKey, SessionToken: creds.SessionToken},
	}
	res, err := pricelist.Refresh(ctx, client, sheet)
	if err != nil {
		return keep("cannot use the AWS Price List API", err)
	}
	next, err := sheet.WithQuotes(res.Quotes, time.Now().UTC().Format(time.DateOnly))
	if err != nil {
		return sheet, false, err
	}
	b, err := next.Marshal()
	if err != nil {
		return sheet, false, err
	}
	if err := writeFile(cfg.PricesOut, b); err != nil {
		return sheet, false, err
	}
	keys := make([]string, 0, len(res.Quotes))
	for k := range res.Quotes {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	fmt.Fprintf(stderr, "omscost: refreshed %d prices from the AWS Price List API into %s:\n", len(keys), cfg.PricesOut)
	for _, k := range keys {
		fmt.Fprintf(stderr, "  %-32s %s -> %s\n", k, sheet.Prices[k].USD, res.Quotes[k])
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
	return next, true, nil
}
