package local_test

import (
	"bytes"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"syscall"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/local"
)

// processorProc is the processor binary running as its own OS process, so it can be SIGKILLed.
type processorProc struct {
	cmd *exec.Cmd
	out *syncBuffer
}

// syncBuffer collects a child's output; the test reads it while the child still writes.
type syncBuffer struct {
	mu sync.Mutex
	b  bytes.Buffer
}

func (s *syncBuffer) Write(p []byte) (int, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.Write(p)
}

func (s *syncBuffer) String() string {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.b.String()
}

func buildProcessor(t *testing.T) string {
	t.Helper()
	bin := filepath.Join(t.TempDir(), "processor")
	cmd := exec.Command("go", "build", "-o", bin, "github.com/crypto-oms/crypto-oms/hotpath/cmd/processor")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("build processor: %v\n%s", err, out)
	}
	return bin
}

func startProcessor(t *testing.T, bin, broker string) *processorProc {
	t.Helper()
	out := &syncBuffer{}
	cmd := exec.Command(bin, "-brokers", broker, "-transactional-id", "crash-test-0", "-funding", money.FormatAmounts(local.DemoFunding()))
	cmd.Stdout, cmd.Stderr = out, out
	cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	p := &processorProc{cmd: cmd, out: out}
	t.Cleanup(func() { p.kill() })
	return p
}

func (p *processorProc) kill() {
	if p.cmd.ProcessState == nil {
		_ = p.cmd.Process.Signal(syscall.SIGKILL)
		_ = p.cmd.Wait()
	}
}

// TestProcessorKill9 places orders continuously, SIGKILLs the processor mid-stream, restarts it, and
// checks the outcome against a model: every acknowledged order gets exactly the reports the model
// predicts, no execution is duplicated, and cancels of orders placed before the crash still work
// (the restarted processor rebuilt their state from the executions log).
func TestProcessorKill9(t *testing.T) {
	if testing.Short() {
		t.Skip("builds and kills a separate process")
	}
	bin := buildProcessor(t)
	sys := start(t, true)
	reps := collect(t, sys.Brokers)
	proc := startProcessor(t, bin, sys.Brokers[0])

	const n = 300
	type expect struct {
		id     string
		denied bool
		cancel bool
	}
	model := make([]expect, n)
	var mu sync.Mutex
	acked := 0
	killed := make(chan struct{})
	var restarted *processorProc
	atKill := -1

	var wg sync.WaitGroup
	work := make(chan int)
	for w := 0; w < 4; w++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range work {
				e := expect{denied: i%10 == 0, cancel: i%3 == 0 && i%10 != 0}
				qty := "0.01"
				if e.denied {
					qty = "60" // over the 50 BTC per-order limit
				}
				body := fmt.Sprintf(`{"symbol":"BTC-USD","side":"BUY","orderType":"LIMIT","quantity":"%s","price":"%d"}`, qty, 1000+i)
				r := call(t, sys, "POST", "/api/orders", body, "X-Idempotency-Key", fmt.Sprintf("crash-%d", i))
				if r.Status != 202 {
					t.Errorf("order %d: %v", i, r)
					continue
				}
				e.id = r.Body["orderId"].(string)
				if e.cancel {
					if c := call(t, sys, "DELETE", "/api/orders/"+e.id, ""); c.Status != 202 {
						t.Errorf("cancel %d: %v", i, c)
					}
				}
				mu.Lock()
				model[i] = e
				acked++
				if acked == n/2 {
					close(killed)
				}
				mu.Unlock()
			}
		}()
	}
	go func() {
		<-killed
		// Mid-stream: the processor has consumed some commands and is consuming more.
		proc.kill()
		mu.Lock()
		atKill = len(reps.snapshot())
		restarted = startProcessor(t, bin, sys.Brokers[0])
		mu.Unlock()
	}()
	for i := 0; i < n; i++ {
		work <- i
	}
	close(work)
	wg.Wait()

	final := func(e expect) string {
		switch {
		case e.denied:
			return "REJECTED/DENIED"
		case e.cancel:
			return "NEW/NEW CANCELED/CANCELED"
		default:
			return "NEW/NEW"
		}
	}
	waitFor(t, 90*time.Second, "every acknowledged order to reach its modelled outcome", func() bool {
		for _, e := range model {
			if e.id == "" || execTypes(reps.forOrder(e.id)) != final(e) {
				return false
			}
		}
		return true
	})
	time.Sleep(time.Second) // anything duplicated after the fact would show up now
	seen := map[string]bool{}
	perOrder := map[order.ID][]uint64{}
	for _, r := range reps.snapshot() {
		if seen[r.ExecID] {
			t.Errorf("execution %s duplicated", r.ExecID)
		}
		seen[r.ExecID] = true
		perOrder[r.OrderID] = append(perOrder[r.OrderID], r.Seq)
	}
	for _, e := range model {
		if got := execTypes(reps.forOrder(e.id)); got != final(e) {
			t.Errorf("order %s: %s, want %s", e.id, got, final(e))
		}
		for i, s := range perOrder[order.ID(e.id)] {
			if s != uint64(i+1) {
				t.Errorf("order %s: sequence %v not 1..n", e.id, perOrder[order.ID(e.id)])
				break
			}
		}
	}
	var nReports int
	for _, r := range reps.snapshot() {
		if r.ExecType != order.ExecCancelRejected {
			nReports++
		}
	}
	want := 0
	for _, e := range model {
		want += len(bytes.Fields([]byte(final(e))))
	}
	if nReports != want {
		t.Errorf("%d reports on executions, model says %d", nReports, want)
	}
	mu.Lock()
	restartedProc, killedAt := restarted, atKill
	mu.Unlock()
	if restartedProc == nil {
		t.Fatal("processor was never restarted")
	}
	// The kill must have landed mid-stream: some reports before it, more after it.
	if killedAt <= 0 || killedAt >= nReports {
		t.Errorf("reports at kill time %d of %d: the kill did not land mid-stream", killedAt, nReports)
	}
	if !strings.Contains(restartedProc.out.String(), `"msg":"partition rebuilt"`) {
		t.Errorf("restarted processor did not rebuild partitions:\n%s", restartedProc.out.String())
	}
	t.Logf("%d orders, %d reports; %d reports existed when the processor was killed", n, nReports, killedAt)
	if t.Failed() {
		t.Logf("first processor output:\n%s", proc.out.String())
		t.Logf("restarted processor output:\n%s", restartedProc.out.String())
	}
}
