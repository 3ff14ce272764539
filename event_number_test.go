package idgraph

import (
	"runtime"
	"slices"
	"strings"
	"testing"
	"time"
)

// cheaply runs fn and fails t when it takes more than a tenth of a second
// or allocates more than a megabyte: expanding 1e3000000 took 1.5 s, and
// 1e10000000 12 s and 100 MB.
func cheaply(t *testing.T, what string, fn func()) {
	t.Helper()
	var before, after runtime.MemStats
	runtime.ReadMemStats(&before)
	start := time.Now()
	fn()
	took := time.Since(start)
	runtime.ReadMemStats(&after)
	if took > 100*time.Millisecond {
		t.Errorf("%s took %s, want well under 100ms", what, took)
	}
	if n := after.TotalAlloc - before.TotalAlloc; n > 1<<20 {
		t.Errorf("%s allocated %d bytes, want under 1 MB", what, n)
	}
}

func TestParseEventRefusesNumbersTooLongWrittenOut(t *testing.T) {
	tests := []struct {
		body  string
		field string
	}{
		{`{"type":"track","event":"Order Completed","userId":1e3000000}`, "userId"},
		{`{"type":"track","event":"x","userId":"u1","messageId":1e10000000}`, "messageId"},
		{`{"type":"track","event":"x","anonymousId":1E+999999999999}`, "anonymousId"},
		{`{"type":"track","event":"x","userId":"u1","messageId":1e100}`, "messageId"},
		{`{"type":"alias","userId":"u1","previousId":0.5e1025}`, "previousId"},
	}
	for _, tt := range tests {
		var err error
		cheaply(t, tt.body, func() { _, err = ParseEvent([]byte(tt.body), time.Time{}) })
		if got := fieldsOf(err); !slices.Equal(got, []string{tt.field}) {
			t.Errorf("ParseEvent(%s): problems on %v, want %s alone (error %v)", tt.body, got, tt.field, err)
		}
	}

	batch := `{"batch":[` + strings.Repeat(`{"type":"track","event":"x","userId":1e3000000},`, 5) + `{"type":"track","event":"x","userId":1e3}]}`
	var (
		events  []Event
		invalid []InvalidEvent
		err     error
	)
	cheaply(t, "a batch of five", func() { events, invalid, err = ParseBatch([]byte(batch), time.Time{}) })
	if err != nil || len(invalid) != 5 || len(events) != 1 || events[0].UserID != "1000" {
		t.Errorf("batch: %d events, %d invalid, %v; want user 1000 kept and five invalid", len(events), len(invalid), err)
	}
}

func TestParseEventExpandsNumbersWithinBounds(t *testing.T) {
	e := mustParseEvent(t, `{"type":"track","event":"x","userId":1.5e2,"messageId":1e99,
		"traits":{"big":1e3000000},"context":{"externalIds":[{"type":"crm_id","id":1e3000000}]}}`)
	if e.UserID != "150" || e.MessageID != "1"+strings.Repeat("0", 99) {
		t.Errorf("userId %q, messageId %q; want 150 and 1e99 written out", e.UserID, e.MessageID)
	}
	if got := e.Traits["big"]; got != "1e3000000" {
		t.Errorf("traits.big = %#v, want the number kept as written", got)
	}
	ids, _ := DefaultRules().Extract(e)
	if !slices.Contains(ids, Identifier{Type: "crm_id", Value: "1e3000000"}) {
		t.Errorf("identifiers %v, want crm_id:1e3000000 as written", ids)
	}
}
