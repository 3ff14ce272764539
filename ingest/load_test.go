package ingest

import (
	"context"
	"strings"
	"testing"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/memstore"
)

// recordingStore keeps the batches Resolve was given and resolves them in
// memory.
type recordingStore struct {
	mem     *memstore.Store
	batches [][]idgraph.Event
}

func (s *recordingStore) Resolve(ctx context.Context, space idgraph.Space, source idgraph.Source, events []idgraph.Event) (idgraph.BatchResult, error) {
	s.batches = append(s.batches, append([]idgraph.Event(nil), events...))
	return s.mem.Resolve(ctx, space, source, events)
}

func TestLoadReportsBadLinesAndGoesOn(t *testing.T) {
	long := `{"type":"track","event":"E","userId":"u","properties":{"x":"` + strings.Repeat("a", MaxLineBytes) + `"}}`
	input := strings.Join([]string{
		`{"type":"track","event":"E","userId":"u1","messageId":"m1"}`,
		`{not json`,
		``,
		long,
		`{"type":"track","event":"E"}`,
		`{"type":"identify","userId":"u2","messageId":"m2"}`,
		`{"type":"identify","userId":"u3","messageId":"m3"}`, // no final newline
	}, "\n")
	st := &recordingStore{mem: memstore.New()}
	var progress []int
	rep, err := Load(context.Background(), st, idgraph.Space{ID: "s"}, idgraph.Source{ID: "src"}, strings.NewReader(input),
		LoadOptions{BatchSize: 2, Progress: func(r LoadReport) { progress = append(progress, r.Loaded) }})
	if err != nil {
		t.Fatal(err)
	}
	if rep.Lines != 7 || rep.Loaded != 3 || rep.Invalid != 3 {
		t.Errorf("report: got %d lines, %d loaded, %d invalid; want 7, 3, 3", rep.Lines, rep.Loaded, rep.Invalid)
	}
	var lines []int
	for _, e := range rep.Errors {
		lines = append(lines, e.Line)
	}
	if want := []int{2, 4, 5}; len(lines) != 3 || lines[0] != want[0] || lines[1] != want[1] || lines[2] != want[2] {
		t.Errorf("bad lines: got %v, want %v", lines, want)
	}
	if !strings.Contains(rep.Errors[1].Error(), "longer than") || !strings.Contains(rep.Errors[2].Error(), "userId") {
		t.Errorf("errors should say what is wrong: %v", rep.Errors)
	}
	if len(st.batches) != 2 || len(st.batches[0]) != 2 || st.batches[1][0].MessageID != "m3" {
		t.Errorf("batches: got %d (%v), want [m1 m2] [m3]", len(st.batches), st.batches)
	}
	if len(progress) != 2 || progress[1] != 3 {
		t.Errorf("progress: got %v, want [2 3]", progress)
	}
}
