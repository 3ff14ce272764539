package idgraph

import (
	"sort"
	"time"
)

// Working out what events do to the accounts collection: for a batch on
// the write path (AccountChanges), and for one account from its stored
// events (RebuildAccount, behind idgraph migrate-accounts). Both go through
// AccountChanges.add, so the two agree.

// AccountChanges is what a batch does to the accounts collection.
type AccountChanges struct {
	// Accounts are the accounts the batch names, by id, with what the
	// batch alone says of them: the group calls' traits and the times of
	// the first and last event that named each.
	Accounts []Account
	// Links are the user profiles the batch links to accounts, by account
	// then profile: each event's profile as it is at the end of the batch.
	Links []AccountLink
	// Moves send the links of every profile the batch merged away to the
	// live profile that took it (From: the merged profile, Into: the
	// survivor at the end of the batch).
	Moves []Merge

	accounts map[string]*Account
	links    map[[2]string]*AccountLink
}

// add records that an event named account id: a group call's traits
// become the account's (the newest value per key winning), the account
// spans the event's time, and each profile is linked, from the first and
// last event that named it.
func (ch *AccountChanges) add(id string, e StoredEvent, profileIDs ...string) {
	if ch.accounts == nil {
		ch.accounts, ch.links = map[string]*Account{}, map[[2]string]*AccountLink{}
	}
	t := e.Timestamp
	a := ch.accounts[id]
	if a == nil {
		a = &Account{ID: id, CreatedAt: t, UpdatedAt: t, Traits: Traits{}}
		ch.accounts[id] = a
	}
	a.CreatedAt, a.UpdatedAt = minTime(a.CreatedAt, t), maxTime(a.UpdatedAt, t)
	if e.Type == EventGroup {
		for k, v := range e.Traits {
			a.Traits.Set(k, Trait{Value: v, SourceID: e.SourceID, MessageID: e.MessageID, UpdatedAt: t})
		}
	}
	for _, pid := range profileIDs {
		l := AccountLink{ProfileID: pid, AccountID: id, FirstSeen: t, LastSeen: t, MessageID: e.MessageID, SourceID: e.SourceID}
		if old := ch.links[[2]string{id, pid}]; old != nil {
			old.Add(l)
		} else {
			ch.links[[2]string{id, pid}] = &l
		}
	}
}

// sorted fills Accounts, by id, and Links, by account then profile, with
// what add recorded, and returns the changes.
func (ch *AccountChanges) sorted() AccountChanges {
	ch.Accounts, ch.Links = ch.Accounts[:0], ch.Links[:0]
	for _, a := range ch.accounts {
		ch.Accounts = append(ch.Accounts, *a)
	}
	sort.Slice(ch.Accounts, func(i, j int) bool { return ch.Accounts[i].ID < ch.Accounts[j].ID })
	for _, l := range ch.links {
		ch.Links = append(ch.Links, *l)
	}
	sort.Slice(ch.Links, func(i, j int) bool {
		a, b := ch.Links[i], ch.Links[j]
		return a.AccountID < b.AccountID || a.AccountID == b.AccountID && a.ProfileID < b.ProfileID
	})
	return *ch
}

// AccountChanges works out what a resolved batch does to accounts: every
// event that names an account (AccountID) links the profile it joined, and
// a group call's traits become the account's; the links of the profiles the
// batch merged move to their survivor.
func (r Rules) AccountChanges(res Resolution) AccountChanges {
	into := map[string]string{}
	for _, m := range res.Merges {
		into[m.From] = m.Into
	}
	live := func(pid string) string {
		for n := 0; into[pid] != "" && n <= len(into); n++ {
			pid = into[pid]
		}
		return pid
	}
	var ch AccountChanges
	for _, m := range res.Merges {
		ch.Moves = append(ch.Moves, Merge{From: m.From, Into: live(m.From), At: m.At, MessageID: m.MessageID, SourceID: m.SourceID})
	}
	for _, e := range res.Events {
		id, ok := r.AccountID(e.Event)
		if !ok {
			continue
		}
		var pids []string
		if e.ProfileID != "" {
			pids = []string{live(e.ProfileID)}
		}
		ch.add(id, StoredEvent{Type: e.Type, MessageID: e.MessageID, SourceID: e.SourceID, Timestamp: e.Timestamp, Traits: e.Traits}, pids...)
	}
	return ch.sorted()
}

// AccountEvent is a stored event that named an account, with the live
// user profiles holding the identifiers it carried.
type AccountEvent struct {
	StoredEvent
	ProfileIDs []string
}

// RebuildAccount makes the account id and its links from the events that
// named it, as AccountChanges makes them event by event. Nothing when no
// event named it.
func RebuildAccount(id string, events []AccountEvent) AccountChanges {
	var ch AccountChanges
	for _, e := range events {
		ch.add(id, e.StoredEvent, e.ProfileIDs...)
	}
	return ch.sorted()
}

func minTime(a, b time.Time) time.Time {
	if b.Before(a) {
		return b
	}
	return a
}

func maxTime(a, b time.Time) time.Time {
	if b.After(a) {
		return b
	}
	return a
}
