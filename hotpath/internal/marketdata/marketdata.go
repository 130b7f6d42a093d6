// Package marketdata is the hot path's view of the market: Source, the port any feed implements; Feed,
// a seeded simulated market (geometric Brownian motion per instrument with a 5-level book on the
// instrument's tick and lot grid); and Books, the latest-book cache the processor reads on every order.
//
// Floats appear only inside the random walk. Every price and size that leaves the package is a
// money.Decimal on the instrument's grid, because ticks go on the wire and into risk checks and fills.
// Nothing here reads the wall clock: Step takes now and Run takes a clock, so tests and replays control
// time.
package marketdata

import (
	"context"
	"time"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
)

// Source produces ticks until ctx ends, handing each batch to publish. The simulated Feed is one
// implementation; a real exchange adapter (a WebSocket client with reconnect and gap detection) is meant
// to plug in behind the same method later, so the market data service and local dev mode need not care
// which one runs.
//
// Run returns nil when ctx ends, and a wrapped error when publish fails while ctx is still live (a
// publish error after cancellation is shutdown noise, not a failure). clock stamps the ticks; a real
// feed may prefer the exchange's timestamps and use clock only for receive times.
type Source interface {
	Run(ctx context.Context, clock func() time.Time, publish func(context.Context, []events.PriceTick) error) error
}

// Feed implements Source.
var _ Source = (*Feed)(nil)
