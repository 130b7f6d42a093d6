package main

import (
	"context"
	"errors"
	"io"
	"maps"
	"slices"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
)

// dashboards holds n WebSocket connections that subscribe like the trading screen does (ticker, book,
// candles, trades) and read everything, so the fan-out runs while orders flow. The first watching of
// them are screens on the trading account and also take its orders, executions and balances: every
// order is six frames to each of those, where the others see only the market.
type dashboards struct {
	conns  []*websocket.Conn
	frames atomic.Int64
	cancel context.CancelFunc
	mu     sync.Mutex
	closed map[string]int // close reasons the server gave, e.g. SLOW_CONSUMER

	wg sync.WaitGroup
}

func openDashboards(ctx context.Context, base string, n, watching int) (*dashboards, error) {
	ctx, cancel := context.WithCancel(ctx)
	d := &dashboards{cancel: cancel, closed: map[string]int{}}
	url := "ws" + strings.TrimPrefix(base, "http") + "/ws"
	market := []string{
		`{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}`,
		`{"op":"subscribe","channel":"book","symbol":"BTC-USD","depth":10}`,
		`{"op":"subscribe","channel":"candles:1m","symbol":"BTC-USD"}`,
		`{"op":"subscribe","channel":"trades","symbol":"BTC-USD"}`,
	}
	user := append(slices.Clone(market),
		`{"op":"subscribe","channel":"orders"}`,
		`{"op":"subscribe","channel":"executions"}`,
		`{"op":"subscribe","channel":"balances"}`,
	)
	for i := 0; i < n; i++ {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			d.close()
			return nil, err
		}
		c.SetReadLimit(1 << 20)
		d.conns = append(d.conns, c)
		subs := market
		if i < watching {
			subs = user
		}
		for _, s := range subs {
			if err := c.Write(ctx, websocket.MessageText, []byte(s)); err != nil {
				d.close()
				return nil, err
			}
		}
		d.wg.Add(1)
		go func() {
			defer d.wg.Done()
			for {
				// Read and discard without a deadline or a buffer per frame: the dashboards share the
				// machine (and here the process) with the system, so what they cost is taken from it.
				_, r, err := c.Reader(context.Background())
				if err == nil {
					_, err = io.Copy(io.Discard, r)
				}
				if err != nil {
					var ce websocket.CloseError
					if errors.As(err, &ce) && ctx.Err() == nil {
						d.mu.Lock()
						d.closed[ce.Reason]++
						d.mu.Unlock()
					}
					return
				}
				d.frames.Add(1)
			}
		}()
	}
	return d, nil
}

func (d *dashboards) close() {
	d.cancel()
	for _, c := range d.conns {
		c.CloseNow()
	}
	d.wg.Wait()
}

// cutOff reports how many dashboards the server closed during the phase, by reason.
func (d *dashboards) cutOff() map[string]int {
	d.mu.Lock()
	defer d.mu.Unlock()
	return maps.Clone(d.closed)
}
