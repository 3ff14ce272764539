package graph

import (
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

func TestPlanRebuild(t *testing.T) {
	t0 := time.Date(2020, 1, 1, 0, 0, 0, 0, time.UTC)
	old, young := t0, t0.Add(time.Hour)
	comps := map[string][]part{
		// Healthy: one profile holds the whole component.
		"c0": {{component: "c0", profileID: "prf_ok", createdAt: old, n: 2, firstSeen: old}},
		// prf_a was split: its larger part keeps it (and stays where it is),
		// the other gets a new profile.
		"c1": {{component: "c1", profileID: "prf_a", createdAt: old, n: 3, firstSeen: old}},
		"c2": {{component: "c2", profileID: "prf_a", createdAt: old, n: 1, firstSeen: young}},
		// prf_b and the older prf_c share a component: prf_c keeps it,
		// prf_b is retired into it, with both their traits.
		"c3": {
			{component: "c3", profileID: "prf_b", createdAt: young, n: 2, firstSeen: young, traitsJSON: `{"plan":{"value":"pro"}}`},
			{component: "c3", profileID: "prf_c", createdAt: old, n: 1, firstSeen: old, traitsJSON: `{"name":{"value":"Jane"}}`},
		},
	}
	var rep idgraph.RebuildReport
	plan, err := planRebuild(comps, &rep)
	if err != nil {
		t.Fatal(err)
	}
	if want := (idgraph.RebuildReport{Kept: 1, Created: 1, Removed: 1, Moved: 3}); rep != want {
		t.Errorf("report: got %+v, want %+v", rep, want)
	}
	byComponent := map[string]map[string]any{}
	for _, a := range plan.assignments {
		byComponent[a["component"].(string)] = a
	}
	if len(plan.assignments) != 2 || byComponent["c2"] == nil || byComponent["c3"] == nil {
		t.Fatalf("assignments: got %v, want c2 and c3 (c0 and c1 are right as they are)", plan.assignments)
	}
	if got := byComponent["c2"]["profile_id"].(string); got == "prf_a" || !strings.HasPrefix(got, "prf_") {
		t.Errorf("c2 (the smaller part of prf_a) goes to %v, want a new profile", got)
	}
	c3 := byComponent["c3"]
	if c3["profile_id"] != "prf_c" || c3["created_at"] != old {
		t.Errorf("c3: got %v, want prf_c created at %v", c3, old)
	}
	if tr := c3["traits"].(string); !strings.Contains(tr, "Jane") || !strings.Contains(tr, "pro") {
		t.Errorf("c3 traits %s, want both profiles'", tr)
	}
	if len(plan.retired) != 1 || plan.retired[0]["from"] != "prf_b" || plan.retired[0]["into"] != "prf_c" {
		t.Errorf("retired: got %v, want prf_b into prf_c", plan.retired)
	}
	want := []string{byComponent["c2"]["profile_id"].(string), "prf_b", "prf_c"}
	slices.Sort(want)
	if !slices.Equal(plan.touched, want) {
		t.Errorf("touched: got %v, want %v", plan.touched, want)
	}
}
