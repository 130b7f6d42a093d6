package embedded

import (
	"context"
	"errors"
	"fmt"
	"hash/fnv"
	"log/slog"
	"regexp"
	"strings"
	"sync"
	"time"

	"github.com/jackc/pgx/v5"
	"github.com/jackc/pgx/v5/pgconn"
)

// Why GIN mirrors exist: FerretDB 1.24's PostgreSQL backend pushes an equality filter down as jsonb
// containment on an expression, `_jsonb->'accountId' @> '"acct-1"'`, but builds every MongoDB index as a
// btree over `(_jsonb->'accountId')`. A btree serves =, <, > on that expression, never @>, so without
// help every find, update and delete — by _id too — is a Seq Scan over the whole collection. A GIN
// index over the same expression (jsonb_path_ops, which serves exactly @>) lets PostgreSQL answer the
// containment with a Bitmap Index Scan. FerretDB neither knows nor minds: its metadata lists only its
// own btrees, it never reads pg_indexes, and dropping a collection drops the table with every index.
// Sort, limit, ranges ($lt, $gte) and $or still run in FerretDB's memory; only equality is pushed down.
// New collections are empty when mirrored, so building is instant; a store that already holds data
// (the first start after an upgrade) takes seconds per large collection, and writes to it wait meanwhile.

// ginMirror creates the GIN twin of every single-field btree expression index FerretDB made.
type ginMirror struct {
	url string
	log *slog.Logger

	mu   sync.Mutex // guards conn and seen, and runs one pass at a time
	conn *pgx.Conn  // nil until the first pass, and again after a failed one
	seen catalogStamp
}

// catalogStamp changes whenever an index is created or dropped anywhere in the cluster: a pass that
// finds the stamp unchanged since the last complete pass has nothing to do.
type catalogStamp struct {
	n      int64
	maxOID int64
}

// lockTimeout bounds how long CREATE INDEX waits for FerretDB's writers (and they for it): the
// background pass gives up and tries again on its next tick rather than stall the store.
const lockTimeout = "2s"

// btreeFields lists, for every table with a _jsonb column (FerretDB's collections; its own metadata
// tables excluded), each key column expression of its btree indexes. Only top-level fields qualify
// below: FerretDB 1.24 does not push filters on dotted paths down.
const btreeFields = `
SELECT n.nspname, c.relname, pg_get_indexdef(i.indexrelid, k, true), ic.relname
FROM pg_index i
JOIN pg_class c ON c.oid = i.indrelid
JOIN pg_namespace n ON n.oid = c.relnamespace
JOIN pg_class ic ON ic.oid = i.indexrelid
JOIN pg_am am ON am.oid = ic.relam
CROSS JOIN LATERAL generate_series(1, i.indnkeyatts) AS k
WHERE am.amname = $1
  AND n.nspname NOT IN ('pg_catalog', 'information_schema', 'pg_toast')
  AND c.relname NOT LIKE '\_ferretdb\_%'
  AND EXISTS (SELECT 1 FROM pg_attribute a
              WHERE a.attrelid = c.oid AND a.attname = '_jsonb' AND NOT a.attisdropped)`

// topLevelField matches the column expression PostgreSQL prints for FerretDB's index on a top-level
// field, such as `(_jsonb -> 'accountId'::text)`; the quoted name may contain doubled quotes.
var topLevelField = regexp.MustCompile(`^\(?_jsonb -> '(?:[^']|'')*'::text\)?$`)

// run makes one pass: it lists FerretDB's btree fields and the GIN indexes that exist, and creates the
// missing ones. Tables dropped meanwhile are skipped.
func (m *ginMirror) run(ctx context.Context) (created int, err error) {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.conn == nil {
		c, err := pgx.Connect(ctx, m.url)
		if err != nil {
			return 0, fmt.Errorf("mirror indexes: connect: %w", err)
		}
		if _, err := c.Exec(ctx, "SET lock_timeout = '"+lockTimeout+"'"); err != nil {
			_ = c.Close(context.Background())
			return 0, fmt.Errorf("mirror indexes: %w", err)
		}
		m.conn = c
	}
	created, err = m.pass(ctx)
	if err != nil && m.conn.IsClosed() {
		m.conn = nil
	}
	return created, err
}

