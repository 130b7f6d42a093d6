package pricelist_test

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/aws/aws-sdk-go-v2/aws"
	"github.com/aws/aws-sdk-go-v2/credentials"
	"github.com/crypto-oms/crypto-oms/hotpath/cost"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist"
	"github.com/crypto-oms/crypto-oms/hotpath/cost/pricelist/pricelisttest"
	"github.com/shopspring/decimal"
)

const (
	accessKey = "AKIDEXAMPLE"
	secretKey = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
	products  = "testdata/products"
)

func d(s string) decimal.Decimal { return decimal.RequireFromString(s) }

func fixture(t *testing.T, name string) []byte {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(products, name))
	if err != nil {
		t.Fatal(err)
	}
	return b
}

// TestParseProductFixtures reads every recorded product document: the first-tier On-Demand USD price and
// its unit, ignoring Reserved terms (EC2) and the higher tiers (S3).
func TestParseProductFixtures(t *testing.T) {
	tests := []struct {
		file, usd, unit, attr, value string
	}{
		{"ec2-m7g.large.json", "0.0816", "Hrs", "instanceType", "m7g.large"},
		{"ec2-c7g.2xlarge.json", "0.29", "Hrs", "instanceType", "c7g.2xlarge"},
		{"ec2-t3.small.json", "0.0208", "Hrs", "instanceType", "t3.small"},
		{"ec2-natgateway-hours.json", "0.045", "Hrs", "usagetype", "NatGateway-Hours"},
		{"ec2-natgateway-bytes.json", "0.045", "GB", "usagetype", "NatGateway-Bytes"},
		{"eks-cluster.json", "0.10", "Hours", "usagetype", "USE1-AmazonEKS-Hours:perCluster"},
		{"elasticache-redis-cache.t4g.micro.json", "0.016", "Hrs", "cacheEngine", "Redis"},
		{"elasticache-valkey-cache.t4g.micro.json", "0.0128", "Hrs", "cacheEngine", "Valkey"},
		{"elasticache-redis-cache.t3.micro.json", "0.017", "Hrs", "instanceType", "cache.t3.micro"},
		{"elasticache-redis-cache.r7g.large.json", "0.219", "Hrs", "instanceType", "cache.r7g.large"},
		{"docdb-db.t3.medium.json", "0.078", "Hrs", "usagetype", "InstanceUsage:db.t3.medium"},
		{"docdb-db.t4g.medium.json", "0.073", "Hrs", "usagetype", "InstanceUsage:db.t4g.medium"},
		{"docdb-db.r6g.large.json", "0.255", "Hrs", "usagetype", "InstanceUsage:db.r6g.large"},
		{"docdb-io-db.r6g.large.json", "0.2805", "Hrs", "usagetype", "InstanceUsageIOOptimized:db.r6g.large"},
		{"s3-standard-storage.json", "0.023", "GB-Mo", "volumeType", "Standard"},
		{"elb-alb-hours.json", "0.0225", "Hrs", "usagetype", "LoadBalancerUsage"},
		{"elb-alb-lcu.json", "0.008", "LCU-Hrs", "usagetype", "LCUUsage"},
	}
	files, err := filepath.Glob(filepath.Join(products, "*.json"))
	if err != nil || len(files) != len(tests) {
		t.Fatalf("%d fixture files, %d cases: every fixture needs a case (%v)", len(files), len(tests), err)
	}
	for _, tt := range tests {
		t.Run(tt.file, func(t *testing.T) {
			p, err := pricelist.ParseProduct(fixture(t, tt.file))
			if err != nil {
				t.Fatal(err)
			}
			if !p.USD.Equal(d(tt.usd)) || p.Unit != tt.unit || p.Attributes[tt.attr] != tt.value || len(p.SKU) != 16 {
				t.Errorf("= %s %s, %s=%q, sku %q; want %s %s, %s=%q", p.USD, p.Unit, tt.attr, p.Attributes[tt.attr], p.SKU, tt.usd, tt.unit, tt.attr, tt.value)
			}
		})
	}
}

