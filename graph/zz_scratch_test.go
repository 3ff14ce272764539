package graph_test

import (
	"encoding/json"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

func TestScratch(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	dump := func(v any, err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
		b, _ := json.MarshalIndent(v, "", "  ")
		t.Logf("%s", b)
	}
	dump(e.store.Explain(e.ctx, e.space.ID, mustID("anonymous_id:anon_123"), mustID("android.id:and_1a2b3c4d")))
	dump(e.store.Metadata(e.ctx, e.space.ID, mustID("anonymous_id:anon_123")))
	dump(e.store.History(e.ctx, e.space.ID, mustID("anonymous_id:anon_123")))
	dump(e.store.Graph(e.ctx, e.space.ID, mustID("anonymous_id:anon_123"), 4))
	dump(e.store.Events(e.ctx, e.space.ID, mustID("anonymous_id:anon_123"), idgraph.EventQuery{Limit: 3}))
	res, err := e.db.ReadQuery(e.ctx, "x", "EXPLAIN "+cypher.Query("find_path"), map[string]any{"space": e.space.ID, "from_type": "a", "from_value": "b", "to_type": "c", "to_value": "d"})
	if err != nil {
		t.Fatal(err)
	}
	var walk func(p interface{ Operator() string; Children() []any }, d int)
	_ = walk
	t.Logf("%+v", res.Summary.Plan())
}
