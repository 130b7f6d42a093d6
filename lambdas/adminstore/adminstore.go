// Package adminstore is the admin API's part of the MongoDB-compatible store: accounts, per-account risk
// limits, the trading states as last published to `control`, and the audit log. The audit log is
// append-only by construction: this package has no way to change or remove an entry.
//
// Like the read model it runs on FerretDB locally and DocumentDB in AWS: no transactions, decimals as
// strings, simple queries.
package adminstore

import (
	"context"
	"crypto/rand"
	"encoding/base64"
	"encoding/hex"
	"errors"
	"fmt"
	"sort"
	"strconv"
	"strings"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/account"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/events"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/instrument"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/money"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Collection names.
const (
	CollAccounts      = "accounts"
	CollRiskLimits    = "risk_limits"
	CollTradingStates = "trading_states"
	CollAudit         = "audit"
)

// Errors, classified for the transports. Any other error means the store is unavailable.
var (
	ErrNotFound  = errors.New("not found")
	ErrExists    = errors.New("already exists")
	ErrBadCursor = errors.New("malformed cursor")
)

// Store is the admin data over one database.
type Store struct {
	accounts, limits, states, audit *mongo.Collection
	timeout                         time.Duration
}

// New returns the store over db and creates its indexes (idempotent).
func New(ctx context.Context, db *mongo.Database) (*Store, error) {
	s := &Store{
		accounts: db.Collection(CollAccounts), limits: db.Collection(CollRiskLimits),
		states: db.Collection(CollTradingStates), audit: db.Collection(CollAudit), timeout: 5 * time.Second,
	}
	// Audit ids sort by time, so newest-first pages need only _id; filtering by action needs this one.
	m := mongo.IndexModel{Keys: bson.D{{Key: "action", Value: 1}, {Key: "_id", Value: -1}}, Options: options.Index().SetName("action")}
	if _, err := s.audit.Indexes().CreateOne(ctx, m); err != nil {
		return nil, fmt.Errorf("create index %s.action: %w", CollAudit, err)
	}
	return s, nil
}

func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.timeout)
}

// Ping checks that the store answers.
func (s *Store) Ping(ctx context.Context) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	if err := s.accounts.Database().Client().Ping(ctx, nil); err != nil {
		return fmt.Errorf("ping store: %w", err)
	}
	return nil
}

// ms is what BSON keeps of a time.
func ms(t time.Time) time.Time { return t.UTC().Truncate(time.Millisecond) }

// Account is a trading account known to the admin API.
type Account struct {
	ID        order.AccountID
	Name      string
	Status    string // ACTIVE
	CreatedAt time.Time
	CreatedBy string
}

type accountDoc struct {
	ID        string    `bson:"_id"`
	Name      string    `bson:"name"`
	Status    string    `bson:"status"`
	CreatedAt time.Time `bson:"createdAt"`
	CreatedBy string    `bson:"createdBy"`
}

func accountFromDoc(d accountDoc) Account {
	return Account{ID: order.AccountID(d.ID), Name: d.Name, Status: d.Status, CreatedAt: d.CreatedAt.UTC(), CreatedBy: d.CreatedBy}
}

// CreateAccount stores a new account; ErrExists when the id is taken.
func (s *Store) CreateAccount(ctx context.Context, a Account) (Account, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := accountDoc{ID: string(a.ID), Name: a.Name, Status: a.Status, CreatedAt: ms(a.CreatedAt), CreatedBy: a.CreatedBy}
	if _, err := s.accounts.InsertOne(ctx, d); mongo.IsDuplicateKeyError(err) {
		return Account{}, fmt.Errorf("create account %s: %w", a.ID, ErrExists)
	} else if err != nil {
		return Account{}, fmt.Errorf("create account: %w", err)
	}
	return accountFromDoc(d), nil
}

// EnsureAccount creates the account unless it exists (bootstrap accounts: the key file's, dev mode's).
func (s *Store) EnsureAccount(ctx context.Context, a Account) error {
	if _, err := s.CreateAccount(ctx, a); err != nil && !errors.Is(err, ErrExists) {
		return err
	}
	return nil
}

