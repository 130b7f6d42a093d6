package edges

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"sync"
	"time"

	"go.mongodb.org/mongo-driver/v2/mongo"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
	"github.com/crypto-oms/crypto-oms/hotpath/estate"
	"github.com/crypto-oms/crypto-oms/lambdas/keystore"
	"github.com/crypto-oms/crypto-oms/lambdas/marketingest"
	"github.com/crypto-oms/crypto-oms/lambdas/orderquery"
	"github.com/crypto-oms/crypto-oms/lambdas/projector"
	"github.com/crypto-oms/crypto-oms/lambdas/readmodel"
)

// LocalConfig configures the Lambda edges of a local run.
type LocalConfig struct {
	Brokers  []string
	MongoURI string
	Database string // "oms" when empty
	Keys     map[string]auth.Key
	// DevAccount lets unsigned loopback requests act as this account (dev mode).
	DevAccount order.AccountID
	Funding    map[string]money.Decimal
	// DeadLetters receives the consumers' poison records (the dead-letter topic); nil only logs them.
	DeadLetters projector.Publisher
	// Window, when > 0, replaces the projector's batching window from the route table: a local run
	// favours read-after-write latency over batch size.
	Window time.Duration
	// KeyEncryptionKey (32 bytes) seals the secrets of API keys created through the admin API.
	KeyEncryptionKey []byte
	// TokenSecret verifies browser sessions, as the gateway issues them (same secret).
	TokenSecret []byte
	// ControlTimeout bounds the admin's publish to `control` (3 s when 0).
	ControlTimeout time.Duration
	Logger         *slog.Logger
}

// Local is the Lambda edges of a local run, built once like each function's main: order-query and
// market-query behind the router, the projector and market-ingest behind their pollers.
type Local struct {
	Router       *Router
	Projector    *projector.Handler
	MarketIngest *marketingest.Handler
	Pollers      []*Poller
	// Keys verifies requests at every edge of the run, the gateway included: the bootstrap keys
	// merged with those created through the admin API.
	Keys      *keystore.Cache
	admin     *adminEdge
	client    *mongo.Client
	closeOnce sync.Once
}

// NewLocal connects to the store and builds the handlers, the router and the pollers.
func NewLocal(ctx context.Context, cfg LocalConfig) (*Local, error) {
	if cfg.Logger == nil {
		cfg.Logger = slog.New(slog.DiscardHandler)
	}
	if cfg.Database == "" {
		cfg.Database = "oms"
	}
	routes, err := estate.LoadRoutes()
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	cl, err := readmodel.Connect(ctx, cfg.MongoURI)
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	l := &Local{client: cl}
	ok := false
	defer func() {
		if !ok {
			l.Close()
		}
	}()
	store, err := readmodel.New(ctx, cl.Database(cfg.Database), readmodel.Config{Funding: cfg.Funding})
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	mkt, err := newMarketEdges(ctx, cl.Database(cfg.Database), routes, cfg.Brokers, cfg.DeadLetters, cfg.Logger)
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	l.MarketIngest = mkt.ingest
	if l.admin, err = newAdminEdge(ctx, cl.Database(cfg.Database), cfg); err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	l.Keys = l.admin.keys
	oq := orderquery.New(orderquery.Config{
		Reader: store, Marks: mkt.store, Keys: l.Keys, DevAccount: cfg.DevAccount, TokenSecret: cfg.TokenSecret,
		Logger: cfg.Logger.With("function", "order-query"),
	})
	l.Router = NewRouter(routes, map[string]ALBHandler{"order-query": oq.Handle, "market-query": mkt.query.Handle, "admin": l.admin.handler.Handle}, 0, cfg.Logger.With("component", "alb"))

	var dlq projector.DeadLetters
	if cfg.DeadLetters != nil {
		dlq = projector.TopicDeadLetters{Pub: cfg.DeadLetters, Topic: routes.DeadLetterTopic}
	}
	l.Projector = projector.New(store, dlq, cfg.Logger.With("function", "projector"))
	pc, err := ConsumerConfig(routes, "projector", cfg.Brokers)
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	if cfg.Window > 0 {
		pc.Window = cfg.Window
	}
	pc.Logger = cfg.Logger
	p, err := NewPoller(pc, l.Projector.Handle)
	if err != nil {
		return nil, fmt.Errorf("lambda edges: %w", err)
	}
	l.Pollers = append(l.Pollers, p, mkt.poller)
	ok = true
	return l, nil
}

// Mount registers the router on mux (see Router.Mount).
func (l *Local) Mount(mux *http.ServeMux) { l.Router.Mount(mux) }

// Run runs every poller until ctx ends, then closes the store client.
func (l *Local) Run(ctx context.Context) error {
	defer l.Close()
	errc := make(chan error, len(l.Pollers))
	for _, p := range l.Pollers {
		go func() { errc <- p.Run(ctx) }()
	}
	var errs []error
	for range l.Pollers {
		errs = append(errs, <-errc)
	}
	return errors.Join(errs...)
}

// Close disconnects from the store.
func (l *Local) Close() {
	l.closeOnce.Do(func() {
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		_ = l.client.Disconnect(ctx)
		if l.admin != nil {
			l.admin.control.Close()
		}
	})
}
