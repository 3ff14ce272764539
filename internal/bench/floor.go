package bench

import (
	"bufio"
	"bytes"
	"context"
	"os"
	"sort"
	"sync"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/ingest"
)

// floorBatch is what one transaction of the floor writes: the distinct
// identifiers of a batch of events, sorted, and their edges.
type floorBatch struct {
	events int
	ids    []floorID
	edges  []floorEdge
}

type floorID struct {
	id   idgraph.Identifier
	seen time.Time
}

type floorEdge struct {
	a, b  idgraph.Identifier
	count int
}

// prepareFloor reads up to limit events of file and turns them into the
// identifier nodes and edges idgraph would write for them with the rules
// off: each event's identifiers (default extraction, blocked values left
// out), and a star of edges from its highest-priority identifier. Batches
// hold size events of one source each, in file order, like the writer's.
// It is done before the clock starts.
func prepareFloor(file string, limit, size int) ([]floorBatch, error) {
	f, err := os.Open(file)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	rules := idgraph.DefaultRules()
	var out []floorBatch
	open := map[string]*floorAcc{}
	sc := bufio.NewScanner(f)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	for n := 0; n < limit && sc.Scan(); {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		n++
		src, _ := SourceOf(appName(line))
		e, err := idgraph.ParseEvent(line, DefaultStart)
		if err != nil {
			continue
		}
		a := open[src]
		if a == nil {
			a = newFloorAcc()
			open[src] = a
		}
		ids, _ := rules.Extract(e)
		a.add(e.Timestamp, ids)
		if a.events == size {
			out = append(out, a.batch())
			delete(open, src)
		}
	}
	for _, app := range Apps {
		if a := open[app.Source]; a != nil {
			out = append(out, a.batch())
		}
	}
	return out, sc.Err()
}

// floorAcc gathers one source's open batch of the floor.
type floorAcc struct {
	events int
	ids    map[idgraph.Identifier]time.Time // last seen
	edges  map[[2]idgraph.Identifier]int
}

func newFloorAcc() *floorAcc {
	return &floorAcc{ids: map[idgraph.Identifier]time.Time{}, edges: map[[2]idgraph.Identifier]int{}}
}

// add counts an event seen at t carrying ids: the identifiers, and the star
// of edges from the first (the highest-priority one).
func (a *floorAcc) add(t time.Time, ids []idgraph.Identifier) {
	a.events++
	for i, id := range ids {
		if last, ok := a.ids[id]; !ok || t.After(last) {
			a.ids[id] = t
		}
		if i > 0 {
			x, y := ids[0], id
			if y.Less(x) {
				x, y = y, x
			}
			a.edges[[2]idgraph.Identifier{x, y}]++
		}
	}
}

// batch returns what a has gathered, identifiers and edges sorted.
func (a *floorAcc) batch() floorBatch {
	b := floorBatch{events: a.events}
	for id, t := range a.ids {
		b.ids = append(b.ids, floorID{id, t})
	}
	sort.Slice(b.ids, func(i, j int) bool { return b.ids[i].id.Less(b.ids[j].id) })
	for k, n := range a.edges {
		b.edges = append(b.edges, floorEdge{k[0], k[1], n})
	}
	sort.Slice(b.edges, func(i, j int) bool {
		if b.edges[i].a != b.edges[j].a {
			return b.edges[i].a.Less(b.edges[j].a)
		}
		return b.edges[i].b.Less(b.edges[j].b)
	})
	return b
}

// writeFloor writes the batches into space with writers concurrent
// transactions, each taking the next batch from one queue and MERGEing its
// identifiers in sorted order and then its edges, and returns how long it
// took.
func writeFloor(ctx context.Context, db *graph.DB, space string, batches []floorBatch, writers int) (time.Duration, error) {
	jobs := make(chan floorBatch)
	errs := make(chan error, writers)
	var wg sync.WaitGroup
	start := time.Now()
	for range writers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range jobs {
				if err := writeFloorBatch(ctx, db, space, b); err != nil {
					errs <- err
					for range jobs { // drain
					}
					return
				}
			}
		}()
	}
	for _, b := range batches {
		select {
		case jobs <- b:
		case err := <-errs:
			close(jobs)
			wg.Wait()
			return time.Since(start), err
		}
	}
	close(jobs)
	wg.Wait()
	took := time.Since(start)
	select {
	case err := <-errs:
		return took, err
	default:
	}
	return took, nil
}

func writeFloorBatch(ctx context.Context, db *graph.DB, space string, b floorBatch) error {
	ids := make([]map[string]any, len(b.ids))
	for i, x := range b.ids {
		ids[i] = map[string]any{"type": x.id.Type, "value": x.id.Value, "seen": x.seen}
	}
	edges := make([]map[string]any, len(b.edges))
	for i, e := range b.edges {
		edges[i] = map[string]any{"a_type": e.a.Type, "a_value": e.a.Value, "b_type": e.b.Type, "b_value": e.b.Value, "count": e.count}
	}
	_, err := graph.Write(ctx, db, "write floor", func(tx neo4j.ManagedTransaction) (struct{}, error) {
		for _, st := range []struct {
			q    string
			key  string
			rows []map[string]any
		}{{"floor_identifiers", "identifiers", ids}, {"floor_edges", "edges", edges}} {
			if len(st.rows) == 0 {
				continue
			}
			res, err := tx.Run(ctx, query(st.q), map[string]any{"space": space, st.key: st.rows})
			if err != nil {
				return struct{}{}, err
			}
			if _, err := res.Consume(ctx); err != nil {
				return struct{}{}, err
			}
		}
		return struct{}{}, nil
	})
	return err
}