// Account returns one account.
func (s *Store) Account(ctx context.Context, id order.AccountID) (Account, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d accountDoc
	if err := s.accounts.FindOne(ctx, bson.D{{Key: "_id", Value: string(id)}}).Decode(&d); errors.Is(err, mongo.ErrNoDocuments) {
		return Account{}, fmt.Errorf("account %s: %w", id, ErrNotFound)
	} else if err != nil {
		return Account{}, fmt.Errorf("find account: %w", err)
	}
	return accountFromDoc(d), nil
}

// Accounts returns every account by id.
func (s *Store) Accounts(ctx context.Context) ([]Account, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.accounts.Find(ctx, bson.D{}, options.Find().SetSort(bson.D{{Key: "_id", Value: 1}}))
	if err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	var docs []accountDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list accounts: %w", err)
	}
	out := make([]Account, 0, len(docs))
	for _, d := range docs {
		out = append(out, accountFromDoc(d))
	}
	return out, nil
}

// RiskLimits is an account's limits as last set through the admin API.
type RiskLimits struct {
	Account   order.AccountID
	Limits    account.Limits
	UpdatedAt time.Time
	UpdatedBy string
	CommandID string // the LIMITS command that carried them to the processors
}

type limitsDoc struct {
	ID               string            `bson:"_id"`
	MaxOrderNotional string            `bson:"maxOrderNotional"`
	PriceCollarPct   string            `bson:"priceCollarPct"`
	MaxOpenOrders    int               `bson:"maxOpenOrders"`
	MaxOrdersPerSec  int               `bson:"maxOrdersPerSec"`
	MaxOrderQty      map[string]string `bson:"maxOrderQty"`
	MaxPosition      map[string]string `bson:"maxPosition"`
	UpdatedAt        time.Time         `bson:"updatedAt"`
	UpdatedBy        string            `bson:"updatedBy"`
	CommandID        string            `bson:"commandId"`
}

func symbolMapToDoc(m map[instrument.Symbol]money.Decimal) map[string]string {
	out := make(map[string]string, len(m))
	for s, v := range m {
		out[string(s)] = v.String()
	}
	return out
}

func symbolMapFromDoc(m map[string]string) (map[instrument.Symbol]money.Decimal, error) {
	out := make(map[instrument.Symbol]money.Decimal, len(m))
	for s, v := range m {
		d, err := money.Parse(v)
		if err != nil {
			return nil, err
		}
		out[instrument.Symbol(s)] = d
	}
	return out, nil
}

func limitsToDoc(r RiskLimits) limitsDoc {
	return limitsDoc{
		ID: string(r.Account), MaxOrderNotional: r.Limits.MaxOrderNotional.String(), PriceCollarPct: r.Limits.PriceCollarPct.String(),
		MaxOpenOrders: r.Limits.MaxOpenOrders, MaxOrdersPerSec: r.Limits.MaxOrdersPerSec,
		MaxOrderQty: symbolMapToDoc(r.Limits.MaxOrderQty), MaxPosition: symbolMapToDoc(r.Limits.MaxPosition),
		UpdatedAt: ms(r.UpdatedAt), UpdatedBy: r.UpdatedBy, CommandID: r.CommandID,
	}
}

func limitsFromDoc(d limitsDoc) (RiskLimits, error) {
	r := RiskLimits{Account: order.AccountID(d.ID), UpdatedAt: d.UpdatedAt.UTC(), UpdatedBy: d.UpdatedBy, CommandID: d.CommandID}
	var err error
	if r.Limits.MaxOrderNotional, err = money.Parse(d.MaxOrderNotional); err != nil {
		return RiskLimits{}, err
	}
	if r.Limits.PriceCollarPct, err = money.Parse(d.PriceCollarPct); err != nil {
		return RiskLimits{}, err
	}
	if r.Limits.MaxOrderQty, err = symbolMapFromDoc(d.MaxOrderQty); err != nil {
		return RiskLimits{}, err
	}
	if r.Limits.MaxPosition, err = symbolMapFromDoc(d.MaxPosition); err != nil {
		return RiskLimits{}, err
	}
	r.Limits.MaxOpenOrders, r.Limits.MaxOrdersPerSec = d.MaxOpenOrders, d.MaxOrdersPerSec
	return r, nil
}

