package graph

import (
	"context"
	"encoding/json"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// Reading the accounts collection: (:Account) nodes and the user profiles
// linked to them by MEMBER_OF.

// Account returns the space's account with the given id. ENOTFOUND when
// there is none.
func (s *Store) Account(ctx context.Context, space, id string) (idgraph.Account, error) {
	res, err := s.db.ReadQuery(ctx, "find account", cypher.Query("find_account"), map[string]any{"space": space, "id": id})
	if err != nil {
		return idgraph.Account{}, err
	}
	if len(res.Records) == 0 {
		return idgraph.Account{}, noAccount(id)
	}
	return accountFromRecord(res.Records[0])
}

// AccountMembers returns the live user profiles linked to the account, by
// profile id, those after the profile id after (all when ""), at most
// limit, each with its identifiers. ENOTFOUND when the space has no such
// account.
func (s *Store) AccountMembers(ctx context.Context, space, id, after string, limit int) ([]idgraph.AccountMember, error) {
	res, err := s.db.ReadQuery(ctx, "list account members", cypher.Query("list_account_members"),
		map[string]any{"space": space, "id": id, "after": after, "limit": limit})
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, noAccount(id)
	}
	out := []idgraph.AccountMember{}
	for _, rec := range res.Records {
		l, err := accountLink(rec)
		if err != nil {
			return nil, err
		}
		if l.ProfileID == "" {
			continue
		}
		l.AccountID = id
		members, err := value[[]any](rec, "members")
		if err != nil {
			return nil, err
		}
		m := idgraph.AccountMember{Link: l, Identifiers: make([]idgraph.Sighting, len(members))}
		for i, v := range members {
			if m.Identifiers[i], err = sightingFromList(v); err != nil {
				return nil, idgraph.WrapError(idgraph.EINTERNAL, err, "profile %s: member %d", l.ProfileID, i)
			}
		}
		out = append(out, m)
	}
	return out, nil
}

// ProfileAccounts returns the links of the live profile holding id to its
// accounts, by account id. ENOTFOUND when no profile holds id.
func (s *Store) ProfileAccounts(ctx context.Context, space string, id idgraph.Identifier) ([]idgraph.AccountLink, error) {
	res, err := s.db.ReadQuery(ctx, "find profile accounts", cypher.Query("find_profile_accounts"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value})
	if err != nil {
		return nil, err
	}
	if len(res.Records) == 0 {
		return nil, idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	out := []idgraph.AccountLink{}
	for _, rec := range res.Records {
		l, err := accountLink(rec)
		if err != nil {
			return nil, err
		}
		if l.AccountID, err = value[string](rec, "account_id"); err != nil {
			return nil, err
		}
		if l.AccountID != "" {
			out = append(out, l)
		}
	}
	return out, nil
}

func noAccount(id string) error {
	return idgraph.Errorf(idgraph.ENOTFOUND, "no account %s:%s", idgraph.TypeGroupID, id)
}

// accountFromRecord reads an account's id, created_at, updated_at and
// traits (JSON).
func accountFromRecord(rec *neo4j.Record) (idgraph.Account, error) {
	a := idgraph.Account{Traits: idgraph.Traits{}}
	var err error
	if a.ID, err = value[string](rec, "id"); err != nil {
		return a, err
	}
	var created, updated time.Time
	if created, err = value[time.Time](rec, "created_at"); err != nil {
		return a, err
	}
	if updated, err = value[time.Time](rec, "updated_at"); err != nil {
		return a, err
	}
	a.CreatedAt, a.UpdatedAt = utc(created), utc(updated)
	traits, err := value[string](rec, "traits")
	if err != nil || traits == "" {
		return a, err
	}
	if err := json.Unmarshal([]byte(traits), &a.Traits); err != nil {
		return a, idgraph.WrapError(idgraph.EINTERNAL, err, "account %s: bad traits", a.ID)
	}
	return a, nil
}

// accountLink reads a MEMBER_OF link's columns: profile_id, first_seen,
// last_seen, message_id, source_id (all null when there is no link).
func accountLink(rec *neo4j.Record) (idgraph.AccountLink, error) {
	var l idgraph.AccountLink
	var err error
	if l.ProfileID, err = value[string](rec, "profile_id"); err != nil {
		return l, err
	}
	if l.MessageID, err = value[string](rec, "message_id"); err != nil {
		return l, err
	}
	if l.SourceID, err = value[string](rec, "source_id"); err != nil {
		return l, err
	}
	first, err := value[time.Time](rec, "first_seen")
	if err != nil {
		return l, err
	}
	last, err := value[time.Time](rec, "last_seen")
	l.FirstSeen, l.LastSeen = utc(first), utc(last)
	return l, err
}
