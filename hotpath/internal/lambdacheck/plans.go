package lambdacheck

import (
	"context"
	"fmt"
	"slices"
	"strings"
	"sync"

	"go.mongodb.org/mongo-driver/v2/bson"
	"go.mongodb.org/mongo-driver/v2/event"
	"go.mongodb.org/mongo-driver/v2/mongo"
)

// Query is one read the store sent: the collection, the filter and the sort (nil when unsorted).
type Query struct {
	Command    string // find, update, delete or aggregate (countDocuments)
	Collection string
	Filter     bson.D
	Sort       bson.D
	Limit      int64
}

// Shape is the query with values blanked: queries that differ only in values share it.
func (q Query) Shape() string {
	return fmt.Sprintf("%s %s filter=%s sort=%s", q.Command, q.Collection, shape(q.Filter, false), shape(q.Sort, true))
}

func shape(d bson.D, directions bool) string {
	var parts []string
	for _, e := range d {
		switch v := e.Value.(type) {
		case bson.D:
			parts = append(parts, e.Key+":"+shape(v, false))
		case bson.A:
			var alts []string
			for _, x := range v {
				if xd, ok := x.(bson.D); ok {
					alts = append(alts, shape(xd, false))
				}
			}
			parts = append(parts, e.Key+":["+strings.Join(alts, ",")+"]")
		default:
			if directions {
				parts = append(parts, fmt.Sprintf("%s:%v", e.Key, v))
				continue
			}
			parts = append(parts, e.Key)
		}
	}
	return "{" + strings.Join(parts, ",") + "}"
}

// Recorder captures the queries a client sends while it is recording: install Monitor on the client.
type Recorder struct {
	mu      sync.Mutex
	on      bool
	queries []Query
}

// Monitor is the command monitor that feeds the recorder.
func (r *Recorder) Monitor() *event.CommandMonitor {
	return &event.CommandMonitor{Started: func(_ context.Context, e *event.CommandStartedEvent) {
		r.mu.Lock()
		defer r.mu.Unlock()
		if !r.on {
			return
		}
		r.queries = append(r.queries, parse(e.CommandName, e.Command)...)
	}}
}

// Record starts capturing (and forgets what was captured before).
func (r *Recorder) Record() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on, r.queries = true, nil
}

// Stop stops capturing and returns the queries captured since Record.
func (r *Recorder) Stop() []Query {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.on = false
	return slices.Clone(r.queries)
}

func parse(name string, cmd bson.Raw) []Query {
	var doc bson.D
	if err := bson.Unmarshal(cmd, &doc); err != nil {
		return nil
	}
	get := func(d bson.D, k string) any {
		for _, e := range d {
			if e.Key == k {
				return e.Value
			}
		}
		return nil
	}
	asD := func(v any) bson.D { d, _ := v.(bson.D); return d }
	coll, _ := get(doc, name).(string)
	switch name {
	case "find":
		q := Query{Command: name, Collection: coll, Filter: asD(get(doc, "filter")), Sort: asD(get(doc, "sort"))}
		switch l := get(doc, "limit").(type) {
		case int64:
			q.Limit = l
		case int32:
			q.Limit = int64(l)
		}
		return []Query{q}
	case "update", "delete":
		list := "updates"
		if name == "delete" {
			list = "deletes"
		}
		var out []Query
		arr, _ := get(doc, list).(bson.A)
		for _, u := range arr {
			out = append(out, Query{Command: name, Collection: coll, Filter: asD(get(asD(u), "q"))})
		}
		return out
	case "aggregate":
		arr, _ := get(doc, "pipeline").(bson.A)
		if len(arr) > 0 {
			if m := asD(get(asD(arr[0]), "$match")); m != nil {
				return []Query{{Command: name, Collection: coll, Filter: m}}
			}
		}
	}
	return nil
}

// Plan is what the server says it does for a query.
type Plan struct {
	// Stage is the top of the plan: FerretDB's PostgreSQL node ("Seq Scan", "Index Scan", ...) or
	// MongoDB's/DocumentDB's winning stage ("IXSCAN", "COLLSCAN", ...).
	Stage string
	// IndexUsed is true when a stage of the plan reads an index.
	IndexUsed bool
	// FilterPushdown, SortPushdown, LimitPushdown are FerretDB's: which parts ran in PostgreSQL.
	FilterPushdown, SortPushdown, LimitPushdown bool
}

