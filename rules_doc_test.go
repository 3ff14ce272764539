package idgraph

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
)

func TestParseRulesLaysOverTheDefaults(t *testing.T) {
	r, err := ParseRules([]byte("identifiers:\n  - {type: anonymous_id, limit: 10, window: weekly}\n  - {type: phone, priority: 4, trait: phone}\nmax_merges: 50\n"))
	if err != nil {
		t.Fatal(err)
	}
	if n, w := r.Limit("anonymous_id"); n != 10 || w != WindowWeekly {
		t.Errorf("anonymous_id limit = %d %s, want 10 weekly", n, w)
	}
	if n, _ := r.Limit("user_id"); n != 1 {
		t.Errorf("user_id limit = %d, want the default 1", n)
	}
	if r.MaxMerges != 50 || r.MaxIdentifiers != DefaultMaxIdentifiers {
		t.Errorf("caps = %d, %d; want 50 and the default %d", r.MaxMerges, r.MaxIdentifiers, DefaultMaxIdentifiers)
	}
	if r.Types["phone"].Trait != "phone" || r.Priority("phone") != 4 {
		t.Errorf("phone rule = %+v", r.Types["phone"])
	}
	if !r.IsBlocked(Identifier{Type: "user_id", Value: "null"}) {
		t.Error("the default blocked values are not blocked")
	}
}

func TestParseRulesNamesEveryProblem(t *testing.T) {
	_, err := ParseRules([]byte(`{"max_merges": -1, "colour": "red", "identifiers": [{"type": "anonymous_id", "limit": -2, "window": "hourly"}, {"type": "anonymous_id"}], "blocked": ["/(/"]}`))
	var fields []string
	if e, ok := err.(*Error); ok {
		for _, p := range e.Problems {
			fields = append(fields, p.Field)
		}
	}
	for _, want := range []string{"max_merges", "colour", "identifiers[0].limit", "identifiers[0].window", "blocked[0]"} {
		if !strings.Contains(strings.Join(fields, " "), want) {
			t.Errorf("problems %v do not name %s (error %v)", fields, want, err)
		}
	}
	_, err = ParseRules([]byte(`{"identifiers": [{"type": "email"}, {"type": "email", "limit": 2}]}`))
	if e, ok := err.(*Error); !ok || len(e.Problems) != 1 || e.Problems[0].Field != "identifiers[1].type" {
		t.Errorf("a type twice: %v, want identifiers[1].type named", err)
	}
	if _, err := ParseRules([]byte("identifiers: [")); ErrorCode(err) != EINVALID {
		t.Errorf("bad YAML: %v, want EINVALID", err)
	}
	if _, err := ParseRules(nil); ErrorCode(err) != EINVALID {
		t.Errorf("no document: %v, want EINVALID", err)
	}
}

// A document written from rules reads back as the same rules, so a version
// stored in the graph is the version promoted.
func TestRulesDocumentRoundTrip(t *testing.T) {
	r, err := ParseRules([]byte("blocked: [\"/^test-/\"]\nidentifiers:\n  - {type: anonymous_id, limit: 3, window: daily, blocked: [kiosk]}\n  - {type: phone, trait: phone}\n"))
	if err != nil {
		t.Fatal(err)
	}
	doc, err := json.Marshal(r.Document())
	if err != nil {
		t.Fatal(err)
	}
	back, err := ParseRules(doc)
	if err != nil {
		t.Fatalf("parse %s: %v", doc, err)
	}
	if !reflect.DeepEqual(back.Document(), r.Document()) {
		t.Errorf("round trip:\n got %+v\nwant %+v", back.Document(), r.Document())
	}
	for _, v := range []string{"test-1", "null"} {
		if !back.IsBlocked(Identifier{Type: "email", Value: v}) {
			t.Errorf("%s is not blocked after the round trip", v)
		}
	}
	if !back.IsBlocked(Identifier{Type: "anonymous_id", Value: "kiosk"}) || back.IsBlocked(Identifier{Type: "email", Value: "kiosk"}) {
		t.Error("the per-type blocked value did not survive the round trip")
	}
}

// The shared: section and segment_compatible survive the round trip, and
// are read with the spaces file's validation.
func TestRulesDocumentRoundTripsShared(t *testing.T) {
	for _, tc := range []struct {
		name, doc string
		want      SharedRules
	}{
		{"default", "max_merges: 10\n", DefaultSharedRules()},
		{"tuned", "shared: {types: [ios.id, android.id], min_people: 3, window: daily, kiosk_anonymous_ids: 0, account_devices: 4}\n",
			SharedRules{Enabled: true, Types: []string{"ios.id", "android.id"}, MinPeople: 3, Window: WindowDaily,
				KioskAnonymousIDs: 0, KioskWindow: DefaultKioskWindow, AccountDevices: 4}},
		{"disabled", "shared: {enabled: false}\n", func() SharedRules { s := DefaultSharedRules(); s.Enabled = false; return s }()},
		{"segment compatible", "segment_compatible: true\n", SharedRules{}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r, err := ParseRules([]byte(tc.doc))
			if err != nil {
				t.Fatal(err)
			}
			if !reflect.DeepEqual(r.Shared, tc.want) {
				t.Fatalf("parsed shared rules:\n got %+v\nwant %+v", r.Shared, tc.want)
			}
			doc, err := json.Marshal(r.Document())
			if err != nil {
				t.Fatal(err)
			}
			back, err := ParseRules(doc)
			if err != nil {
				t.Fatalf("parse %s: %v", doc, err)
			}
			if !reflect.DeepEqual(back.Shared, tc.want) {
				t.Errorf("shared rules after the round trip of %s:\n got %+v\nwant %+v", doc, back.Shared, tc.want)
			}
			if got, want := back.Document().SegmentCompatible, reflect.DeepEqual(tc.want, SharedRules{}); got != want {
				t.Errorf("segment_compatible = %v, want %v", got, want)
			}
		})
	}
	_, err := ParseRules([]byte("shared: {min_people: 1, types: [user_id], colour: red}\n"))
	for _, field := range []string{"shared.min_people", "shared.types[0]", "shared.colour"} {
		if err == nil || !strings.Contains(ErrorMessage(err), field) {
			t.Errorf("ParseRules of bad shared rules: %v, want a problem naming %s", err, field)
		}
	}
}
