package api_test

import (
	"context"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
)

// explainStore answers one explanation, whoever asks.
type explainStore struct {
	*profileStore
	x idgraph.Explanation
}

func (s explainStore) Explain(_ context.Context, _ string, from, to idgraph.Identifier) (idgraph.Explanation, error) {
	x := s.x
	x.From, x.To = from, to
	return x, nil
}

// TestExplainNamesDecisions checks that the summary names the never
// decision that keeps two identifiers apart, the links cut between them and
// the always decision that joined two, and that each answer is the
// documented shape.
func TestExplainNamesDecisions(t *testing.T) {
	doc := openapiDoc(t)
	at := t0.Add(24 * time.Hour)
	b1 := idgraph.Identifier{Type: "anonymous_id", Value: "b1"}
	kiosk := idgraph.Identifier{Type: "android.id", Value: "kiosk"}
	never := idgraph.DecisionRef{LinkDecision: idgraph.LinkDecision{ID: "lnk_1", A: b1, B: uid, Decision: idgraph.DecisionNever, Reason: "kiosk", Actor: "ops", At: at}}
	always := idgraph.DecisionRef{LinkDecision: idgraph.LinkDecision{ID: "lnk_2", A: anon, B: uid, Decision: idgraph.DecisionAlways, Reason: "same browser", Actor: "ops", At: at}}
	manual := idgraph.EventRef{MessageID: "lnk_2", Type: idgraph.ManualEventType, SourceID: idgraph.ManualSourceID, Timestamp: at}
	cut := idgraph.CutRef{From: kiosk, To: b1, Count: 1, At: at, Actor: "ops", Reason: "kiosk", CorrectionID: "cor_1"}
	rejection := idgraph.RejectionRef{From: b1, To: kiosk, Rule: idgraph.RuleManualNever, At: at, Count: 1,
		Detail: "never decision lnk_1 by ops: anonymous_id:b1 and user_id:u1 are never in one profile",
		Event:  idgraph.EventRef{MessageID: "s9", Type: "track", Event: "Viewed", SourceID: "segkicks", Timestamp: at}}
	removed := always
	removed.Removed = true
	tests := []struct {
		name string
		x    idgraph.Explanation
		want string
	}{
		{"kept apart by a never decision", idgraph.Explanation{FromProfile: "prf_1", ToProfile: "prf_2", Decisions: []idgraph.DecisionRef{never}},
			"user_id:u1 (profile prf_1) and anonymous_id:a1 (profile prf_2) are kept apart by the never decision lnk_1 by ops (kiosk): anonymous_id:b1 and user_id:u1 are never in one profile."},
		{"never, refusals and cuts", idgraph.Explanation{FromProfile: "prf_1", ToProfile: "prf_2", Decisions: []idgraph.DecisionRef{never},
			Rejections: []idgraph.RejectionRef{rejection}, Cuts: []idgraph.CutRef{cut}},
			"user_id:u1 (profile prf_1) and anonymous_id:a1 (profile prf_2) are kept apart by the never decision lnk_1 by ops (kiosk): anonymous_id:b1 and user_id:u1 are never in one profile. " +
				"Refused since: rule manual:never refused to join anonymous_id:b1 with android.id:kiosk in s9 (track \"Viewed\" from segkicks at 2020-01-02T00:00:00Z) (never decision lnk_1 by ops: anonymous_id:b1 and user_id:u1 are never in one profile). " +
				"Links cut between them: the link android.id:kiosk - anonymous_id:b1 (1 event) was cut by ops at 2020-01-02T00:00:00Z (kiosk), correction cor_1."},
		{"split apart, nothing more", idgraph.Explanation{FromProfile: "prf_1", ToProfile: "prf_2", Cuts: []idgraph.CutRef{cut}},
			"user_id:u1 (profile prf_1) and anonymous_id:a1 (profile prf_2) were split apart. Links cut between them: the link android.id:kiosk - anonymous_id:b1 (1 event) was cut by ops at 2020-01-02T00:00:00Z (kiosk), correction cor_1."},
		{"joined by an always decision", idgraph.Explanation{Together: true, FromProfile: "prf_1", ToProfile: "prf_1",
			Path: []idgraph.Hop{{From: uid, To: anon, Count: 1, SourceIDs: []string{idgraph.ManualSourceID}, FirstEvent: manual, LastEvent: manual, Decision: &always}}},
			"user_id:u1 and anonymous_id:a1 are in profile prf_1 through 1 link: user_id:u1 and anonymous_id:a1 were joined by the always decision lnk_2 by ops (same browser)."},
		{"joined by a removed always decision, seen since", idgraph.Explanation{Together: true, FromProfile: "prf_1", ToProfile: "prf_1",
			Path: []idgraph.Hop{{From: uid, To: anon, Count: 3, SourceIDs: []string{idgraph.ManualSourceID, "segkicks"}, FirstEvent: manual, LastEvent: evB, Decision: &removed}}},
			"user_id:u1 and anonymous_id:a1 are in profile prf_1 through 1 link: user_id:u1 and anonymous_id:a1 were joined by the always decision lnk_2 by ops (same browser), since removed, " +
				"and seen together in 3 events in all, last in m2 (identify from segkicks at 2020-01-01T01:00:00Z)."},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			store := explainStore{profileStore: newProfileStore(), x: tt.x}
			rec := call(t, store, testSpaces(t), "GET", usersPath+"user_id:u1/explain?to=anonymous_id:a1", alphaToken)
			if rec.Code != 200 {
				t.Fatalf("status %d body %s", rec.Code, rec.Body)
			}
			checkAnswer(t, doc, "GET", "/v1/spaces/{space}/collections/users/profiles/{id}/explain", rec)
			var got struct {
				Summary   string `json:"summary"`
				Decisions []any  `json:"decisions"`
				Cuts      []any  `json:"cuts"`
			}
			decode(t, rec, &got)
			if got.Summary != tt.want {
				t.Errorf("summary:\n got %q\nwant %q", got.Summary, tt.want)
			}
			if got.Decisions == nil || got.Cuts == nil {
				t.Errorf("decisions %v, cuts %v: want lists, empty when there is none", got.Decisions, got.Cuts)
			}
		})
	}
}
