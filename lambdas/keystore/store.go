// Package keystore keeps the API keys created through the admin API in the MongoDB-compatible store:
// their secrets only sealed (AES-256-GCM under a key-encryption key), and a cached, periodically
// refreshed Lookup that the gateway, order-query and admin authenticate with (see Cache).
package keystore

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"time"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/mongo"
	"go.mongodb.org/mongo-driver/v2/mongo/options"

	"github.com/crypto-oms/crypto-oms/hotpath/domain/auth"
	"github.com/crypto-oms/crypto-oms/hotpath/domain/order"
)

// Collection is where the keys live.
const Collection = "api_keys"

// Key statuses.
const (
	StatusActive  = "ACTIVE"
	StatusRevoked = "REVOKED"
)

// Errors, classified for the transports. Any other error means the store is unavailable.
var (
	ErrNotFound = errors.New("api key not found")
	ErrRevoked  = errors.New("api key revoked")
)

// Record is what the store tells about a key; the secret never leaves it except at creation and
// rotation, and then only once.
type Record struct {
	ID        string
	Account   order.AccountID
	Scopes    []auth.Scope
	Label     string
	Status    string
	CreatedAt time.Time
	CreatedBy string
	RotatedAt time.Time // zero: never rotated
	RevokedAt time.Time // zero: not revoked
	UpdatedAt time.Time
}

// NewKey is a key to create.
type NewKey struct {
	Account order.AccountID
	Scopes  []auth.Scope
	Label   string
	By      string // the admin key id that creates it
	At      time.Time
}

// Store is the API key collection.
type Store struct {
	coll    *mongo.Collection
	sealer  *Sealer
	timeout time.Duration
}

// NewStore returns the key store over db and creates its indexes (idempotent).
func NewStore(ctx context.Context, db *mongo.Database, sealer *Sealer) (*Store, error) {
	s := &Store{coll: db.Collection(Collection), sealer: sealer, timeout: 5 * time.Second}
	for _, ix := range []struct {
		name string
		keys bson.D
	}{
		{"account", bson.D{{Key: "accountId", Value: 1}, {Key: "createdAt", Value: -1}}},
		{"updatedAt", bson.D{{Key: "updatedAt", Value: 1}}}, // the caches' incremental refresh
	} {
		if _, err := s.coll.Indexes().CreateOne(ctx, mongo.IndexModel{Keys: ix.keys, Options: options.Index().SetName(ix.name)}); err != nil {
			return nil, fmt.Errorf("create index %s.%s: %w", Collection, ix.name, err)
		}
	}
	return s, nil
}

type keyDoc struct {
	ID        string     `bson:"_id"`
	AccountID string     `bson:"accountId"`
	Scopes    []string   `bson:"scopes"`
	Label     string     `bson:"label"`
	Status    string     `bson:"status"`
	Sealed    string     `bson:"sealedSecret"`
	CreatedAt time.Time  `bson:"createdAt"`
	CreatedBy string     `bson:"createdBy"`
	RotatedAt *time.Time `bson:"rotatedAt,omitempty"`
	RevokedAt *time.Time `bson:"revokedAt,omitempty"`
	UpdatedBy string     `bson:"updatedBy"`
	UpdatedAt time.Time  `bson:"updatedAt"`
}

func fromDoc(d keyDoc) Record {
	r := Record{
		ID: d.ID, Account: order.AccountID(d.AccountID), Label: d.Label, Status: d.Status,
		CreatedAt: d.CreatedAt.UTC(), CreatedBy: d.CreatedBy, UpdatedAt: d.UpdatedAt.UTC(),
	}
	for _, s := range d.Scopes {
		r.Scopes = append(r.Scopes, auth.Scope(s))
	}
	if d.RotatedAt != nil {
		r.RotatedAt = d.RotatedAt.UTC()
	}
	if d.RevokedAt != nil {
		r.RevokedAt = d.RevokedAt.UTC()
	}
	return r
}

// op bounds one operation when ctx has no deadline.
func (s *Store) op(ctx context.Context) (context.Context, context.CancelFunc) {
	if _, ok := ctx.Deadline(); ok {
		return context.WithCancel(ctx)
	}
	return context.WithTimeout(ctx, s.timeout)
}

func randomHex(n int) (string, error) {
	b := make([]byte, n)
	if _, err := rand.Read(b); err != nil {
		return "", err
	}
	return hex.EncodeToString(b), nil
}

// newSecret is 32 random bytes, hex-encoded; the client signs with the hex string's bytes, as with
// keys from a key file.
func newSecret() (string, error) { return randomHex(32) }

// Create stores a new active key and returns it with its secret, which is not retrievable again.
func (s *Store) Create(ctx context.Context, in NewKey) (Record, string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	suffix, err := randomHex(10)
	if err != nil {
		return Record{}, "", fmt.Errorf("create key: %w", err)
	}
	secret, err := newSecret()
	if err != nil {
		return Record{}, "", fmt.Errorf("create key: %w", err)
	}
	id := "key-" + suffix
	sealed, err := s.sealer.Seal(id, []byte(secret))
	if err != nil {
		return Record{}, "", fmt.Errorf("create key: %w", err)
	}
	at := in.At.UTC().Truncate(time.Millisecond) // what BSON keeps
	d := keyDoc{
		ID: id, AccountID: string(in.Account), Label: in.Label, Status: StatusActive, Sealed: sealed,
		CreatedAt: at, CreatedBy: in.By, UpdatedBy: in.By, UpdatedAt: at, Scopes: []string{},
	}
	for _, sc := range in.Scopes {
		d.Scopes = append(d.Scopes, string(sc))
	}
	if _, err := s.coll.InsertOne(ctx, d); err != nil {
		return Record{}, "", fmt.Errorf("create key: %w", err)
	}
	return fromDoc(d), secret, nil
}

