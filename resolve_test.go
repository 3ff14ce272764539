package idgraph

import (
	"fmt"
	"slices"
	"sort"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2019, 11, 15, 10, 0, 0, 0, time.UTC)

func id(s string) Identifier {
	i, err := ParseIdentifier(s)
	if err != nil {
		panic(err)
	}
	return i
}

func ids(ss ...string) []Identifier {
	out := make([]Identifier, len(ss))
	for i, s := range ss {
		out[i] = id(s)
	}
	return out
}

// counter returns a newID function giving p1, p2, ...
func counter() func() string {
	n := 0
	return func() string { n++; return fmt.Sprintf("p%d", n) }
}

// step is one event in a resolver scenario.
type step struct {
	ids    []Identifier
	at     time.Duration // after t0
	typ    string
	traits map[string]any
}

func ev(at time.Duration, ss ...string) step { return step{ids: ids(ss...), at: at} }

// run applies the steps in one batch and returns the resolver.
func run(t *testing.T, rules Rules, known []Profile, steps ...step) *Resolver {
	t.Helper()
	r := NewResolver(rules, known, counter())
	for i, s := range steps {
		typ := s.typ
		if typ == "" {
			typ = "track"
		}
		e := Event{Type: typ, MessageID: fmt.Sprintf("m%d", i+1), Timestamp: t0.Add(s.at), Traits: s.traits}
		r.Apply(e, "src", s.ids)
	}
	return r
}

// partition renders the live profiles as "type:value,type:value | ...", sorted.
func partition(r *Resolver) string {
	var groups []string
	for _, p := range r.profiles {
		if p.MergedInto != "" || len(p.members) == 0 {
			continue
		}
		var m []string
		for id := range p.members {
			m = append(m, id.String())
		}
		sort.Strings(m)
		groups = append(groups, strings.Join(m, ","))
	}
	sort.Strings(groups)
	return strings.Join(groups, " | ")
}

func rejections(r *Resolver) string {
	var out []string
	for _, rej := range r.rejections {
		out = append(out, rej.From.String()+"->"+rej.To.String()+" "+rej.Rule)
	}
	return strings.Join(out, "; ")
}

func known(id string, created time.Time, merges int, members ...string) Profile {
	p := Profile{ID: id, CreatedAt: created, UpdatedAt: created, MergeCount: merges}
	for _, m := range members {
		p.Identifiers = append(p.Identifiers, Sighting{Identifier: ParseIdentifierMust(m), FirstSeen: created, LastSeen: created})
	}
	return p
}

func ParseIdentifierMust(s string) Identifier { return id(s) }

