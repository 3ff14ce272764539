package idgraph

import (
	"encoding/json"
	"fmt"
	"maps"
	"slices"
	"sort"
	"time"
)

// The resolver's part in shared identifiers: it is told which of the
// batch's identifiers are shared and what each was seen with (Know), keeps
// shared ones out of every join (aside), and watches each event for an
// identifier it shows shared (watch). The store re-homes what a newly
// shared identifier glued (PlanRehome) and resolves the batch again.

// Know tells the resolver what the store knows of the batch's identifiers:
// which are shared, and the company of the shareable ones. Call it before
// Apply.
func (r *Resolver) Know(states map[Identifier]IdentifierState) {
	for id, st := range states {
		if st.Shared {
			r.shared[id] = true
		}
		if len(st.Company) > 0 {
			r.company[id] = st.Company
		}
	}
}

// aside records the shared identifiers an event carried: each stays in a
// profile of its own (one is made for it if it has none), and its link to
// the event's anchor is kept as evidence, a REJECTED link with RuleShared.
func (r *Resolver) aside(c claim, e Event, sourceID string, ev Evidence) {
	for _, id := range c.shared {
		if r.owner[id] == "" {
			r.add(r.create(e.Timestamp, ev), id, ev)
		}
		if len(c.accepted) == 0 {
			continue
		}
		r.rejections = append(r.rejections, Rejection{
			From: id, To: c.accepted[0], Rule: RuleShared,
			Detail: fmt.Sprintf("%s is shared: it joins no profile", id),
			At:     e.Timestamp, MessageID: e.MessageID, SourceID: sourceID,
		})
	}
}

// watch adds what the event carried to the company of its shareable
// identifiers and marks the ones it shows shared (showShared).
func (r *Resolver) watch(ids []Identifier, c claim, e Event, sourceID string) {
	companies, marks := r.showShared(ids, func() claim { return c }, e, sourceID)
	for id, company := range companies {
		r.company[id], r.kept[id] = company, true
	}
	for _, m := range marks {
		r.shared[m.Identifier] = true
	}
	r.marks = append(r.marks, marks...)
}

// showShared works out, changing nothing, what an event carrying ids (in
// the order Apply takes them) adds to the company of its shareable
// identifiers, and which of them it shows shared (SharedRules.detect): a
// user_id limit refusal fired through one seen with another user, too many
// people, or a kiosk's many anonymous ids. A user id keeps the devices it
// was seen on; the people of an event whose user is a shared account (a QA
// login on many devices) show no device shared by themselves. claimOf
// answers the event's claim, asked only once a company changes.
func (r *Resolver) showShared(ids []Identifier, claimOf func() claim, e Event, sourceID string) (map[Identifier][]Companion, []SharedMark) {
	rules := r.rules.Shared
	if !rules.Enabled {
		return nil, nil
	}
	companies := map[Identifier][]Companion{}
	companyOf := func(id Identifier) []Companion {
		if c, ok := companies[id]; ok {
			return c
		}
		return r.company[id]
	}
	account := false // the event's user is a shared account
	for _, id := range ids {
		if id.Type != TypeUserID {
			continue
		}
		if company, changed := rules.keep(companyOf(id), id, ids, e.Timestamp, false); changed {
			companies[id] = company
		}
		account = account || rules.sharedAccount(companyOf(id))
	}
	var refusals []Rejection
	asked := false
	var marks []SharedMark
	for _, id := range ids {
		if r.shared[id] || !rules.Shareable(id.Type) {
			continue
		}
		company, changed := rules.keep(companyOf(id), id, ids, e.Timestamp, account)
		if !changed {
			continue
		}
		companies[id] = company
		if !asked {
			refusals, asked = claimOf().refused, true
		}
		refused := slices.ContainsFunc(refusals, func(rej Rejection) bool {
			return rej.From == id && rej.Rule == RuleLimit+":"+TypeUserID
		})
		reason, detail := rules.detect(id, company, e.Timestamp, refused && !account)
		if reason == "" {
			continue
		}
		marks = append(marks, SharedMark{
			Identifier: id, Since: e.Timestamp, Reason: reason, Detail: detail,
			MessageID: e.MessageID, SourceID: sourceID,
		})
	}
	return companies, marks
}

// probeShared returns the identifiers an event carrying ids would show
// shared were it applied now (Apply's watch), changing nothing.
func (r *Resolver) probeShared(e Event, sourceID string, ids []Identifier) []SharedMark {
	if !r.rules.Shared.Enabled {
		return nil
	}
	ids = r.arrange(ids)
	_, marks := r.showShared(ids, func() claim { return r.place(ids, e, sourceID) }, e, sourceID)
	return marks
}

