package idgraph

import "time"

// HealthReport is a space seen whole: how its profiles are sized, which are
// largest, which identifiers join the most, which are marked shared, what
// the rules refused day by day, and how fast profiles merge, with a flag
// when they merge in a storm. GET /v1/spaces/{space}/health answers it and
// idgraph health prints it; its JSON is read by the UI page, so its shape
// is fixed: every list is present, empty when there is nothing to show.
type HealthReport struct {
	Space       string    `json:"space"`
	GeneratedAt time.Time `json:"generated_at"`
	// TookMS is how long the graph took to answer, in milliseconds.
	TookMS int64 `json:"took_ms"`
	// Profiles counts the live profiles that hold an identifier; Singletons
	// those that hold exactly one. Identifiers counts the space's
	// identifiers.
	Profiles         int                `json:"profiles"`
	Identifiers      int                `json:"identifiers"`
	Singletons       int                `json:"singletons"`
	SizeDistribution []SizeBucket       `json:"size_distribution"`
	LargestProfiles  []LargeProfile     `json:"largest_profiles"`
	Hubs             []Hub              `json:"hubs"`
	Shared           []SharedIdentifier `json:"shared_identifiers"`
	RefusalsByRule   []RuleRefusals     `json:"refusals_by_rule"`
	MergesPerHour    []HourMerges       `json:"merges_per_hour"`
	MergeStorm       MergeStorm         `json:"merge_storm"`
}

// The health report's bounds.
const (
	// HealthTop is how many profiles largest_profiles lists, and how many
	// identifiers hubs lists.
	HealthTop = 10
	// HealthShared bounds shared_identifiers, newest first.
	HealthShared = 100
	// RefusalDays is how many days refusals_by_rule covers, ending with
	// the day of the space's latest refusal.
	RefusalDays = 30
	// MergeHours is how many hours merges_per_hour covers, ending with the
	// hour of the space's latest merge.
	MergeHours = 48
)

// SizeBucket counts the profiles holding from Min to Max identifiers (Max
// 0: no upper bound).
type SizeBucket struct {
	Min      int `json:"min"`
	Max      int `json:"max"`
	Profiles int `json:"profiles"`
}

// SizeBuckets are the buckets of size_distribution, in order.
var SizeBuckets = []SizeBucket{
	{Min: 1, Max: 1}, {Min: 2, Max: 2}, {Min: 3, Max: 5}, {Min: 6, Max: 10},
	{Min: 11, Max: 50}, {Min: 51, Max: 100}, {Min: 101, Max: 500},
	{Min: 501, Max: 1000}, {Min: 1001},
}

// LargeProfile is one of the largest profiles: its identifiers and merges.
type LargeProfile struct {
	ProfileID   string `json:"profile_id"`
	Identifiers int    `json:"identifiers"`
	MergeCount  int    `json:"merge_count"`
}

// Hub is an identifier with many links (OBSERVED_WITH edges), and how many
// distinct user_id identifiers are one hop from it, joined or refused
// (OBSERVED_WITH or REJECTED): a device behind several known people shows
// here before anyone asks about it.
type Hub struct {
	Identifier Identifier `json:"identifier"`
	Links      int        `json:"links"`
	UserIDs    int        `json:"user_ids"`
}

// SharedIdentifier is an identifier marked shared (:Shared): since when,
// and why.
type SharedIdentifier struct {
	Identifier Identifier `json:"identifier"`
	Reason     string     `json:"reason"`
	Since      time.Time  `json:"since"`
}

// RuleRefusals counts the REJECTED links a rule made on one UTC day
// (YYYY-MM-DD): each link counts once, on the day it was first refused; its
// repeats are in the link's own count.
type RuleRefusals struct {
	Rule  string `json:"rule"`
	Day   string `json:"day"`
	Count int    `json:"count"`
}

// SetSizes fills the profile figures from sizes, which maps a profile size
// (identifiers held, 1 or more) to how many live profiles have it: the
// profile and singleton counts and every bucket of the distribution, empty
// ones included.
func (r *HealthReport) SetSizes(sizes map[int]int) {
	r.Profiles, r.Singletons = 0, sizes[1]
	r.SizeDistribution = make([]SizeBucket, len(SizeBuckets))
	copy(r.SizeDistribution, SizeBuckets)
	for size, n := range sizes {
		if size < 1 {
			continue
		}
		r.Profiles += n
		for i, b := range r.SizeDistribution {
			if size >= b.Min && (b.Max == 0 || size <= b.Max) {
				r.SizeDistribution[i].Profiles += n
				break
			}
		}
	}
}

// WithEmptyLists returns r with every nil list made empty, so that its
// JSON holds [] where there is nothing to show, never null.
func (r HealthReport) WithEmptyLists() HealthReport {
	r.SizeDistribution = emptyIfNil(r.SizeDistribution)
	r.LargestProfiles = emptyIfNil(r.LargestProfiles)
	r.Hubs = emptyIfNil(r.Hubs)
	r.Shared = emptyIfNil(r.Shared)
	r.RefusalsByRule = emptyIfNil(r.RefusalsByRule)
	r.MergesPerHour = emptyIfNil(r.MergesPerHour)
	return r
}

func emptyIfNil[T any](l []T) []T {
	if l == nil {
		return []T{}
	}
	return l
}
