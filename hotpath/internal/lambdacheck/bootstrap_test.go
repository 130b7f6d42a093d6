package lambdacheck_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/aws/aws-lambda-go/events"
	"github.com/google/go-cmp/cmp"

	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/embedded"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/lambdatest"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// rieModule is the runtime emulator's main package, a tool dependency in go.mod (so its version and
// checksums are pinned there and `go build` fetches it through the module proxy).
const rieModule = "github.com/aws/aws-lambda-runtime-interface-emulator/cmd/aws-lambda-rie"

// rig is what a function under the emulator talks to: the store and a Kafka cluster.
type rig struct {
	store   *embedded.Store
	kafka   *embedded.Kafka
	db      string // a fresh database for this function
	keyFile string
}

// env is what every function gets: the store (its own database), the brokers, the fixture funding.
func (r *rig) env() map[string]string {
	return map[string]string{
		"OMS_MONGO_URI":     r.store.URI(),
		"OMS_MONGO_DB":      r.db,
		"OMS_FUNDING":       lambdatest.Funding,
		"OMS_KAFKA_BROKERS": strings.Join(r.kafka.Addrs(), ","),
		"OMS_API_KEYS_FILE": r.keyFile,
		"OMS_DLQ_TOPIC":     oms.TopicDLQ,
	}
}

// bootstrapCase drives one function's real bootstrap: extra environment, then invocations and checks.
type bootstrapCase struct {
	env func(t *testing.T, r *rig) map[string]string
	run func(t *testing.T, r *rig, fn *function)
}

// bootstrapCases, by function name as routes.json spells it.
var bootstrapCases = map[string]bootstrapCase{
	"projector": {
		run: func(t *testing.T, r *rig, fn *function) {
			var wantDead []string
			for _, name := range []string{"batch-1.json", "batch-2.json", "redelivered.json", "poison.json"} {
				payload := readFixture(t, "projector", name)
				wantDead = append(wantDead, poisonCoordinates(t, kafkaFixture(t, name))...)
				if out := fn.invoke(t, payload); string(out) != "null" {
					t.Fatalf("%s: the function answered %s", name, out)
				}
			}
			if diff := cmp.Diff(expected(scenario(t)), snapshot(t, r.openStore(t))); diff != "" {
				t.Errorf("read model (-want +got):\n%s", diff)
			}
			slices.Sort(wantDead)
			gotDead, _ := readDeadLetters(t, r.kafka.Addrs())
			if diff := cmp.Diff(wantDead, gotDead); diff != "" {
				t.Errorf("dead letters (-want +got):\n%s", diff)
			}
			// A batch that is not an MSK event fails the invocation, so the event source retries it.
			if out := fn.invoke(t, []byte(`{"records":"executions-0"}`)); !bytes.Contains(out, []byte(`"errorMessage"`)) {
				t.Errorf("a malformed event was accepted: %s", out)
			}
		},
	},
	"order-query": {
		run: func(t *testing.T, r *rig, fn *function) {
			// The state the requests read: the projector fixture, projected in process.
			if err := projector.New(r.openStore(t), nil, nil).Handle(context.Background(), kafkaFixture(t, "batch.json")); err != nil {
				t.Fatal(err)
			}
			keys := fixtureKeys(t)
			iv := invoker{
				invoke: func(t *testing.T, req events.ALBTargetGroupRequest) events.ALBTargetGroupResponse {
					t.Helper()
					payload, err := json.Marshal(req)
					if err != nil {
						t.Fatal(err)
					}
					var resp events.ALBTargetGroupResponse
					if out := fn.invoke(t, payload); json.Unmarshal(out, &resp) != nil || resp.StatusCode == 0 {
						t.Fatalf("not an ALB response: %s", out)
					}
					return resp
				},
				sign: func(key, pq string) events.ALBTargetGroupRequest {
					req := lambdatest.ALBRequest("GET", pq)
					lambdatest.Sign(&req, keys[key], time.Now())
					return req
				},
			}
			// The recorded requests, re-signed now (the bootstrap checks the timestamp against its clock)
			// with the key they name: the forged one keeps its wrong secret.
			refresh := func(t *testing.T, name string) events.ALBTargetGroupRequest {
				req := albFixture(t, name)
				k := keys[req.Headers["x-oms-key"]]
				if name == "forged-signature.json" {
					k.Secret = []byte("not-the-secret-of-key-a")
				}
				lambdatest.Sign(&req, k, time.Now())
				return req
			}
			runQueryCases(t, scenario(t), iv, refresh)
		},
	},
}

