package graph

import (
	"context"
	"slices"
	"sort"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
)

// resolvePasses resolves the batch's new events: it touches and locks their
// identifiers, locks and reads their profiles and runs the resolver. When
// the batch shows identifiers shared, it marks them, re-homes what they
// glued (rehome) and resolves the batch again, with them known shared,
// until a pass shows none new (at most idgraph.MaxSharedPasses). A pass
// after the first reads nothing again: the identifiers, profiles and never
// decisions are those the first pass locked and read, as the re-homing
// splits left them (batchState.rehomed). It returns the profiles the last
// pass started from, what it decided, and the feed's changes of the
// re-homing splits, which come before the batch's own.
func resolvePasses(ctx context.Context, tx writeTx, space idgraph.Space, b *sourcedBatch, fresh []int, ids [][]idgraph.Identifier) ([]idgraph.Profile, idgraph.Resolution, []idgraph.Change, error) {
	owners, states, err := touchIdentifiers(ctx, tx, space.ID, b, fresh, ids)
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
	st := batchState{owners: owners, states: states, profiles: profiles}
	var rehomed []idgraph.Change
	for pass := 1; ; pass++ {
		r := idgraph.NewResolver(space.Rules, st.profiles, nil)
		r.KeepApart(decisions)
		r.Know(st.states)
		for _, i := range fresh {
			r.Apply(b.events[i], b.sources[i], ids[i])
		}
		out := r.Result()
		if len(out.Shared) == 0 || pass == idgraph.MaxSharedPasses {
			return st.profiles, out, rehomed, nil
		}
		changes, err := rehome(ctx, tx, space, out.Shared, &st)
		if err != nil {
			return nil, idgraph.Resolution{}, nil, err
		}
		rehomed = append(rehomed, changes...)
	}
}

// batchState is what a pass of resolvePasses starts from: each of the
// batch's identifiers' profile id ("" when none holds it), what the
// resolver must know of them, and the profiles holding them, sorted by id,
// as lock_profiles reads them.
type batchState struct {
	owners   map[idgraph.Identifier]string
	states   map[idgraph.Identifier]idgraph.IdentifierState
	profiles []idgraph.Profile
}

// rehomed records in st a re-homing split the store applied: every part is
// a profile (the kept one with the old id, created time and merge count,
// the new ones created at the split), each with the traits the split gave
// it and updated at the split, as the graph now holds them; the batch's
// identifiers belong to their part's profile, and parts holding none of
// them drop out, as lock_profiles would not read them.
func (st *batchState) rehomed(p idgraph.Profile, plan idgraph.SplitPlan) {
	profiles := slices.DeleteFunc(st.profiles, func(q idgraph.Profile) bool { return q.ID == p.ID })
	for _, part := range plan.Parts {
		q := p
		q.ID, q.Identifiers, q.Traits, q.UpdatedAt = part.ProfileID, part.Identifiers, part.Traits, plan.At
		if !part.Kept {
			q.CreatedAt, q.MergeCount = plan.At, 0
		}
		held := false
		for _, s := range part.Identifiers {
			if _, ok := st.owners[s.Identifier]; ok {
				st.owners[s.Identifier], held = part.ProfileID, true
			}
		}
		if held {
			profiles = append(profiles, q)
		}
	}
	sort.Slice(profiles, func(i, j int) bool { return profiles[i].ID < profiles[j].ID })
	st.profiles = profiles
}

// rehome marks identifiers shared and splits the profile of each along it
// (idgraph.PlanRehome) as a correction by idgraph, with the mark's
// sentence as its reason, so history and explain say why, and records
// both in st. The profile is the one the batch locked and read already;
// only its links are read. It returns the splits' changes for the feed,
// citing the event that showed each shared.
func rehome(ctx context.Context, tx writeTx, space idgraph.Space, marks []idgraph.SharedMark, st *batchState) ([]idgraph.Change, error) {
	rows := make([]map[string]any, len(marks))
	for i, m := range marks {
		rows[i] = markRow(m)
		s := st.states[m.Identifier]
		s.Shared = true
		st.states[m.Identifier] = s
	}
	if _, err := tx.run(ctx, "mark_shared", map[string]any{"space": space.ID, "marks": rows}); err != nil {
		return nil, err
	}
	at := time.Now().UTC().Truncate(time.Millisecond)
	var changes []idgraph.Change
	for _, m := range marks {
		pid := st.owners[m.Identifier]
		i := slices.IndexFunc(st.profiles, func(p idgraph.Profile) bool { return p.ID == pid })
		if pid == "" || i < 0 {
			continue // new in this batch: no profile holds it yet
		}
		p := st.profiles[i]
		edges, err := profileLinks(ctx, tx.tx, pid)
		if err != nil {
			return nil, err
		}
		plan, ok := idgraph.PlanRehome(idgraph.SplitInput{Profile: p, Edges: edges}, m, at, idgraph.NewProfileID)
		if !ok {
			continue
		}
		if err := applySplit(ctx, tx.tx, space.ID, &plan, idgraph.HistorySplit); err != nil {
			return nil, err
		}
		st.rehomed(p, plan)
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
