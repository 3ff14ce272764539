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

	events     []ResolvedEvent
	merges     []Merge
	edges      map[[2]Identifier]*Edge
	edgeOrder  [][2]Identifier
	rejections []Rejection
	sightings  Sightings
}

type profileState struct {
	Profile
	members map[Identifier]*Sighting
	touched bool
}

// ResolvedEvent is an event with what the rules made of it.
type ResolvedEvent struct {
	Event
	SourceID string
	// Identifiers are all the event carried after blocking and suppression.
	Identifiers []Identifier
	// Accepted joined ProfileID; the rest were rejected by a rule.
	Accepted  []Identifier
	ProfileID string
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
	A, B           Identifier
	FirstSeen      time.Time
	LastSeen       time.Time
	Count          int
	FirstMessageID string
	LastMessageID  string
	SourceIDs      []string
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
	}
	for _, p := range profiles {
		ps := &profileState{Profile: p, members: make(map[Identifier]*Sighting, len(p.Identifiers))}
		ps.Identifiers = nil
		if ps.Traits == nil {
			ps.Traits = Traits{}
		}
		for _, s := range p.Identifiers {
			s := s
			ps.members[s.Identifier] = &s
			r.owner[s.Identifier] = p.ID
			r.initial[s.Identifier] = p.ID
		}
		r.profiles[p.ID] = ps
		r.order = append(r.order, p.ID)
	}
	return r
}

// Apply resolves one event carrying ids (already extracted, normalised and
// stripped of blocked and suppressed values) from the given source.
func (r *Resolver) Apply(e Event, sourceID string, ids []Identifier) ResolvedEvent {
	ids = slices.Clone(ids)
	sort.SliceStable(ids, func(i, j int) bool { return r.rules.Before(ids[i], ids[j]) })
	ids = slices.Compact(ids)
	t := e.Timestamp
	re := ResolvedEvent{Event: e, SourceID: sourceID, Identifiers: ids}
	for _, id := range ids {
		r.sightings.Add(id, t, sourceID, e.MessageID)
	}

	// Claim places in priority order: an identifier joins unless the union
	// it would make breaks a rule.
	var (
		joined   []string     // live profiles the accepted identifiers hold
		fresh    []Identifier // accepted identifiers no profile holds yet
		accepted []Identifier
		refused  []Rejection
	)
	for _, id := range ids {
		pid := r.owner[id]
		if pid != "" && slices.Contains(joined, pid) {
			accepted = append(accepted, id)
			continue
		}
		candJoined, candFresh := joined, fresh
		if pid != "" {
			candJoined = append(slices.Clone(joined), pid)
		} else {
			candFresh = append(slices.Clone(fresh), id)
		}
		if len(accepted) > 0 {
			if rule, detail := r.violation(candJoined, candFresh, t); rule != "" {
				refused = append(refused, Rejection{
					From: id, To: accepted[0], Rule: rule, Detail: detail,
					At: t, MessageID: e.MessageID, SourceID: sourceID,
				})
				continue
			}
		}
		joined, fresh = candJoined, candFresh
		accepted = append(accepted, id)
	}
	re.Accepted = accepted
	if len(accepted) == 0 {
		r.events = append(r.events, re)
		return re
	}

	root := r.join(joined, e, sourceID)
	for _, id := range fresh {
		root.members[id] = r.sightingCopy(id)
		r.owner[id] = root.ID
	}
	for _, id := range accepted {
		if s := root.members[id]; s != nil && t.After(s.LastSeen) {
			s.LastSeen = t
		}
	}
	for _, id := range accepted[1:] {
		r.edge(accepted[0], id, t, sourceID, e.MessageID)
	}
	if e.Type == "identify" {
		for k, v := range e.Traits {
			root.Traits.Set(k, Trait{Value: v, SourceID: sourceID, MessageID: e.MessageID, UpdatedAt: t})
		}
	}
	if t.After(root.UpdatedAt) {
		root.UpdatedAt = t
	}
	root.touched = true

	// A refused identifier that no profile holds still becomes a node, and a
	// node always belongs to a profile: it starts one of its own.
	for _, rej := range refused {
		if r.owner[rej.From] == "" {
			p := r.create(t)
			p.members[rej.From] = r.sightingCopy(rej.From)
			r.owner[rej.From] = p.ID
		}
		r.rejections = append(r.rejections, rej)
	}
	re.ProfileID = root.ID
	r.events = append(r.events, re)
	return re
}

// join merges the given live profiles into the oldest (ties: the smallest
// id), or creates a profile when there is none, and returns the survivor.
func (r *Resolver) join(joined []string, e Event, sourceID string) *profileState {
	if len(joined) == 0 {
		return r.create(e.Timestamp)
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
		r.merges = append(r.merges, Merge{From: p.ID, Into: root.ID, At: e.Timestamp, MessageID: e.MessageID, SourceID: sourceID})
	}
	return root
}

func (r *Resolver) create(t time.Time) *profileState {
	p := &profileState{
		Profile: Profile{ID: r.newID(), CreatedAt: t, UpdatedAt: t, Traits: Traits{}},
		members: map[Identifier]*Sighting{},
		touched: true,
	}
	r.profiles[p.ID] = p
	r.order = append(r.order, p.ID)
	return p
}

// violation says which rule the union of the live profiles joined and the
// new identifiers fresh would break at time t, and how; "" when none.
func (r *Resolver) violation(joined []string, fresh []Identifier, t time.Time) (rule, detail string) {
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
	counts := map[string][]string{}
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

// Result returns what the batch changed, ready to write.
func (r *Resolver) Result() Resolution {
	res := Resolution{Events: r.events, Merges: r.merges, Rejections: r.rejections}
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
	return res
}
