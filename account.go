package idgraph

import "time"

// The accounts collection, as in Segment: a group call links the user who
// makes it to an account, named by the call's groupId (group_id:<id> in the
// Profile API's paths), and its traits are the account's. An account never
// joins users into one profile: group_id is no user identifier (Extract
// leaves it out), since joining people through a company id would make one
// person of the whole company.

// The Profile API's collections.
const (
	CollectionUsers    = "users"
	CollectionAccounts = "accounts"
)

// Account is one account of the accounts collection: Traits come from the
// group calls that name it, the newest value per key winning.
type Account struct {
	ID        string    `json:"id"`
	CreatedAt time.Time `json:"created_at"`
	UpdatedAt time.Time `json:"updated_at"`
	Traits    Traits    `json:"traits"`
}

// AccountLink says that a user profile belongs to an account: the events
// that named the account, first and last, and the first of them (its
// message and source) as evidence.
type AccountLink struct {
	ProfileID string    `json:"profile_id"`
	AccountID string    `json:"account_id"`
	FirstSeen time.Time `json:"first_seen"`
	LastSeen  time.Time `json:"last_seen"`
	MessageID string    `json:"message_id"`
	SourceID  string    `json:"source_id"`
}

// Add folds other, a link between the same two, into l: the earlier first
// sighting keeps its evidence.
func (l *AccountLink) Add(other AccountLink) {
	if other.FirstSeen.Before(l.FirstSeen) {
		l.FirstSeen, l.MessageID, l.SourceID = other.FirstSeen, other.MessageID, other.SourceID
	}
	if other.LastSeen.After(l.LastSeen) {
		l.LastSeen = other.LastSeen
	}
}

// AccountMember is a user profile linked to an account, with its
// identifiers.
type AccountMember struct {
	Link        AccountLink `json:"link"`
	Identifiers []Sighting  `json:"identifiers"`
}

// AccountID returns the account an event names: its groupId, trimmed, unless
// the rules block it as they would a group_id identifier (junk such as
// "null") or it is too long to be an id. Every group call carries one;
// another event that carries a groupId names its account too.
func (r Rules) AccountID(e Event) (string, bool) {
	id := NormalizeIdentifier(TypeGroupID, e.GroupID)
	if id.Value == "" || len(id.Value) > MaxIdentifierBytes || r.IsBlocked(id) {
		return "", false
	}
	return id.Value, true
}

// AccountMigration is what idgraph migrate-accounts did with one group_id
// identifier of an older version, which joined the people of a company into
// one profile: the correction that took it out of its user profile (cutting
// its links and splitting what it alone held together), and the account it
// became, linked to the profiles of the events that named it.
type AccountMigration struct {
	AccountID string `json:"account_id"`
	// ProfileID is the user profile the group_id was in; empty when none.
	ProfileID string `json:"profile_id,omitempty"`
	// Removal is the identifier_removed correction; nil when the group_id
	// was its profile's only identifier (that profile goes with it).
	Removal *SplitPlan `json:"removal,omitempty"`
	// Linked are the user profiles now linked to the account.
	Linked []string `json:"linked"`
}
