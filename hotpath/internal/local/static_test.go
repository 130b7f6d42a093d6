package local_test

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
)

// TestServesDashboard checks omsd serves the built dashboard next to the API routes.
func TestServesDashboard(t *testing.T) {
	dir := t.TempDir()
	if err := os.WriteFile(filepath.Join(dir, "index.html"), []byte("<html>dashboard</html>"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "config.js"), []byte("window.OMS={}"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	sys, err := local.Start(ctx, local.Config{HTTPAddr: "127.0.0.1:0", KafkaAddr: "127.0.0.1:0", DataDir: t.TempDir(), Dev: true,
		RequireReal: requireReal(), NoStore: true, Ephemeral: true, StaticDir: dir})
	if err != nil {
		t.Fatal(err)
	}
	defer sys.Stop()
	get := func(path string) (int, string) {
		res, err := http.Get("http://" + sys.HTTPAddr + path)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		return res.StatusCode, string(b)
	}
	for _, tc := range []struct {
		path, has string
		status    int
	}{
		{"/", "dashboard", 200}, {"/orders", "dashboard", 200}, {"/config.js", "window.OMS", 200},
		{"/missing.js", "", 404}, {"/health", "healthy", 200}, {"/api/instruments", "BTC-USD", 200},
	} {
		st, body := get(tc.path)
		if st != tc.status || !strings.Contains(body, tc.has) {
			t.Errorf("GET %s: %d %.60q", tc.path, st, body)
		}
	}
	res, err := http.Post("http://"+sys.HTTPAddr+"/index.html", "text/plain", nil)
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	if res.StatusCode != 405 {
		t.Errorf("POST to a static file: %d", res.StatusCode)
	}
}
