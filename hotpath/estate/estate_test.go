package estate_test

import (
	"testing"

	"github.com/crypto-oms/crypto-oms/hotpath/estate"
)

func TestLoadSizingAndRoutes(t *testing.T) {
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	for _, name := range []string{"dev", "prod"} {
		if _, err := s.Profile(name); err != nil {
			t.Errorf("profile %s: %v", name, err)
		}
	}
	if _, err := s.Profile("staging"); err == nil {
		t.Error("unknown profile accepted")
	}
	if _, err := estate.LoadRoutes(); err != nil {
		t.Fatal(err)
	}
}

func TestRouteMatch(t *testing.T) {
	r, err := estate.LoadRoutes()
	if err != nil {
		t.Fatal(err)
	}
	tests := []struct {
		method, path, target string
		ok                   bool
	}{
		{"POST", "/api/orders", "gateway", true},
		{"POST", "/api/orders/batch", "gateway", true},
		{"DELETE", "/api/orders/abc", "gateway", true},
		{"PATCH", "/api/orders/abc", "gateway", true},
		{"GET", "/api/orders", "order-query", true},
		{"GET", "/api/orders/abc", "order-query", true},
		{"GET", "/api/orders/by-client-id/x", "order-query", true},
		{"GET", "/api/fills", "order-query", true},
		{"GET", "/api/positions", "order-query", true},
		{"GET", "/api/balances", "order-query", true},
		{"GET", "/api/market-data/prices/BTC-USD", "market-query", true},
		{"PUT", "/api/admin/accounts/a1/limits", "admin", true},
		{"GET", "/health", "gateway", true},
		{"GET", "/ws", "gateway", true},
		{"GET", "/nope", "", false},
		{"POST", "/api/market-data/prices", "", false},
	}
	for _, tc := range tests {
		rt, ok := r.Match(tc.method, tc.path)
		if ok != tc.ok || rt.Target != tc.target {
			t.Errorf("%s %s: got (%q, %v), want (%q, %v)", tc.method, tc.path, rt.Target, ok, tc.target, tc.ok)
		}
	}
}

// TestAlarmThresholds: every profile sets every alarm threshold, and the MSK disk alarm fires before a
// broker volume is full (the executions topic is kept forever, docs/operations.md).
func TestAlarmThresholds(t *testing.T) {
	s, err := estate.LoadSizing()
	if err != nil {
		t.Fatal(err)
	}
	for name, p := range s.Profiles {
		a := p.Alarms
		for field, v := range map[string]int{
			"consumerLagMessages": a.ConsumerLagMessages, "http5xxPercent": a.HTTP5xxPercent, "p99LatencyMs": a.P99LatencyMs,
			"dlqMessages": a.DLQMessages, "lambdaErrors": a.LambdaErrors, "mskDiskUsedPercent": a.MSKDiskUsedPercent,
		} {
			if v < 1 {
				t.Errorf("profile %s: alarms.%s = %d, want >= 1", name, field, v)
			}
		}
		if a.MSKDiskUsedPercent >= 100 {
			t.Errorf("profile %s: alarms.mskDiskUsedPercent = %d, want below 100", name, a.MSKDiskUsedPercent)
		}
	}
	for _, bad := range []int{0, 100, 120} {
		s, err := estate.LoadSizing()
		if err != nil {
			t.Fatal(err)
		}
		p := s.Profiles["dev"]
		p.Alarms.MSKDiskUsedPercent = bad
		s.Profiles["dev"] = p
		if err := s.Validate(); err == nil {
			t.Errorf("Validate accepted alarms.mskDiskUsedPercent = %d", bad)
		}
	}
}