// RiskLimits returns the account's limits; ErrNotFound when never set (the defaults apply).
func (s *Store) RiskLimits(ctx context.Context, id order.AccountID) (RiskLimits, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	var d limitsDoc
	if err := s.limits.FindOne(ctx, bson.D{{Key: "_id", Value: string(id)}}).Decode(&d); errors.Is(err, mongo.ErrNoDocuments) {
		return RiskLimits{}, fmt.Errorf("risk limits of %s: %w", id, ErrNotFound)
	} else if err != nil {
		return RiskLimits{}, fmt.Errorf("find risk limits: %w", err)
	}
	r, err := limitsFromDoc(d)
	if err != nil {
		return RiskLimits{}, fmt.Errorf("find risk limits of %s: stored value: %w", id, err)
	}
	return r, nil
}

// PutRiskLimits replaces the account's limits.
func (s *Store) PutRiskLimits(ctx context.Context, r RiskLimits) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := limitsToDoc(r)
	if _, err := s.limits.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put risk limits: %w", err)
	}
	return nil
}

// TradingState is the latest trading-state command published for one scope and target.
type TradingState struct {
	Scope     events.Scope
	Target    string
	State     events.TradingState
	Reason    string
	By        string
	At        time.Time
	CommandID string
}

type stateDoc struct {
	ID        string    `bson:"_id"` // scope/target
	Scope     string    `bson:"scope"`
	Target    string    `bson:"target"`
	State     string    `bson:"state"`
	Reason    string    `bson:"reason"`
	By        string    `bson:"by"`
	At        time.Time `bson:"at"`
	CommandID string    `bson:"commandId"`
}

// PutTradingState records the command as the scope's current state.
func (s *Store) PutTradingState(ctx context.Context, t TradingState) error {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d := stateDoc{ID: t.Scope.String() + "/" + t.Target, Scope: t.Scope.String(), Target: t.Target, State: t.State.String(),
		Reason: t.Reason, By: t.By, At: ms(t.At), CommandID: t.CommandID}
	if _, err := s.states.ReplaceOne(ctx, bson.D{{Key: "_id", Value: d.ID}}, d, options.Replace().SetUpsert(true)); err != nil {
		return fmt.Errorf("put trading state: %w", err)
	}
	return nil
}

// TradingStates returns every recorded state, by scope and target.
func (s *Store) TradingStates(ctx context.Context) ([]TradingState, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	cur, err := s.states.Find(ctx, bson.D{})
	if err != nil {
		return nil, fmt.Errorf("list trading states: %w", err)
	}
	var docs []stateDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list trading states: %w", err)
	}
	out := make([]TradingState, 0, len(docs))
	for _, d := range docs {
		sc, err := events.ParseScope(d.Scope)
		if err != nil {
			return nil, fmt.Errorf("list trading states: stored %s: %w", d.ID, err)
		}
		st, err := events.ParseTradingState(d.State)
		if err != nil {
			return nil, fmt.Errorf("list trading states: stored %s: %w", d.ID, err)
		}
		out = append(out, TradingState{Scope: sc, Target: d.Target, State: st, Reason: d.Reason, By: d.By, At: d.At.UTC(), CommandID: d.CommandID})
	}
	sort.Slice(out, func(i, j int) bool {
		if out[i].Scope != out[j].Scope {
			return out[i].Scope < out[j].Scope
		}
		return out[i].Target < out[j].Target
	})
	return out, nil
}

// Audit results.
const (
	ResultOK      = "OK"
	ResultDenied  = "DENIED"
	ResultInvalid = "INVALID"
	ResultFailed  = "FAILED"
)

// AuditEntry is one admin action as it happened.
type AuditEntry struct {
	ID      string // time-ordered; set by AppendAudit
	At      time.Time
	By      string // the key id that acted ("dev:<account>" in dev mode)
	Action  string
	Target  string
	Result  string
	Details map[string]string
}

type auditDoc struct {
	ID      string     `bson:"_id"`
	At      time.Time  `bson:"at"`
	By      string     `bson:"by"`
	Action  string     `bson:"action"`
	Target  string     `bson:"target"`
	Result  string     `bson:"result"`
	Details []detailKV `bson:"details"`
}

