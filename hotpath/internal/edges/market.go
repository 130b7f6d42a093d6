package edges

import (
	"context"
	"fmt"
	"log/slog"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/lambdas/marketingest"
	"github.com/crypto-oms/crypto-oms/lambdas/marketquery"
	"github.com/crypto-oms/crypto-oms/lambdas/marketstore"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
)

// marketEdges is the market-data half of the local edges: market-query behind the router and
// market-ingest behind its poller, over one market store (which order-query also marks positions
// with).
type marketEdges struct {
	store  *marketstore.Store
	query  *marketquery.Handler
	ingest *marketingest.Handler
	poller *Poller
}

// newMarketEdges builds them the way their mains do. market-ingest keeps the route table's batching
// window: nobody waits on a tick's write the way a client waits to read its order back, and fewer,
// larger batches keep the store's work per tick down.
func newMarketEdges(ctx context.Context, db *mongo.Database, routes estate.Routes, brokers []string, pub projector.Publisher, log *slog.Logger) (*marketEdges, error) {
	store, err := marketstore.New(ctx, db, marketstore.Config{})
	if err != nil {
		return nil, err
	}
	var dlq marketingest.DeadLetters
	if pub != nil {
		dlq = projector.TopicDeadLetters{Pub: pub, Topic: routes.DeadLetterTopic}
	}
	m := &marketEdges{
		store:  store,
		query:  marketquery.New(marketquery.Config{Reader: store, Catalog: instrument.Default(), Logger: log.With("function", "market-query")}),
		ingest: marketingest.New(marketingest.Config{Store: store, DeadLetters: dlq, Catalog: instrument.Default(), Logger: log.With("function", "market-ingest")}),
	}
	pc, err := ConsumerConfig(routes, "market-ingest", brokers)
	if err != nil {
		return nil, err
	}
	pc.Logger = log
	if m.poller, err = NewPoller(pc, m.ingest.Handle); err != nil {
		return nil, fmt.Errorf("market-ingest: %w", err)
	}
	return m, nil
}
