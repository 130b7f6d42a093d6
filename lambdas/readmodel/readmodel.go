// Package readmodel is the MongoDB-compatible read model of the Lambda edges: `orders` (latest state per
// order), `fills` (one per execution id), `positions` (per account and symbol) and `balances` (per
// account and asset). The projector writes it from execution reports; order-query reads it.
//
// It runs against FerretDB locally and DocumentDB in AWS, so it uses only what both do well: no
// transactions, no Decimal128 (decimals are strings), no multi-accumulator $group (sums are done in Go
// over a handful of documents). Every write is idempotent: orders move only forward by sequence number,
// fills are keyed by execution id, and positions and balances are pure functions of the stored fills.
package readmodel

import (
	"context"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
)

// Collection names.
const (
	CollOrders    = "orders"
	CollFills     = "fills"
	CollPositions = "positions"
	CollBalances  = "balances"
)

// Errors, classified for the transports.
var (
	ErrNotFound  = errors.New("not found")
	ErrBadCursor = errors.New("malformed cursor")
)

// Config configures a Store.
type Config struct {
	// Funding is what every account starts with per asset (the processor's funding); balances are this
	// plus the effect of the account's fills.
	Funding map[string]money.Decimal
	// Timeout bounds each store operation that has no deadline of its own; 0 means 5 s.
	Timeout time.Duration
}

// Store is the read model over one database.
type Store struct {
	cfg       Config
	orders    *mongo.Collection
	fills     *mongo.Collection
	positions *mongo.Collection
	balances  *mongo.Collection
}

// Connect opens a client for uri (for DocumentDB: TLS with the CA bundle and retryWrites=false in the
// URI). The caller closes it with Disconnect.
func Connect(ctx context.Context, uri string) (*mongo.Client, error) {
	cl, err := mongo.Connect(options.Client().ApplyURI(uri).SetTimeout(10 * time.Second))
	if err != nil {
		return nil, fmt.Errorf("connect read model: %w", err)
	}
	if err := cl.Ping(ctx, nil); err != nil {
		_ = cl.Disconnect(context.Background())
		return nil, fmt.Errorf("connect read model: ping: %w", err)
	}
	return cl, nil
}

// New returns the read model over db and creates the indexes every query needs (idempotent).
func New(ctx context.Context, db *mongo.Database, cfg Config) (*Store, error) {
	if cfg.Timeout == 0 {
		cfg.Timeout = 5 * time.Second
	}
	s := &Store{
		cfg:       cfg,
		orders:    db.Collection(CollOrders),
		fills:     db.Collection(CollFills),
		positions: db.Collection(CollPositions),
		balances:  db.Collection(CollBalances),
	}
	if err := s.ensureIndexes(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

type index struct {
	coll   *mongo.Collection
	name   string
	keys   bson.D
	unique bool
}

func (s *Store) ensureIndexes(ctx context.Context) error {
	asc, desc := 1, -1
	idx := []index{
		// db.orders.findOne({orderId}) of the original design; _id is the order id too.
		{s.orders, "orderId", bson.D{{Key: "orderId", Value: asc}}, true},
		{s.orders, "account_created", bson.D{{Key: "accountId", Value: asc}, {Key: "createdAt", Value: desc}, {Key: "_id", Value: desc}}, false},
		{s.orders, "account_symbol_created", bson.D{{Key: "accountId", Value: asc}, {Key: "symbol", Value: asc}, {Key: "createdAt", Value: desc}, {Key: "_id", Value: desc}}, false},
		{s.orders, "account_status_created", bson.D{{Key: "accountId", Value: asc}, {Key: "status", Value: asc}, {Key: "createdAt", Value: desc}, {Key: "_id", Value: desc}}, false},
		{s.orders, "account_open_created", bson.D{{Key: "accountId", Value: asc}, {Key: "open", Value: asc}, {Key: "createdAt", Value: desc}, {Key: "_id", Value: desc}}, false},
		{s.orders, "account_clientOrderId", bson.D{{Key: "accountId", Value: asc}, {Key: "clientOrderId", Value: asc}}, false},
		{s.fills, "account_symbol_key", bson.D{{Key: "accountId", Value: asc}, {Key: "symbol", Value: asc}, {Key: "key", Value: asc}}, false},
		{s.fills, "account_key", bson.D{{Key: "accountId", Value: asc}, {Key: "key", Value: desc}}, false},
		{s.fills, "orderId", bson.D{{Key: "orderId", Value: asc}}, false},
		{s.positions, "account", bson.D{{Key: "accountId", Value: asc}}, false},
		{s.balances, "account", bson.D{{Key: "accountId", Value: asc}}, false},
	}
	for _, ix := range idx {
		m := mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}
		if ix.unique {
			m.Options.SetUnique(true)
		}
		_, err := ix.coll.Indexes().CreateOne(ctx, m)
		if isSpecConflict(err) {
			// A store made by an older version holds an index of this name with other keys (the list
			// indexes gained their _id tiebreak, say): replace it, since an index of the same name is
			// never created twice. A concurrent starter may have dropped it already.
			if derr := ix.coll.Indexes().DropOne(ctx, ix.name); derr != nil && !isIndexNotFound(derr) {
				return fmt.Errorf("replace index %s.%s: %w", ix.coll.Name(), ix.name, derr)
			}
			_, err = ix.coll.Indexes().CreateOne(ctx, m)
		}
		if err != nil {
			return fmt.Errorf("create index %s.%s: %w", ix.coll.Name(), ix.name, err)
		}
	}
	return nil
}

// isSpecConflict reports the server's refusal to create an index whose name exists with other keys or
// options: IndexOptionsConflict (85) or IndexKeySpecsConflict (86), as MongoDB, DocumentDB and FerretDB
// send them.
func isSpecConflict(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && (ce.Code == 85 || ce.Code == 86)
}

// isIndexNotFound reports IndexNotFound (27).
func isIndexNotFound(err error) bool {
	var ce mongo.CommandError
	return errors.As(err, &ce) && ce.Code == 27
}

// op bounds one operation when ctx has no deadline.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.cfg.Timeout)
}