// Explain asks the server for the plan of a find-shaped query.
func Explain(ctx context.Context, db *mongo.Database, q Query) (Plan, error) {
	find := bson.D{{Key: "find", Value: q.Collection}, {Key: "filter", Value: q.Filter}}
	if q.Sort != nil {
		find = append(find, bson.E{Key: "sort", Value: q.Sort})
	}
	if q.Limit > 0 {
		find = append(find, bson.E{Key: "limit", Value: q.Limit})
	}
	out, err := db.RunCommand(ctx, bson.D{{Key: "explain", Value: find}}).Raw()
	if err != nil {
		return Plan{}, fmt.Errorf("explain %s: %w", q.Shape(), err)
	}
	p := Plan{}
	p.FilterPushdown, _ = out.Lookup("filterPushdown").BooleanOK()
	p.SortPushdown, _ = out.Lookup("sortPushdown").BooleanOK()
	p.LimitPushdown, _ = out.Lookup("limitPushdown").BooleanOK()
	if pg, ok := out.Lookup("queryPlanner", "Plan").DocumentOK(); ok { // FerretDB: PostgreSQL's EXPLAIN (FORMAT JSON)
		p.Stage, _ = pg.Lookup("Node Type").StringValueOK()
		walk(pg, func(d bson.Raw) {
			if t, _ := d.Lookup("Node Type").StringValueOK(); strings.Contains(t, "Index") {
				p.IndexUsed = true
			}
		})
		return p, nil
	}
	if wp, ok := out.Lookup("queryPlanner", "winningPlan").DocumentOK(); ok { // MongoDB, DocumentDB
		p.Stage, _ = wp.Lookup("stage").StringValueOK()
		walk(wp, func(d bson.Raw) {
			if s, _ := d.Lookup("stage").StringValueOK(); s == "IXSCAN" || s == "IDHACK" || s == "EXPRESS_IXSCAN" {
				p.IndexUsed = true
			}
		})
		return p, nil
	}
	return Plan{}, fmt.Errorf("explain %s: no plan in %s", q.Shape(), out)
}

// walk visits d and every document nested in it.
func walk(d bson.Raw, visit func(bson.Raw)) {
	visit(d)
	elems, err := d.Elements()
	if err != nil {
		return
	}
	for _, e := range elems {
		if sub, ok := e.Value().DocumentOK(); ok {
			walk(sub, visit)
		} else if arr, ok := e.Value().ArrayOK(); ok {
			walk(bson.Raw(arr), visit)
		}
	}
}

// Index is one index of a collection.
type Index struct {
	Name string
	Keys bson.D
}

// Indexes lists a collection's indexes.
func Indexes(ctx context.Context, coll *mongo.Collection) ([]Index, error) {
	cur, err := coll.Indexes().List(ctx)
	if err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", coll.Name(), err)
	}
	var docs []struct {
		Name string `bson:"name"`
		Key  bson.D `bson:"key"`
	}
	if err := cur.All(ctx, &docs); err != nil {
		return nil, fmt.Errorf("list indexes of %s: %w", coll.Name(), err)
	}
	out := make([]Index, 0, len(docs))
	for _, d := range docs {
		out = append(out, Index{Name: d.Name, Keys: d.Key})
	}
	return out, nil
}

// Serving returns the first index that serves q without scanning the collection or sorting in memory:
// its leading keys are equality fields of the filter (at least one), and the query's sort keys follow
// them directly, in the index's direction or all reversed. That is what lets MongoDB and DocumentDB
// answer from the index (equality, sort, range); the range fields may then follow or be filtered.
func Serving(q Query, indexes []Index) (string, bool) {
	eq := map[string]bool{}
	for _, e := range q.Filter {
		if strings.HasPrefix(e.Key, "$") {
			continue
		}
		if d, ok := e.Value.(bson.D); ok && len(d) > 0 && strings.HasPrefix(d[0].Key, "$") && d[0].Key != "$eq" {
			continue // a range or another operator
		}
		eq[e.Key] = true
	}
	for _, ix := range indexes {
		i := 0
		for i < len(ix.Keys) && eq[ix.Keys[i].Key] {
			i++
		}
		if i == 0 {
			continue
		}
		var sortKeys bson.D
		for _, s := range q.Sort {
			if !eq[s.Key] {
				sortKeys = append(sortKeys, s)
			}
		}
		if len(sortKeys) == 0 {
			return ix.Name, true
		}
		if i+len(sortKeys) > len(ix.Keys) {
			continue
		}
		same, reversed := true, true
		for j, s := range sortKeys {
			k := ix.Keys[i+j]
			if k.Key != s.Key {
				same, reversed = false, false
				break
			}
			d := sign(k.Value) * sign(s.Value)
			same = same && d > 0
			reversed = reversed && d < 0
		}
		if same || reversed {
			return ix.Name, true
		}
	}
	return "", false
}

func sign(v any) int {
	var f float64
	switch x := v.(type) {
	case int32:
		f = float64(x)
	case int64:
		f = float64(x)
	case float64:
		f = x
	case int:
		f = float64(x)
	}
	switch {
	case f < 0:
		return -1
	case f > 0:
		return 1
	}
	return 0
}
