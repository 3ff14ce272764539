package graph_test

import (
	"slices"
	"testing"

	"github.com/idgraph/idgraph"
)

func nodeIDs(g idgraph.ProfileGraph) []string {
	out := make([]string, len(g.Nodes))
	for i, n := range g.Nodes {
		out[i] = n.ID
	}
	return out
}

func linkTexts(g idgraph.ProfileGraph) []string {
	out := make([]string, len(g.Links))
	for i, l := range g.Links {
		out[i] = l.Source + " -> " + l.Target
	}
	return out
}

func TestGraphSeedStory(t *testing.T) {
	e := seedStory(t)
	id := mustID("android.id:and_1a2b3c4d")
	got, err := e.store.Graph(e.ctx, e.space.ID, id, 0)
	if err != nil {
		t.Fatal(err)
	}
	p, _ := e.store.Profile(e.ctx, e.space.ID, id)
	if got.ProfileID != p.ID || got.Truncated {
		t.Errorf("profile_id=%s truncated=%v, want %s and false", got.ProfileID, got.Truncated, p.ID)
	}
	// The identifier asked about first, then the others as first seen.
	wantNodes := []string{
		"android.id:and_1a2b3c4d",
		"anonymous_id:anon_123", "ios.id:ios_abc123",
		"email:jane.doe@gmail.com", "user_id:abc123def",
		"anonymous_id:anon_456", "anonymous_id:anon_789",
	}
	if got := nodeIDs(got); !slices.Equal(got, wantNodes) {
		t.Errorf("nodes = %v, want %v", got, wantNodes)
	}
	wantLinks := []string{
		"android.id:and_1a2b3c4d -> user_id:abc123def",
		"anonymous_id:anon_123 -> ios.id:ios_abc123",
		"anonymous_id:anon_123 -> user_id:abc123def",
		"anonymous_id:anon_456 -> user_id:abc123def",
		"anonymous_id:anon_789 -> user_id:abc123def",
		"email:jane.doe@gmail.com -> user_id:abc123def",
		"ios.id:ios_abc123 -> user_id:abc123def",
	}
	if got := linkTexts(got); !slices.Equal(got, wantLinks) {
		t.Errorf("links = %v, want %v", got, wantLinks)
	}
	for _, l := range got.Links {
		if l.Source == "android.id:and_1a2b3c4d" && (l.Count != 3 || l.FirstSeen.IsZero() || l.LastSeen.Before(l.FirstSeen)) {
			t.Errorf("link %+v, want count 3 and first_seen <= last_seen", l)
		}
	}
	n := got.Nodes[0]
	if n.Type != "android.id" || n.Value != "and_1a2b3c4d" || n.SourceID != "segkicks" || n.FirstSeen.IsZero() {
		t.Errorf("first node = %+v, want android.id and_1a2b3c4d first seen from segkicks", n)
	}
}

func TestGraphLimit(t *testing.T) {
	e := seedStory(t)
	got, err := e.store.Graph(e.ctx, e.space.ID, mustID("user_id:abc123def"), 3)
	if err != nil {
		t.Fatal(err)
	}
	if want := []string{"user_id:abc123def", "anonymous_id:anon_123", "ios.id:ios_abc123"}; !slices.Equal(nodeIDs(got), want) || !got.Truncated {
		t.Errorf("nodes = %v truncated=%v, want %v and true", nodeIDs(got), got.Truncated, want)
	}
	// Links only among the nodes returned.
	want := []string{
		"anonymous_id:anon_123 -> ios.id:ios_abc123",
		"anonymous_id:anon_123 -> user_id:abc123def",
		"ios.id:ios_abc123 -> user_id:abc123def",
	}
	if got := linkTexts(got); !slices.Equal(got, want) {
		t.Errorf("links = %v, want %v", got, want)
	}

	big, err := e.store.Graph(e.ctx, e.space.ID, mustID("user_id:abc123def"), idgraph.MaxGraphNodes+1)
	if err != nil || len(big.Nodes) != 7 || big.Truncated {
		t.Errorf("graph with a limit over the maximum: %d nodes truncated=%v err=%v, want all 7", len(big.Nodes), big.Truncated, err)
	}
}

func TestGraphUnknownIdentifier(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	_, err := e.store.Graph(e.ctx, e.space.ID, mustID("user_id:nobody"), 10)
	if code := idgraph.ErrorCode(err); code != idgraph.ENOTFOUND {
		t.Errorf("Graph of an unknown identifier: %v (code %q), want %s", err, code, idgraph.ENOTFOUND)
	}
}
