package graph

import (
	"context"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// resolvePasses resolves the claimed events: it touches and locks their
// identifiers, locks and reads their profiles and runs the resolver. When
// the batch shows identifiers shared, it marks them, re-homes what they
// glued (rehome) and resolves the batch again, with them known shared,
// until a pass shows none new (at most idgraph.MaxSharedPasses). It
// returns the profiles the last pass read, what it decided, and the feed's
// changes of the re-homing splits, which come before the batch's own.
func resolvePasses(ctx context.Context, tx writeTx, space idgraph.Space, b *sourcedBatch, fresh []int, ids [][]idgraph.Identifier) ([]idgraph.Profile, idgraph.Resolution, []idgraph.Change, error) {
	var rehomed []idgraph.Change
	for pass := 1; ; pass++ {
		owners, states, err := touchIdentifiers(ctx, tx, space.ID, b, fresh, ids, pass > 1)
		if err != nil {
			return nil, idgraph.Resolution{}, nil, err
		}
		profiles, err := lockProfiles(ctx, tx, owners)
		if err != nil {
			return nil, idgraph.Resolution{}, nil, err
		}
		pids := make([]string, len(profiles))
		for i, p := range profiles {
			pids[i] = p.ID
		}
		decisions, err := profileDecisions(ctx, tx, pids...)
		if err != nil {
			return nil, idgraph.Resolution{}, nil, err
		}
		r := idgraph.NewResolver(space.Rules, profiles, nil)
		r.KeepApart(decisions)
		r.Know(states)
		for _, i := range fresh {
			r.Apply(b.events[i], b.sources[i], ids[i])
		}
		out := r.Result()
		if len(out.Shared) == 0 || pass == idgraph.MaxSharedPasses {
			return profiles, out, rehomed, nil
		}
		changes, err := rehome(ctx, tx, space, out.Shared)
		if err != nil {
			return nil, idgraph.Resolution{}, nil, err
		}
		rehomed = append(rehomed, changes...)
	}
}

// rehome marks identifiers shared and splits the profile of each along it
// (idgraph.PlanRehome) as a correction by idgraph, with the mark's
// sentence as its reason, so history and explain say why. It returns the
// splits' changes for the feed, citing the event that showed each shared.
func rehome(ctx context.Context, tx writeTx, space idgraph.Space, marks []idgraph.SharedMark) ([]idgraph.Change, error) {
	rows := make([]map[string]any, len(marks))
	for i, m := range marks {
		rows[i] = markRow(m)
	}
	if _, err := tx.run(ctx, "mark_shared", map[string]any{"space": space.ID, "marks": rows}); err != nil {
		return nil, err
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	var changes []idgraph.Change
	for _, m := range marks {
		in, err := readSplitInput(ctx, tx.tx, space.ID, m.Identifier, nil)
		if idgraph.ErrorCode(err) == idgraph.ENOTFOUND {
			continue // new in this batch: no profile holds it yet
		}
		if err != nil {
			return nil, err
		}
		plan, ok := idgraph.PlanRehome(in, m, at, idgraph.NewProfileID)
		if !ok {
			continue
		}
		if err := applySplit(ctx, tx.tx, space.ID, &plan, idgraph.HistorySplit); err != nil {
			return nil, err
		}
		c := idgraph.SplitChange(plan)
		c.Evidence.MessageID, c.Evidence.SourceID = m.MessageID, m.SourceID
		changes = append(changes, c)
	}
	return changes, nil
}

// markRow is mark_shared's row of m.
func markRow(m idgraph.SharedMark) map[string]any {
	return map[string]any{
		"type": m.Identifier.Type, "value": m.Identifier.Value, "since": m.Since, "reason": m.Reason,
		"detail": m.Detail, "message_id": m.MessageID, "source_id": m.SourceID,
	}
}

// identifierState reads merge_identifiers' shared and company columns.
func identifierState(rec *neo4j.Record) (idgraph.IdentifierState, error) {
	var st idgraph.IdentifierState
	var err error
	if st.Shared, err = value[bool](rec, "shared"); err != nil {
		return st, err
	}
	text, err := value[string](rec, "company")
	if err != nil {
		return st, err
	}
	st.Company, err = idgraph.CompanyFromJSON(text)
	return st, err
}

// companyRows are the companies a batch changed, to store.
func companyRows(cs []idgraph.IdentifierCompany) []map[string]any {
	rows := make([]map[string]any, len(cs))
	for i, c := range cs {
		rows[i] = map[string]any{"type": c.Identifier.Type, "value": c.Identifier.Value, "company": idgraph.CompanyJSON(c.Company)}
	}
	return rows
}
