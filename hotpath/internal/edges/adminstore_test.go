package edges_test

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"time"

	"github.com/google/go-cmp/cmp"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	oms "github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/internal/testenv"
	"github.com/crypto-oms/crypto-oms/lambdas/adminstore"
)

var decimalCmp = cmp.Comparer(func(a, b money.Decimal) bool { return a.Equal(b) })

// TestAdminStore is the admin store's contract on FerretDB: what goes in comes out exactly (decimals
// as written, times to the millisecond), bootstrap accounts are idempotent, and the audit log pages
// newest first without gaps or repeats.
func TestAdminStore(t *testing.T) {
	ctx := context.Background()
	st := testenv.Store(t)
	cl, err := connect(ctx, st.URI())
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { _ = cl.Disconnect(ctx) })
	s, err := adminstore.New(ctx, cl.Database("adminstore"))
	if err != nil {
		t.Fatal(err)
	}
	at := time.Date(2026, 11, 25, 9, 30, 0, 123456789, time.UTC)

	a := adminstore.Account{ID: "desk-1", Name: "Desk one", Status: "ACTIVE", CreatedAt: at, CreatedBy: "key-ops"}
	if _, err := s.CreateAccount(ctx, a); err != nil {
		t.Fatal(err)
	}
	if _, err := s.CreateAccount(ctx, a); !errors.Is(err, adminstore.ErrExists) {
		t.Fatalf("second create: %v", err)
	}
	if err := s.EnsureAccount(ctx, adminstore.Account{ID: "desk-1", Name: "other", Status: "ACTIVE", CreatedAt: at, CreatedBy: "bootstrap"}); err != nil {
		t.Fatal(err)
	}
	got, err := s.Account(ctx, "desk-1")
	if err != nil || got.Name != "Desk one" || !got.CreatedAt.Equal(at.Truncate(time.Millisecond)) {
		t.Fatalf("account after EnsureAccount: %+v %v", got, err)
	}
	if _, err := s.Account(ctx, "nobody"); !errors.Is(err, adminstore.ErrNotFound) {
		t.Fatalf("unknown account: %v", err)
	}

	if _, err := s.RiskLimits(ctx, "desk-1"); !errors.Is(err, adminstore.ErrNotFound) {
		t.Fatalf("limits never set: %v", err)
	}
	l := account.DefaultLimits()
	l.MaxOrderNotional = money.MustParse("1234.5600")
	l.MaxOrderQty = map[instrument.Symbol]money.Decimal{"BTC-USD": money.MustParse("0.00001")}
	l.MaxPosition = map[instrument.Symbol]money.Decimal{}
	want := adminstore.RiskLimits{Account: "desk-1", Limits: l, UpdatedAt: at.Truncate(time.Millisecond), UpdatedBy: "key-ops", CommandID: "cmd-1"}
	if err := s.PutRiskLimits(ctx, want); err != nil {
		t.Fatal(err)
	}
	back, err := s.RiskLimits(ctx, "desk-1")
	if err != nil {
		t.Fatal(err)
	}
	if diff := cmp.Diff(want, back, decimalCmp); diff != "" {
		t.Errorf("limits round trip (-want +got):\n%s", diff)
	}

	for _, ts := range []adminstore.TradingState{
		{Scope: oms.ScopeSymbol, Target: "BTC-USD", State: oms.Halted, Reason: "prints", By: "k", At: at, CommandID: "c1"},
		{Scope: oms.ScopeGlobal, State: oms.Halted, Reason: "incident", By: "k", At: at, CommandID: "c2"},
		{Scope: oms.ScopeGlobal, State: oms.Active, Reason: "over", By: "k", At: at.Add(time.Second), CommandID: "c3"},
	} {
		if err := s.PutTradingState(ctx, ts); err != nil {
			t.Fatal(err)
		}
	}
	states, err := s.TradingStates(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if len(states) != 2 || states[0].Scope != oms.ScopeGlobal || states[0].State != oms.Active || states[0].CommandID != "c3" || states[1].Target != "BTC-USD" {
		t.Errorf("states: %+v", states)
	}

	// 23 entries a millisecond apart, paged by 5: newest first, each exactly once.
	var wantIDs []string
	for i := range 23 {
		e, err := s.AppendAudit(ctx, adminstore.AuditEntry{At: at.Add(time.Duration(i) * time.Millisecond), By: "k", Action: fmt.Sprintf("A%d", i%2), Target: fmt.Sprint(i), Result: adminstore.ResultOK, Details: map[string]string{"maxOrderQty.BTC-USD": "1"}})
		if err != nil {
			t.Fatal(err)
		}
		wantIDs = append([]string{e.ID}, wantIDs...)
	}
	var gotIDs []string
	cursor := ""
	for {
		page, next, err := s.Audit(ctx, adminstore.AuditFilter{Cursor: cursor, Limit: 5})
		if err != nil {
			t.Fatal(err)
		}
		for _, e := range page {
			gotIDs = append(gotIDs, e.ID)
			if e.Details["maxOrderQty.BTC-USD"] != "1" {
				t.Errorf("details with a dotted name lost: %v", e.Details)
			}
		}
		if next == "" {
			break
		}
		cursor = next
	}
	if diff := cmp.Diff(wantIDs, gotIDs); diff != "" {
		t.Errorf("audit pages (-want +got):\n%s", diff)
	}
	odd, _, err := s.Audit(ctx, adminstore.AuditFilter{Action: "A1", Limit: 200})
	if err != nil || len(odd) != 11 {
		t.Errorf("filtered by action: %d entries, %v", len(odd), err)
	}
	for _, c := range []string{"!!", "bm9wZQ", "MTIzLWFiYw"} {
		if _, _, err := s.Audit(ctx, adminstore.AuditFilter{Cursor: c}); !errors.Is(err, adminstore.ErrBadCursor) {
			t.Errorf("cursor %q: %v", c, err)
		}
	}
}