// Rotate gives an active key a new secret; the old one stops verifying. A revoked key is ErrRevoked.
func (s *Store) Rotate(ctx context.Context, id, by string, at time.Time) (Record, string, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	secret, err := newSecret()
	if err != nil {
		return Record{}, "", fmt.Errorf("rotate key: %w", err)
	}
	sealed, err := s.sealer.Seal(id, []byte(secret))
	if err != nil {
		return Record{}, "", fmt.Errorf("rotate key: %w", err)
	}
	at = at.UTC().Truncate(time.Millisecond)
	res, err := s.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: StatusActive}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "sealedSecret", Value: sealed}, {Key: "rotatedAt", Value: at}, {Key: "updatedAt", Value: at}, {Key: "updatedBy", Value: by}}}})
	if err != nil {
		return Record{}, "", fmt.Errorf("rotate key: %w", err)
	}
	d, err := s.get(ctx, id)
	if err != nil {
		return Record{}, "", fmt.Errorf("rotate key: %w", err)
	}
	if res.MatchedCount == 0 {
		return Record{}, "", fmt.Errorf("rotate key %s: %w", id, ErrRevoked) // it exists, so it was not active
	}
	return fromDoc(d), secret, nil
}

// Revoke revokes a key; revoking a revoked key changes nothing and returns it as it is.
func (s *Store) Revoke(ctx context.Context, id, by string, at time.Time) (Record, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	at = at.UTC().Truncate(time.Millisecond)
	if _, err := s.coll.UpdateOne(ctx, bson.D{{Key: "_id", Value: id}, {Key: "status", Value: StatusActive}},
		bson.D{{Key: "$set", Value: bson.D{{Key: "status", Value: StatusRevoked}, {Key: "revokedAt", Value: at}, {Key: "updatedAt", Value: at}, {Key: "updatedBy", Value: by}}}}); err != nil {
		return Record{}, fmt.Errorf("revoke key: %w", err)
	}
	d, err := s.get(ctx, id)
	if err != nil {
		return Record{}, fmt.Errorf("revoke key: %w", err)
	}
	return fromDoc(d), nil
}

// Get returns one key's record.
func (s *Store) Get(ctx context.Context, id string) (Record, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	d, err := s.get(ctx, id)
	if err != nil {
		return Record{}, fmt.Errorf("get key: %w", err)
	}
	return fromDoc(d), nil
}

// List returns the keys of an account (every key when acct is empty), newest first.
func (s *Store) List(ctx context.Context, acct order.AccountID) ([]Record, error) {
	ctx, cancel := s.op(ctx)
	defer cancel()
	filter := bson.D{}
	if acct != "" {
		filter = bson.D{{Key: "accountId", Value: string(acct)}}
	}
	docs, err := s.find(ctx, filter, options.Find().SetSort(bson.D{{Key: "createdAt", Value: -1}, {Key: "_id", Value: -1}}).SetProjection(bson.D{{Key: "sealedSecret", Value: 0}}))
	if err != nil {
		return nil, fmt.Errorf("list keys: %w", err)
	}
	out := make([]Record, 0, len(docs))
	for _, d := range docs {
		out = append(out, fromDoc(d))
	}
	return out, nil
}

func (s *Store) get(ctx context.Context, id string) (keyDoc, error) {
	var d keyDoc
	err := s.coll.FindOne(ctx, bson.D{{Key: "_id", Value: id}}).Decode(&d)
	if errors.Is(err, mongo.ErrNoDocuments) {
		return keyDoc{}, ErrNotFound
	}
	return d, err
}

func (s *Store) find(ctx context.Context, filter bson.D, opts ...options.Lister[options.FindOptions]) ([]keyDoc, error) {
	cur, err := s.coll.Find(ctx, filter, opts...)
	if err != nil {
		return nil, err
	}
	var docs []keyDoc
	if err := cur.All(ctx, &docs); err != nil {
		return nil, err
	}
	return docs, nil
}

// changedSince returns every key updated at or after t (every key when t is zero), secrets sealed.
func (s *Store) changedSince(ctx context.Context, t time.Time) ([]keyDoc, error) {
	filter := bson.D{}
	if !t.IsZero() {
		filter = bson.D{{Key: "updatedAt", Value: bson.D{{Key: "$gte", Value: t}}}}
	}
	return s.find(ctx, filter)
}

// verifier unseals a stored key into what request verification needs.
func (s *Store) verifier(d keyDoc) (auth.Key, error) {
	secret, err := s.sealer.Open(d.ID, d.Sealed)
	if err != nil {
		return auth.Key{}, err
	}
	r := fromDoc(d)
	return auth.Key{ID: d.ID, Secret: secret, Account: r.Account, Scopes: r.Scopes, Revoked: d.Status != StatusActive}, nil
}

// Open returns the key store over db with secrets sealed under the key-encryption key given as
// base64 (OMS_KEY_ENCRYPTION_KEY), creating its indexes.
func Open(ctx context.Context, db *mongo.Database, kekBase64 string) (*Store, error) {
	kek, err := ParseKEK(kekBase64)
	if err != nil {
		return nil, err
	}
	sealer, err := NewSealer(kek)
	if err != nil {
		return nil, err
	}
	return NewStore(ctx, db, sealer)
}
