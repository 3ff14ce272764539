package idgraph

// The changes corrections and deletes record in the feed; the resolver
// records those of events (Resolution.Changes).

// SplitChange is the profile.split change of a split: the profile split,
// every part it left, and the correction as evidence.
func SplitChange(plan SplitPlan) Change {
	return Change{
		Kind: ChangeProfileSplit, ProfileID: plan.ProfileID,
		Parts: changeParts(plan.Parts, nil), Evidence: correctionEvidence(plan),
	}
}

// RemovalChange is the identifier.removed change of a removal: the profile
// the identifier left, the parts it left behind (the identifier's own part
// among them unless suppressed, which deleted it), and the correction.
func RemovalChange(r Removal) Change {
	var gone *Identifier
	if r.Suppressed {
		gone = &r.Identifier
	}
	id := r.Identifier
	return Change{
		Kind: ChangeIdentifierRemoved, ProfileID: r.ProfileID, Identifier: &id,
		Suppressed: r.Suppressed, Parts: changeParts(r.Parts, gone), Evidence: correctionEvidence(r.SplitPlan),
	}
}

// DeletionChange is the profile.deleted change of a delete that actor
// asked for.
func DeletionChange(d Deletion, actor string) Change {
	return Change{
		Kind: ChangeProfileDeleted, ProfileID: d.ProfileID,
		Identifiers: d.Identifiers, Evidence: Evidence{Actor: actor},
	}
}

// changeParts lists a split's parts with their identifiers, leaving out
// the part that holds nothing but gone.
func changeParts(parts []SplitPart, gone *Identifier) []ChangePart {
	out := make([]ChangePart, 0, len(parts))
	for _, p := range parts {
		if gone != nil && len(p.Identifiers) == 1 && p.Identifiers[0].Identifier == *gone {
			continue
		}
		ids := make([]Identifier, len(p.Identifiers))
		for i, s := range p.Identifiers {
			ids[i] = s.Identifier
		}
		out = append(out, ChangePart{ProfileID: p.ProfileID, Identifiers: ids, Kept: p.Kept})
	}
	return out
}

func correctionEvidence(plan SplitPlan) Evidence {
	return Evidence{CorrectionID: plan.CorrectionID, Actor: plan.Actor, Reason: plan.Reason}
}
