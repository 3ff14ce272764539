package idgraph

import "context"

// The services below keep the identity graph, split by what their callers
// need: a caller depends on the few methods it uses, and a test fake
// implements just those. graph/ implements them all on Neo4j (graph.Store);
// api/ serves them over HTTP, ingest/ writes through ResolutionService, and
// cmd/idgraph's check and rebuild use IntegrityService.
//
// Every method returns EUNAVAILABLE when the database cannot be reached and
// EINTERNAL for anything unexpected; other codes are listed per method.

// ResolutionService applies events to the identity graph.
type ResolutionService interface {
	// Resolve applies a batch of events from one source, in order, to the
	// space's identity graph: identifiers, evidence edges, events, profiles,
	// merges and rejections, all committed together. Events already stored
	// for the source (same message id) are counted as duplicates and change
	// nothing.
	Resolve(ctx context.Context, space Space, source Source, events []Event) (BatchResult, error)
}

// LockedResolutionService is a ResolutionService that can hold the space's
// write lock before a batch is chosen. ResolveLocked opens the write
// transaction, waits for the space's lock (other replicas' transactions on
// the space go first), and only then calls batch for the events to apply,
// once however often the transaction is retried; an empty batch commits
// nothing. The batch may hold several sources' events, each source's in
// the order it sent them, all committed together; loaded counts the events
// loaded by source id (BatchResult.Loaded is their sum). A writer that
// sends through it keeps filling its queue while another replica writes
// the space, so replicas taking turns still write large batches. Errors:
// as Resolve.
type LockedResolutionService interface {
	ResolveLocked(ctx context.Context, space Space, batch func() []SourceEvents) (res BatchResult, loaded map[string]int, err error)
}

// SourceEvents are events of one source, in the order it sent them: one
// writer's call, or consecutive calls of one source, within a batch.
type SourceEvents struct {
	Source Source
	Events []Event
}

// ProfileService reads a profile: its identifiers and traits, its
// metadata, and its graph.
type ProfileService interface {
	// Profile returns the live profile holding id, with its identifiers and
	// traits. ENOTFOUND when no profile holds it.
	Profile(ctx context.Context, space string, id Identifier) (Profile, error)

	// Metadata returns when the profile holding id was created and last
	// updated, its first and last events and its merge count. ENOTFOUND when
	// no profile holds id.
	Metadata(ctx context.Context, space string, id Identifier) (Metadata, error)

	// Graph returns the identifiers of the profile holding id and the edges
	// between them, at most limit nodes (DefaultGraphNodes when limit is
	// zero or less, never more than MaxGraphNodes). ENOTFOUND when no
	// profile holds id.
	Graph(ctx context.Context, space string, id Identifier, limit int) (ProfileGraph, error)

	// Locate finds a profile by its own id: the live profile it is, or the
	// one it was merged into (Merged), and one of that profile's members to
	// look it up by. ENOTFOUND when the space has no such profile.
	Locate(ctx context.Context, space, profileID string) (ProfileLocation, error)
}

// AccountService reads the accounts collection: the accounts group calls
// name and the user profiles linked to them.
type AccountService interface {
	// Account returns the space's account with the given id (a groupId),
	// with its traits. ENOTFOUND when there is none.
	Account(ctx context.Context, space, id string) (Account, error)

	// AccountMembers returns the live user profiles linked to the account,
	// by profile id, those after the profile id after (all when ""), at
	// most limit, each with its identifiers. ENOTFOUND when the space has
	// no such account.
	AccountMembers(ctx context.Context, space, id, after string, limit int) ([]AccountMember, error)

	// ProfileAccounts returns the links of the profile holding id to its
	// accounts, by account id. ENOTFOUND when no profile holds id.
	ProfileAccounts(ctx context.Context, space string, id Identifier) ([]AccountLink, error)
}

// EventService reads a profile's timeline.
type EventService interface {
	// Events returns the events of the profile holding id, newest first.
	// ENOTFOUND when no profile holds id.
	Events(ctx context.Context, space string, id Identifier, q EventQuery) ([]StoredEvent, error)
}

// ExplanationService says why two identifiers are, or are not, one
// customer.
type ExplanationService interface {
	// Explain says why from and to share a profile (the shortest chain of
	// evidence between them, at most MaxExplainHops links) or why they do
	// not (the rejections between their profiles). ENOTFOUND when no profile
	// holds from or to.
	Explain(ctx context.Context, space string, from, to Identifier) (Explanation, error)
}

