// Package pricelisttest serves Price List product documents over the AWS Price List API's wire
// protocol (GetProducts, JSON 1.1, SigV4-signed requests, NextToken pagination), so the refresh is
// tested through the real SDK client against an HTTP server rather than against a stub of our own code.
package pricelisttest

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
)

// Server answers GetProducts from a fixed set of product documents.
type Server struct {
	*httptest.Server
	t    testing.TB
	docs []product

	mu sync.Mutex
	// pageSize is how many documents one page holds; 1 makes every multi-product answer paginate.
	pageSize int
	// failures maps a service code to the error code its queries are answered with.
	failures map[string]string
	requests int
	// accessKey is the access key id requests must be signed with.
	accessKey string
}

type product struct {
	raw         string
	serviceCode string
	family      string
	attributes  map[string]string
}

// NewServer starts a server for docs (Price List product documents) that accepts only requests signed
// with accessKey for the pricing service in us-east-1. It is closed when the test ends.
func NewServer(t testing.TB, accessKey string, docs [][]byte) *Server {
	t.Helper()
	s := &Server{t: t, pageSize: 1, failures: map[string]string{}, accessKey: accessKey}
	for _, d := range docs {
		var p struct {
			Product struct {
				ProductFamily string            `json:"productFamily"`
				Attributes    map[string]string `json:"attributes"`
			} `json:"product"`
			ServiceCode string `json:"serviceCode"`
		}
		if err := json.Unmarshal(d, &p); err != nil {
			t.Fatalf("pricelisttest: product document: %v", err)
		}
		s.docs = append(s.docs, product{raw: string(d), serviceCode: p.ServiceCode, family: p.Product.ProductFamily, attributes: p.Product.Attributes})
	}
	s.Server = httptest.NewServer(http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

// LoadDocs reads every *.json file in dir.
func LoadDocs(t testing.TB, dir string) [][]byte {
	t.Helper()
	paths, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(paths) == 0 {
		t.Fatalf("pricelisttest: no product documents in %s: %v", dir, err)
	}
	var docs [][]byte
	for _, p := range paths {
		b, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		docs = append(docs, b)
	}
	return docs
}

// SetPageSize sets how many documents one page holds.
func (s *Server) SetPageSize(n int) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.pageSize = max(1, n)
}

// Fail makes every query for serviceCode ("*" for all) answer with the API error errorCode, for example
// AccessDeniedException, ThrottlingException or InvalidParameterException.
func (s *Server) Fail(serviceCode, errorCode string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.failures[serviceCode] = errorCode
}

// Requests returns how many GetProducts requests the server has answered.
func (s *Server) Requests() int {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.requests
}

type getProductsInput struct {
	ServiceCode   string
	FormatVersion string
	MaxResults    int
	NextToken     string
	Filters       []struct{ Type, Field, Value string }
}

// errorStatus is the HTTP status the API answers each error code with.
var errorStatus = map[string]int{
	"AccessDeniedException": http.StatusBadRequest, "ThrottlingException": http.StatusBadRequest,
	"InvalidParameterException": http.StatusBadRequest, "InvalidNextTokenException": http.StatusBadRequest,
	"NotFoundException": http.StatusBadRequest, "InternalErrorException": http.StatusInternalServerError,
	"UnrecognizedClientException": http.StatusBadRequest,
}

func (s *Server) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.requests++
	if r.Method != http.MethodPost || r.Header.Get("X-Amz-Target") != "AWSPriceListService.GetProducts" ||
		!strings.HasPrefix(r.Header.Get("Content-Type"), "application/x-amz-json-1.1") {
		s.t.Errorf("pricelisttest: %s %s with target %q, content type %q: not a GetProducts call", r.Method, r.URL, r.Header.Get("X-Amz-Target"), r.Header.Get("Content-Type"))
		apiError(w, "UnknownOperationException", "not GetProducts")
		return
	}
	auth := r.Header.Get("Authorization")
	if !strings.HasPrefix(auth, "AWS4-HMAC-SHA256 Credential="+s.accessKey+"/") || !strings.Contains(auth, "/us-east-1/pricing/aws4_request") ||
		r.Header.Get("X-Amz-Date") == "" {
		apiError(w, "UnrecognizedClientException", "The security token included in the request is invalid.")
		return
	}
	var in getProductsInput
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		apiError(w, "InvalidParameterException", "request body: "+err.Error())
		return
	}
	if code, ok := s.failures[in.ServiceCode]; ok {
		apiError(w, code, "injected by pricelisttest")
		return
	}
	if code, ok := s.failures["*"]; ok {
		apiError(w, code, "injected by pricelisttest")
		return
	}
	if in.FormatVersion != "aws_v1" || in.ServiceCode == "" {
		apiError(w, "InvalidParameterException", "ServiceCode and FormatVersion aws_v1 are required")
		return
	}
	var match []string
	for _, p := range s.docs {
		if p.serviceCode != in.ServiceCode {
			continue
		}
		ok := true
		for _, f := range in.Filters {
			if f.Type != "TERM_MATCH" {
				apiError(w, "InvalidParameterException", "filter type "+f.Type+" is not served here")
				return
			}
			var v string
			switch f.Field {
			case "productFamily":
				v = p.family
			case "ServiceCode":
				v = p.serviceCode
			default:
				v = p.attributes[f.Field]
			}
			ok = ok && v == f.Value
		}
		if ok {
			match = append(match, p.raw)
		}
	}
	from := 0
	if in.NextToken != "" {
		n, err := strconv.Atoi(strings.TrimPrefix(in.NextToken, "page-"))
		if err != nil || !strings.HasPrefix(in.NextToken, "page-") || n > len(match) {
			apiError(w, "InvalidNextTokenException", "bad token")
			return
		}
		from = n
	}
	size := s.pageSize
	if in.MaxResults > 0 {
		size = min(size, in.MaxResults)
	}
	to := min(len(match), from+size)
	out := struct {
		FormatVersion string
		PriceList     []string
		NextToken     string `json:",omitempty"`
	}{FormatVersion: "aws_v1", PriceList: match[from:to]}
	if to < len(match) {
		out.NextToken = fmt.Sprintf("page-%d", to)
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	_ = json.NewEncoder(w).Encode(out)
}

func apiError(w http.ResponseWriter, code, msg string) {
	status, ok := errorStatus[code]
	if !ok {
		status = http.StatusBadRequest
	}
	w.Header().Set("Content-Type", "application/x-amz-json-1.1")
	w.Header().Set("X-Amzn-Errortype", code)
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(map[string]string{"__type": "com.amazonaws.awspricing#" + code, "Message": msg})
}
