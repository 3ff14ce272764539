package idgraph_test

import (
	"encoding/json"
	"fmt"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

var stormBase = time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC)

// series makes consecutive hours from stormBase with the given merges.
func series(merges ...int) []idgraph.HourMerges {
	out := make([]idgraph.HourMerges, len(merges))
	for i, m := range merges {
		out[i] = idgraph.HourMerges{Hour: stormBase.Add(time.Duration(i) * time.Hour), Merges: m}
	}
	return out
}

// day is 24 trailing hours of n merges each, then the hours to judge.
func day(n int, judged ...int) []int {
	out := make([]int, idgraph.StormTrailingHours)
	for i := range out {
		out[i] = n
	}
	return append(out, judged...)
}

func TestDetectMergeStorm(t *testing.T) {
	tests := []struct {
		name   string
		merges []int
		want   idgraph.MergeStorm // Hour as an index into merges, set below
		at     int
	}{
		{"quiet", day(2, 3, 4, 2), idgraph.MergeStorm{}, 0},
		{"the floor: 10 merges after a quiet day are no storm", day(0, 10), idgraph.MergeStorm{}, 0},
		{"11 merges after a quiet day are", day(0, 11), idgraph.MergeStorm{Detected: true, Merges: 11}, 24},
		{"5 × the median is no storm", day(4, 20), idgraph.MergeStorm{}, 0},
		{"above 5 × the median is", day(4, 21), idgraph.MergeStorm{Detected: true, Merges: 21, TrailingMedian: 4}, 24},
		{"the latest storm wins", day(1, 50, 3, 40, 2), idgraph.MergeStorm{Detected: true, Merges: 40, TrailingMedian: 1}, 26},
		{"one earlier burst does not raise the median",
			append(day(2, 100), 101), idgraph.MergeStorm{Detected: true, Merges: 101, TrailingMedian: 2}, 25},
		{"an even median is the mean of the middle two",
			[]int{2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 2, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 4, 16},
			idgraph.MergeStorm{Detected: true, Merges: 16, TrailingMedian: 3}, 24},
		{"the trailing hours are not judged", day(0)[:23], idgraph.MergeStorm{}, 0},
		{"nor the first 24 of a longer series", append([]int{99}, day(0)...), idgraph.MergeStorm{}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			want := tt.want
			if want.Detected {
				h := stormBase.Add(time.Duration(tt.at) * time.Hour)
				want.Hour = &h
			}
			got := idgraph.DetectMergeStorm(series(tt.merges...))
			if fmt.Sprint(got.Detected, got.Merges, got.TrailingMedian) != fmt.Sprint(want.Detected, want.Merges, want.TrailingMedian) ||
				(got.Hour == nil) != (want.Hour == nil) || got.Hour != nil && !got.Hour.Equal(*want.Hour) {
				t.Errorf("DetectMergeStorm = %s, want %s", stormJSON(got), stormJSON(want))
			}
		})
	}
}

func stormJSON(s idgraph.MergeStorm) string {
	b, _ := json.Marshal(s)
	return string(b)
}

func TestSetMergesFillsTheLast48Hours(t *testing.T) {
	last := stormBase.Add(100 * time.Hour)
	counts := []idgraph.HourMerges{
		{Hour: last, Merges: 30},
		{Hour: last.Add(-2 * time.Hour), Merges: 1},
		{Hour: last.Add(-47 * time.Hour), Merges: 2},
		{Hour: last.Add(-48 * time.Hour), Merges: 3}, // trailing only
	}
	var r idgraph.HealthReport
	r.SetMerges(counts)
	if len(r.MergesPerHour) != idgraph.MergeHours {
		t.Fatalf("merges_per_hour has %d hours, want %d", len(r.MergesPerHour), idgraph.MergeHours)
	}
	want := map[int]int{0: 2, 45: 1, 47: 30}
	for i, h := range r.MergesPerHour {
		if wantHour := last.Add(time.Duration(i-47) * time.Hour); !h.Hour.Equal(wantHour) || h.Merges != want[i] {
			t.Errorf("hour %d = %v %d, want %v %d", i, h.Hour, h.Merges, wantHour, want[i])
		}
	}
	if !r.MergeStorm.Detected || !r.MergeStorm.Hour.Equal(last) || r.MergeStorm.Merges != 30 || r.MergeStorm.TrailingMedian != 0 {
		t.Errorf("merge_storm = %s, want the last hour with 30 merges over a median of 0", stormJSON(r.MergeStorm))
	}

	r.SetMerges(nil)
	if r.MergesPerHour == nil || len(r.MergesPerHour) != 0 || r.MergeStorm.Detected {
		t.Errorf("no merges: merges_per_hour %v, storm %s; want [] and none", r.MergesPerHour, stormJSON(r.MergeStorm))
	}
}

func TestSetSizes(t *testing.T) {
	var r idgraph.HealthReport
	r.SetSizes(map[int]int{1: 7, 2: 3, 3: 1, 5: 2, 6: 1, 50: 1, 51: 1, 1000: 1, 1001: 2, 5000: 1})
	want := []int{7, 3, 3, 1, 1, 1, 0, 1, 3}
	if len(r.SizeDistribution) != len(want) {
		t.Fatalf("%d buckets, want %d", len(r.SizeDistribution), len(want))
	}
	for i, b := range r.SizeDistribution {
		if b.Profiles != want[i] || b.Min != idgraph.SizeBuckets[i].Min || b.Max != idgraph.SizeBuckets[i].Max {
			t.Errorf("bucket %d = %+v, want %+v with %d profiles", i, b, idgraph.SizeBuckets[i], want[i])
		}
	}
	if r.Profiles != 20 || r.Singletons != 7 {
		t.Errorf("profiles %d, singletons %d; want 20 and 7", r.Profiles, r.Singletons)
	}
	if idgraph.SizeBuckets[0].Profiles != 0 {
		t.Error("SetSizes counted into SizeBuckets itself")
	}
}

func TestHealthReportJSONHasEveryList(t *testing.T) {
	b, err := json.Marshal(idgraph.HealthReport{Space: "s"}.WithEmptyLists())
	if err != nil {
		t.Fatal(err)
	}
	want := `{"space":"s","generated_at":"0001-01-01T00:00:00Z","took_ms":0,"profiles":0,"identifiers":0,"singletons":0,` +
		`"size_distribution":[],"largest_profiles":[],"hubs":[],"shared_identifiers":[],"refusals_by_rule":[],"merges_per_hour":[],` +
		`"merge_storm":{"detected":false,"hour":null,"merges":0,"trailing_median":0}}`
	if string(b) != want {
		t.Errorf("JSON\n got %s\nwant %s", b, want)
	}
}