func (r *rig) openStore(t *testing.T) *readmodel.Store {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 20*time.Second)
	defer cancel()
	cl, err := readmodel.Connect(ctx, r.store.URI())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(context.Background()) })
	return openStore(t, cl.Database(r.db))
}

// lambdaFunctions lists the functions of the estate's route table: Lambda targets and consumers.
func lambdaFunctions(t *testing.T) []string {
	t.Helper()
	routes, err := estate.LoadRoutes()
	if err != nil {
		t.Fatal(err)
	}
	var fns []string
	for _, tg := range routes.Targets {
		if tg.Kind == "lambda" && !slices.Contains(fns, tg.Function) {
			fns = append(fns, tg.Function)
		}
	}
	for _, c := range routes.Consumers {
		if !slices.Contains(fns, c.Function) {
			fns = append(fns, c.Function)
		}
	}
	slices.Sort(fns)
	return fns
}

// TestBootstrapsUnderRuntimeEmulator builds every function of routes.json as the estate ships it (a
// `bootstrap` built with -tags lambda.norpc, here for the host's architecture) and invokes it through
// the AWS Lambda Runtime Interface Emulator with the recorded events, against FerretDB and kfake.
func TestBootstrapsUnderRuntimeEmulator(t *testing.T) {
	if testing.Short() {
		t.Skip("builds binaries")
	}
	fns := lambdaFunctions(t)
	var run []string
	for _, fn := range fns {
		dir := strings.ReplaceAll(fn, "-", "")
		_, statErr := os.Stat(filepath.Join(repoRoot, "lambdas", dir, "cmd", "main.go"))
		_, hasCase := bootstrapCases[fn]
		switch {
		case statErr != nil:
			t.Errorf("%s is in routes.json but lambdas/%s/cmd/main.go is missing: %v", fn, dir, statErr)
		case !hasCase:
			t.Errorf("%s has no entry in bootstrapCases", fn)
		default:
			run = append(run, fn)
		}
	}
	for fn := range bootstrapCases {
		if !slices.Contains(fns, fn) {
			t.Errorf("bootstrapCases has %s, which routes.json does not deploy", fn)
		}
	}
	if t.Failed() {
		return
	}
	bin := t.TempDir()
	rie := buildRIE(t, bin)
	store := testenv.Store(t)
	kafka := testenv.Kafka(t, map[string]int32{oms.TopicExecutions: 3, oms.TopicPrices: 3, oms.TopicControl: 1, oms.TopicDLQ: 1, marketDLQ: 1})
	keyFile, err := filepath.Abs(fixturePath("orderquery", "keys.json"))
	if err != nil {
		t.Fatal(err)
	}
	for i, fn := range run {
		t.Run(fn, func(t *testing.T) {
			boot := buildBootstrap(t, bin, fn)
			r := &rig{store: store, kafka: kafka, db: fmt.Sprintf("rie%d", i), keyFile: keyFile}
			c := bootstrapCases[fn]
			env := r.env()
			if c.env != nil {
				for k, v := range c.env(t, r) {
					env[k] = v
				}
			}
			c.run(t, r, startFunction(t, rie, boot, fn, env))
		})
	}
}

// cannotBuild skips on a developer's machine without a toolchain that can build, and fails under CI
// or OMS_REQUIRE_REAL, where the emulator run is required.
func cannotBuild(t *testing.T, what string, err error, out []byte) {
	t.Helper()
	if testenv.RequireReal() {
		t.Fatalf("build %s: %v\n%s", what, err, out)
	}
	t.Skipf("cannot build %s: %v\n%s", what, err, out)
}

func goTool(t *testing.T) string {
	t.Helper()
	p, err := exec.LookPath("go")
	if err != nil {
		cannotBuild(t, "anything", err, nil)
	}
	return p
}

// buildRIE builds the runtime emulator from the module proxy (via go.mod's tool directive).
func buildRIE(t *testing.T, dir string) string {
	t.Helper()
	out := filepath.Join(dir, "aws-lambda-rie")
	cmd := exec.Command(goTool(t), "build", "-o", out, rieModule)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0")
	if b, err := cmd.CombinedOutput(); err != nil {
		cannotBuild(t, "the runtime interface emulator", err, b)
	}
	return out
}

