package graph

import (
	"context"
	"fmt"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// maxSharedProfiles bounds the profiles a lookup by a shared identifier
// names.
const maxSharedProfiles = 20

// sharedLookup answers a profile lookup by a shared identifier: ECONFLICT
// saying it is shared and naming the profiles it was seen with, never
// silently one of them.
func (s *Store) sharedLookup(ctx context.Context, space string, id idgraph.Identifier) error {
	res, err := s.db.ReadQuery(ctx, "find shared profiles", cypher.Query("find_shared_profiles"),
		map[string]any{"space": space, "type": id.Type, "value": id.Value, "limit": maxSharedProfiles})
	if err != nil {
		return err
	}
	if len(res.Records) == 0 {
		return idgraph.Errorf(idgraph.ENOTFOUND, "no profile holds %s", id)
	}
	m, err := sharedMark(res.Records[0], id)
	if err != nil {
		return err
	}
	profiles, err := stringList(res.Records[0], "profiles")
	if err != nil {
		return err
	}
	return idgraph.Errorf(idgraph.ECONFLICT, "%s, so it names no one person: it was seen with %s; look a person up by an identifier of their own",
		m.Sentence(), seenWith(profiles))
}

// seenWith lists the profiles a shared identifier was seen with.
func seenWith(profiles []string) string {
	switch len(profiles) {
	case 0:
		return "no profile"
	case maxSharedProfiles:
		return fmt.Sprintf("profiles %s and more", strings.Join(profiles, ", "))
	}
	return "profiles " + strings.Join(profiles, ", ")
}

// sharedMark reads a shared identifier's mark from a record.
func sharedMark(rec *neo4j.Record, id idgraph.Identifier) (idgraph.SharedMark, error) {
	m := idgraph.SharedMark{Identifier: id}
	var err error
	since, err := value[time.Time](rec, "since")
	if err != nil {
		return m, err
	}
	m.Since = utc(since)
	if m.Reason, err = value[string](rec, "reason"); err != nil {
		return m, err
	}
	if m.Detail, err = value[string](rec, "detail"); err != nil {
		return m, err
	}
	if m.MessageID, err = value[string](rec, "message_id"); err != nil {
		return m, err
	}
	m.SourceID, err = value[string](rec, "source_id")
	return m, err
}
