package idgraph

import (
	"slices"
	"testing"
	"time"
)

func TestParseEventRefusesTimesOutOfRange(t *testing.T) {
	tests := []struct {
		name, fields string
		field        string // the field named, "" for a valid event
	}{
		// Stored as 1734 before: the skew overflowed a time.Duration.
		{"a year-9999 timestamp with a year-1 sentAt", `"timestamp":"9999-12-31T23:59:59Z","sentAt":"0001-01-01T00:00:01Z"`, "sentAt"},
		{"a year-1 timestamp with a year-9999 sentAt", `"timestamp":"0001-01-01T00:00:01Z","sentAt":"9999-12-31T23:59:59Z"`, "sentAt"},
		{"a skew of 101 years", `"timestamp":"2019-11-15T00:00:00Z","sentAt":"2120-11-15T00:00:00Z"`, "sentAt"},
		{"a correction past year 9999", `"timestamp":"9999-01-01T00:00:00Z","sentAt":"9950-01-01T00:00:00Z","receivedAt":"9999-06-01T00:00:00Z"`, "timestamp"},
		{"a skew of 99 years is corrected", `"timestamp":"1970-01-01T00:00:00Z","sentAt":"2069-01-01T00:00:00Z"`, ""},
		{"a year-9999 timestamp without sentAt stands", `"timestamp":"9999-12-31T23:59:59Z"`, ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent([]byte(`{"type":"page","userId":"u",`+tt.fields+`}`), evReceived)
			var want []string
			if tt.field != "" {
				want = []string{tt.field}
			}
			if got := fieldsOf(err); !slices.Equal(got, want) {
				t.Fatalf("problems on %v, want %v (error %v)", got, want, err)
			}
			if err == nil && (e.Timestamp.Year() < 1900 || e.Timestamp.Year() > 9999) {
				t.Errorf("timestamp %v, want it within reason", e.Timestamp)
			}
		})
	}
	e, err := ParseEvent([]byte(`{"type":"page","userId":"u","timestamp":"1970-01-01T00:00:00Z","sentAt":"2069-01-01T00:00:00Z"}`), evReceived)
	if want := evReceived.Add(-time.Duration(2069-1970)*365*24*time.Hour - 25*24*time.Hour); err != nil || !e.Timestamp.Equal(want) {
		t.Errorf("99 years of skew: timestamp %v, %v; want %v", e.Timestamp, err, want)
	}
}

func TestResentCorrectsSkewAsOfTheFirstReceipt(t *testing.T) {
	first := time.Date(2026, 1, 2, 3, 4, 5, 0, time.UTC)
	again := first.Add(34 * time.Second) // a retry after an outage
	tests := []struct {
		name, fields  string
		first         time.Time
		wantTimestamp time.Time
	}{
		// The client's clock is 1 h slow; the event was made 2 s before
		// the send: as first received, 2 s before first.
		{"skewed clock", `"timestamp":"2026-01-02T02:04:03Z","sentAt":"2026-01-02T02:04:05Z"`, first, first.Add(-2 * time.Second)},
		{"no sentAt: nothing to correct", `"timestamp":"2026-01-02T02:04:03Z"`, first, time.Date(2026, 1, 2, 2, 4, 3, 0, time.UTC)},
		{"no timestamp: the first receipt", `"sentAt":"2026-01-02T02:04:05Z"`, first, first},
		{"a first receipt after this one is no first", `"timestamp":"2026-01-02T02:04:03Z","sentAt":"2026-01-02T02:04:05Z"`, again.Add(time.Second), again.Add(-2 * time.Second)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, err := ParseEvent([]byte(`{"type":"page","userId":"u",`+tt.fields+`}`), again)
			if err != nil {
				t.Fatal(err)
			}
			e.Resent(tt.first)
			if !e.Timestamp.Equal(tt.wantTimestamp) {
				t.Errorf("timestamp %v, want %v", e.Timestamp, tt.wantTimestamp)
			}
			if !e.ReceivedAt.Equal(again) {
				t.Errorf("receivedAt %v, want this receipt's, %v", e.ReceivedAt, again)
			}
		})
	}
}
