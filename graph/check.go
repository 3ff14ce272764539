package graph

import (
	"context"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// maxViolations bounds how many violations of each kind Check reports.
const maxViolations = 1000

// Check verifies a space's invariants (DESIGN.md section 3) by recomputing
// its connected components with Cypher: every identifier is in exactly one
// live profile; every profile is exactly one component over OBSERVED_WITH
// and every component one profile; no REJECTED pair still in force shares a
// profile; no never decision's pair shares a profile and every always
// decision's pair does; no profile breaks a limit or a cap; no group_id is
// a user identifier and no merged profile keeps an account link; no shared
// identifier keeps a link or a companion in its profile.
func (s *Store) Check(ctx context.Context, space idgraph.Space, progress func(idgraph.Progress)) (idgraph.CheckReport, error) {
	start := time.Now()
	var rep idgraph.CheckReport
	space, err := s.underActiveRules(ctx, space)
	if err != nil {
		return rep, err
	}
	if err := s.labelComponents(ctx, space.ID, progress); err != nil {
		return rep, err
	}
	params := map[string]any{"space": space.ID, "max": maxViolations}
	checks := []struct {
		stage string
		query string
		read  func(*neo4j.Record) (idgraph.Violation, error)
	}{
		{"memberships", "check_memberships", membershipViolation},
		{"components", "check_components", componentViolation},
		{"rejections", "check_rejections", rejectionViolation},
		{"decisions", "check_decisions", decisionViolation},
		{"accounts", "check_accounts", accountViolation},
		{"shared identifiers", "check_shared", sharedViolation},
	}
	for i, c := range checks {
		report(progress, idgraph.Progress{Stage: "check " + c.stage, Done: i, Total: len(checks) + 1})
		res, err := s.db.ReadQuery(ctx, "check "+c.stage, cypher.Query(c.query), params)
		if err != nil {
			return rep, err
		}
		for _, rec := range res.Records {
			v, err := c.read(rec)
			if err != nil {
				return rep, translate(err, "check %s", c.stage)
			}
			rep.Violations = append(rep.Violations, v)
		}
	}
	report(progress, idgraph.Progress{Stage: "check limits", Done: len(checks), Total: len(checks) + 1})
	limits, err := s.checkLimits(ctx, space)
	if err != nil {
		return rep, err
	}
	rep.Violations = append(rep.Violations, limits...)

	res, err := s.db.ReadQuery(ctx, "count space", cypher.Query("count_space"), map[string]any{"space": space.ID})
	if err != nil {
		return rep, err
	}
	if len(res.Records) == 1 {
		rec := res.Records[0]
		for key, dst := range map[string]*int{"profiles": &rep.Profiles, "identifiers": &rep.Identifiers, "components": &rep.Components} {
			n, err := value[int64](rec, key)
			if err != nil {
				return rep, err
			}
			*dst = int(n)
		}
	}
	rep.Took = time.Since(start)
	return rep, nil
}

func membershipViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	id, err := recordIdentifier(rec)
	if err != nil {
		return idgraph.Violation{}, err
	}
	n, err := value[int64](rec, "profiles")
	if err != nil {
		return idgraph.Violation{}, err
	}
	merged, err := value[bool](rec, "merged")
	if err != nil {
		return idgraph.Violation{}, err
	}
	detail := fmt.Sprintf("%s belongs to %d profiles, want 1", id, n)
	if merged {
		detail = fmt.Sprintf("%s belongs to a merged profile", id)
	}
	return idgraph.Violation{Kind: "membership", Detail: detail}, nil
}

func componentViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	kind, err := value[string](rec, "kind")
	if err != nil {
		return idgraph.Violation{}, err
	}
	key, err := value[string](rec, "key")
	if err != nil {
		return idgraph.Violation{}, err
	}
	n, err := value[int64](rec, "count")
	if err != nil {
		return idgraph.Violation{}, err
	}
	sample, err := value[[]any](rec, "sample")
	if err != nil {
		return idgraph.Violation{}, err
	}
	if kind == "split" {
		return idgraph.Violation{Kind: "split_profile", ProfileID: key,
			Detail: fmt.Sprintf("profile %s holds %d separate components (e.g. %s)", key, n, joinAny(sample))}, nil
	}
	return idgraph.Violation{Kind: "split_component",
		Detail: fmt.Sprintf("one connected component lies in %d profiles: %s", n, joinAny(sample))}, nil
}

func rejectionViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	var f [4]string
	for i, key := range []string{"from", "to", "rule", "profile_id"} {
		v, err := value[string](rec, key)
		if err != nil {
			return idgraph.Violation{}, err
		}
		f[i] = v
	}
	return idgraph.Violation{Kind: "rejected_pair", ProfileID: f[3],
		Detail: fmt.Sprintf("%s and %s share profile %s although %s rejected the link", f[0], f[1], f[3], f[2])}, nil
}

func sharedViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	id, err := recordIdentifier(rec)
	if err != nil {
		return idgraph.Violation{}, err
	}
	reason, err := value[string](rec, "reason")
	if err != nil {
		return idgraph.Violation{}, err
	}
	pid, err := value[string](rec, "profile_id")
	if err != nil {
		return idgraph.Violation{}, err
	}
	var n [2]int64
	for i, key := range []string{"links", "members"} {
		if n[i], err = value[int64](rec, key); err != nil {
			return idgraph.Violation{}, err
		}
	}
	return idgraph.Violation{Kind: "shared_joins", ProfileID: pid,
		Detail: fmt.Sprintf("%s is shared (%s) yet keeps %d observed-together links and shares profile %s with %d other identifiers; a shared identifier joins nothing",
			id, reason, n[0], pid, n[1]-1)}, nil
}

func decisionViolation(rec *neo4j.Record) (idgraph.Violation, error) {
	var f [6]string
	for i, key := range []string{"id", "decision", "a", "b", "a_profile_id", "b_profile_id"} {
		v, err := value[string](rec, key)
		if err != nil {
			return idgraph.Violation{}, err
		}
		f[i] = v
	}
	if f[1] == idgraph.DecisionNever {
		return idgraph.Violation{Kind: "never_together", ProfileID: f[4],
			Detail: fmt.Sprintf("%s and %s share profile %s although the never decision %s keeps them apart", f[2], f[3], f[4], f[0])}, nil
	}
	return idgraph.Violation{Kind: "always_apart", ProfileID: f[4],
		Detail: fmt.Sprintf("%s (profile %s) and %s (profile %s) are apart although the always decision %s keeps them together", f[2], f[4], f[3], f[5], f[0])}, nil
}

// checkLimits finds live profiles over a per-type limit (within the type's
// window) or over the caps.
func (s *Store) checkLimits(ctx context.Context, space idgraph.Space) ([]idgraph.Violation, error) {
	rules := space.Rules
	limits := map[string]any{}
	for typ := range rules.Types {
		n, _ := rules.Limit(typ)
		limits[typ] = n
	}
	res, err := s.db.ReadQuery(ctx, "check limits", cypher.Query("check_limits"), map[string]any{
		"space": space.ID, "limits": limits, "default_limit": idgraph.DefaultLimit,
		"max_merges": rules.MaxMerges, "max_identifiers": rules.MaxIdentifiers,
	})
	if err != nil {
		return nil, err
	}
	var out []idgraph.Violation
	capped := map[string]bool{}
	for _, rec := range res.Records {
		pid, err := value[string](rec, "profile_id")
		if err != nil {
			return nil, err
		}
		typ, err := value[string](rec, "type")
		if err != nil {
			return nil, err
		}
		seen, err := value[[]any](rec, "seen")
		if err != nil {
			return nil, err
		}
		merges, err := value[int64](rec, "merge_count")
		if err != nil {
			return nil, err
		}
		ids, err := value[int64](rec, "identifiers")
		if err != nil {
			return nil, err
		}
		if !capped[pid] {
			capped[pid] = true
			if rules.MaxMerges > 0 && int(merges) > rules.MaxMerges {
				out = append(out, idgraph.Violation{Kind: "max_merges", ProfileID: pid,
					Detail: fmt.Sprintf("profile %s has %d merges; the cap is %d", pid, merges, rules.MaxMerges)})
			}
			if rules.MaxIdentifiers > 0 && int(ids) > rules.MaxIdentifiers {
				out = append(out, idgraph.Violation{Kind: "max_identifiers", ProfileID: pid,
					Detail: fmt.Sprintf("profile %s holds %d identifiers; the cap is %d", pid, ids, rules.MaxIdentifiers)})
			}
		}
		limit, window := rules.Limit(typ)
		if n := mostInWindow(times(seen), window); n > limit {
			out = append(out, idgraph.Violation{Kind: "limit", ProfileID: pid,
				Detail: fmt.Sprintf("profile %s holds %d %s values within one %s window; the limit is %d", pid, n, typ, window, limit)})
		}
	}
	return out, nil
}

// mostInWindow returns the largest number of times that fit in one window.
func mostInWindow(ts []time.Time, w idgraph.Window) int {
	if w == idgraph.WindowEver {
		return len(ts)
	}
	sort.Slice(ts, func(i, j int) bool { return ts[i].Before(ts[j]) })
	most, lo := 0, 0
	for hi, t := range ts {
		for ts[lo].Before(w.Since(t)) {
			lo++
		}
		most = max(most, hi-lo+1)
	}
	return most
}

func times(vs []any) []time.Time {
	out := make([]time.Time, 0, len(vs))
	for _, v := range vs {
		if t, ok := v.(time.Time); ok {
			out = append(out, t)
		}
	}
	return out
}

func joinAny(vs []any) string {
	parts := make([]string, len(vs))
	for i, v := range vs {
		parts[i] = fmt.Sprint(v)
	}
	return strings.Join(parts, ", ")
}
