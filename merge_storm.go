package idgraph

import (
	"slices"
	"time"
)

// A merge storm is an hour in which profiles merge far faster than they
// did the day before: a bad identifier (a shared device, a constant sent
// as an id) is gluing people together. The rule: an hour is a storm when
// its merges exceed max(StormFloor, StormFactor × the median of the
// StormTrailingHours hours before it). The floor keeps a quiet space's
// first busy hour from counting; the median, unlike a mean, is not raised
// by one earlier burst.
const (
	StormTrailingHours = 24
	StormFactor        = 5
	StormFloor         = 10
)

// HourMerges counts the merges (MERGED_INTO) of one UTC hour.
type HourMerges struct {
	Hour   time.Time `json:"hour"`
	Merges int       `json:"merges"`
}

// MergeStorm is the latest hour that was a merge storm, with its merges and
// the median of the hours before it; Detected false, Hour nil and zeros
// when no hour of merges_per_hour was one.
type MergeStorm struct {
	Detected       bool       `json:"detected"`
	Hour           *time.Time `json:"hour"`
	Merges         int        `json:"merges"`
	TrailingMedian float64    `json:"trailing_median"`
}

// SetMerges fills merges_per_hour and merge_storm from counts, the merges
// of each hour that had any (in any order), which must cover at least the
// MergeHours+StormTrailingHours hours ending with the latest of them:
// merges_per_hour is the last MergeHours of those hours, every hour listed
// (zeros included), and merge_storm the latest of them that was a storm,
// judged against the StormTrailingHours before it.
func (r *HealthReport) SetMerges(counts []HourMerges) {
	r.MergesPerHour, r.MergeStorm = []HourMerges{}, MergeStorm{}
	if len(counts) == 0 {
		return
	}
	last := counts[0].Hour
	for _, c := range counts {
		if c.Hour.After(last) {
			last = c.Hour
		}
	}
	hours := HourlyMerges(counts, last, MergeHours+StormTrailingHours)
	r.MergesPerHour = hours[StormTrailingHours:]
	r.MergeStorm = DetectMergeStorm(hours)
}

// HourlyMerges returns the n UTC hours ending with the hour of last, oldest
// first, each with its merges from counts (none when counts has no entry
// for it).
func HourlyMerges(counts []HourMerges, last time.Time, n int) []HourMerges {
	end := last.UTC().Truncate(time.Hour)
	byHour := make(map[time.Time]int, len(counts))
	for _, c := range counts {
		byHour[c.Hour.UTC().Truncate(time.Hour)] += c.Merges
	}
	out := make([]HourMerges, n)
	for i := range out {
		h := end.Add(time.Duration(i-n+1) * time.Hour)
		out[i] = HourMerges{Hour: h, Merges: byHour[h]}
	}
	return out
}

// DetectMergeStorm judges each hour of hours (consecutive, oldest first)
// after the first StormTrailingHours, which are there only to be the
// trailing hours of the next ones, and returns the latest storm (see
// StormFactor); Detected false when none of them is one.
func DetectMergeStorm(hours []HourMerges) MergeStorm {
	for i := len(hours) - 1; i >= StormTrailingHours; i-- {
		trailing := make([]int, StormTrailingHours)
		for j, h := range hours[i-StormTrailingHours : i] {
			trailing[j] = h.Merges
		}
		m := median(trailing)
		if float64(hours[i].Merges) > max(StormFloor, StormFactor*m) {
			hour := hours[i].Hour
			return MergeStorm{Detected: true, Hour: &hour, Merges: hours[i].Merges, TrailingMedian: m}
		}
	}
	return MergeStorm{}
}

// median returns the median of xs (the mean of the middle two when their
// number is even); 0 for none.
func median(xs []int) float64 {
	if len(xs) == 0 {
		return 0
	}
	s := slices.Clone(xs)
	slices.Sort(s)
	mid := len(s) / 2
	if len(s)%2 == 1 {
		return float64(s[mid])
	}
	return float64(s[mid-1]+s[mid]) / 2
}
