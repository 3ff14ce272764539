package graph_test

import (
	"reflect"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

func TestMetadataSeedStory(t *testing.T) {
	e := seedStory(t)
	id := mustID("email:jane.doe@gmail.com")
	got, err := e.store.Metadata(e.ctx, e.space.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	p, err := e.store.Profile(e.ctx, e.space.ID, id)
	if err != nil {
		t.Fatal(err)
	}
	seed := seedEvents(t)
	first, last := seed["segkicks-1"], seed["segruns-2"]
	want := idgraph.Metadata{
		ProfileID:   p.ID,
		CreatedAt:   time.Date(2019, 11, 15, 9, 0, 0, 0, time.UTC),
		UpdatedAt:   time.Date(2019, 11, 16, 18, 31, 0, 0, time.UTC),
		MergeCount:  0,
		Identifiers: 7,
		FirstEvent:  &first,
		LastEvent:   &last,
	}
	if !reflect.DeepEqual(got, want) {
		t.Errorf("metadata:\n got %+v (first %+v, last %+v)\nwant %+v (first %+v, last %+v)",
			got, got.FirstEvent, got.LastEvent, want, want.FirstEvent, want.LastEvent)
	}
}

func TestMetadataCountsMerges(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		`{"type":"page","name":"Home","messageId":"m1","anonymousId":"a","timestamp":"2020-01-01T00:00:00Z"}`,
		`{"type":"page","name":"Home","messageId":"m2","anonymousId":"b","timestamp":"2020-01-02T00:00:00Z"}`,
		`{"type":"identify","messageId":"m3","userId":"u","anonymousId":"a","timestamp":"2020-01-03T00:00:00Z"}`,
		`{"type":"identify","messageId":"m4","userId":"u","anonymousId":"b","timestamp":"2020-01-04T00:00:00Z"}`)
	got, err := e.store.Metadata(e.ctx, e.space.ID, mustID("anonymous_id:b"))
	if err != nil {
		t.Fatal(err)
	}
	if got.MergeCount != 1 || got.Identifiers != 3 {
		t.Errorf("merge_count=%d identifiers=%d, want 1 and 3", got.MergeCount, got.Identifiers)
	}
	if got.FirstEvent == nil || got.FirstEvent.MessageID != "m1" || got.FirstEvent.Event != "Home" {
		t.Errorf("first event = %+v, want m1 named Home (a page's name)", got.FirstEvent)
	}
	if got.LastEvent == nil || got.LastEvent.MessageID != "m4" {
		t.Errorf("last event = %+v, want m4", got.LastEvent)
	}
}

func TestMetadataUnknownIdentifier(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	_, err := e.store.Metadata(e.ctx, e.space.ID, mustID("user_id:nobody"))
	if code := idgraph.ErrorCode(err); code != idgraph.ENOTFOUND {
		t.Errorf("Metadata of an unknown identifier: %v (code %q), want %s", err, code, idgraph.ENOTFOUND)
	}
}
