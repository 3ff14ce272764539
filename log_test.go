package idgraph

import (
	"errors"
	"testing"
	"time"
)

func TestLogQueryBelow(t *testing.T) {
	jan := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name string
		q    LogQuery
		want LogCursor
	}{
		{"unbounded", LogQuery{}, LogCursor{At: logEnd}},
		{"until", LogQuery{Until: jan(5)}, LogCursor{At: jan(5)}},
		{"cursor", LogQuery{After: &LogCursor{At: jan(3), Key: "k"}}, LogCursor{At: jan(3), Key: "k"}},
		{"cursor before until", LogQuery{Until: jan(5), After: &LogCursor{At: jan(3), Key: "k"}}, LogCursor{At: jan(3), Key: "k"}},
		{"until before cursor", LogQuery{Until: jan(2), After: &LogCursor{At: jan(3), Key: "k"}}, LogCursor{At: jan(2)}},
		{"cursor at until", LogQuery{Until: jan(3), After: &LogCursor{At: jan(3), Key: "k"}}, LogCursor{At: jan(3)}},
	}
	for _, tt := range tests {
		if got := tt.q.Below(); !got.At.Equal(tt.want.At) || got.Key != tt.want.Key {
			t.Errorf("%s: Below() = %+v, want %+v", tt.name, got, tt.want)
		}
	}
}

func TestLogQuerySize(t *testing.T) {
	for limit, want := range map[int]int{-1: MaxLogPage, 0: MaxLogPage, 1: 1, 50: 50, MaxLogPage: MaxLogPage, MaxLogPage + 1: MaxLogPage} {
		if got := (LogQuery{Limit: limit}).Size(); got != want {
			t.Errorf("Size() with Limit %d = %d, want %d", limit, got, want)
		}
	}
}

func TestLogQueriesValidate(t *testing.T) {
	jan := func(d int) time.Time { return time.Date(2020, 1, d, 0, 0, 0, 0, time.UTC) }
	tests := []struct {
		name  string
		err   error
		field string // "" when valid
	}{
		{"empty", LogQuery{}.Validate(), ""},
		{"since before until", LogQuery{Since: jan(1), Until: jan(2)}.Validate(), ""},
		{"since at until", LogQuery{Since: jan(2), Until: jan(2)}.Validate(), "until"},
		{"cursor without key", LogQuery{After: &LogCursor{At: jan(1)}}.Validate(), "next"},
		{"cursor without time", LogQuery{After: &LogCursor{Key: "k"}}.Validate(), "next"},
		{"limit rule", RejectionQuery{Rule: "limit:user_id"}.Validate(), ""},
		{"never rule", RejectionQuery{Rule: RuleManualNever}.Validate(), ""},
		{"cap rules", RejectionQuery{Rule: RuleMaxMerges}.Validate(), ""},
		{"limit without type", RejectionQuery{Rule: "limit:"}.Validate(), "rule"},
		{"unknown rule", RejectionQuery{Rule: "manual:always"}.Validate(), "rule"},
		{"type", RejectionQuery{Type: "ios.id"}.Validate(), ""},
		{"type with a value", RejectionQuery{Type: "user_id:u1"}.Validate(), "type"},
		{"type with spaces", RejectionQuery{Type: " email"}.Validate(), "type"},
		{"rejections' times", RejectionQuery{LogQuery: LogQuery{Since: jan(2), Until: jan(1)}}.Validate(), "until"},
		{"every kind", CorrectionQuery{Kind: HistoryIdentifierRemoved}.Validate(), ""},
		{"not a correction", CorrectionQuery{Kind: HistoryMerged}.Validate(), "kind"},
		{"corrections' cursor", CorrectionQuery{LogQuery: LogQuery{After: &LogCursor{}}}.Validate(), "next"},
	}
	for _, tt := range tests {
		var e *Error
		switch {
		case tt.field == "" && tt.err != nil:
			t.Errorf("%s: %v, want no error", tt.name, tt.err)
		case tt.field != "" && (!errors.As(tt.err, &e) || e.Code != EINVALID || len(e.Problems) != 1 || e.Problems[0].Field != tt.field):
			t.Errorf("%s: %v, want EINVALID naming %s alone", tt.name, tt.err, tt.field)
		}
	}
}
