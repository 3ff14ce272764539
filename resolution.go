package idgraph

import (
	"sort"
	"time"
)

// ResolvedEvent is an event with what the rules made of it.
type ResolvedEvent struct {
	Event
	SourceID string
	// Identifiers are all the event carried after blocking and suppression.
	Identifiers []Identifier
	// Accepted joined ProfileID; the rest were rejected by a rule.
	Accepted  []Identifier
	ProfileID string
	// Shared are the shared identifiers it carried: not joined, but still
	// recorded as carried by it.
	Shared []Identifier
}

// Merge records that one profile was merged into another.
type Merge struct {
	From      string    `json:"from"`
	Into      string    `json:"into"`
	At        time.Time `json:"at"`
	MessageID string    `json:"message_id"`
	SourceID  string    `json:"source_id"`
}

// Edge is the evidence that two identifiers were seen together. A and B are
// in canonical order (A.Less(B)).
type Edge struct {
	A              Identifier `json:"a"`
	B              Identifier `json:"b"`
	FirstSeen      time.Time  `json:"first_seen"`
	LastSeen       time.Time  `json:"last_seen"`
	Count          int        `json:"count"`
	FirstMessageID string     `json:"first_message_id"`
	LastMessageID  string     `json:"last_message_id"`
	SourceIDs      []string   `json:"source_ids"`
}

// Rejection is a link the rules refused: From could not join To's profile.
type Rejection struct {
	From, To  Identifier
	Rule      string
	Detail    string
	At        time.Time
	MessageID string
	SourceID  string
}

// Membership places an identifier in a profile.
type Membership struct {
	Identifier Identifier
	ProfileID  string
}

// BatchResult counts what one Resolve call did.
type BatchResult struct {
	Loaded     int `json:"loaded"`
	Duplicates int `json:"duplicates"`
	Rejections int `json:"rejections"`
	Merges     int `json:"merges"`
	Profiles   int `json:"profiles_created"`
}

// Add sums two results.
func (r BatchResult) Add(o BatchResult) BatchResult {
	return BatchResult{
		Loaded:     r.Loaded + o.Loaded,
		Duplicates: r.Duplicates + o.Duplicates,
		Rejections: r.Rejections + o.Rejections,
		Merges:     r.Merges + o.Merges,
		Profiles:   r.Profiles + o.Profiles,
	}
}

// Resolution is everything one batch changes.
type Resolution struct {
	Events []ResolvedEvent
	// Profiles are the profiles created or changed, in their final state,
	// merged ones included (with MergedInto set).
	Profiles    []Profile
	Memberships []Membership
	Merges      []Merge
	Edges       []Edge
	Rejections  []Rejection
	// Changes are what the space's feed records of the batch, in the order
	// they happened: profiles created, identifiers added, merges.
	Changes []Change
	// Shared are the identifiers the batch showed shared, in the order it
	// did; the store re-homes what they glued (PlanRehome) and resolves the
	// batch again. Companies are the shareable identifiers' companies that
	// changed, to be stored.
	Shared    []SharedMark
	Companies []IdentifierCompany
}

// Result returns what the batch changed, ready to write.
func (r *Resolver) Result() Resolution {
	res := Resolution{Events: r.events, Merges: r.merges, Rejections: r.rejections, Changes: r.changes}
	for _, pid := range r.order {
		p := r.profiles[pid]
		if !p.touched {
			continue
		}
		out := p.Profile
		out.Identifiers = make([]Sighting, 0, len(p.members))
		for _, s := range p.members {
			out.Identifiers = append(out.Identifiers, *s)
		}
		sort.Slice(out.Identifiers, func(i, j int) bool { return out.Identifiers[i].Less(out.Identifiers[j].Identifier) })
		res.Profiles = append(res.Profiles, out)
	}
	ids := make([]Identifier, 0, len(r.owner))
	for id, pid := range r.owner {
		if r.initial[id] != pid {
			ids = append(ids, id)
		}
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Less(ids[j]) })
	for _, id := range ids {
		res.Memberships = append(res.Memberships, Membership{Identifier: id, ProfileID: r.owner[id]})
	}
	for _, k := range r.edgeOrder {
		res.Edges = append(res.Edges, *r.edges[k])
	}
	r.sharedResult(&res)
	return res
}