func TestParseProductRejectsAmbiguity(t *testing.T) {
	m7g := string(fixture(t, "ec2-m7g.large.json"))
	tests := []struct {
		name, doc, want string
	}{
		{"not json", "[", "price list product"},
		{"no sku", strings.Replace(m7g, `"sku": "J4NPDA23XG74H3ZT"`, `"sku": ""`, 1), "no sku"},
		{"no On-Demand term", `{"product":{"sku":"A"},"terms":{"Reserved":{}}}`, "0 On-Demand terms"},
		{"two On-Demand terms", `{"product":{"sku":"A"},"terms":{"OnDemand":{"a":{},"b":{}}}}`, "2 On-Demand terms"},
		{"no USD", strings.Replace(m7g, `"USD": "0.0816000000"`, `"CNY": "0.5"`, 1), "0 first-tier USD prices"},
		{"not a number", strings.Replace(m7g, `"USD": "0.0816000000"`, `"USD": "cheap"`, 1), `"cheap"`},
		{"negative", strings.Replace(m7g, `"USD": "0.0816000000"`, `"USD": "-1"`, 1), "negative"},
		{"two first tiers", `{"product":{"sku":"A"},"terms":{"OnDemand":{"t":{"priceDimensions":{
			"x":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"1"}},"y":{"unit":"Hrs","beginRange":"0","pricePerUnit":{"USD":"2"}}}}}}}`, "2 first-tier"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if _, err := pricelist.ParseProduct([]byte(tt.doc)); err == nil || !strings.Contains(err.Error(), tt.want) {
				t.Errorf("err = %v, want one containing %q", err, tt.want)
			}
		})
	}
}

func FuzzParseProduct(f *testing.F) {
	files, _ := filepath.Glob(filepath.Join(products, "*.json"))
	for _, p := range files {
		b, err := os.ReadFile(p)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
	}
	f.Add([]byte(`{"product":{"sku":"A"},"terms":{"OnDemand":{"t":{"priceDimensions":{"x":{"unit":"Hrs","pricePerUnit":{"USD":"1e9999999"}}}}}}}`))
	f.Fuzz(func(t *testing.T, doc []byte) {
		p, err := pricelist.ParseProduct(doc)
		if err != nil {
			return
		}
		if p.SKU == "" || p.USD.Sign() < 0 {
			t.Fatalf("accepted %q as %+v", doc, p)
		}
	})
}

// client is the SDK's Price List client for srv, with static credentials and no retries, so a refused
// request fails at once.
func client(key string) aws.Config {
	return aws.Config{
		Region:           "eu-west-1", // NewClient must move it to the API's region, or the signature is refused
		Credentials:      credentials.NewStaticCredentialsProvider(key, secretKey, ""),
		RetryMaxAttempts: 1,
	}
}

