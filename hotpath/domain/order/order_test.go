package order_test

import (
	"errors"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

var (
	d   = money.MustParse
	now = time.Date(2026, 11, 25, 12, 0, 0, 0, time.UTC)
)

func limit(st order.Status) *order.Order {
	o := order.NewPending(order.Spec{ID: "o", ClientOrderID: "c", Account: "a", Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit, TimeInForce: order.GTC, Quantity: d("1"), Price: d("100")}, now)
	switch st {
	case order.PendingNew:
	case order.New:
		_ = o.Accept(now)
	case order.PartiallyFilled:
		_ = o.Accept(now)
		_ = o.Fill(d("0.4"), d("100"), d("0"), now)
	case order.Filled:
		_ = o.Accept(now)
		_ = o.Fill(d("1"), d("100"), d("0"), now)
	case order.Canceled:
		_ = o.Accept(now)
		_ = o.Cancel("USER", now)
	case order.Denied:
		_ = o.Deny("X", now)
	case order.Rejected:
		_ = o.Reject("X", now)
	case order.Expired:
		_ = o.Accept(now)
		_ = o.Expire(now)
	case order.PendingCancel:
		panic("not a resting state in this model")
	}
	if o.Status != st {
		panic("setup reached " + o.Status.String())
	}
	return o
}

// TestTransitions checks every operation from every reachable status: allowed ones reach the expected
// status, the rest fail with ErrTransition and change nothing.
func TestTransitions(t *testing.T) {
	ops := map[string]func(*order.Order) error{
		"accept":  func(o *order.Order) error { return o.Accept(now) },
		"deny":    func(o *order.Order) error { return o.Deny("R", now) },
		"reject":  func(o *order.Order) error { return o.Reject("R", now) },
		"fill":    func(o *order.Order) error { return o.Fill(d("0.1"), d("100"), d("0"), now) },
		"cancel":  func(o *order.Order) error { return o.Cancel("R", now) },
		"expire":  func(o *order.Order) error { return o.Expire(now) },
		"replace": func(o *order.Order) error { return o.Replace(d("2"), d("101"), now) },
	}
	want := map[order.Status]map[string]order.Status{
		order.PendingNew:      {"accept": order.New, "deny": order.Denied, "reject": order.Rejected},
		order.New:             {"reject": order.Rejected, "fill": order.PartiallyFilled, "cancel": order.Canceled, "expire": order.Expired, "replace": order.New},
		order.PartiallyFilled: {"fill": order.PartiallyFilled, "cancel": order.Canceled, "expire": order.Expired, "replace": order.PartiallyFilled},
		order.Filled:          {},
		order.Canceled:        {},
		order.Denied:          {},
		order.Rejected:        {},
		order.Expired:         {},
	}
	for from, allowed := range want {
		for name, op := range ops {
			o := limit(from)
			seq := o.Seq
			err := op(o)
			to, ok := allowed[name]
			if ok {
				if err != nil || o.Status != to || o.Seq != seq+1 {
					t.Errorf("%s from %s: err %v, status %s, seq %d->%d; want %s", name, from, err, o.Status, seq, o.Seq, to)
				}
				continue
			}
			if !errors.Is(err, order.ErrTransition) || o.Status != from || o.Seq != seq {
				t.Errorf("%s from %s: err %v, status %s; want ErrTransition and no change", name, from, err, o.Status)
			}
		}
	}
}

func TestFillAccounting(t *testing.T) {
	o := limit(order.New)
	if err := o.Fill(d("0.25"), d("100"), d("0.05"), now); err != nil {
		t.Fatal(err)
	}
	if err := o.Fill(d("0.75"), d("104"), d("0.15"), now); err != nil {
		t.Fatal(err)
	}
	if o.Status != order.Filled || !o.AvgPrice().Equal(d("103")) || !o.Fees.Equal(d("0.2")) || !o.LeavesQty().IsZero() {
		t.Fatalf("after fills: %+v avg %s", o, o.AvgPrice())
	}
	o = limit(order.New)
	if err := o.Fill(d("1.1"), d("100"), d("0"), now); err == nil {
		t.Fatal("overfill accepted")
	}
	o = limit(order.PartiallyFilled)
	if err := o.Replace(d("0.4"), money.Zero, now); !errors.Is(err, order.ErrTransition) {
		t.Fatalf("replace to the filled quantity: %v", err)
	}
}

func TestEnums(t *testing.T) {
	for _, s := range order.Statuses() {
		back, err := order.ParseStatus(s.String())
		if err != nil || back != s {
			t.Errorf("status %s round trip: %v", s, err)
		}
	}
	if _, err := order.ParseSide("HOLD"); err == nil {
		t.Error("ParseSide accepted HOLD")
	}
	if order.Side(9).String() != "UNKNOWN(9)" {
		t.Error("unknown side string")
	}
	if a, b := order.NewID("a", "c"), order.NewID("a", "c"); a != b || a == order.NewID("b", "c") || len(order.NewID("a", "c")) != 32 {
		t.Error("NewID not deterministic per account and client id")
	}
}
