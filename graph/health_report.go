package graph

import (
	"context"
	"maps"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

var _ idgraph.HealthService = (*Store)(nil)

// Health computes a space's health report in one read transaction, one
// query per part (cypher/count_profile_sizes, find_largest_profiles,
// count_identifiers, find_hubs, find_shared_identifiers, count_refusals,
// count_merges): each is one pass over the space's profiles or identifiers,
// entered by index, that follows single relationships or reads degrees,
// never paths, and keeps what it returns bounded (the top HealthTop, the
// last RefusalDays days, the last MergeHours+StormTrailingHours hours).
// A profile's size is its IN_PROFILE degree, not its identifier_count
// property, which a split or removal leaves stale until the profile's next
// event.
func (s *Store) Health(ctx context.Context, space string) (idgraph.HealthReport, error) {
	start := time.Now()
	params := map[string]any{
		"space": space, "limit": int64(idgraph.HealthTop),
		"days": int64(idgraph.RefusalDays), "hours": int64(idgraph.MergeHours + idgraph.StormTrailingHours),
	}
	r, err := Read(ctx, s.db, "health report", func(tx neo4j.ManagedTransaction) (idgraph.HealthReport, error) {
		return healthReport(ctx, tx, space, params)
	})
	if err != nil {
		return idgraph.HealthReport{}, err
	}
	r.GeneratedAt = start.UTC().Truncate(time.Second)
	r.TookMS = time.Since(start).Milliseconds()
	return r.WithEmptyLists(), nil
}

// healthReport runs the report's queries in tx.
func healthReport(ctx context.Context, tx neo4j.ManagedTransaction, space string, params map[string]any) (idgraph.HealthReport, error) {
	r := idgraph.HealthReport{Space: space}
	sizes, err := runRows(ctx, tx, "count_profile_sizes", params, intColumns("size", "profiles"))
	if err != nil {
		return r, err
	}
	bySize := make(map[int]int, len(sizes))
	for _, s := range sizes {
		bySize[s[0]] = s[1]
	}
	r.SetSizes(bySize)
	count, err := runRows(ctx, tx, "count_identifiers", params, intColumns("identifiers"))
	if err != nil {
		return r, err
	}
	if len(count) == 1 {
		r.Identifiers = count[0][0]
	}
	if r.LargestProfiles, err = runRows(ctx, tx, "find_largest_profiles", params, largeProfile); err != nil {
		return r, err
	}
	if r.Hubs, err = runRows(ctx, tx, "find_hubs", params, hub); err != nil {
		return r, err
	}
	shared := maps.Clone(params)
	shared["limit"] = int64(idgraph.HealthShared)
	if r.Shared, err = runRows(ctx, tx, "find_shared_identifiers", shared, sharedIdentifier); err != nil {
		return r, err
	}
	if r.RefusalsByRule, err = runRows(ctx, tx, "count_refusals", params, ruleRefusals); err != nil {
		return r, err
	}
	merges, err := runRows(ctx, tx, "count_merges", params, hourMerges)
	if err != nil {
		return r, err
	}
	r.SetMerges(merges)
	return r, nil
}

// The rows of the report's queries.

func largeProfile(rec *neo4j.Record) (idgraph.LargeProfile, error) {
	id, err := value[string](rec, "profile_id")
	if err != nil {
		return idgraph.LargeProfile{}, err
	}
	n, err := intColumns("identifiers", "merge_count")(rec)
	if err != nil {
		return idgraph.LargeProfile{}, err
	}
	return idgraph.LargeProfile{ProfileID: id, Identifiers: n[0], MergeCount: n[1]}, nil
}

func hub(rec *neo4j.Record) (idgraph.Hub, error) {
	id, err := recordIdentifier(rec)
	if err != nil {
		return idgraph.Hub{}, err
	}
	n, err := intColumns("links", "user_ids")(rec)
	if err != nil {
		return idgraph.Hub{}, err
	}
	return idgraph.Hub{Identifier: id, Links: n[0], UserIDs: n[1]}, nil
}

func sharedIdentifier(rec *neo4j.Record) (idgraph.SharedIdentifier, error) {
	id, err := recordIdentifier(rec)
	if err != nil {
		return idgraph.SharedIdentifier{}, err
	}
	reason, err := value[string](rec, "reason")
	if err != nil {
		return idgraph.SharedIdentifier{}, err
	}
	since, err := value[time.Time](rec, "since")
	return idgraph.SharedIdentifier{Identifier: id, Reason: reason, Since: since.UTC()}, err
}

// ruleRefusals reads a row of count_refusals, whose day counts days since
// 1970-01-01 (UTC).
func ruleRefusals(rec *neo4j.Record) (idgraph.RuleRefusals, error) {
	rule, err := value[string](rec, "rule")
	if err != nil {
		return idgraph.RuleRefusals{}, err
	}
	n, err := intColumns("day", "refusals")(rec)
	if err != nil {
		return idgraph.RuleRefusals{}, err
	}
	day := time.Unix(int64(n[0])*86400, 0).UTC().Format(time.DateOnly)
	return idgraph.RuleRefusals{Rule: rule, Day: day, Count: n[1]}, nil
}

// hourMerges reads a row of count_merges, whose hour counts hours since
// 1970-01-01 00:00 UTC.
func hourMerges(rec *neo4j.Record) (idgraph.HourMerges, error) {
	n, err := intColumns("hour", "merges")(rec)
	if err != nil {
		return idgraph.HourMerges{}, err
	}
	return idgraph.HourMerges{Hour: time.Unix(int64(n[0])*3600, 0).UTC(), Merges: n[1]}, nil
}

// intColumns reads the integer columns keys of a record, in order.
func intColumns(keys ...string) func(*neo4j.Record) ([]int, error) {
	return func(rec *neo4j.Record) ([]int, error) {
		out := make([]int, len(keys))
		for i, key := range keys {
			n, err := value[int64](rec, key)
			if err != nil {
				return nil, err
			}
			out[i] = int(n)
		}
		return out, nil
	}
}
