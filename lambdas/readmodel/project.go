package readmodel

import (
	"context"
	"errors"
	"fmt"
	"slices"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Result counts what one Project call did.
type Result struct {
	Orders        int // orders inserted or moved forward
	Stale         int // order updates dropped: the store already had that sequence or a later one
	Fills         int // fills inserted
	DupFills      int // fills already present (redelivery)
	Positions     int // positions rewritten
	Notifications int // sequence-0 reports (request-level notifications): no state change
}

// Project applies a batch of execution reports, in log order, to the read model. It is idempotent:
// projecting the same reports again, or older reports after newer ones, changes nothing. On error
// the caller retries the whole batch; whatever was already written is skipped or rewritten identically.
func (s *Store) Project(ctx context.Context, reps []events.ExecutionReport) (Result, error) {
	var res Result
	latest := map[order.ID]events.ExecutionReport{}
	var ids []order.ID
	var fills []fillDoc
	type acctSym struct {
		acct order.AccountID
		sym  instrument.Symbol
	}
	var touched []acctSym
	for _, r := range reps {
		if r.Seq == 0 {
			res.Notifications++
			continue
		}
		cur, ok := latest[r.OrderID]
		if !ok {
			ids = append(ids, r.OrderID)
		}
		if !ok || r.Seq > cur.Seq {
			latest[r.OrderID] = r
		}
		if r.ExecType == order.ExecTrade && r.LastQty.IsPositive() {
			fills = append(fills, fillToDoc(r))
			if k := (acctSym{r.Account, r.Symbol}); !slices.Contains(touched, k) {
				touched = append(touched, k)
			}
		}
	}
	for _, id := range ids {
		moved, err := s.upsertOrder(ctx, latest[id])
		if err != nil {
			return res, err
		}
		if moved {
			res.Orders++
		} else {
			res.Stale++
		}
	}
	n, err := s.insertFills(ctx, fills)
	if err != nil {
		return res, err
	}
	res.Fills, res.DupFills = n, len(fills)-n
	// Positions are refreshed for every fill seen, new or not: a crash between inserting the fills
	// and folding them is repaired when the batch is redelivered.
	var accts []order.AccountID
	for _, k := range touched {
		changed, err := s.refreshPosition(ctx, k.acct, k.sym)
		if err != nil {
			return res, err
		}
		if changed {
			res.Positions++
		}
		if !slices.Contains(accts, k.acct) {
			accts = append(accts, k.acct)
		}
	}
	for _, a := range accts {
		if err := s.refreshBalances(ctx, a); err != nil {
			return res, err
		}
	}
	return res, nil
}

// upsertOrder writes r as the order's state if its sequence is above the stored one. It reports
// whether the order moved.
func (s *Store) upsertOrder(ctx context.Context, r events.ExecutionReport) (bool, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{{Key: "_id", Value: string(r.OrderID)}, {Key: "seq", Value: bson.D{{Key: "$lt", Value: int64(r.Seq)}}}}
	update := bson.D{{Key: "$set", Value: orderToDoc(r)}}
	res, err := s.orders.UpdateOne(ctx, filter, update, options.UpdateOne().SetUpsert(true))
	if mongo.IsDuplicateKeyError(err) {
		// The order exists with this sequence or a later one (the filter missed, the insert
		// collided), or a concurrent writer inserted it first: try once more without inserting.
		res, err = s.orders.UpdateOne(ctx, filter, update)
	}
	if err != nil {
		return false, fmt.Errorf("upsert order %s seq %d: %w", r.OrderID, r.Seq, err)
	}
	return res.MatchedCount > 0 || res.UpsertedCount > 0, nil
}

// insertFills inserts fills keyed by exec id and returns how many were new.
func (s *Store) insertFills(ctx context.Context, fills []fillDoc) (int, error) {
	if len(fills) == 0 {
		return 0, nil
	}
	ctx, cancel := s.op(ctx)
	defer cancel()
	docs := make([]any, len(fills))
	for i := range fills {
		docs[i] = fills[i]
	}
	res, err := s.fills.InsertMany(ctx, docs, options.InsertMany().SetOrdered(false))
	if err == nil {
		return len(res.InsertedIDs), nil
	}
	var bwe mongo.BulkWriteException
	if !errors.As(err, &bwe) || bwe.WriteConcernError != nil {
		return 0, fmt.Errorf("insert fills: %w", err)
	}
	for _, we := range bwe.WriteErrors {
		if we.Code != 11000 {
			return 0, fmt.Errorf("insert fills: %w", err)
		}
	}
	return len(fills) - len(bwe.WriteErrors), nil
}

// errConflict says a position was rewritten by someone else between read and write.
var errConflict = errors.New("position changed concurrently")

// refreshPosition folds the fills of (acct, sym) that the stored position has not folded yet. If the
// stored position does not account for exactly the fills up to its last key (a fill arrived out of
// order), it is recomputed from all fills. It reports whether the position changed.
func (s *Store) refreshPosition(ctx context.Context, acct order.AccountID, sym instrument.Symbol) (bool, error) {
	for range 5 {
		changed, err := s.refreshPositionOnce(ctx, acct, sym)
		if !errors.Is(err, errConflict) {
			return changed, err
		}
	}
	return false, fmt.Errorf("refresh position %s %s: %w", acct, sym, errConflict)
}

func (s *Store) refreshPositionOnce(ctx context.Context, acct order.AccountID, sym instrument.Symbol) (bool, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	id := string(acct) + "|" + string(sym)
	var stored positionDoc
	exists := true
	if err := s.positions.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&stored); errors.Is(err, mongo.ErrNoDocuments) {
		exists = false
	} else if err != nil {
		return false, fmt.Errorf("refresh position %s: %w", id, err)
	}
	var p posState
	if exists {
		var err error
		if p, err = posFromDoc(stored); err != nil {
			return false, fmt.Errorf("refresh position: %w", err)
		}
		n, err := s.fills.CountDocuments(ctx, bson.D{{Key: "accountId", Value: string(acct)}, {Key: "symbol", Value: string(sym)}, {Key: "key", Value: bson.D{{Key: "$lte", Value: p.lastKey}}}})
		if err != nil {
			return false, fmt.Errorf("refresh position %s: count fills: %w", id, err)
		}
		if n != p.fills {
			p = posState{} // a fill landed before the last folded one: fold everything again
		}
	}
	before := p.fills
	reset := exists && before == 0 && stored.Fills != 0
	cur, err := s.fills.Find(ctx,
		bson.D{{Key: "accountId", Value: string(acct)}, {Key: "symbol", Value: string(sym)}, {Key: "key", Value: bson.D{{Key: "$gt", Value: p.lastKey}}}},
		options.Find().SetSort(bson.D{{Key: "key", Value: 1}}))
	if err != nil {
		return false, fmt.Errorf("refresh position %s: find fills: %w", id, err)
	}
	defer func() { _ = cur.Close(context.WithoutCancel(ctx)) }()
	for cur.Next(ctx) {
		var f fillDoc
		if err := cur.Decode(&f); err != nil {
			return false, fmt.Errorf("refresh position %s: decode fill: %w", id, err)
		}
		if err := p.add(f); err != nil {
			return false, fmt.Errorf("refresh position %s: %w", id, err)
		}
	}
	if err := cur.Err(); err != nil {
		return false, fmt.Errorf("refresh position %s: read fills: %w", id, err)
	}
	if p.fills == before && !reset {
		return false, nil
	}
	doc := posToDoc(id, string(acct), sym, p, time.Now().UTC())
	if !exists {
		if _, err := s.positions.InsertOne(ctx, doc); mongo.IsDuplicateKeyError(err) {
			return false, errConflict
		} else if err != nil {
			return false, fmt.Errorf("refresh position %s: insert: %w", id, err)
		}
		return true, nil
	}
	// Optimistic: replace only what was read.
	res, err := s.positions.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "fills", Value: stored.Fills}, {Key: "lastKey", Value: stored.LastKey}}, doc)
	if err != nil {
		return false, fmt.Errorf("refresh position %s: replace: %w", id, err)
	}
	if res.MatchedCount == 0 {
		return false, errConflict
	}
	return true, nil
}

