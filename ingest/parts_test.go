package ingest

import (
	"context"
	"fmt"
	"slices"
	"testing"

	"github.com/idgraph/idgraph"
)

// identifiedEvents returns n events with message ids prefix-0, ... that
// carry three identifiers each (user, anonymous id, email).
func identifiedEvents(prefix string, n int) []idgraph.Event {
	out := writerEvents(prefix, n)
	for i := range out {
		out[i].UserID = fmt.Sprintf("%s-u%d", prefix, i)
		out[i].AnonymousID = fmt.Sprintf("%s-a%d", prefix, i)
		out[i].Traits = map[string]any{"email": fmt.Sprintf("%s%d@x.io", prefix, i)}
	}
	return out
}

// TestWriterBoundsTheIdentifiersOfABatch: a request of many identifiers is
// written in parts of at most MaxIdentifiers, and another source's request
// that queued meanwhile is written between them, not after them all (a
// 428 KB batch of 7,500 identifiers held another source for 3.4 s).
func TestWriterBoundsTheIdentifiersOfABatch(t *testing.T) {
	store := newRecordingResolver()
	store.hold = true
	w := NewWriter(store, WriterOptions{MaxWait: -1, MaxIdentifiers: 7})
	defer w.Close()
	space := idgraph.Space{ID: "s1", Rules: idgraph.DefaultRules()}
	other := idgraph.Source{ID: "src2"}

	big := goWrite(context.Background(), w, space, writerSource, identifiedEvents("big", 5))
	<-store.started // the first part, held
	small := goWrite(context.Background(), w, space, other, identifiedEvents("small", 1))
	waitPending(t, w, space.ID, other.ID, 1)
	store.set(func(r *recordingResolver) { r.hold = false })
	close(store.release)
	if o := <-big; o.err != nil || o.res.Loaded != 5 {
		t.Errorf("big request: %+v, %v; want its 5 events loaded", o.res, o.err)
	}
	if o := <-small; o.err != nil {
		t.Errorf("small request: %v", o.err)
	}
	var got [][]string
	for _, b := range store.recorded() {
		got = append(got, messageIDs(b))
	}
	want := [][]string{{"big-0", "big-1"}, {"small-0"}, {"big-2", "big-3"}, {"big-4"}}
	if !slices.EqualFunc(got, want, slices.Equal) {
		t.Errorf("batches %v, want %v: parts of at most 7 identifiers (2 events of 3), the other source between them", got, want)
	}
}

func TestWriterPartsStopAtTheFirstFailure(t *testing.T) {
	store := newRecordingResolver()
	w := NewWriter(store, WriterOptions{MaxWait: -1, MaxBatch: 2})
	defer w.Close()
	calls := 0
	w.store = resolverFunc(func(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
		if calls++; calls == 2 {
			return idgraph.BatchResult{}, idgraph.Errorf(idgraph.EUNAVAILABLE, "neo4j unreachable")
		}
		return store.Resolve(ctx, space, source, events)
	})
	res, err := w.Write(context.Background(), writerSpace, writerSource, writerEvents("p", 5))
	if idgraph.ErrorCode(err) != idgraph.EUNAVAILABLE || res != (idgraph.BatchResult{}) || calls != 2 {
		t.Errorf("Write = %+v, %v after %d calls; want EUNAVAILABLE at the second part, the third not sent", res, err, calls)
	}
}
