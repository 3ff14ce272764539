package idgraph

import (
	"cmp"
	"maps"
	"slices"
	"time"
)

// Replay runs a space's stored events, in the order they arrived, through
// one Resolver under the given rules, each event a batch of its own, as
// the write path resolves it: the shadow a simulation builds in
// memory, never touching the live profiles. Never decisions hold as they
// do on the write path, and an always decision's manual event is replayed
// like any other, so people's corrections survive a change of rules.
// Suppressed values are dropped as the write path drops them. A Replay is
// not safe for concurrent use.
type Replay struct {
	rules      Rules
	r          *Resolver
	suppressed map[Identifier]bool
	seen       map[eventKey]bool
	events     int
	merges     int
	refusals   map[string]int // distinct refused links by rule
	refused    map[refusalKey]bool
	adj        map[Identifier][]*Edge // for Explain
	adjEdges   int
	marks      []SharedMark // identifiers shown shared, in order
	cuts       []RehomeCut  // links cut re-homing what they glued
}

type eventKey struct{ source, messageID string }

type refusalKey struct {
	from, to Identifier
	rule     string
}

// NewReplay returns an empty replay under rules. newID names its profiles
// (nil: NewProfileID).
func NewReplay(rules Rules, never []LinkDecision, suppressed map[Identifier]bool, newID func() string) *Replay {
	r := NewResolver(rules, nil, newID)
	r.KeepApart(never)
	return &Replay{rules: rules, r: r, suppressed: suppressed, seen: map[eventKey]bool{}, refusals: map[string]int{}, refused: map[refusalKey]bool{}}
}

// Apply resolves one stored event from sourceID. An event the replay has
// already applied (the same source and message id) is skipped and Apply
// answers false: a replay can be fed overlapping pages of events, and an
// event is resolved once.
func (p *Replay) Apply(e Event, sourceID string) bool {
	ids, _ := p.rules.Extract(e)
	return p.apply(e, sourceID, ids)
}

// apply resolves e carrying ids, once.
func (p *Replay) apply(e Event, sourceID string, ids []Identifier) bool {
	k := eventKey{sourceID, e.MessageID}
	if p.seen[k] {
		return false
	}
	p.seen[k] = true
	ids = slices.DeleteFunc(ids, func(id Identifier) bool { return p.suppressed[id] })
	p.rehome(e, sourceID, ids)
	before := len(p.r.rejections)
	p.r.Apply(e, sourceID, ids)
	// Counted as the graph counts REJECTED links: once per pair and rule.
	for _, rej := range p.r.rejections[before:] {
		k := refusalKey{rej.From, rej.To, rej.Rule}
		if !p.refused[k] {
			p.refused[k] = true
			p.refusals[rej.Rule]++
		}
	}
	p.events++
	p.merges += len(p.r.merges)
	// What a batch hands the store is not needed here: keeping it would
	// hold every event in memory.
	p.r.events, p.r.changes, p.r.merges, p.r.marks = p.r.events[:0], p.r.changes[:0], p.r.merges[:0], p.r.marks[:0]
	clear(p.r.kept)
	return true
}

// rehome does what the stores do when a batch shows identifiers shared
// (graph.resolvePasses, memstore): until the event shows none new, at most
// MaxSharedPasses-1 times, it marks them shared and re-homes what they
// glued, so that the event is then resolved with them known shared. A cut
// link is kept as the graph keeps it (RehomeCut).
func (p *Replay) rehome(e Event, sourceID string, ids []Identifier) {
	for pass := 1; pass < MaxSharedPasses; pass++ {
		marks := p.r.probeShared(e, sourceID, ids)
		if len(marks) == 0 {
			return
		}
		for _, m := range marks {
			p.marks = append(p.marks, m)
			plan, ok := p.r.rehome(m, m.Since)
			if !ok {
				continue
			}
			for _, c := range plan.Cut {
				p.cuts = append(p.cuts, RehomeCut{Edge: c, At: plan.At, Reason: plan.Reason})
			}
			p.adj = nil
		}
	}
}

// RehomeCut is a link cut to re-home what a shared identifier glued: the
// graph keeps it as a CUT relationship, by idgraph (SharedActor), at the
// time of the event that showed the identifier shared, with the mark's
// sentence as its reason.
type RehomeCut struct {
	Edge
	At     time.Time
	Reason string
}

