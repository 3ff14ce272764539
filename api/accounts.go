package api

import (
	"context"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// accountPath is the Profile API's path to an account of the accounts
// collection; :id is "group_id:<id>", the groupId of its group calls.
const accountPath = "/v1/spaces/:space/collections/accounts/profiles/:id"

// accountRoutes registers Segment's routes of the accounts collection:
// an account's traits and its links to users. Both want the read scope.
// A user's links to accounts sit with the other users' routes
// (profileRoutes).
func (s *Server) accountRoutes(r *gin.Engine) {
	a := r.Group(accountPath, s.requireToken)
	read := s.requireScope(idgraph.ScopeRead)
	a.GET("/traits", read, s.requireService(s.accounts), s.accountTraits)
	a.GET("/links", read, s.requireService(s.accounts), s.accountLinks)
}

// accountID returns the id of the account the path names: group_id:<id>
// is the one external id an account has.
func accountID(c *gin.Context) (string, error) {
	raw, err := rawParam(c, "id")
	if err != nil {
		return "", err
	}
	id, err := idgraph.ParseIdentifier(raw)
	if err != nil {
		return "", err
	}
	if id.Type != idgraph.TypeGroupID {
		return "", idgraph.Errorf(idgraph.EINVALID, "account %q: accounts are named %s:<id>", raw, idgraph.TypeGroupID)
	}
	return id.Value, nil
}

// accountTraits answers GET .../accounts/profiles/group_id:{id}/traits as
// a user's traits route does: the group calls' traits.
func (s *Server) accountTraits(c *gin.Context) {
	id, err := accountID(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.answerTraits(c, func(ctx context.Context) (idgraph.Traits, error) {
		a, err := s.accounts.Account(ctx, tokenSpace(c).ID, id)
		return a.Traits, err
	})
}

// profileLinksResponse is Segment's answer of a links route: the profiles of the
// other collection this profile is linked to.
type profileLinksResponse struct {
	Data   []profileLink `json:"data"`
	Cursor cursor        `json:"cursor"`
}

// profileLink is one linked profile: its collection and external ids, and
// for a user profile its id (ours).
type profileLink struct {
	ToCollection string       `json:"to_collection"`
	ProfileID    string       `json:"profile_id,omitempty"`
	ExternalIDs  []externalID `json:"external_ids"`
}

type accountLinksToken struct {
	ProfileID string `json:"p"`
}

// accountLinks answers GET .../accounts/profiles/group_id:{id}/links
// ?limit=&next=: the user profiles linked to the account, by profile id,
// each with its identifiers.
func (s *Server) accountLinks(c *gin.Context) {
	id, err := accountID(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var tok accountLinksToken
	limit, err := intParam(c, "limit", defaultPageLimit, maxPageLimit)
	if err == nil {
		_, err = nextToken(c, &tok)
	}
	if err != nil {
		s.writeError(c, err)
		return
	}
	space := tokenSpace(c)
	members, err := s.accounts.AccountMembers(c.Request.Context(), space.ID, id, tok.ProfileID, limit+1)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var next any
	if len(members) > limit {
		members = members[:limit]
		next = accountLinksToken{ProfileID: members[limit-1].Link.ProfileID}
	}
	names := sourceNames(space)
	data := make([]profileLink, len(members))
	for i, m := range members {
		data[i] = profileLink{ToCollection: idgraph.CollectionUsers, ProfileID: m.Link.ProfileID, ExternalIDs: make([]externalID, len(m.Identifiers))}
		for j, x := range m.Identifiers {
			data[i].ExternalIDs[j] = userExternalID(x, names)
		}
	}
	c.JSON(http.StatusOK, profileLinksResponse{Data: data, Cursor: newCursor(c, next)})
}

type profileLinksToken struct {
	AccountID string `json:"a"`
}

// profileLinks answers GET .../users/profiles/{type}:{value}/links
// ?limit=&next=: the accounts the user belongs to, by account id, each
// named by its one external id, group_id, with the event that first linked
// them (its source and message, and when).
func (s *Server) profileLinks(c *gin.Context) {
	var tok profileLinksToken
	id, limit, paged, err := pageParams(c, defaultPageLimit, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	space := tokenSpace(c)
	links, err := s.accounts.ProfileAccounts(c.Request.Context(), space.ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	var after func(idgraph.AccountLink) bool
	if paged {
		after = func(l idgraph.AccountLink) bool { return l.AccountID > tok.AccountID }
	}
	links, more := pageOf(links, after, limit)
	var next any
	if more {
		next = profileLinksToken{AccountID: links[len(links)-1].AccountID}
	}
	names := sourceNames(space)
	data := make([]profileLink, len(links))
	for i, l := range links {
		data[i] = profileLink{ToCollection: idgraph.CollectionAccounts, ExternalIDs: []externalID{{
			ID: l.AccountID, Type: idgraph.TypeGroupID, SourceID: l.SourceID, SourceName: names[l.SourceID],
			Collection: idgraph.CollectionAccounts, CreatedAt: l.FirstSeen, Encoding: "none", FirstMessageID: l.MessageID,
		}}}
	}
	c.JSON(http.StatusOK, profileLinksResponse{Data: data, Cursor: newCursor(c, next)})
}
