package idgraph

import (
	"maps"
	"slices"
	"sort"
	"time"
)

// Resolver is the pure resolution decision. It is given the profiles that a
// batch's identifiers already belong to, applies the batch's events one by
// one under the space's rules, and returns everything the store must write.
// It never touches a database; graph/ reads its input and writes its output
// in one transaction.
type Resolver struct {
	rules    Rules
	newID    func() string
	profiles map[string]*profileState
	owner    map[Identifier]string // identifier → live profile id
	initial  map[Identifier]string // owner before the batch
	order    []string              // profile ids in the order first seen, for a stable output
	never    []LinkDecision        // never decisions touching the batch's profiles

	events     []ResolvedEvent
	merges     []Merge
	edges      map[[2]Identifier]*Edge
	edgeOrder  [][2]Identifier
	rejections []Rejection
	sightings  Sightings
	changes    []Change // what the feed records, in the order it happened

	shared  map[Identifier]bool        // identifiers that join nothing
	company map[Identifier][]Companion // what shareable identifiers were seen with
	kept    map[Identifier]bool        // identifiers whose company changed
	marks   []SharedMark               // identifiers the batch showed shared
}

type profileState struct {
	Profile
	members map[Identifier]*Sighting
	touched bool
}

// NewResolver returns a resolver over the given profiles (the current state
// of every profile the batch's identifiers belong to). newID makes ids for
// new profiles; nil means NewProfileID.
func NewResolver(rules Rules, profiles []Profile, newID func() string) *Resolver {
	if newID == nil {
		newID = NewProfileID
	}
	r := &Resolver{
		rules:     rules,
		newID:     newID,
		profiles:  map[string]*profileState{},
		owner:     map[Identifier]string{},
		initial:   map[Identifier]string{},
		edges:     map[[2]Identifier]*Edge{},
		sightings: Sightings{},
		shared:    map[Identifier]bool{},
		company:   map[Identifier][]Companion{},
		kept:      map[Identifier]bool{},
	}
	for _, p := range profiles {
		ps := newProfileState(p)
		for id := range ps.members {
			r.owner[id] = p.ID
			r.initial[id] = p.ID
		}
		r.profiles[p.ID] = ps
		r.order = append(r.order, p.ID)
	}
	return r
}

// newProfileState returns p as the resolver keeps it: its identifiers as
// members.
func newProfileState(p Profile) *profileState {
	ps := &profileState{Profile: p, members: make(map[Identifier]*Sighting, len(p.Identifiers))}
	ps.Identifiers = nil
	if ps.Traits == nil {
		ps.Traits = Traits{}
	}
	for _, s := range p.Identifiers {
		s := s
		ps.members[s.Identifier] = &s
	}
	return ps
}

// snapshot returns the profile pid as it stands, its identifiers in (type,
// value) order.
func (r *Resolver) snapshot(pid string) Profile {
	ps := r.profiles[pid]
	out := ps.Profile
	out.Traits = maps.Clone(ps.Traits)
	out.Identifiers = make([]Sighting, 0, len(ps.members))
	for _, s := range ps.members {
		out.Identifiers = append(out.Identifiers, *s)
	}
	slices.SortFunc(out.Identifiers, func(a, b Sighting) int { return compareIdentifiers(a.Identifier, b.Identifier) })
	return out
}

// arrange returns ids as Apply takes them: in priority order, once each.
func (r *Resolver) arrange(ids []Identifier) []Identifier {
	ids = slices.Clone(ids)
	sort.SliceStable(ids, func(i, j int) bool { return r.rules.Before(ids[i], ids[j]) })
	return slices.Compact(ids)
}

// Apply resolves one event carrying ids (already extracted, normalised and
// stripped of blocked and suppressed values) from the given source.
func (r *Resolver) Apply(e Event, sourceID string, ids []Identifier) ResolvedEvent {
	ids = r.arrange(ids)
	for _, id := range ids {
		r.sightings.Add(id, e.Timestamp, sourceID, e.MessageID)
	}
	c := r.place(ids, e, sourceID)
	re := ResolvedEvent{Event: e, SourceID: sourceID, Identifiers: ids, Accepted: c.accepted, Shared: c.shared}
	ev := eventEvidence(e, sourceID)
	if len(c.accepted) > 0 {
		root := r.join(c.joined, e, ev)
		r.admit(root, c, e, sourceID, ev)
		r.refuse(c.refused, e.Timestamp, ev)
		re.ProfileID = root.ID
	}
	r.aside(c, e, sourceID, ev)
	r.watch(ids, c, e, sourceID)
	r.events = append(r.events, re)
	return re
}

// claim is what an event's identifiers won: the accepted ones (the first
// is the event's anchor), the live profiles they hold, those no profile
// holds yet, and the links the rules refused.
type claim struct {
	accepted []Identifier
	joined   []string     // live profiles the accepted identifiers hold
	fresh    []Identifier // accepted identifiers no profile holds yet
	refused  []Rejection
	shared   []Identifier // shared identifiers, which join nothing
}

// place takes ids in priority order: an identifier joins unless the union
// it would make breaks a rule, in which case its link to the first accepted
// identifier is refused. Nothing changes until the claim is admitted.
func (r *Resolver) place(ids []Identifier, e Event, sourceID string) claim {
	var c claim
	for _, id := range ids {
		if r.shared[id] {
			c.shared = append(c.shared, id)
			continue
		}
		pid := r.owner[id]
		if pid != "" && slices.Contains(c.joined, pid) {
			c.accepted = append(c.accepted, id)
			continue
		}
		joined, fresh := c.joined, c.fresh
		if pid != "" {
			joined = append(slices.Clone(c.joined), pid)
		} else {
			fresh = append(slices.Clone(c.fresh), id)
		}
		if len(c.accepted) > 0 {
			if rule, detail := r.violation(joined, fresh, e.Timestamp); rule != "" {
				c.refused = append(c.refused, Rejection{
					From: id, To: c.accepted[0], Rule: rule, Detail: detail,
					At: e.Timestamp, MessageID: e.MessageID, SourceID: sourceID,
				})
				continue
			}
		}
		c.joined, c.fresh = joined, fresh
		c.accepted = append(c.accepted, id)
	}
	return c
}