// rehome does in the resolver what a store does between two passes of a
// batch: it marks m's identifier shared and splits the profile holding it
// along it (PlanRehome), dropping the cut links and making each part a
// profile (RehomedProfiles). ok is false when nothing was split.
func (r *Resolver) rehome(m SharedMark, at time.Time) (plan SplitPlan, ok bool) {
	r.shared[m.Identifier] = true
	pid := r.owner[m.Identifier]
	if pid == "" {
		return SplitPlan{}, false
	}
	p := r.snapshot(pid)
	plan, ok = PlanRehome(SplitInput{Profile: p, Edges: r.edgesWithin(p)}, m, at, r.newID)
	if !ok {
		return SplitPlan{}, false
	}
	cut := make(map[[2]Identifier]bool, len(plan.Cut))
	for _, e := range plan.Cut {
		k := [2]Identifier{e.A, e.B}
		cut[k] = true
		delete(r.edges, k)
	}
	r.edgeOrder = slices.DeleteFunc(r.edgeOrder, func(k [2]Identifier) bool { return cut[k] })
	for _, q := range RehomedProfiles(p, plan) {
		if r.profiles[q.ID] == nil {
			r.order = append(r.order, q.ID)
		}
		ps := newProfileState(q)
		ps.touched = true
		r.profiles[q.ID] = ps
		for id := range ps.members {
			r.owner[id] = q.ID
		}
	}
	return plan, true
}

// edgesWithin returns the resolver's links between members of p, from
// whichever is smaller: p's pairs or every link.
func (r *Resolver) edgesWithin(p Profile) []Edge {
	var out []Edge
	n := len(p.Identifiers)
	if n*(n-1)/2 <= len(r.edgeOrder) {
		for i, a := range p.Identifiers {
			for _, b := range p.Identifiers[i+1:] {
				if e := r.edges[[2]Identifier{a.Identifier, b.Identifier}]; e != nil {
					out = append(out, *e)
				}
			}
		}
		return out
	}
	for _, k := range r.edgeOrder {
		if r.owner[k[0]] == p.ID && r.owner[k[1]] == p.ID {
			out = append(out, *r.edges[k])
		}
	}
	return out
}

// RehomedProfiles returns the profiles a re-homing split (PlanRehome)
// leaves of p: every part with p's traits and times, the kept part with
// p's merge count, the new ones with none.
func RehomedProfiles(p Profile, plan SplitPlan) []Profile {
	out := make([]Profile, len(plan.Parts))
	for i, part := range plan.Parts {
		q := p
		q.ID, q.Identifiers, q.Traits, q.MergeCount = part.ProfileID, part.Identifiers, maps.Clone(p.Traits), 0
		if part.Kept {
			q.MergeCount = p.MergeCount
		}
		out[i] = q
	}
	return out
}

// IdentifierCompany is the company an identifier keeps, to be stored.
type IdentifierCompany struct {
	Identifier Identifier
	Company    []Companion
}

// sharedResult adds to res the identifiers the batch showed shared and the
// companies that changed, sorted by identifier.
func (r *Resolver) sharedResult(res *Resolution) {
	res.Shared = r.marks
	ids := make([]Identifier, 0, len(r.kept))
	for id := range r.kept {
		ids = append(ids, id)
	}
	sort.Slice(ids, func(i, j int) bool { return ids[i].Less(ids[j]) })
	for _, id := range ids {
		res.Companies = append(res.Companies, IdentifierCompany{Identifier: id, Company: r.company[id]})
	}
}

// PlanRehome plans the split that re-homes what a newly shared identifier
// glued: every live link of the identifier is cut, and the profile falls
// into its components without them (SplitPlan: the part with the oldest
// identifier keeps the profile's id). An identifier that reached the
// profile only through the shared one, such as a child's anonymous id on a
// family tablet, is left in a part of its own, free to join the person who
// logs in with it. No never decision is recorded: the mark keeps the shared
// identifier apart. ok is false when there is nothing to split.
func PlanRehome(in SplitInput, m SharedMark, at time.Time, newID func() string) (plan SplitPlan, ok bool) {
	var cut []Edge
	for _, e := range in.Edges {
		if e.A == m.Identifier || e.B == m.Identifier {
			cut = append(cut, e)
		}
	}
	members := make([]Identifier, len(in.Profile.Identifiers))
	for i, s := range in.Profile.Identifiers {
		members[i] = s.Identifier
	}
	groups := Components(members, withoutEdges(in.Edges, cut))
	if len(groups) < 2 {
		return SplitPlan{}, false
	}
	return SplitPlan{
		ProfileID: in.Profile.ID, Cut: cut, Parts: splitParts(in.Profile, groups, newID),
		At: at, Actor: SharedActor, Reason: m.Sentence(),
	}, true
}

// SharedActor is the actor history names for re-homing: idgraph itself.
const SharedActor = "idgraph"

// CompanyFromJSON reads an identifier's company as stores keep it: one
// JSON text (CompanyJSON); "" is none.
func CompanyFromJSON(text string) ([]Companion, error) {
	if text == "" {
		return nil, nil
	}
	var out []Companion
	if err := json.Unmarshal([]byte(text), &out); err != nil {
		return nil, WrapError(EINTERNAL, err, "shared: read company")
	}
	return out, nil
}

// CompanyJSON is the JSON text a store keeps of an identifier's company.
func CompanyJSON(company []Companion) string {
	b, err := json.Marshal(company)
	if err != nil {
		panic(err) // a Companion always encodes
	}
	return string(b)
}
