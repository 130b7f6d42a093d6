package readmodel

import (
	"context"
	"encoding/base64"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// OrderFilter selects an account's orders. Zero fields do not filter.
type OrderFilter struct {
	Account  order.AccountID // required
	Symbol   instrument.Symbol
	Status   order.Status
	OpenOnly bool // every status that can still trade
	Side     order.Side
	From, To time.Time // createdAt in [From, To)
	Cursor   string    // from a previous page's Next
	Limit    int       // 1..500; 0 means 100
}

// FillFilter selects an account's fills. Zero fields do not filter.
type FillFilter struct {
	Account order.AccountID // required
	Symbol  instrument.Symbol
	OrderID order.ID
	Cursor  string
	Limit   int
}

func limit(n int) int64 {
	switch {
	case n <= 0:
		return 100
	case n > 500:
		return 500
	}
	return int64(n)
}

// Order returns one order of the account (another account's order is not found).
func (s *Store) Order(ctx context.Context, acct order.AccountID, id order.ID) (events.ExecutionReport, error) {
	return s.findOrder(ctx, bson.D{{Key: "_id", Value: string(id)}, {Key: "accountId", Value: string(acct)}})
}

// OrderByClientID returns the account's order with a client order id.
func (s *Store) OrderByClientID(ctx context.Context, acct order.AccountID, clientOrderID string) (events.ExecutionReport, error) {
	return s.findOrder(ctx, bson.D{{Key: "accountId", Value: string(acct)}, {Key: "clientOrderId", Value: clientOrderID}})
}

func (s *Store) findOrder(ctx context.Context, filter bson.D) (events.ExecutionReport, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d orderDoc
	if err := s.orders.FindOne(ctx, filter).Decode(&d); errors.Is(err, mongo.ErrNoDocuments) {
		return events.ExecutionReport{}, ErrNotFound
	} else if err != nil {
		return events.ExecutionReport{}, fmt.Errorf("find order: %w", err)
	}
	r, err := orderFromDoc(d)
	if err != nil {
		return events.ExecutionReport{}, fmt.Errorf("find order: %w", err)
	}
	return r, nil
}

// Orders returns a page of the account's orders, newest first, and the cursor of the next page
// ("" on the last page).
func (s *Store) Orders(ctx context.Context, f OrderFilter) ([]events.ExecutionReport, string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{{Key: "accountId", Value: string(f.Account)}}
	if f.Symbol != "" {
		filter = append(filter, bson.E{Key: "symbol", Value: string(f.Symbol)})
	}
	if f.Status != 0 {
		filter = append(filter, bson.E{Key: "status", Value: f.Status.String()})
	}
	if f.OpenOnly {
		filter = append(filter, bson.E{Key: "open", Value: true})
	}
	if f.Side != 0 {
		filter = append(filter, bson.E{Key: "side", Value: f.Side.String()})
	}
	created := bson.D{}
	if !f.From.IsZero() {
		created = append(created, bson.E{Key: "$gte", Value: f.From})
	}
	if !f.To.IsZero() {
		created = append(created, bson.E{Key: "$lt", Value: f.To})
	}
	if len(created) > 0 {
		filter = append(filter, bson.E{Key: "createdAt", Value: created})
	}
	if f.Cursor != "" {
		at, id, err := decodeOrderCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		filter = append(filter, bson.E{Key: "$or", Value: bson.A{
			bson.D{{Key: "createdAt", Value: bson.D{{Key: "$lt", Value: at}}}},
			bson.D{{Key: "createdAt", Value: at}, {Key: "_id", Value: bson.D{{Key: "$lt", Value: id}}}},
		}})
	}
	n := limit(f.Limit)
	cur, err := s.orders.Find(ctx, filter, options.Find().
		SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).
		SetLimit(n+1))
	if err != nil {
		return nil, "", fmt.Errorf("find orders: %w", err)
	}
	var docs []orderDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", fmt.Errorf("find orders: %w", err)
	}
	next := ""
	if int64(len(docs)) > n {
		docs = docs[:n]
		last := docs[len(docs)-1]
		next = encodeOrderCursor(last.CreatedAt, last.OrderID)
	}
	out := make([]events.ExecutionReport, 0, len(docs))
	for _, d := range docs {
		r, err := orderFromDoc(d)
		if err != nil {
			return nil, "", fmt.Errorf("find orders: %w", err)
		}
		out = append(out, r)
	}
	return out, next, nil
}

func encodeOrderCursor(at time.Time, id string) string {
	return base64.RawURLEncoding.EncodeToString([]byte(strconv.FormatInt(at.UnixMilli(), 10) + ":" + id))
}