// admit writes an accepted claim into root, the profile its identifiers
// now share: new members, last sightings, an edge from the anchor to every
// other accepted identifier, and an identify's traits.
func (r *Resolver) admit(root *profileState, c claim, e Event, sourceID string, ev Evidence) {
	t := e.Timestamp
	for _, id := range c.fresh {
		r.add(root, id, ev)
	}
	for _, id := range c.accepted {
		if s := root.members[id]; s != nil && t.After(s.LastSeen) {
			s.LastSeen = t
		}
	}
	for _, id := range c.accepted[1:] {
		r.edge(c.accepted[0], id, t, sourceID, e.MessageID)
	}
	if e.Type == EventIdentify {
		for k, v := range e.Traits {
			root.Traits.Set(k, Trait{Value: v, SourceID: sourceID, MessageID: e.MessageID, UpdatedAt: t})
		}
	}
	if t.After(root.UpdatedAt) {
		root.UpdatedAt = t
	}
	root.touched = true
}

// refuse records refused links. A refused identifier that no profile holds
// still becomes a node, and a node always belongs to a profile: it starts
// one of its own, created at t.
func (r *Resolver) refuse(refused []Rejection, t time.Time, ev Evidence) {
	for _, rej := range refused {
		if r.owner[rej.From] == "" {
			r.add(r.create(t, ev), rej.From, ev)
		}
		r.rejections = append(r.rejections, rej)
	}
}

// join merges the given live profiles into the oldest (ties: the smallest
// id), or creates a profile when there is none, and returns the survivor.
func (r *Resolver) join(joined []string, e Event, ev Evidence) *profileState {
	if len(joined) == 0 {
		return r.create(e.Timestamp, ev)
	}
	ps := make([]*profileState, len(joined))
	for i, id := range joined {
		ps[i] = r.profiles[id]
	}
	sort.Slice(ps, func(i, j int) bool {
		if !ps[i].CreatedAt.Equal(ps[j].CreatedAt) {
			return ps[i].CreatedAt.Before(ps[j].CreatedAt)
		}
		return ps[i].ID < ps[j].ID
	})
	root := ps[0]
	for _, p := range ps[1:] {
		root.MergeCount += p.MergeCount + 1
		for id, s := range p.members {
			root.members[id] = s
			r.owner[id] = root.ID
		}
		p.members = map[Identifier]*Sighting{}
		root.Traits.Merge(p.Traits)
		if p.CreatedAt.Before(root.CreatedAt) {
			root.CreatedAt = p.CreatedAt
		}
		p.MergedInto, p.MergedAt, p.touched = root.ID, e.Timestamp, true
		r.merges = append(r.merges, Merge{From: p.ID, Into: root.ID, At: e.Timestamp, MessageID: ev.MessageID, SourceID: ev.SourceID})
		r.changes = append(r.changes, Change{Kind: ChangeProfileMerged, ProfileID: root.ID, From: p.ID, Into: root.ID, Evidence: ev})
	}
	return root
}

func (r *Resolver) create(t time.Time, ev Evidence) *profileState {
	p := &profileState{
		Profile: Profile{ID: r.newID(), CreatedAt: t, UpdatedAt: t, Traits: Traits{}},
		members: map[Identifier]*Sighting{},
		touched: true,
	}
	r.profiles[p.ID] = p
	r.order = append(r.order, p.ID)
	r.changes = append(r.changes, Change{Kind: ChangeProfileCreated, ProfileID: p.ID, Evidence: ev})
	return p
}

// add makes id, which no profile held, a member of p.
func (r *Resolver) add(p *profileState, id Identifier, ev Evidence) {
	p.members[id] = r.sightingCopy(id)
	r.owner[id] = p.ID
	r.changes = append(r.changes, Change{Kind: ChangeIdentifierAdded, ProfileID: p.ID, Identifier: &id, Evidence: ev})
}

// eventEvidence is what the feed cites for a change an event caused: the
// event, and for an always decision's manual event the person who made it.
func eventEvidence(e Event, sourceID string) Evidence {
	ev := Evidence{MessageID: e.MessageID, SourceID: sourceID}
	if e.Type == ManualEventType {
		ev.Actor, _ = e.Properties["actor"].(string)
	}
	return ev
}

func (r *Resolver) sightingCopy(id Identifier) *Sighting {
	s := *r.sightings[id]
	return &s
}

func (r *Resolver) edge(a, b Identifier, t time.Time, sourceID, messageID string) {
	if b.Less(a) {
		a, b = b, a
	}
	key := [2]Identifier{a, b}
	e := r.edges[key]
	if e == nil {
		e = &Edge{A: a, B: b, FirstSeen: t, LastSeen: t, FirstMessageID: messageID, LastMessageID: messageID}
		r.edges[key] = e
		r.edgeOrder = append(r.edgeOrder, key)
	}
	e.Count++
	if t.Before(e.FirstSeen) {
		e.FirstSeen, e.FirstMessageID = t, messageID
	}
	if !t.Before(e.LastSeen) {
		e.LastSeen, e.LastMessageID = t, messageID
	}
	if !slices.Contains(e.SourceIDs, sourceID) {
		e.SourceIDs = append(e.SourceIDs, sourceID)
	}
}
