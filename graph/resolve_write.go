package graph

import (
	"cmp"
	"context"
	"encoding/json"
	"slices"
	"time"

	"github.com/idgraph/idgraph"
)

// writeResolution writes what the resolver decided, one UNWIND statement per
// kind of change, in an order where each statement finds what it needs:
// profiles, then memberships and merges, then edges and rejections (lifting
// those whose ends now share a profile), then the new events with their
// CARRIED links, and the companies of shareable identifiers. The caller writes
// the accounts and then, last, the changes the feed records (which locks
// the space's feed: see appendChanges).
func writeResolution(ctx context.Context, tx writeTx, space string, out idgraph.Resolution) error {
	steps := []struct {
		query string
		key   string
		rows  []map[string]any
	}{
		{"merge_profiles", "profiles", profileRows(out.Profiles)},
		{"move_memberships", "memberships", membershipRows(out.Memberships)},
		{"create_merges", "merges", mergeRows(out.Merges)},
		{"merge_edges", "edges", edgeRows(out.Edges)},
		{"merge_rejections", "rejections", rejectionRows(out.Rejections)},
		{"lift_rejections", "memberships", membershipRows(out.Memberships)},
		{"write_events", "events", eventRows(out.Events)},
		{"set_companies", "companies", companyRows(out.Companies)},
	}
	for _, st := range steps {
		if len(st.rows) == 0 {
			continue
		}
		params := map[string]any{"space": space, st.key: st.rows}
		if _, err := tx.run(ctx, st.query, params); err != nil {
			return err
		}
	}
	return nil
}

func profileRows(ps []idgraph.Profile) []map[string]any {
	rows := make([]map[string]any, len(ps))
	for i, p := range ps {
		rows[i] = map[string]any{
			"id": p.ID, "created_at": p.CreatedAt, "updated_at": p.UpdatedAt,
			"merge_count": p.MergeCount, "identifier_count": len(p.Identifiers),
			"traits": jsonText(p.Traits), "merged_into": nullString(p.MergedInto),
			"merged_at": nullTime(p.MergedAt),
		}
	}
	return rows
}

func membershipRows(ms []idgraph.Membership) []map[string]any {
	rows := make([]map[string]any, len(ms))
	for i, m := range ms {
		rows[i] = map[string]any{"type": m.Identifier.Type, "value": m.Identifier.Value, "profile_id": m.ProfileID}
	}
	return rows
}

func mergeRows(ms []idgraph.Merge) []map[string]any {
	rows := make([]map[string]any, len(ms))
	for i, m := range ms {
		rows[i] = map[string]any{"from": m.From, "into": m.Into, "at": m.At, "message_id": m.MessageID, "source_id": m.SourceID}
	}
	return rows
}

func edgeRows(es []idgraph.Edge) []map[string]any {
	rows := make([]map[string]any, len(es))
	for i, e := range es {
		rows[i] = map[string]any{
			"a_type": e.A.Type, "a_value": e.A.Value, "b_type": e.B.Type, "b_value": e.B.Value,
			"first_seen": e.FirstSeen, "last_seen": e.LastSeen, "count": e.Count,
			"first_message_id": e.FirstMessageID, "last_message_id": e.LastMessageID,
			"source_ids": e.SourceIDs,
		}
	}
	return rows
}

func rejectionRows(rs []idgraph.Rejection) []map[string]any {
	rows := make([]map[string]any, len(rs))
	for i, r := range rs {
		rows[i] = map[string]any{
			"from_type": r.From.Type, "from_value": r.From.Value, "to_type": r.To.Type, "to_value": r.To.Value,
			"rule": r.Rule, "detail": r.Detail, "at": r.At, "message_id": r.MessageID, "source_id": r.SourceID,
		}
	}
	return rows
}

// eventRows are write_events' rows: each new event with what the rules made
// of it, sorted by key.
func eventRows(es []idgraph.ResolvedEvent) []map[string]any {
	es = slices.Clone(es)
	slices.SortFunc(es, func(a, b idgraph.ResolvedEvent) int {
		return cmp.Or(cmp.Compare(a.SourceID, b.SourceID), cmp.Compare(a.MessageID, b.MessageID))
	})
	rows := make([]map[string]any, len(es))
	for i, e := range es {
		carried := make([]map[string]any, 0, len(e.Accepted)+len(e.Shared))
		for _, id := range slices.Concat(e.Accepted, e.Shared) {
			carried = append(carried, map[string]any{"type": id.Type, "value": id.Value})
		}
		var all, rejected []string
		for _, id := range e.Identifiers {
			all = append(all, id.String())
			if !slices.Contains(e.Accepted, id) {
				rejected = append(rejected, id.String())
			}
		}
		rows[i] = map[string]any{
			"source_id": e.SourceID, "message_id": e.MessageID, "props": eventProperties(e.Event),
			"identifiers": all, "rejected": rejected, "carried": carried,
		}
	}
	return rows
}

// eventProperties are the properties an Event node takes from the event
// itself; absent values are left out, so the graph holds no empty strings or
// year-one dates.
func eventProperties(e idgraph.Event) map[string]any {
	props := map[string]any{"type": e.Type, "timestamp": e.Timestamp}
	for k, v := range map[string]string{
		"event": e.Event, "name": e.Name, "user_id": e.UserID, "anonymous_id": e.AnonymousID,
		"previous_id": e.PreviousID, "group_id": e.GroupID,
	} {
		if v != "" {
			props[k] = v
		}
	}
	for k, v := range map[string]time.Time{"received_at": e.ReceivedAt, "sent_at": e.SentAt, "original_timestamp": e.OriginalTimestamp} {
		if !v.IsZero() {
			props[k] = v
		}
	}
	for k, v := range map[string]map[string]any{"properties": e.Properties, "traits": e.Traits, "context": e.Context, "integrations": e.Integrations} {
		if len(v) > 0 {
			props[k] = jsonText(v)
		}
	}
	return props
}

// nullString, nullTime and jsonMap turn Go zero values into absent
// properties, so the graph holds no empty strings or year-one dates.
func nullString(s string) any {
	if s == "" {
		return nil
	}
	return s
}

func nullTime(t time.Time) any {
	if t.IsZero() {
		return nil
	}
	return t
}

func jsonText(v any) string {
	b, err := json.Marshal(v)
	if err != nil {
		// Values decoded from JSON always encode again.
		panic(err)
	}
	return string(b)
}