func (m *ginMirror) pass(ctx context.Context) (int, error) {
	var stamp catalogStamp
	if err := m.conn.QueryRow(ctx, `SELECT count(*), coalesce(max(indexrelid::int8), 0) FROM pg_index`).Scan(&stamp.n, &stamp.maxOID); err != nil {
		return 0, fmt.Errorf("mirror indexes: %w", err)
	}
	if stamp == m.seen {
		return 0, nil
	}
	type target struct{ schema, table, expr string }
	type column struct {
		target
		index string
	}
	list := func(am string) ([]column, error) {
		rows, err := m.conn.Query(ctx, btreeFields, am)
		if err != nil {
			return nil, err
		}
		return pgx.CollectRows(rows, func(r pgx.CollectableRow) (column, error) {
			var c column
			err := r.Scan(&c.schema, &c.table, &c.expr, &c.index)
			return c, err
		})
	}
	btrees, err := list("btree")
	if err != nil {
		return 0, fmt.Errorf("mirror indexes: list btree indexes: %w", err)
	}
	gins, err := list("gin")
	if err != nil {
		return 0, fmt.Errorf("mirror indexes: list gin indexes: %w", err)
	}
	have := make(map[target]bool, len(gins))
	names := make(map[[2]string]bool, len(gins)) // by schema and name: a mirror whose expression we misread is still not made twice
	for _, g := range gins {
		have[g.target] = true
		names[[2]string{g.schema, g.index}] = true
	}
	var errs []error
	created := 0
	for _, b := range btrees {
		name := ginName(b.schema, b.table, b.expr)
		if have[b.target] || names[[2]string{b.schema, name}] || !topLevelField.MatchString(b.expr) {
			continue
		}
		have[b.target] = true // a field in several btrees needs one GIN
		// The expression is PostgreSQL's own rendering from the catalog, so it is valid SQL as is.
		q := fmt.Sprintf("CREATE INDEX IF NOT EXISTS %s ON %s USING gin ((%s) jsonb_path_ops)",
			pgx.Identifier{name}.Sanitize(), pgx.Identifier{b.schema, b.table}.Sanitize(), b.expr)
		t0 := time.Now()
		if _, err := m.conn.Exec(ctx, q); err != nil {
			var pe *pgconn.PgError
			if errors.As(err, &pe) && (pe.Code == "42P01" || pe.Code == "3F000") { // table or schema dropped meanwhile
				continue
			}
			errs = append(errs, fmt.Errorf("%s.%s %s: %w", b.schema, b.table, b.expr, err))
			if m.conn.IsClosed() || ctx.Err() != nil {
				break
			}
			continue
		}
		created++
		m.log.Debug("gin index mirrored", "schema", b.schema, "table", b.table, "field", b.expr, "took", time.Since(t0).Round(time.Millisecond))
	}
	if len(errs) > 0 {
		return created, fmt.Errorf("mirror indexes: %w", errors.Join(errs...))
	}
	if created == 0 {
		m.seen = stamp
	}
	// After creating, the next pass re-reads the catalog once, finds nothing to do and records the stamp.
	return created, nil
}

// ginName is a stable name within PostgreSQL's 63 bytes; the hash keeps truncated names distinct, and
// the _gin suffix can never equal a name FerretDB makes (they end in _idx).
func ginName(schema, table, expr string) string {
	h := fnv.New32a()
	_, _ = h.Write([]byte(schema + "\x00" + table + "\x00" + expr))
	field := strings.TrimSuffix(strings.TrimPrefix(strings.Trim(expr, "()"), "_jsonb -> '"), "'::text")
	field = nonIdent.ReplaceAllString(strings.ToLower(field), "_")
	table = nonIdent.ReplaceAllString(strings.ToLower(table), "_")
	return fmt.Sprintf("%.28s_%.20s_%08x_gin", table, field, h.Sum32())
}

var nonIdent = regexp.MustCompile(`[^a-z0-9_]`)

// loop runs a pass every interval until ctx ends, so collections created after start-up (a new
// database in a test, the projector's first write) get their GIN indexes within about interval.
// A pass that finds the catalog unchanged costs one small query.
func (m *ginMirror) loop(ctx context.Context, interval time.Duration) {
	t := time.NewTicker(interval)
	defer t.Stop()
	failing := false
	for {
		n, err := m.run(ctx)
		switch {
		case ctx.Err() != nil:
		case err != nil && !failing:
			m.log.Warn("mirroring FerretDB indexes as GIN failed; retrying", "err", err)
			failing = true
		case err == nil:
			failing = false
			if n > 0 {
				m.log.Debug("gin indexes mirrored", "created", n)
			}
		}
		select {
		case <-ctx.Done():
			return
		case <-t.C:
		}
	}
}

func (m *ginMirror) close() {
	m.mu.Lock()
	defer m.mu.Unlock()
	if m.conn != nil {
		_ = m.conn.Close(context.Background())
		m.conn = nil
	}
}