func TestResolverPartitions(t *testing.T) {
	day := 24 * time.Hour
	weekly := DefaultRules()
	weekly.Types["anonymous_id"] = IdentifierRule{Type: "anonymous_id", Limit: 5, Window: WindowWeekly}
	caps := DefaultRules()
	caps.MaxIdentifiers = 3
	mergeCap := DefaultRules()
	mergeCap.MaxMerges = 1

	tests := []struct {
		name           string
		rules          Rules
		known          []Profile
		steps          []step
		wantPartition  string
		wantRejections string
	}{
		{
			name:          "new identifiers start one profile",
			rules:         DefaultRules(),
			steps:         []step{ev(0, "anonymous_id:anon_123", "ios.id:ios_abc123")},
			wantPartition: "anonymous_id:anon_123,ios.id:ios_abc123",
		},
		{
			name:  "the seed story joins into one profile",
			rules: DefaultRules(),
			steps: []step{
				ev(0, "anonymous_id:anon_123", "ios.id:ios_abc123"),
				ev(time.Minute, "anonymous_id:anon_123", "ios.id:ios_abc123", "user_id:abc123def", "email:jane.doe@gmail.com"),
				ev(day, "anonymous_id:anon_456", "android.id:and_1a2b3c4d", "user_id:abc123def"),
				ev(day+time.Hour, "anonymous_id:anon_789", "android.id:and_1a2b3c4d", "user_id:abc123def"),
			},
			wantPartition: "android.id:and_1a2b3c4d,anonymous_id:anon_123,anonymous_id:anon_456,anonymous_id:anon_789,email:jane.doe@gmail.com,ios.id:ios_abc123,user_id:abc123def",
		},
		{
			name:  "merge protection keeps a1 with u1",
			rules: DefaultRules(),
			steps: []step{
				ev(0, "anonymous_id:a1", "user_id:u1"),
				ev(time.Minute, "anonymous_id:a1", "user_id:u2"),
			},
			wantPartition:  "anonymous_id:a1,user_id:u1 | user_id:u2",
			wantRejections: "anonymous_id:a1->user_id:u2 limit:user_id",
		},
		{
			name:  "segment's limit example gives abc456 its own profile",
			rules: DefaultRules(),
			known: []Profile{known("old", t0.Add(-day), 0, "user_id:abc123", "email:jane@example1.com")},
			steps: []step{
				ev(0, "user_id:abc456", "email:jane@example1.com"),
			},
			wantPartition:  "email:jane@example1.com,user_id:abc123 | user_id:abc456",
			wantRejections: "email:jane@example1.com->user_id:abc456 limit:user_id",
		},
		{
			name:  "a refused profile does not stop a new identifier joining",
			rules: DefaultRules(),
			steps: []step{
				ev(0, "anonymous_id:a1", "user_id:u1"),
				ev(time.Minute, "anonymous_id:a1", "anonymous_id:a2", "user_id:u2"),
			},
			wantPartition:  "anonymous_id:a1,user_id:u1 | anonymous_id:a2,user_id:u2",
			wantRejections: "anonymous_id:a1->user_id:u2 limit:user_id",
		},
		{
			name:  "two anonymous profiles merge through a user id",
			rules: DefaultRules(),
			steps: []step{
				ev(0, "anonymous_id:a1"),
				ev(time.Minute, "anonymous_id:a2"),
				ev(2*time.Minute, "anonymous_id:a1", "anonymous_id:a2", "user_id:u1"),
			},
			wantPartition: "anonymous_id:a1,anonymous_id:a2,user_id:u1",
		},
		{
			name:  "a weekly limit refuses the sixth in a week and accepts one a week later",
			rules: weekly,
			steps: []step{
				ev(0, "user_id:u", "anonymous_id:a1"),
				ev(day, "user_id:u", "anonymous_id:a2"),
				ev(2*day, "user_id:u", "anonymous_id:a3"),
				ev(3*day, "user_id:u", "anonymous_id:a4"),
				ev(4*day, "user_id:u", "anonymous_id:a5"),
				ev(5*day, "user_id:u", "anonymous_id:a6"),
				ev(12*day, "user_id:u", "anonymous_id:a7"),
			},
			wantPartition:  "anonymous_id:a1,anonymous_id:a2,anonymous_id:a3,anonymous_id:a4,anonymous_id:a5,anonymous_id:a7,user_id:u | anonymous_id:a6",
			wantRejections: "anonymous_id:a6->user_id:u limit:anonymous_id",
		},
		{
			name:  "an ever limit of five refuses the sixth whatever the time",
			rules: DefaultRules(),
			steps: []step{
				ev(0, "user_id:u", "email:e1@x.io"),
				ev(day, "user_id:u", "email:e2@x.io"),
				ev(2*day, "user_id:u", "email:e3@x.io"),
				ev(3*day, "user_id:u", "email:e4@x.io"),
				ev(4*day, "user_id:u", "email:e5@x.io"),
				ev(400*day, "user_id:u", "email:e6@x.io"),
			},
			wantPartition:  "email:e1@x.io,email:e2@x.io,email:e3@x.io,email:e4@x.io,email:e5@x.io,user_id:u | email:e6@x.io",
			wantRejections: "email:e6@x.io->user_id:u limit:email",
		},
		{
			name:  "the identifier cap stops a profile growing",
			rules: caps,
			steps: []step{
				ev(0, "user_id:u", "anonymous_id:a1", "anonymous_id:a2"),
				ev(time.Minute, "user_id:u", "anonymous_id:a3"),
			},
			wantPartition:  "anonymous_id:a1,anonymous_id:a2,user_id:u | anonymous_id:a3",
			wantRejections: "anonymous_id:a3->user_id:u max_identifiers",
		},
		{
			name:  "the merge cap stops a second merge",
			rules: mergeCap,
			steps: []step{
				ev(0, "anonymous_id:a1"),
				ev(time.Minute, "anonymous_id:a2"),
				ev(2*time.Minute, "anonymous_id:a3"),
				ev(3*time.Minute, "anonymous_id:a1", "anonymous_id:a2"),
				ev(4*time.Minute, "anonymous_id:a1", "anonymous_id:a3"),
			},
			wantPartition:  "anonymous_id:a1,anonymous_id:a2 | anonymous_id:a3",
			wantRejections: "anonymous_id:a3->anonymous_id:a1 max_merges",
		},
		{
			name:          "an event with no identifiers changes no profile",
			rules:         DefaultRules(),
			steps:         []step{ev(0)},
			wantPartition: "",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, tt.rules, tt.known, tt.steps...)
			if got := partition(r); got != tt.wantPartition {
				t.Errorf("partition:\n got %s\nwant %s", got, tt.wantPartition)
			}
			if got := rejections(r); got != tt.wantRejections {
				t.Errorf("rejections:\n got %s\nwant %s", got, tt.wantRejections)
			}
		})
	}
}

