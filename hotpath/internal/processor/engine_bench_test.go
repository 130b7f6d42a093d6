package processor_test

import (
	"fmt"
	"testing"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// BenchmarkEngineHandle is the processor core: risk, state machine and paper venue, no I/O. A mix of
// IOC orders that expire at once, resting orders and their cancels across 1,000 accounts.
func BenchmarkEngineHandle(b *testing.B) {
	h := newHarness(&testing.T{})
	cmds := make([]events.OrderCommand, 4096)
	for i := range cmds {
		acct := order.AccountID(fmt.Sprintf("acct-%d", i%1000))
		coid := fmt.Sprintf("c%d", i)
		s := order.Spec{ID: order.NewID(acct, coid), ClientOrderID: coid, Account: acct, Symbol: "BTC-USD", Side: order.Buy, Type: order.Limit, TimeInForce: order.IOC, Quantity: d("0.01"), Price: d("44000")}
		if i%4 == 1 {
			s.TimeInForce = order.GTC
		}
		cmds[i] = events.OrderCommand{Kind: events.CmdNew, Account: acct, OrderID: s.ID, Spec: s}
		if i%4 == 2 {
			prev := cmds[i-1]
			cmds[i] = events.OrderCommand{Kind: events.CmdCancel, CommandID: coid, Account: prev.Account, OrderID: prev.OrderID}
		}
	}
	now := time.Now()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		c := cmds[i%len(cmds)]
		if c.Kind == events.CmdNew && i >= len(cmds) {
			// A fresh client order id each lap, so the order is new, not a dropped duplicate.
			c.Spec.ClientOrderID = fmt.Sprintf("%s-%d", c.Spec.ClientOrderID, i)
			c.Spec.ID = order.NewID(c.Account, c.Spec.ClientOrderID)
			c.OrderID = c.Spec.ID
		}
		h.eng.Handle(c, now)
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "orders/s")
}
