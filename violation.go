package idgraph

import (
	"fmt"
	"slices"
	"sort"
	"time"
)

// The rules a rejection can name.
const (
	RuleLimit          = "limit"           // a per-type limit, e.g. "limit:user_id"
	RuleMaxMerges      = "max_merges"      // the per-profile merge cap
	RuleMaxIdentifiers = "max_identifiers" // the per-profile identifier cap
)

// KeepApart makes the resolver refuse, with the rule RuleManualNever, every
// join that would put the two identifiers of a never decision in one
// profile. The store passes the decisions that touch the batch's
// identifiers and the members of their profiles; always decisions are
// ignored here (they are links).
func (r *Resolver) KeepApart(decisions []LinkDecision) {
	for _, d := range decisions {
		if d.Decision == DecisionNever {
			r.never = append(r.never, d)
		}
	}
}

// violation says which rule the union of the live profiles joined and the
// new identifiers fresh would break at time t, and how; "" when none. A
// person's never decision comes first, then the per-profile caps, then the
// per-type limits.
func (r *Resolver) violation(joined []string, fresh []Identifier, t time.Time) (rule, detail string) {
	if d, ok := r.neverBroken(joined, fresh); ok {
		return RuleManualNever, fmt.Sprintf("never decision %s by %s: %s and %s are never in one profile", d.ID, d.Actor, d.A, d.B)
	}
	total, merges := len(fresh), len(joined)-1
	if merges < 0 {
		merges = 0
	}
	for _, pid := range joined {
		p := r.profiles[pid]
		total += len(p.members)
		merges += p.MergeCount
	}
	if total > r.rules.MaxIdentifiers && r.rules.MaxIdentifiers > 0 {
		return RuleMaxIdentifiers, fmt.Sprintf("the profile would hold %d identifiers; the cap is %d", total, r.rules.MaxIdentifiers)
	}
	if len(joined) > 1 && merges > r.rules.MaxMerges && r.rules.MaxMerges > 0 {
		return RuleMaxMerges, fmt.Sprintf("the profile would have %d merges; the cap is %d", merges, r.rules.MaxMerges)
	}
	return r.typeViolation(joined, fresh, t)
}

// typeViolation says which per-type limit the union of joined and fresh
// would break at time t, and how; "" when none. Types are checked in name
// order, so the rule named is the same whatever order the members come in.
func (r *Resolver) typeViolation(joined []string, fresh []Identifier, t time.Time) (rule, detail string) {
	counts := map[string][]string{} // type → values within its window
	count := func(id Identifier, firstSeen time.Time) {
		_, window := r.rules.Limit(id.Type)
		if !firstSeen.Before(window.Since(t)) {
			counts[id.Type] = append(counts[id.Type], id.Value)
		}
	}
	for _, pid := range joined {
		for id, s := range r.profiles[pid].members {
			count(id, s.FirstSeen)
		}
	}
	for _, id := range fresh {
		count(id, t)
	}
	types := make([]string, 0, len(counts))
	for typ := range counts {
		types = append(types, typ)
	}
	sort.Strings(types)
	for _, typ := range types {
		limit, window := r.rules.Limit(typ)
		if vals := counts[typ]; len(vals) > limit {
			sort.Strings(vals)
			return RuleLimit + ":" + typ, fmt.Sprintf("%s limit is %d (%s); the profile would hold %d: %s",
				typ, limit, window, len(vals), joinValues(vals, 5))
		}
	}
	return "", ""
}

// joinValues lists vals, the first max of them by name.
func joinValues(vals []string, max int) string {
	s := ""
	for i, v := range vals {
		if i == max {
			return s + fmt.Sprintf(", and %d more", len(vals)-max)
		}
		if i > 0 {
			s += ", "
		}
		s += v
	}
	return s
}

// neverBroken returns the first never decision both of whose identifiers
// the union of joined and fresh would hold.
func (r *Resolver) neverBroken(joined []string, fresh []Identifier) (LinkDecision, bool) {
	in := func(id Identifier) bool {
		if pid := r.owner[id]; pid != "" {
			return slices.Contains(joined, pid)
		}
		return slices.Contains(fresh, id)
	}
	for _, d := range r.never {
		if in(d.A) && in(d.B) {
			return d, true
		}
	}
	return LinkDecision{}, false
}
