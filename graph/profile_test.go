package graph_test

import (
	"slices"
	"testing"

	"github.com/idgraph/idgraph"
)

func TestDeleteSuppressesIdentifiers(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	// Someone else in the same space stays untouched.
	e.resolve(segkicks, `{"type":"identify","messageId":"other","userId":"bob","anonymousId":"anon_bob","timestamp":"2020-01-01T00:00:00Z"}`)

	d, err := e.store.Delete(e.ctx, e.space.ID, mustID("email:jane.doe@gmail.com"), "ops")
	if err != nil {
		t.Fatal(err)
	}
	if len(d.Identifiers) != 7 || d.Events != 9 || d.ProfileID == "" {
		t.Errorf("deletion: got %+v, want 7 identifiers and 9 events removed", d)
	}
	got := e.counts()
	want := map[string]int64{"identifiers": 2, "profiles": 1, "events": 1, "edges": 1, "rejected": 0, "carried": 2, "memberships": 2}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("after delete, %s: got %d, want %d", k, got[k], w)
		}
	}
	if _, err := e.store.Profile(e.ctx, e.space.ID, mustID("user_id:abc123def")); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("profile after delete: got %v, want not found", err)
	}

	// Replaying Jane's events (new message ids) must not bring her back.
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		e.loadSeed(f)
	}
	if got := e.counts()["identifiers"]; got != 2 {
		t.Errorf("after replay, identifiers: got %d, want 2 (suppressed values must not return)", got)
	}
	e.resolve(segkicks, `{"type":"identify","messageId":"new","userId":"abc123def","anonymousId":"anon_new","timestamp":"2021-01-01T00:00:00Z"}`)
	if got, want := e.profileOf("anonymous_id:anon_new"), []string{"anonymous_id:anon_new"}; !slices.Equal(got, want) {
		t.Errorf("a new event carrying a suppressed user id: got %v, want %v", got, want)
	}
	if _, err := e.store.Delete(e.ctx, e.space.ID, mustID("email:jane.doe@gmail.com"), "ops"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("second delete: got %v, want not found", err)
	}
	e.mustCheck()
}

func TestTraitsNewestWinsAcrossMerge(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"identify","messageId":"t1","anonymousId":"a1","traits":{"plan":"pro","name":"Jane"},"timestamp":"2020-01-01T02:00:00Z"}`,
		`{"type":"identify","messageId":"t2","anonymousId":"a2","traits":{"plan":"free","city":"Paris"},"timestamp":"2020-01-01T01:00:00Z"}`,
	)
	e.resolve(segruns, `{"type":"identify","messageId":"t3","anonymousId":"a2","traits":{"name":"Jane Doe"},"timestamp":"2020-01-01T03:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"t4","anonymousId":"a1","userId":"u","timestamp":"2020-01-01T04:00:00Z"}`)
	e.resolve(segkicks, `{"type":"identify","messageId":"t5","anonymousId":"a2","userId":"u","timestamp":"2020-01-01T05:00:00Z"}`)
	p, err := e.store.Profile(e.ctx, e.space.ID, mustID("anonymous_id:a2"))
	if err != nil {
		t.Fatal(err)
	}
	got := map[string]string{}
	for k, tr := range p.Traits {
		got[k] = tr.Value.(string) + " from " + tr.SourceID
	}
	want := map[string]string{"plan": "pro from segkicks", "name": "Jane Doe from segruns", "city": "Paris from segkicks"}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("trait %s: got %q, want %q", k, got[k], w)
		}
	}
	if len(p.Identifiers) != 3 || p.MergeCount != 1 {
		t.Errorf("profile: got %d identifiers and %d merges, want 3 and 1", len(p.Identifiers), p.MergeCount)
	}
}

func TestCypherInjectionIsStoredLiterally(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	nasty := "x' }) MATCH (n) DETACH DELETE n //`\"{$space}"
	e.resolve(segkicks, `{"type":"identify","messageId":"inj'1","userId":"x' }) MATCH (n) DETACH DELETE n //`+"`"+`\"{$space}","anonymousId":"RETURN 1; CREATE (:Evil)",
		"traits":{"key`+"`"+`}) DELETE n":"v'\"","email":"o'brien+{x}@mail.com"},"timestamp":"2020-01-01T00:00:00Z"}`)
	e.resolve(segkicks, `{"type":"track","messageId":"inj2","event":"DROP CONSTRAINT identifier_key","anonymousId":"RETURN 1; CREATE (:Evil)","timestamp":"2020-01-01T00:01:00Z"}`)
	got := e.profileOf("user_id:" + nasty)
	want := []string{"anonymous_id:RETURN 1; CREATE (:Evil)", "email:o'brien+{x}@mail.com", "user_id:" + nasty}
	if !slices.Equal(got, want) {
		t.Errorf("identifiers: got %q, want %q", got, want)
	}
	p, err := e.store.Profile(e.ctx, e.space.ID, mustID("user_id:"+nasty))
	if err != nil {
		t.Fatal(err)
	}
	if tr := p.Traits["key`}) DELETE n"]; tr.Value != "v'\"" {
		t.Errorf("trait with a nasty key: got %#v", p.Traits)
	}
	if n := e.count(`MATCH (n:Evil) RETURN count(n)`); n != 0 {
		t.Errorf("an :Evil node exists")
	}
	if n := e.count(`MATCH (e:Event {space: $space, event: 'DROP CONSTRAINT identifier_key'}) RETURN count(e)`); n != 1 {
		t.Errorf("event name not stored literally")
	}
}
