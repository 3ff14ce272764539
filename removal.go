package idgraph

import "time"

// Removal is what taking one identifier out of its profile did: the split
// that cut its links (its own part first among the new ones, the rest of
// the profile keeping the profile id) and whether its value is suppressed.
type Removal struct {
	Identifier Identifier `json:"identifier"`
	Suppressed bool       `json:"suppressed"`
	SplitPlan
}

// PlanRemoval plans taking id out of the profile in in: every link of id is
// cut, and if id bridged parts of the profile those become profiles of
// their own. The profile's id stays with the rest of the profile (the part
// holding its oldest identifier other than id), whatever id's age. No never
// decision is made: without suppression a later event may bring id back.
// Errors as PlanSplit's.
func PlanRemoval(in SplitInput, id Identifier, reason string, rules Rules, actor string, at time.Time, newID func() string) (SplitPlan, error) {
	plan, err := PlanSplit(in, Split{Identifiers: []Identifier{id}, Forget: true, Reason: reason}, rules, actor, at, newID)
	if err != nil {
		return plan, err
	}
	if plan.Parts[0].Holds(id) {
		// The removed identifier was the oldest: the next part keeps the id.
		first, second := plan.Parts[0], plan.Parts[1]
		first.ProfileID, second.ProfileID = second.ProfileID, first.ProfileID
		first.Kept, second.Kept = false, true
		plan.Parts[0], plan.Parts[1] = second, first
	}
	return plan, nil
}
