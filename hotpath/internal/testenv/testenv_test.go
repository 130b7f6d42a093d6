package testenv_test

import (
	"context"
	"net"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
)

// TestServices starts each service through its helper and checks it accepts connections.
func TestServices(t *testing.T) {
	tests := []struct {
		name string
		addr func(t *testing.T) string
	}{
		{"redis", func(t *testing.T) string {
			r := testenv.Redis(t)
			if testenv.RequireReal() && r.Kind() != embedded.KindRedisServer {
				t.Errorf("kind = %s under RequireReal", r.Kind())
			}
			return r.Addr()
		}},
		{"kafka", func(t *testing.T) string { return testenv.Kafka(t, map[string]int32{"orders": 2}).Addrs()[0] }},
		{"store", func(t *testing.T) string {
			s := testenv.Store(t)
			if testenv.RequireReal() && s.Backend() != embedded.BackendPostgreSQL {
				t.Errorf("backend = %s under RequireReal", s.Backend())
			}
			return s.URI()[len("mongodb://") : len(s.URI())-1]
		}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			t0 := time.Now()
			addr := tc.addr(t)
			t.Logf("%s up in %v at %s", tc.name, time.Since(t0), addr)
			var d net.Dialer
			ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
			defer cancel()
			c, err := d.DialContext(ctx, "tcp", addr)
			if err != nil {
				t.Fatal(err)
			}
			c.Close()
		})
	}
}
