package graph_test

import (
	"encoding/json"
	"fmt"
	"reflect"
	"slices"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// The health space's times: a merge storm in hour stormHour, refusals up to
// refusalDay.
var (
	stormHour  = time.Date(2024, 5, 3, 12, 0, 0, 0, time.UTC)
	refusalDay = time.Date(2024, 5, 5, 0, 0, 0, 0, time.UTC)
)

// healthEvent is one event as a JSON line.
func healthEvent(typ, id string, at time.Time, fields string) string {
	return fmt.Sprintf(`{"type":%q,"messageId":%q,"timestamp":%q,%s}`, typ, id, at.Format(time.RFC3339), fields)
}

// healthSpace builds a space whose report is known:
//   - 40 profiles of two identifiers (user_id:mNN_u, anonymous_id:mNN_a),
//     each made by one merge: one in each of the 24 hours before
//     stormHour, 12 in it (a storm), 3 two hours later, one 100 hours
//     earlier;
//   - a kiosk tablet (android.id:kiosk) in Jane's profile with four
//     shoppers' anonymous ids, which refuses Kim (the day before
//     refusalDay, then again on it) and Lee (on it): 6 identifiers, and
//     Kim and Lee are singletons;
//   - Ann with seven anonymous ids: the sixth refused 40 days before
//     refusalDay, the seventh on it: 6 identifiers, and two singletons;
//   - Big: a user id with five anonymous ids and five emails, 11 identifiers;
//   - three lone anonymous ids.
//
// It returns the ids of the 40 merged profiles.
func healthSpace(e *env) []string {
	e.t.Helper()
	var merges []string
	for k := range 40 {
		var at time.Time
		switch {
		case k < 24:
			at = stormHour.Add(time.Duration(k-24)*time.Hour + 10*time.Minute)
		case k < 36:
			at = stormHour.Add(time.Duration(k-24) * time.Minute)
		case k < 39:
			at = stormHour.Add(2*time.Hour + time.Duration(k)*time.Minute)
		default:
			at = stormHour.Add(-100 * time.Hour)
		}
		u, a := fmt.Sprintf("m%02d_u", k), fmt.Sprintf("m%02d_a", k)
		merges = append(merges,
			healthEvent("identify", u+"1", at.Add(-time.Minute), fmt.Sprintf(`"userId":%q`, u)),
			healthEvent("page", a+"1", at.Add(-time.Minute), fmt.Sprintf(`"anonymousId":%q`, a)),
			healthEvent("identify", u+"2", at, fmt.Sprintf(`"userId":%q,"anonymousId":%q`, u, a)))
	}
	e.resolve(segkicks, merges...)

	kiosk := `"context":{"device":{"id":"kiosk","type":"android"}}`
	day := refusalDay.Add(-2 * 24 * time.Hour)
	e.resolve(segkicks,
		healthEvent("identify", "jane", day, `"userId":"jane",`+kiosk),
		healthEvent("track", "k1", day, `"anonymousId":"k1","event":"Viewed",`+kiosk),
		healthEvent("track", "k2", day, `"anonymousId":"k2","event":"Viewed",`+kiosk),
		healthEvent("track", "k3", day, `"anonymousId":"k3","event":"Viewed",`+kiosk),
		healthEvent("track", "k4", day, `"anonymousId":"k4","event":"Viewed",`+kiosk),
		healthEvent("identify", "kim1", refusalDay.Add(-time.Hour), `"userId":"kim",`+kiosk),
		healthEvent("identify", "kim2", refusalDay.Add(time.Hour), `"userId":"kim",`+kiosk),
		healthEvent("identify", "lee", refusalDay.Add(2*time.Hour), `"userId":"lee",`+kiosk))

	var ann []string
	for i := 1; i <= 7; i++ {
		at := refusalDay.Add(-41 * 24 * time.Hour)
		switch i {
		case 6:
			at = refusalDay.Add(-40 * 24 * time.Hour)
		case 7:
			at = refusalDay.Add(3 * time.Hour)
		}
		ann = append(ann, healthEvent("identify", fmt.Sprintf("ann%d", i), at, fmt.Sprintf(`"userId":"ann","anonymousId":"n%d"`, i)))
	}
	e.resolve(segkicks, ann...)

	var big []string
	for i := 1; i <= 5; i++ {
		big = append(big, healthEvent("identify", fmt.Sprintf("big%d", i), day,
			fmt.Sprintf(`"userId":"big","anonymousId":"b_a%d","traits":{"email":"big%d@x.com"}`, i, i)))
	}
	for i := 1; i <= 3; i++ {
		big = append(big, healthEvent("page", fmt.Sprintf("s%d", i), day, fmt.Sprintf(`"anonymousId":"s%d"`, i)))
	}
	e.resolve(segkicks, big...)

	ids := make([]string, 40)
	for k := range ids {
		p, err := e.store.Profile(e.ctx, e.space.ID, mustID(fmt.Sprintf("user_id:m%02d_u", k)))
		if err != nil {
			e.t.Fatal(err)
		}
		ids[k] = p.ID
	}
	return ids
}

// TestHealthReport runs on Segment's rules (segment_compatible), so that
// the kiosk glues and refuses as they do; TestSharedInHealthReport shows a
// shared identifier.
func TestHealthReport(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules().SegmentCompatible())
	merged := healthSpace(e)
	before := time.Now().UTC().Truncate(time.Second)
	got, err := e.store.Health(e.ctx, e.space.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Space != e.space.ID || got.GeneratedAt.Before(before) || got.GeneratedAt.After(time.Now()) || got.TookMS < 0 {
		t.Errorf("space %q, generated_at %v, took_ms %d; want %q, now, and a duration", got.Space, got.GeneratedAt, got.TookMS, e.space.ID)
	}
	if got.Profiles != 50 || got.Identifiers != 110 || got.Singletons != 7 {
		t.Errorf("profiles %d, identifiers %d, singletons %d; want 50, 110 and 7", got.Profiles, got.Identifiers, got.Singletons)
	}
	var sizes []int
	for _, b := range got.SizeDistribution {
		sizes = append(sizes, b.Profiles)
	}
	if want := []int{7, 40, 0, 2, 1, 0, 0, 0, 0}; !slices.Equal(sizes, want) {
		t.Errorf("size distribution %v, want %v", sizes, want)
	}

	profileOf := func(id string) string {
		p, err := e.store.Profile(e.ctx, e.space.ID, mustID(id))
		if err != nil {
			t.Fatal(err)
		}
		return p.ID
	}
	sixes := []string{profileOf("user_id:jane"), profileOf("user_id:ann")}
	slices.Sort(sixes)
	slices.Sort(merged)
	wantLargest := []idgraph.LargeProfile{{ProfileID: profileOf("user_id:big"), Identifiers: 11}}
	for _, id := range sixes {
		wantLargest = append(wantLargest, idgraph.LargeProfile{ProfileID: id, Identifiers: 6})
	}
	for _, id := range merged[:7] {
		wantLargest = append(wantLargest, idgraph.LargeProfile{ProfileID: id, Identifiers: 2, MergeCount: 1})
	}
	if !reflect.DeepEqual(got.LargestProfiles, wantLargest) {
		t.Errorf("largest profiles\n got %+v\nwant %+v", got.LargestProfiles, wantLargest)
	}

	hub := func(id string, links, users int) idgraph.Hub {
		return idgraph.Hub{Identifier: mustID(id), Links: links, UserIDs: users}
	}
	wantHubs := []idgraph.Hub{
		hub("user_id:big", 10, 0), hub("android.id:kiosk", 5, 3), hub("user_id:ann", 5, 0),
		hub("anonymous_id:b_a1", 1, 1), hub("anonymous_id:b_a2", 1, 1), hub("anonymous_id:b_a3", 1, 1),
		hub("anonymous_id:b_a4", 1, 1), hub("anonymous_id:b_a5", 1, 1), hub("anonymous_id:k1", 1, 0),
		hub("anonymous_id:k2", 1, 0),
	}
	if !reflect.DeepEqual(got.Hubs, wantHubs) {
		t.Errorf("hubs\n got %+v\nwant %+v", got.Hubs, wantHubs)
	}

	wantRefusals := []idgraph.RuleRefusals{
		{Rule: "limit:user_id", Day: "2024-05-04", Count: 1},
		{Rule: "limit:anonymous_id", Day: "2024-05-05", Count: 1},
		{Rule: "limit:user_id", Day: "2024-05-05", Count: 1},
	}
	if !reflect.DeepEqual(got.RefusalsByRule, wantRefusals) {
		t.Errorf("refusals by rule\n got %+v\nwant %+v", got.RefusalsByRule, wantRefusals)
	}

	checkMerges(t, got)
	if got.Shared == nil || len(got.Shared) != 0 {
		t.Errorf("shared identifiers %v, want [] while none is marked", got.Shared)
	}
}

// checkMerges checks the merges of healthSpace: 48 hours ending two hours
// after the storm, and the storm.
func checkMerges(t *testing.T, got idgraph.HealthReport) {
	t.Helper()
	if len(got.MergesPerHour) != idgraph.MergeHours {
		t.Fatalf("merges per hour lists %d hours, want %d", len(got.MergesPerHour), idgraph.MergeHours)
	}
	for i, h := range got.MergesPerHour {
		hour := stormHour.Add(time.Duration(i-45) * time.Hour)
		want := 0
		switch {
		case hour.Before(stormHour) && !hour.Before(stormHour.Add(-24*time.Hour)):
			want = 1
		case hour.Equal(stormHour):
			want = 12
		case hour.Equal(stormHour.Add(2 * time.Hour)):
			want = 3
		}
		if !h.Hour.Equal(hour) || h.Merges != want {
			t.Errorf("merges per hour [%d] = %v: %d, want %v: %d", i, h.Hour, h.Merges, hour, want)
		}
	}
	storm, _ := json.Marshal(got.MergeStorm)
	if want := `{"detected":true,"hour":"2024-05-03T12:00:00Z","merges":12,"trailing_median":1}`; string(storm) != want {
		t.Errorf("merge storm %s, want %s", storm, want)
	}
}

func TestHealthReportReadsSharedIdentifiers(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	e.resolve(segkicks,
		healthEvent("identify", "j1", refusalDay, `"userId":"jane","context":{"device":{"id":"ipad","type":"ios"}}`),
		healthEvent("identify", "j2", refusalDay, `"userId":"joe","context":{"device":{"id":"tv","type":"ios"}}`))
	if _, err := e.db.Query(e.ctx, "mark shared", `
		UNWIND $marks AS m
		MATCH (i:Identifier {space: $space, type: 'ios.id', value: m.value})
		SET i:Shared, i.since = m.since, i.reason = m.reason`,
		map[string]any{"space": e.space.ID, "marks": []any{
			map[string]any{"value": "ipad", "since": refusalDay, "reason": "two users logged in behind it"},
			map[string]any{"value": "tv", "since": refusalDay.Add(time.Hour), "reason": "kiosk-like"},
		}}); err != nil {
		t.Fatal(err)
	}
	got, err := e.store.Health(e.ctx, e.space.ID)
	if err != nil {
		t.Fatal(err)
	}
	want := []idgraph.SharedIdentifier{
		{Identifier: mustID("ios.id:tv"), Reason: "kiosk-like", Since: refusalDay.Add(time.Hour)},
		{Identifier: mustID("ios.id:ipad"), Reason: "two users logged in behind it", Since: refusalDay},
	}
	if !reflect.DeepEqual(got.Shared, want) {
		t.Errorf("shared identifiers\n got %+v\nwant %+v (newest first)", got.Shared, want)
	}
}

func TestHealthReportOfAnEmptySpace(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	got, err := e.store.Health(e.ctx, e.space.ID)
	if err != nil {
		t.Fatal(err)
	}
	got.GeneratedAt, got.TookMS = time.Time{}, 0
	b, _ := json.Marshal(got)
	want := `{"space":"` + e.space.ID + `","generated_at":"0001-01-01T00:00:00Z","took_ms":0,"profiles":0,"identifiers":0,"singletons":0,` +
		`"size_distribution":[{"min":1,"max":1,"profiles":0},{"min":2,"max":2,"profiles":0},{"min":3,"max":5,"profiles":0},` +
		`{"min":6,"max":10,"profiles":0},{"min":11,"max":50,"profiles":0},{"min":51,"max":100,"profiles":0},` +
		`{"min":101,"max":500,"profiles":0},{"min":501,"max":1000,"profiles":0},{"min":1001,"max":0,"profiles":0}],` +
		`"largest_profiles":[],"hubs":[],"shared_identifiers":[],"refusals_by_rule":[],"merges_per_hour":[],` +
		`"merge_storm":{"detected":false,"hour":null,"merges":0,"trailing_median":0}}`
	if string(b) != want {
		t.Errorf("empty space\n got %s\nwant %s", b, want)
	}
}
