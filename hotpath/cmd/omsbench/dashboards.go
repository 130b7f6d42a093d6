package main

import (
	"context"
	"strings"
	"sync"
	"sync/atomic"

	"github.com/coder/websocket"
)

// dashboards holds n WebSocket connections that subscribe like the trading screen does (ticker, book,
// candles, trades and the user channels) and read everything, so the fan-out runs while orders flow.
type dashboards struct {
	conns  []*websocket.Conn
	frames atomic.Int64
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

func openDashboards(ctx context.Context, base string, n int) (*dashboards, error) {
	ctx, cancel := context.WithCancel(ctx)
	d := &dashboards{cancel: cancel}
	url := "ws" + strings.TrimPrefix(base, "http") + "/ws"
	subs := []string{
		`{"op":"subscribe","channel":"ticker","symbol":"BTC-USD"}`,
		`{"op":"subscribe","channel":"book","symbol":"BTC-USD","depth":10}`,
		`{"op":"subscribe","channel":"candles:1m","symbol":"BTC-USD"}`,
		`{"op":"subscribe","channel":"trades","symbol":"BTC-USD"}`,
		`{"op":"subscribe","channel":"orders"}`,
		`{"op":"subscribe","channel":"executions"}`,
		`{"op":"subscribe","channel":"balances"}`,
	}
	for i := 0; i < n; i++ {
		c, _, err := websocket.Dial(ctx, url, nil)
		if err != nil {
			d.close()
			return nil, err
		}
		c.SetReadLimit(1 << 20)
		d.conns = append(d.conns, c)
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
				if _, _, err := c.Read(ctx); err != nil {
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