// Marks returns the identifiers the replay showed shared, in order, each
// once: what the graph marks :Shared.
func (p *Replay) Marks() []SharedMark { return slices.Clone(p.marks) }

// Cuts returns the links the replay cut re-homing what shared identifiers
// glued, in order.
func (p *Replay) Cuts() []RehomeCut { return slices.Clone(p.cuts) }

// Companies returns what the replay's shareable identifiers were seen
// with, sorted by identifier: what the graph keeps to find them shared.
func (p *Replay) Companies() []IdentifierCompany {
	out := make([]IdentifierCompany, 0, len(p.r.company))
	for id, c := range p.r.company {
		out = append(out, IdentifierCompany{Identifier: id, Company: c})
	}
	slices.SortFunc(out, func(a, b IdentifierCompany) int { return compareIdentifiers(a.Identifier, b.Identifier) })
	return out
}

// Events returns how many events the replay applied.
func (p *Replay) Events() int { return p.events }

// Merges returns how many merges the replay made.
func (p *Replay) Merges() int { return p.merges }

// Refusals returns how many links each rule refused, each pair once per
// rule as the graph's REJECTED links count them.
func (p *Replay) Refusals() map[string]int { return maps.Clone(p.refusals) }

// Partition returns the replay's profile id of every identifier.
func (p *Replay) Partition() map[Identifier]string { return maps.Clone(p.r.owner) }

// Sighting returns when and where id was first and last seen.
func (p *Replay) Sighting(id Identifier) (Sighting, bool) {
	s := p.r.sightings[id]
	if s == nil {
		return Sighting{}, false
	}
	return *s, true
}

// Profile returns the replay's live profile holding id, its identifiers in
// (type, value) order.
func (p *Replay) Profile(id Identifier) (Profile, bool) {
	pid := p.r.owner[id]
	if pid == "" {
		return Profile{}, false
	}
	return p.r.snapshot(pid), true
}

// Profiles returns every live profile of the replay, by id.
func (p *Replay) Profiles() []Profile {
	var out []Profile
	for _, pid := range p.r.order {
		if ps := p.r.profiles[pid]; ps.MergedInto == "" && len(ps.members) > 0 {
			out = append(out, p.r.snapshot(pid))
		}
	}
	slices.SortFunc(out, func(a, b Profile) int { return cmp.Compare(a.ID, b.ID) })
	return out
}

// Edges returns the links the replay accepted, in the order first made.
func (p *Replay) Edges() []Edge {
	out := make([]Edge, len(p.r.edgeOrder))
	for i, k := range p.r.edgeOrder {
		out[i] = *p.r.edges[k]
	}
	return out
}

// Rejections returns the links the replay refused, in order.
func (p *Replay) Rejections() []Rejection { return slices.Clone(p.r.rejections) }

func compareIdentifiers(a, b Identifier) int {
	switch {
	case a.Less(b):
		return -1
	case b.Less(a):
		return 1
	}
	return 0
}

// ArrivalKey names a stored event and its place in the order events
// arrived: by when the server received it, then the event's time, source
// and message id (events of one batch share a received time).
type ArrivalKey struct {
	SourceID   string
	MessageID  string
	ReceivedAt time.Time
	Timestamp  time.Time
}

// SortArrivals sorts keys in arrival order.
func SortArrivals(keys []ArrivalKey) {
	slices.SortFunc(keys, func(a, b ArrivalKey) int {
		if c := a.ReceivedAt.Compare(b.ReceivedAt); c != 0 {
			return c
		}
		if c := a.Timestamp.Compare(b.Timestamp); c != 0 {
			return c
		}
		if c := cmp.Compare(a.SourceID, b.SourceID); c != 0 {
			return c
		}
		return cmp.Compare(a.MessageID, b.MessageID)
	})
}

// ArchivedEvent is a stored event as a replay reads it: the event, its
// source, and the identifiers the write path accepted from it. A manual
// event (an always decision's, source ManualSourceID) carries no
// identifiers a rule extracts: its accepted identifiers are replayed.
type ArchivedEvent struct {
	Event
	SourceID string
	Accepted []Identifier
}

// ApplyArchived applies a stored event (see Apply).
func (p *Replay) ApplyArchived(e ArchivedEvent) bool {
	if e.SourceID == ManualSourceID {
		return p.apply(e.Event, e.SourceID, e.Accepted)
	}
	return p.Apply(e.Event, e.SourceID)
}