func TestResolverOldestProfileSurvives(t *testing.T) {
	tests := []struct {
		name      string
		known     []Profile
		wantRoot  string
		wantMerge int
	}{
		{
			name:      "older wins",
			known:     []Profile{known("pB", t0.Add(-time.Hour), 2, "anonymous_id:a2"), known("pA", t0, 1, "anonymous_id:a1")},
			wantRoot:  "pB",
			wantMerge: 4,
		},
		{
			name:      "tie goes to the smaller id",
			known:     []Profile{known("pB", t0, 0, "anonymous_id:a2"), known("pA", t0, 0, "anonymous_id:a1")},
			wantRoot:  "pA",
			wantMerge: 1,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r := run(t, DefaultRules(), tt.known, ev(time.Hour, "anonymous_id:a1", "anonymous_id:a2"))
			res := r.Result()
			if len(res.Merges) != 1 {
				t.Fatalf("merges: got %d, want 1", len(res.Merges))
			}
			if got := res.Merges[0].Into; got != tt.wantRoot {
				t.Errorf("survivor: got %s, want %s", got, tt.wantRoot)
			}
			for _, p := range res.Profiles {
				if p.ID == tt.wantRoot && p.MergeCount != tt.wantMerge {
					t.Errorf("merge count: got %d, want %d", p.MergeCount, tt.wantMerge)
				}
				if p.ID != tt.wantRoot && p.MergedInto != tt.wantRoot {
					t.Errorf("profile %s merged into %q, want %s", p.ID, p.MergedInto, tt.wantRoot)
				}
			}
			var moved []string
			for _, m := range res.Memberships {
				moved = append(moved, m.Identifier.String()+"->"+m.ProfileID)
			}
			other := "anonymous_id:a1"
			if tt.wantRoot == "pA" {
				other = "anonymous_id:a2"
			}
			if want := []string{other + "->" + tt.wantRoot}; !slices.Equal(moved, want) {
				t.Errorf("memberships: got %v, want %v", moved, want)
			}
		})
	}
}

func TestResolverEdgesAreAStarInCanonicalDirection(t *testing.T) {
	r := run(t, DefaultRules(), nil,
		ev(0, "anonymous_id:anon_123", "ios.id:ios_abc123", "user_id:abc123def"),
		ev(time.Hour, "anonymous_id:anon_123", "user_id:abc123def"),
	)
	res := r.Result()
	var got []string
	for _, e := range res.Edges {
		got = append(got, fmt.Sprintf("%s-%s x%d %s..%s", e.A, e.B, e.Count, e.FirstMessageID, e.LastMessageID))
	}
	want := []string{
		"anonymous_id:anon_123-user_id:abc123def x2 m1..m2",
		"ios.id:ios_abc123-user_id:abc123def x1 m1..m1",
	}
	if !slices.Equal(got, want) {
		t.Errorf("edges:\n got %v\nwant %v", got, want)
	}
}

func TestResolverTraitsNewestWins(t *testing.T) {
	r := run(t, DefaultRules(), nil,
		step{typ: "identify", ids: ids("anonymous_id:a1"), at: 2 * time.Hour, traits: map[string]any{"plan": "pro", "name": "Jane"}},
		step{typ: "identify", ids: ids("anonymous_id:a2"), at: time.Hour, traits: map[string]any{"plan": "free", "city": "Paris"}},
		step{typ: "identify", ids: ids("anonymous_id:a2"), at: 3 * time.Hour, traits: map[string]any{"name": "Jane Doe"}},
		step{typ: "track", ids: ids("anonymous_id:a1", "anonymous_id:a2"), at: 4 * time.Hour},
	)
	res := r.Result()
	var live []Profile
	for _, p := range res.Profiles {
		if p.MergedInto == "" {
			live = append(live, p)
		}
	}
	if len(live) != 1 {
		t.Fatalf("live profiles: got %d, want 1", len(live))
	}
	got := map[string]any{}
	for k, v := range live[0].Traits {
		got[k] = v.Value
	}
	want := map[string]any{"plan": "pro", "name": "Jane Doe", "city": "Paris"}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("traits: got %v, want %v", got, want)
	}
}