func decodeOrderCursor(c string) (time.Time, string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return time.Time{}, "", ErrBadCursor
	}
	ms, id, ok := strings.Cut(string(b), ":")
	if !ok || id == "" {
		return time.Time{}, "", ErrBadCursor
	}
	v, err := strconv.ParseInt(ms, 10, 64)
	if err != nil {
		return time.Time{}, "", ErrBadCursor
	}
	return time.UnixMilli(v).UTC(), id, nil
}

// Fills returns a page of the account's fills, newest first, and the next page's cursor.
func (s *Store) Fills(ctx context.Context, f FillFilter) ([]events.ExecutionReport, string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{{Key: "accountId", Value: string(f.Account)}}
	if f.Symbol != "" {
		filter = append(filter, bson.E{Key: "symbol", Value: string(f.Symbol)})
	}
	if f.OrderID != "" {
		filter = append(filter, bson.E{Key: "orderId", Value: string(f.OrderID)})
	}
	if f.Cursor != "" {
		b, err := base64.RawURLEncoding.DecodeString(f.Cursor)
		if err != nil || len(b) == 0 {
			return nil, "", ErrBadCursor
		}
		filter = append(filter, bson.E{Key: "key", Value: bson.D{{Key: "$lt", Value: string(b)}}})
	}
	n := limit(f.Limit)
	cur, err := s.fills.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "key", Value: -1}}).SetLimit(n+1))
	if err != nil {
		return nil, "", fmt.Errorf("find fills: %w", err)
	}
	var docs []fillDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", fmt.Errorf("find fills: %w", err)
	}
	next := ""
	if int64(len(docs)) > n {
		docs = docs[:n]
		next = base64.RawURLEncoding.EncodeToString([]byte(docs[len(docs)-1].Key))
	}
	out := make([]events.ExecutionReport, 0, len(docs))
	for _, d := range docs {
		r, err := fillFromDoc(d)
		if err != nil {
			return nil, "", fmt.Errorf("find fills: %w", err)
		}
		out = append(out, r)
	}
	return out, next, nil
}

// Positions returns the account's positions, by symbol.
func (s *Store) Positions(ctx context.Context, acct order.AccountID) ([]Position, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.positions.Find(ctx, bson.D{{Key: "accountId", Value: string(acct)}})
	if err != nil {
		return nil, fmt.Errorf("find positions: %w", err)
	}
	var docs []positionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("find positions: %w", err)
	}
	out := make([]Position, 0, len(docs))
	for _, d := range docs {
		p, err := positionFromDoc(d)
		if err != nil {
			return nil, fmt.Errorf("find positions: %w", err)
		}
		out = append(out, p)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Symbol < out[j].Symbol })
	return out, nil
}

// Balances returns the account's balances by asset: the stored totals (funding before any fill) and
// what its open orders lock.
func (s *Store) Balances(ctx context.Context, acct order.AccountID) ([]Balance, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	byAsset := map[string]*Balance{}
	for a, v := range s.cfg.Funding {
		byAsset[a] = &Balance{Account: acct, Asset: a, Total: v}
	}
	cur, err := s.balances.Find(ctx, bson.D{{Key: "accountId", Value: string(acct)}})
	if err != nil {
		return nil, fmt.Errorf("find balances: %w", err)
	}
	var docs []balanceDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("find balances: %w", err)
	}
	for _, d := range docs {
		t, err := money.Parse(d.Total)
		if err != nil {
			return nil, fmt.Errorf("find balances: %s total: %w", d.ID, err)
		}
		byAsset[d.Asset] = &Balance{Account: acct, Asset: d.Asset, Total: t, UpdatedAt: d.UpdatedAt}
	}
	// Locks of open orders.
	cur, err = s.orders.Find(ctx, bson.D{{Key: "accountId", Value: string(acct)}, {Key: "open", Value: true}})
	if err != nil {
		return nil, fmt.Errorf("find balances: open orders: %w", err)
	}
	var open []orderDoc
	if err := cur.All(ctx, &open); err != nil {
		return nil, fmt.Errorf("find balances: open orders: %w", err)
	}
	for _, d := range open {
		r, err := orderFromDoc(d)
		if err != nil {
			return nil, fmt.Errorf("find balances: %w", err)
		}
		asset, amt := r.Symbol.Base(), r.LeavesQty
		if r.Side == order.Buy {
			asset, amt = r.Symbol.Quote(), r.LeavesQty.Mul(r.Price)
		}
		b := byAsset[asset]
		if b == nil {
			b = &Balance{Account: acct, Asset: asset}
			byAsset[asset] = b
		}
		b.Locked = b.Locked.Add(amt)
	}
	out := make([]Balance, 0, len(byAsset))
	for _, b := range byAsset {
		out = append(out, *b)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Asset < out[j].Asset })
	return out, nil
}
