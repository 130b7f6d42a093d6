package embedded

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net"
	"net/url"
	"os"
	"path/filepath"
	"sync"
	"time"

	"github.com/FerretDB/FerretDB/ferretdb"
)

// Store backends, as returned by Store.Backend.
const (
	BackendPostgreSQL = "postgresql"
	BackendSQLite     = "sqlite"
)

// StoreOptions configures StartStore.
type StoreOptions struct {
	// Dir holds the backend's data (Dir/pg for PostgreSQL, Dir/sqlite for SQLite). Required.
	Dir string
	// Addr is where FerretDB listens for MongoDB clients; "" or port 0 picks a free port on 127.0.0.1.
	Addr string
	// Backend forces BackendPostgreSQL or BackendSQLite; "" picks PostgreSQL when its binaries are
	// installed and SQLite otherwise.
	Backend string
	// RequireReal makes StartStore fail with ErrNoBinary instead of falling back to SQLite.
	RequireReal bool
	// NoSync runs PostgreSQL without fsync: much faster, and fine for tests, but a machine crash
	// can corrupt the data.
	NoSync bool
	// Logger receives start, stop and fallback messages and FerretDB's warnings; nil discards them.
	Logger *slog.Logger
	// IndexMirrorInterval is how often the PostgreSQL backend looks for new FerretDB indexes to mirror
	// as GIN indexes (see MirrorIndexes); 0 means every second, negative turns the background pass off.
	IndexMirrorInterval time.Duration
}

// Store is a running MongoDB-wire store: FerretDB in process over a private PostgreSQL cluster (or
// SQLite). Its limits (no transactions, change streams, TTL indexes, Decimal128) are in DESIGN.md §5.
type Store struct {
	backend string
	uri     string
	log     *slog.Logger
	pg      *postgres  // nil for SQLite
	mirror  *ginMirror // nil for SQLite

	stopMirror context.CancelFunc // nil when the background pass is off
	mirrorDone chan struct{}      // closed when the background pass has returned
	cancel     context.CancelFunc
	done       chan struct{} // closed when FerretDB's Run has returned
	once       sync.Once
}

// StartStore starts the backend and FerretDB, and returns once FerretDB accepts connections.
func StartStore(ctx context.Context, opts StoreOptions) (st *Store, err error) {
	t0 := time.Now()
	if opts.Dir == "" {
		return nil, errors.New("start store: Options.Dir is required")
	}
	dir, err := filepath.Abs(opts.Dir)
	if err != nil {
		return nil, fmt.Errorf("start store: %w", err)
	}
	log := orDiscard(opts.Logger).With("component", "store")
	backend := opts.Backend
	pgBin := PostgresBinDir()
	switch backend {
	case "":
		backend = BackendPostgreSQL
		if pgBin == "" {
			if opts.RequireReal {
				return nil, fmt.Errorf("start store: postgres: %w (apt-get install -y postgresql)", ErrNoBinary)
			}
			backend = BackendSQLite
			log.Warn("PostgreSQL not installed; FerretDB falls back to SQLite, which scans every query (apt-get install -y postgresql)")
		}
	case BackendPostgreSQL:
		if pgBin == "" {
			return nil, fmt.Errorf("start store: postgres: %w (apt-get install -y postgresql)", ErrNoBinary)
		}
	case BackendSQLite:
	default:
		return nil, fmt.Errorf("start store: unknown backend %q", backend)
	}

	st = &Store{backend: backend, log: log, done: make(chan struct{})}
	cfg := &ferretdb.Config{
		Handler: backend,
		Logger:  slog.New(ferretFilter{orDiscard(opts.Logger).With("component", "ferretdb").Handler()}),
	}
	switch backend {
	case BackendPostgreSQL:
		st.pg, err = startPostgres(ctx, pgBin, filepath.Join(dir, "pg"), opts.NoSync, log)
		if err != nil {
			return nil, fmt.Errorf("start store: %w", err)
		}
		defer func() {
			if err != nil {
				st.pg.stop()
			}
		}()
		cfg.PostgreSQLURL = st.pg.url
	case BackendSQLite:
		sq := filepath.Join(dir, "sqlite") + "/"
		if err := os.MkdirAll(sq, 0o755); err != nil {
			return nil, fmt.Errorf("start store: %w", err)
		}
		cfg.SQLiteURL = (&url.URL{Scheme: "file", Opaque: sq}).String()
	}

	// FerretDB binds port 0 itself, so there is no window for another process to take a free port.
	listen := opts.Addr
	if listen == "" {
		listen = "127.0.0.1:0"
	}
	host, _, err := net.SplitHostPort(listen)
	if err != nil {
		return nil, fmt.Errorf("start store: address %q: %w", listen, err)
	}
	if host == "" {
		listen = "127.0.0.1" + listen
	}
	cfg.Listener.TCP = listen
	f, err := ferretdb.New(cfg)
	if err != nil {
		return nil, fmt.Errorf("start store: ferretdb: %w", err)
	}
	runCtx, cancel := context.WithCancel(context.Background())
	st.cancel = cancel
	go func() {
		defer close(st.done)
		_ = f.Run(runCtx)
	}()
	st.uri = f.MongoDBURI() // blocks until the listener is bound
	if err := st.waitReady(ctx); err != nil {
		cancel()
		<-st.done
		return nil, fmt.Errorf("start store: %w", err)
	}
	if st.pg != nil {
		st.mirror = &ginMirror{url: st.pg.url, log: log}
		if opts.IndexMirrorInterval >= 0 {
			interval := opts.IndexMirrorInterval
			if interval == 0 {
				interval = time.Second
			}
			mctx, stopMirror := context.WithCancel(context.Background())
			st.stopMirror, st.mirrorDone = stopMirror, make(chan struct{})
			go func() {
				defer close(st.mirrorDone)
				st.mirror.loop(mctx, interval)
			}()
		}
	}
	log.Info("store started", "backend", backend, "uri", st.uri, "dir", dir, "took", time.Since(t0).Round(time.Millisecond))
	return st, nil
}