func TestSightingsKeepFirstSource(t *testing.T) {
	ss := Sightings{}
	ss.Add(id("anonymous_id:a1"), t0.Add(time.Hour), "segruns", "late")
	ss.Add(id("anonymous_id:a1"), t0, "segkicks", "early")
	ss.Add(id("anonymous_id:a0"), t0, "segkicks", "other")
	got := ss.Sorted()
	if len(got) != 2 || got[0].Value != "a0" {
		t.Fatalf("sightings: got %+v, want a0 then a1", got)
	}
	s := got[1]
	if s.FirstSourceID != "segkicks" || s.FirstMessageID != "early" || !s.FirstSeen.Equal(t0) || !s.LastSeen.Equal(t0.Add(time.Hour)) {
		t.Errorf("sighting: got %+v, want first segkicks/early at t0, last t0+1h", s)
	}
}

func TestResolverGivesNewMembersTheirFirstSighting(t *testing.T) {
	r := NewResolver(DefaultRules(), nil, counter())
	r.Apply(Event{Type: "track", MessageID: "m1", Timestamp: t0}, "segkicks", ids("anonymous_id:a1"))
	res := r.Result()
	if len(res.Profiles) != 1 || len(res.Profiles[0].Identifiers) != 1 {
		t.Fatalf("profiles: got %+v", res.Profiles)
	}
	s := res.Profiles[0].Identifiers[0]
	if s.FirstSourceID != "segkicks" || s.FirstMessageID != "m1" || !s.FirstSeen.Equal(t0) {
		t.Errorf("member: got %+v, want first seen in m1 from segkicks at t0", s)
	}
}

func TestResolverDefaultCaps(t *testing.T) {
	rules := DefaultRules()
	rules.Types["fp"] = IdentifierRule{Type: "fp", Limit: 100000}

	// 101 merges into f0's profile: the hundredth is the last allowed.
	var known []Profile
	for i := 0; i <= 101; i++ {
		known = append(known, Profile{ID: fmt.Sprintf("p%03d", i), CreatedAt: t0.Add(time.Duration(i) * time.Second),
			Identifiers: []Sighting{{Identifier: id(fmt.Sprintf("fp:f%03d", i)), FirstSeen: t0}}})
	}
	r := NewResolver(rules, known, counter())
	for i := 1; i <= 101; i++ {
		r.Apply(Event{Type: "track", MessageID: fmt.Sprintf("m%d", i), Timestamp: t0.Add(time.Hour)}, "src",
			ids("fp:f000", fmt.Sprintf("fp:f%03d", i)))
	}
	res := r.Result()
	if len(res.Merges) != DefaultMaxMerges {
		t.Errorf("merges: got %d, want %d", len(res.Merges), DefaultMaxMerges)
	}
	if len(res.Rejections) != 1 || res.Rejections[0].Rule != RuleMaxMerges || res.Rejections[0].From != id("fp:f101") {
		t.Errorf("rejections: got %+v, want fp:f101 refused by max_merges", res.Rejections)
	}

	// 1,000 identifiers in one profile: the 1,001st is refused.
	r = NewResolver(rules, nil, counter())
	for i := 1; i <= DefaultMaxIdentifiers; i++ {
		r.Apply(Event{Type: "track", MessageID: fmt.Sprintf("i%d", i), Timestamp: t0}, "src",
			ids("user_id:u", fmt.Sprintf("fp:g%04d", i)))
	}
	res = r.Result()
	if len(res.Rejections) != 1 || res.Rejections[0].Rule != RuleMaxIdentifiers || res.Rejections[0].From != id("fp:g1000") {
		t.Errorf("rejections: got %+v, want fp:g1000 refused by max_identifiers", res.Rejections)
	}
	if got := r.profiles[r.owner[id("user_id:u")]]; len(got.members) != DefaultMaxIdentifiers {
		t.Errorf("profile size: got %d, want %d", len(got.members), DefaultMaxIdentifiers)
	}
}