// buildBootstrap builds lambdas/<fn>/cmd as `make lambdas` does, for the host's architecture.
func buildBootstrap(t *testing.T, dir, fn string) string {
	t.Helper()
	out := filepath.Join(dir, fn, "bootstrap")
	pkg := "./" + filepath.ToSlash(filepath.Join("lambdas", strings.ReplaceAll(fn, "-", ""), "cmd"))
	cmd := exec.Command(goTool(t), "build", "-tags", "lambda.norpc", "-trimpath", "-o", out, pkg)
	cmd.Dir = repoRoot
	cmd.Env = append(os.Environ(), "CGO_ENABLED=0", "GOOS=linux", "GOARCH="+runtime.GOARCH)
	if b, err := cmd.CombinedOutput(); err != nil {
		cannotBuild(t, fn, err, b)
	}
	return out
}

// function is a bootstrap running under the emulator.
type function struct {
	name string
	url  string
	log  string
}

func freeAddr(t *testing.T) string {
	t.Helper()
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer l.Close()
	return l.Addr().String()
}

// startFunction starts the emulator with the bootstrap on free ports (its own invoke port and runtime
// API port, so several can run at once) and the function's environment, and stops it at cleanup.
func startFunction(t *testing.T, rie, boot, name string, env map[string]string) *function {
	t.Helper()
	addr, api := freeAddr(t), freeAddr(t)
	logPath := filepath.Join(t.TempDir(), name+".log")
	logFile, err := os.Create(logPath)
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.Command(rie, "--runtime-interface-emulator-address", addr, "--runtime-api-address", api, "--log-level", "warn", boot)
	cmd.Dir = filepath.Dir(boot)
	cmd.Env = []string{"PATH=" + os.Getenv("PATH"), "HOME=" + filepath.Dir(boot), "TZ=UTC",
		"AWS_REGION=us-east-1", "AWS_LAMBDA_FUNCTION_NAME=" + name, "AWS_LAMBDA_FUNCTION_TIMEOUT=30", "AWS_LAMBDA_FUNCTION_MEMORY_SIZE=512"}
	for k, v := range env {
		cmd.Env = append(cmd.Env, k+"="+v)
	}
	cmd.Stdout, cmd.Stderr = logFile, logFile
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true} // the emulator and the bootstrap it starts
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	done := make(chan struct{})
	go func() { _ = cmd.Wait(); close(done) }()
	fn := &function{name: name, url: "http://" + addr + "/2015-03-31/functions/function/invocations", log: logPath}
	t.Cleanup(func() {
		_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGTERM)
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			_ = syscall.Kill(-cmd.Process.Pid, syscall.SIGKILL)
			<-done
		}
		_ = logFile.Close()
		if t.Failed() {
			b, _ := os.ReadFile(logPath)
			t.Logf("%s emulator and bootstrap output:\n%s", name, b)
		}
	})
	deadline := time.Now().Add(20 * time.Second)
	for {
		c, err := net.DialTimeout("tcp", addr, 200*time.Millisecond)
		if err == nil {
			_ = c.Close()
			return fn
		}
		select {
		case <-done:
			b, _ := os.ReadFile(logPath)
			t.Fatalf("the emulator exited:\n%s", b)
		default:
		}
		if time.Now().After(deadline) {
			t.Fatalf("the emulator does not listen on %s: %v", addr, err)
		}
		time.Sleep(20 * time.Millisecond)
	}
}

// invoke posts one event to the emulator's invoke endpoint, as Lambda's Invoke API does, and returns
// the function's answer (its result or its error object).
func (f *function) invoke(t *testing.T, payload []byte) []byte {
	t.Helper()
	ctx, cancel := context.WithTimeout(context.Background(), 60*time.Second)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, f.url, bytes.NewReader(payload))
	if err != nil {
		t.Fatal(err)
	}
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatalf("invoke %s: %v", f.name, err)
	}
	defer resp.Body.Close()
	out, err := io.ReadAll(resp.Body)
	if err != nil && !errors.Is(err, io.EOF) {
		t.Fatal(err)
	}
	if resp.StatusCode != http.StatusOK {
		t.Fatalf("invoke %s: emulator status %d: %s", f.name, resp.StatusCode, out)
	}
	return out
}