func sheet(t *testing.T) cost.PriceSheet {
	t.Helper()
	s, err := cost.LoadPriceSheet()
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// TestRefreshOverTheWire runs the pinned sheet's queries through the SDK against a server speaking the
// Price List protocol: every queried price comes back from its own product document, the look-alike
// products (Valkey, I/O-Optimized) are filtered out by the queries, and keys without a query stay pinned.
func TestRefreshOverTheWire(t *testing.T) {
	srv := pricelisttest.NewServer(t, accessKey, pricelisttest.LoadDocs(t, products))
	s := sheet(t)
	r, err := pricelist.Refresh(context.Background(), pricelist.NewClient(client(accessKey), srv.URL), s)
	if err != nil {
		t.Fatal(err)
	}
	for k, e := range r.Failed {
		t.Errorf("%s failed: %v", k, e)
	}
	queried := 0
	for _, k := range s.Keys() {
		p := s.Prices[k]
		if p.Query == nil {
			continue
		}
		queried++
		q, ok := r.Quotes[k]
		if !ok {
			t.Errorf("no quote for %s", k)
			continue
		}
		// The fixtures carry the pinned values, so a quote that differs was read from the wrong product.
		if !q.USD.Equal(p.USD) || len(q.SKU) != 16 {
			t.Errorf("%s = %s (SKU %q), pinned %s", k, q.USD, q.SKU, p.USD)
		}
	}
	if queried < 15 || len(r.Pinned) != len(s.Prices)-queried {
		t.Errorf("%d queried, %d pinned of %d prices", queried, len(r.Pinned), len(s.Prices))
	}
	if srv.Requests() != queried {
		t.Errorf("%d requests for %d queries: the queries should each fit one page", srv.Requests(), queried)
	}
	next, err := s.WithQuotes(r.Quotes, "2026-11-25")
	if err != nil {
		t.Fatal(err)
	}
	if p := next.Prices["ec2.m7g.large"]; !p.IsVerified() || !strings.Contains(p.Verified, r.Quotes["ec2.m7g.large"].SKU) || p.Source != cost.RefreshSource {
		t.Errorf("refreshed price = %+v", p)
	}
}

// TestRefreshPaginatesAndRejectsAmbiguity drops the usagetype filter from the DocumentDB query, which then
// matches the Standard and the I/O-Optimized instance on two pages: the key fails, nothing is guessed.
func TestRefreshPaginatesAndRejectsAmbiguity(t *testing.T) {
	srv := pricelisttest.NewServer(t, accessKey, pricelisttest.LoadDocs(t, products))
	s := sheet(t)
	p := s.Prices["docdb.db.r6g.large"]
	q := *p.Query
	q.Filters = map[string]string{"instanceType": "db.r6g.large", "regionCode": "us-east-1"}
	p.Query = &q
	s.Prices = map[string]cost.Price{"docdb.db.r6g.large": p, "ec2.t3.small": s.Prices["ec2.t3.small"]}
	r, err := pricelist.Refresh(context.Background(), pricelist.NewClient(client(accessKey), srv.URL), s)
	if err != nil {
		t.Fatal(err)
	}
	if e := r.Failed["docdb.db.r6g.large"]; e == nil || !strings.Contains(e.Error(), "matched 2 products") {
		t.Errorf("ambiguous query: %v", e)
	}
	if _, ok := r.Quotes["ec2.t3.small"]; !ok || srv.Requests() != 3 {
		t.Errorf("quotes %v after %d requests, want t3.small after 2 pages + 1", r.Quotes, srv.Requests())
	}
}

func TestRefreshFailures(t *testing.T) {
	tests := []struct {
		name        string
		key         string // access key the client signs with
		service     string // service whose queries fail
		code        string
		wantRequest bool   // the whole refresh stops with ErrRequest
		failedKey   string // else this key alone fails
	}{
		{"credentials refused", "AKIDOTHER", "", "", true, ""},
		{"access denied", accessKey, "*", "AccessDeniedException", true, ""},
		{"throttled", accessKey, "AmazonEC2", "ThrottlingException", true, ""},
		{"server fault", accessKey, "AmazonEKS", "InternalErrorException", true, ""},
		{"invalid filter fails its key only", accessKey, "AmazonEKS", "InvalidParameterException", false, "eks.cluster"},
		{"unknown service fails its key only", accessKey, "AmazonEKS", "NotFoundException", false, "eks.cluster"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			srv := pricelisttest.NewServer(t, accessKey, pricelisttest.LoadDocs(t, products))
			if tt.code != "" {
				srv.Fail(tt.service, tt.code)
			}
			r, err := pricelist.Refresh(context.Background(), pricelist.NewClient(client(tt.key), srv.URL), sheet(t))
			if tt.wantRequest {
				if !errors.Is(err, pricelist.ErrRequest) {
					t.Fatalf("err = %v, want ErrRequest", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if _, ok := r.Failed[tt.failedKey]; !ok || len(r.Failed) != 1 || len(r.Quotes) == 0 {
				t.Errorf("failed %v, %d quotes", r.Failed, len(r.Quotes))
			}
		})
	}
}

func TestRefreshStopsWhenNothingListens(t *testing.T) {
	srv := pricelisttest.NewServer(t, accessKey, nil)
	url := srv.URL
	srv.Close()
	_, err := pricelist.Refresh(context.Background(), pricelist.NewClient(client(accessKey), url), sheet(t))
	if !errors.Is(err, pricelist.ErrRequest) {
		t.Fatalf("err = %v, want ErrRequest", err)
	}
}