// refreshBalances rewrites the account's balances from its funding and its positions' balance
// changes: a pure function of the stored fills, so rewriting is idempotent.
func (s *Store) refreshBalances(ctx context.Context, acct order.AccountID) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	totals, err := s.totals(ctx, acct)
	if err != nil {
		return fmt.Errorf("refresh balances %s: %w", acct, err)
	}
	now := time.Now().UTC()
	for asset, total := range totals {
		id := string(acct) + "|" + asset
		doc := balanceDoc{ID: id, AccountID: string(acct), Asset: asset, Total: total.String(), UpdatedAt: now}
		if _, err := s.balances.ReplaceOne(ctx, bson.D{{Key: "_id", Value: id}}, doc, options.Replace().SetUpsert(true)); err != nil {
			return fmt.Errorf("refresh balances %s: %w", id, err)
		}
	}
	return nil
}

// totals sums funding and the balance changes of every position of the account, per asset.
func (s *Store) totals(ctx context.Context, acct order.AccountID) (map[string]money.Decimal, error) {
	out := map[string]money.Decimal{}
	for a, v := range s.cfg.Funding {
		out[a] = v
	}
	cur, err := s.positions.Find(ctx, bson.D{{Key: "accountId", Value: string(acct)}})
	if err != nil {
		return nil, fmt.Errorf("find positions: %w", err)
	}
	var docs []positionDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("read positions: %w", err)
	}
	for _, d := range docs {
		p, err := posFromDoc(d)
		if err != nil {
			return nil, err
		}
		out[d.BaseAsset] = out[d.BaseAsset].Add(p.baseDelta)
		out[d.QuoteAsset] = out[d.QuoteAsset].Add(p.quoteDelta)
	}
	return out, nil
}