// detailKV keeps detail names out of field names: names such as "maxOrderQty.BTC-USD" contain dots,
// which DocumentDB does not accept in field names.
type detailKV struct {
	K string `bson:"k"`
	V string `bson:"v"`
}

func auditToDoc(e AuditEntry) auditDoc {
	d := auditDoc{ID: e.ID, At: e.At, By: e.By, Action: e.Action, Target: e.Target, Result: e.Result, Details: []detailKV{}}
	for k, v := range e.Details {
		d.Details = append(d.Details, detailKV{k, v})
	}
	sort.Slice(d.Details, func(i, j int) bool { return d.Details[i].K < d.Details[j].K })
	return d
}

func auditFromDoc(d auditDoc) AuditEntry {
	e := AuditEntry{ID: d.ID, At: d.At.UTC(), By: d.By, Action: d.Action, Target: d.Target, Result: d.Result, Details: make(map[string]string, len(d.Details))}
	for _, kv := range d.Details {
		e.Details[kv.K] = kv.V
	}
	return e
}

// auditID sorts like the time it carries: 13 digits of Unix milliseconds, then randomness that keeps
// entries of one millisecond apart.
func auditID(at time.Time) (string, error) {
	b := make([]byte, 6)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return fmt.Sprintf("%013d-%s", at.UnixMilli(), hex.EncodeToString(b)), nil
}

// AppendAudit appends an entry and returns it with its id. There is no update or delete.
func (s *Store) AppendAudit(ctx context.Context, e AuditEntry) (AuditEntry, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	e.At = ms(e.At)
	id, err := auditID(e.At)
	if err != nil {
		return AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	e.ID = id
	if e.Details == nil {
		e.Details = map[string]string{}
	}
	if _, err := s.audit.InsertOne(ctx, auditToDoc(e)); err != nil {
		return AuditEntry{}, fmt.Errorf("append audit: %w", err)
	}
	return e, nil
}

// AuditFilter selects a page of the audit log.
type AuditFilter struct {
	Action string // empty: every action
	Cursor string // from a previous page
	Limit  int    // 1..200; 0 means 50
}

// Audit returns a page of entries, newest first, and the cursor of the next page ("" on the last).
func (s *Store) Audit(ctx context.Context, f AuditFilter) ([]AuditEntry, string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{}
	if f.Action != "" {
		filter = append(filter, bson.E{Key: "action", Value: f.Action})
	}
	if f.Cursor != "" {
		before, err := decodeCursor(f.Cursor)
		if err != nil {
			return nil, "", err
		}
		filter = append(filter, bson.E{Key: "_id", Value: bson.D{{Key: "$lt", Value: before}}})
	}
	n := int64(f.Limit)
	if n <= 0 {
		n = 50
	}
	n = min(n, 200)
	cur, err := s.audit.Find(ctx, filter, options.Find().SetSort(bson.D{{Key: "_id", Value: -1}}).SetLimit(n+1))
	if err != nil {
		return nil, "", fmt.Errorf("read audit: %w", err)
	}
	var docs []auditDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, "", fmt.Errorf("read audit: %w", err)
	}
	next := ""
	if int64(len(docs)) > n {
		docs = docs[:n]
		next = base64.RawURLEncoding.EncodeToString([]byte(docs[len(docs)-1].ID))
	}
	out := make([]AuditEntry, 0, len(docs))
	for _, d := range docs {
		out = append(out, auditFromDoc(d))
	}
	return out, next, nil
}

// decodeCursor accepts only what Audit hands out: base64url of an audit id.
func decodeCursor(c string) (string, error) {
	b, err := base64.RawURLEncoding.DecodeString(c)
	if err != nil {
		return "", ErrBadCursor
	}
	ms, rest, ok := strings.Cut(string(b), "-")
	if !ok || len(ms) != 13 || len(rest) != 12 {
		return "", ErrBadCursor
	}
	if _, err := strconv.ParseUint(ms, 10, 64); err != nil {
		return "", ErrBadCursor
	}
	if _, err := hex.DecodeString(rest); err != nil {
		return "", ErrBadCursor
	}
	return string(b), nil
}