// MirrorIndexes gives every index FerretDB created on a top-level field (the _id index included) a GIN
// twin over the same jsonb expression, so that PostgreSQL can serve FerretDB's equality filters from an
// index instead of scanning the collection (FerretDB 1.24 filters by jsonb containment, @>, which its
// own btree indexes cannot answer; see ginmirror.go). It is idempotent and cheap when nothing changed.
// The store already does this in the background every StoreOptions.IndexMirrorInterval; call it to
// have the indexes in place at a known point, such as right after creating collections and indexes.
// It does nothing on SQLite.
func (s *Store) MirrorIndexes(ctx context.Context) error {
	if s.mirror == nil {
		return nil
	}
	// A pass that created indexes leaves the catalog changed; the next pass confirms nothing is left
	// (or mirrors what FerretDB created meanwhile; anything later is the background pass's).
	for range 3 {
		n, err := s.mirror.run(ctx)
		if err != nil || n == 0 {
			return err
		}
	}
	return nil
}

// waitReady dials FerretDB until it accepts a connection.
func (s *Store) waitReady(ctx context.Context) error {
	u, err := url.Parse(s.uri)
	if err != nil {
		return err
	}
	wctx, cancel := context.WithTimeout(ctx, 10*time.Second)
	defer cancel()
	return waitFor(wctx, nil, 5*time.Millisecond, func(ctx context.Context) error {
		var d net.Dialer
		c, err := d.DialContext(ctx, "tcp", u.Host)
		if err != nil {
			return err
		}
		return c.Close()
	})
}

// URI returns the MongoDB connection string, such as mongodb://127.0.0.1:27017/.
func (s *Store) URI() string { return s.uri }

// Backend says what FerretDB stores into: BackendPostgreSQL or BackendSQLite.
func (s *Store) Backend() string { return s.backend }

// Stop shuts FerretDB down, then the PostgreSQL cluster, and waits for both. Stop is idempotent.
func (s *Store) Stop() {
	s.once.Do(func() {
		if s.stopMirror != nil {
			s.stopMirror()
			<-s.mirrorDone
		}
		if s.mirror != nil {
			s.mirror.close()
		}
		s.cancel()
		<-s.done
		if s.pg != nil {
			s.pg.stop()
		}
		s.log.Info("store stopped", "uri", s.uri)
	})
}

// ferretFilter passes on FerretDB's errors only, minus the ones a client already receives as a command
// error: its PostgreSQL query tracer logs every failed statement (a duplicate key, say) at Error, and
// it dumps every failed command's response at Warn.
type ferretFilter struct{ slog.Handler }

func (f ferretFilter) Enabled(ctx context.Context, l slog.Level) bool {
	return l >= slog.LevelError && f.Handler.Enabled(ctx, l)
}

func (f ferretFilter) Handle(ctx context.Context, r slog.Record) error {
	if r.Message == "Query" {
		return nil
	}
	return f.Handler.Handle(ctx, r)
}

func (f ferretFilter) WithAttrs(as []slog.Attr) slog.Handler {
	return ferretFilter{f.Handler.WithAttrs(as)}
}

func (f ferretFilter) WithGroup(name string) slog.Handler {
	return ferretFilter{f.Handler.WithGroup(name)}
}
