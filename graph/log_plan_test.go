package graph_test

import (
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// TestLogsWalkAnIndexInOrder checks the plans of the log queries: each
// seeks the index that orders its log (the one migrations 020 to 024
// make) and reads it in order, so a page stops after its entries instead
// of sorting the whole space's log.
func TestLogsWalkAnIndexInOrder(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	now := time.Now().UTC()
	params := map[string]any{
		"space": e.space.ID, "since": time.Time{}, "below_at": now, "below_key": "k",
		"limit": int64(11), "type": nil, "rule": idgraph.RuleManualNever, "kind": nil, "actor": nil,
	}
	tests := []struct{ query, index string }{
		{"list_merges", "RANGE INDEX a:Profile(space, merged_at) WHERE space = $space"},
		{"list_rejections", "RANGE INDEX (x)-[r:REJECTED(space, at)]->(y) WHERE space = $space"},
		{"list_rule_rejections", "RANGE INDEX (x)-[r:REJECTED(space, rule, at)]->(y) WHERE space = $space AND rule = $rule"},
		{"list_corrections", "RANGE INDEX c:Correction(space, at) WHERE space = $space"},
	}
	for _, tt := range tests {
		t.Run(tt.query, func(t *testing.T) {
			res, err := e.db.ReadQuery(e.ctx, "explain "+tt.query, "EXPLAIN "+cypher.Query(tt.query), params)
			if err != nil {
				t.Fatal(err)
			}
			plan, _ := res.Summary.Plan().Arguments()["string-representation"].(string)
			if !strings.Contains(plan, "IndexSeek") || !strings.Contains(plan, tt.index) {
				t.Errorf("plan does not seek %s:\n%s", tt.index, plan)
			}
			if !strings.Contains(plan, "+PartialTop") {
				t.Errorf("plan does not take the page from the index's order (no PartialTop):\n%s", plan)
			}
			for _, op := range []string{"+Top ", "Scan"} {
				if strings.Contains(plan, op) {
					t.Errorf("plan has %s: it reads more than the page needs:\n%s", strings.Trim(op, "+ "), plan)
				}
			}
		})
	}
}