// HistoryService reads how a profile grew.
type HistoryService interface {
	// History returns how the profile holding id grew, in history order
	// (SortHistory: oldest first). ENOTFOUND when no profile holds id.
	History(ctx context.Context, space string, id Identifier) ([]HistoryEntry, error)
}

// DeletionService forgets a person.
type DeletionService interface {
	// Delete removes the profile holding id (identifiers, edges, events,
	// membership, merge history), acting for actor, and suppresses its
	// identifier values so later events cannot bring them back. ENOTFOUND
	// when no profile holds id.
	Delete(ctx context.Context, space string, id Identifier, actor string) (Deletion, error)
}

// IntegrityService keeps the materialised profiles equal to the graph's
// connected components.
type IntegrityService interface {
	// Check verifies the graph's invariants for a space under its rules; a
	// broken invariant is a Violation in the report, not an error.
	Check(ctx context.Context, space Space, progress func(Progress)) (CheckReport, error)

	// Rebuild recomputes every profile of a space from the edges.
	Rebuild(ctx context.Context, space Space, progress func(Progress)) (RebuildReport, error)
}

// CorrectionService corrects profiles by hand. Every correction keeps its
// evidence (cut links are marked, never deleted) and is recorded with its
// actor and reason.
type CorrectionService interface {
	// Split divides the profile holding id as s asks (PlanSplit), acting
	// for actor: it cuts the links, moves each part into a profile of its
	// own with traits rebuilt from its own events, and records the never
	// decisions. With preview it answers the same and writes nothing.
	// ENOTFOUND when no profile holds id, or an Event split names no
	// stored event; ECONFLICT naming identifiers or links not in the
	// profile; EINVALID when the split would move every identifier or none.
	Split(ctx context.Context, space Space, id Identifier, s Split, actor string, preview bool) (SplitPlan, error)

	// Remove takes id out of the profile holding profile (PlanRemoval),
	// acting for actor: its links are cut as evidence, and the parts it
	// bridged become profiles of their own. With suppress its value is
	// also suppressed, as a whole-profile delete does. ENOTFOUND when no
	// profile holds profile; ECONFLICT when id is not in it; EINVALID when
	// it is the profile's only identifier.
	Remove(ctx context.Context, space Space, profile, id Identifier, reason, actor string, suppress bool) (Removal, error)
}

// LinkService keeps never and always decisions between two identifiers.
type LinkService interface {
	// Link records d, acting for d.Actor. A never decision between two
	// identifiers that share a profile is ECONFLICT naming the minimum cut
	// that would separate them, unless split, which applies that cut first.
	// An always decision joins the two now, with manual evidence, under the
	// rules' limits: ECONFLICT naming the rule that refuses it. ECONFLICT
	// when d contradicts a decision between the same two (naming it);
	// ENOTFOUND when a or b is no identifier of the space. The same decision
	// made again is answered, not repeated (Created false).
	Link(ctx context.Context, space Space, d LinkDecision, split bool) (LinkResult, error)

	// Links lists the space's decisions, oldest first, those naming about
	// when it is set, at most limit, after the cursor when set.
	Links(ctx context.Context, space string, about *Identifier, after *LinkCursor, limit int) ([]LinkDecision, error)

	// Unlink removes the decision with the given id, acting for actor, and
	// answers it. ENOTFOUND when the space has no such decision.
	Unlink(ctx context.Context, space Space, id, actor string) (LinkDecision, error)
}

// HealthService reports on a space as a whole.
type HealthService interface {
	// Health computes the space's health report (HealthReport) from the
	// graph, with bounded queries over the space's indexes; a space with
	// nothing in it answers zeros and empty lists, not ENOTFOUND.
	Health(ctx context.Context, space string) (HealthReport, error)
}

// LogService reads a space's logs, newest first by (time, key), a page at a
// time (LogQuery): each page holds at most q.Size() entries and the cursor
// of its last when more follow. Errors: EINVALID naming the field at fault
// (q.Validate).
type LogService interface {
	// Merges lists the space's merges (MERGED_INTO), by when they happened.
	Merges(ctx context.Context, space string, q LogQuery) (LogPage[MergeEntry], error)

	// Rejections lists the links the rules refused (REJECTED), by when each
	// was first refused.
	Rejections(ctx context.Context, space string, q RejectionQuery) (LogPage[RejectionEntry], error)

	// Corrections lists the corrections people made (Correction), by when.
	Corrections(ctx context.Context, space string, q CorrectionQuery) (LogPage[Correction], error)
}
