package pricelist_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist"
	"github.com/shopspring/decimal"
)

var exampleKey = pricelist.Credentials{AccessKeyID: "AKIDEXAMPLE", SecretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"}

// TestSign checks the signature against AWS's SigV4 test suite (get-vanilla) and against a Price List
// request signed by aws-sdk-go-v2's own signer (v1.48.0) with the same inputs.
func TestSign(t *testing.T) {
	body := []byte(`{"ServiceCode":"AmazonEC2","Filters":[{"Type":"TERM_MATCH","Field":"instanceType","Value":"m7g.large"}],"FormatVersion":"aws_v1","MaxResults":100}`)
	withToken := exampleKey
	withToken.SessionToken = "tok"
	tests := []struct {
		name            string
		method, url     string
		headers         map[string]string
		body            []byte
		creds           pricelist.Credentials
		region, service string
		now             time.Time
		want            string
	}{
		{"aws test suite get-vanilla", "GET", "https://example.amazonaws.com/", nil, nil, exampleKey, "us-east-1", "service",
			time.Date(2015, 8, 30, 12, 36, 0, 0, time.UTC),
			"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, SignedHeaders=host;x-amz-date, Signature=5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31"},
		{"GetProducts as the SDK signs it", "POST", "https://api.pricing.us-east-1.amazonaws.com/",
			// The SDK also signs Content-Length; set it as a header so both sign the same set.
			map[string]string{"Content-Type": "application/x-amz-json-1.1", "X-Amz-Target": "AWSPriceListService.GetProducts", "Content-Length": "146"},
			body, withToken, "us-east-1", "pricing", time.Date(2026, 11, 25, 9, 0, 0, 0, time.UTC),
			"AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20261125/us-east-1/pricing/aws4_request, SignedHeaders=content-length;content-type;host;x-amz-date;x-amz-security-token;x-amz-target, Signature=f6e9a7987f37c7ca8e61e3fa45e9b0a3f8607009f37f9641c6b9d49002467f55"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			req, err := http.NewRequest(tt.method, tt.url, bytes.NewReader(tt.body))
			if err != nil {
				t.Fatal(err)
			}
			for k, v := range tt.headers {
				req.Header.Set(k, v)
			}
			pricelist.Sign(req, tt.body, tt.creds, tt.region, tt.service, tt.now)
			if got := req.Header.Get("Authorization"); got != tt.want {
				t.Errorf("Authorization =\n%s\nwant\n%s", got, tt.want)
			}
		})
	}
}

const m7gLarge = `{"product":{"sku":"SKU1","attributes":{"instanceType":"m7g.large"}},"terms":{"OnDemand":{"SKU1.T":{"priceDimensions":{"SKU1.T.D":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"0.0900000000"}}}}}}}`

// fakeAPI answers GetProducts like the Price List API: one product for m7g.large, two for c7g.2xlarge
// (an ambiguous query), none otherwise. It fails the test on a request that is not a signed GetProducts.
func fakeAPI(t *testing.T) *httptest.Server {
	t.Helper()
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" || !strings.HasPrefix(r.Header.Get("Authorization"), "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") {
			t.Errorf("unexpected request headers %v", r.Header)
		}
		var in struct {
			ServiceCode string
			Filters     []struct{ Type, Field, Value string }
		}
		b, _ := io.ReadAll(r.Body)
		if err := json.Unmarshal(b, &in); err != nil {
			t.Errorf("body %s: %v", b, err)
		}
		var out struct{ PriceList []string }
		for _, f := range in.Filters {
			if f.Type != "TERM_MATCH" {
				t.Errorf("filter type %q", f.Type)
			}
			if in.ServiceCode == "AmazonEC2" && f.Field == "instanceType" {
				switch f.Value {
				case "m7g.large":
					out.PriceList = []string{m7gLarge}
				case "c7g.2xlarge":
					out.PriceList = []string{m7gLarge, m7gLarge}
				}
			}
		}
		_ = json.NewEncoder(w).Encode(out)
	}))
}

func TestRefresh(t *testing.T) {
	srv := fakeAPI(t)
	defer srv.Close()
	sheet, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	c := &pricelist.Client{Endpoint: srv.URL, Credentials: exampleKey, HTTP: srv.Client()}
	r, err := pricelist.Refresh(context.Background(), c, sheet)
	if err != nil {
		t.Fatal(err)
	}
	if len(r.Quotes) != 1 || !r.Quotes["ec2.m7g.large"].Equal(decimal.RequireFromString("0.09")) {
		t.Errorf("quotes = %v", r.Quotes)
	}
	if _, ok := r.Failed["ec2.c7g.2xlarge"]; !ok {
		t.Error("ambiguous query not reported as failed")
	}
	queried := 0
	for _, k := range sheet.Keys() {
		if sheet.Prices[k].Query != nil {
			queried++
		}
	}
	if got := len(r.Quotes) + len(r.Failed) + len(r.Pinned); got != len(sheet.Prices) || len(r.Pinned) != len(sheet.Prices)-queried {
		t.Errorf("%d quotes + %d failed + %d pinned for %d prices (%d with queries)", len(r.Quotes), len(r.Failed), len(r.Pinned), len(sheet.Prices), queried)
	}
}

func TestRefreshStopsWhenTheAPIRefuses(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, `{"__type":"AccessDeniedException"}`, http.StatusForbidden)
	}))
	defer srv.Close()
	sheet, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	c := &pricelist.Client{Endpoint: srv.URL, Credentials: exampleKey, HTTP: srv.Client()}
	if _, err := pricelist.Refresh(context.Background(), c, sheet); !errors.Is(err, pricelist.ErrRequest) {
		t.Fatalf("err = %v, want ErrRequest", err)
	}
}
