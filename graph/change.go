package graph

import (
	"context"
	"encoding/json"
	"strings"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
)

// The change feed: every write appends what it changed as (:Change) nodes,
// numbered per space by its (:Feed) node, in the same transaction
// (append_changes.cypher says how the numbers follow commit order).

// appendChanges appends changes to the space's feed through tx's runner.
// It locks the feed, so it comes after every other lock the transaction
// takes: after it, a transaction touches only what it already locked or
// created.
func appendChanges(ctx context.Context, tx writeTx, space string, changes []idgraph.Change) error {
	if len(changes) == 0 {
		return nil
	}
	_, err := tx.run(ctx, "append_changes", map[string]any{"space": space, "changes": changeRows(changes)})
	return err
}

// changeDetail is what a Change node keeps as JSON in detail: the lists a
// property cannot hold.
type changeDetail struct {
	Parts       []idgraph.ChangePart `json:"parts,omitempty"`
	Identifiers []idgraph.Identifier `json:"identifiers,omitempty"`
}

// changeRows turns changes into append_changes rows, leaving out the keys
// a change has no value for.
func changeRows(changes []idgraph.Change) []map[string]any {
	rows := make([]map[string]any, len(changes))
	for i, c := range changes {
		row := map[string]any{"kind": c.Kind, "profile_id": c.ProfileID}
		for k, v := range map[string]string{
			"from": c.From, "into": c.Into, "message_id": c.Evidence.MessageID, "source_id": c.Evidence.SourceID,
			"correction_id": c.Evidence.CorrectionID, "actor": c.Evidence.Actor, "reason": c.Evidence.Reason,
		} {
			if v != "" {
				row[k] = v
			}
		}
		if c.Identifier != nil {
			row["identifier"] = c.Identifier.String()
		}
		if c.Suppressed {
			row["suppressed"] = true
		}
		if len(c.Parts) > 0 || len(c.Identifiers) > 0 {
			row["detail"] = jsonText(changeDetail{Parts: c.Parts, Identifiers: c.Identifiers})
		}
		rows[i] = row
	}
	return rows
}

// Changes returns the space's changes numbered after after, in order, at
// most limit (see idgraph.ChangeService).
func (s *Store) Changes(ctx context.Context, space string, after int64, limit int) ([]idgraph.Change, error) {
	res, err := s.db.ReadQuery(ctx, "list changes", cypher.Query("list_changes"),
		map[string]any{"space": space, "after": after, "limit": limit})
	if err != nil {
		return nil, err
	}
	out := make([]idgraph.Change, len(res.Records))
	for i, rec := range res.Records {
		if out[i], err = changeFromRecord(rec); err != nil {
			return nil, err
		}
	}
	return out, nil
}

func changeFromRecord(rec *neo4j.Record) (idgraph.Change, error) {
	var c idgraph.Change
	var err error
	if c.Seq, err = value[int64](rec, "seq"); err != nil {
		return c, err
	}
	c.Cursor = idgraph.ChangeCursor(c.Seq)
	for key, dst := range map[string]*string{
		"id": &c.ID, "kind": &c.Kind, "profile_id": &c.ProfileID, "from": &c.From, "into": &c.Into,
		"message_id": &c.Evidence.MessageID, "source_id": &c.Evidence.SourceID,
		"correction_id": &c.Evidence.CorrectionID, "actor": &c.Evidence.Actor, "reason": &c.Evidence.Reason,
	} {
		if *dst, err = value[string](rec, key); err != nil {
			return c, err
		}
	}
	at, err := value[time.Time](rec, "at")
	if err != nil {
		return c, err
	}
	c.At = utc(at)
	if c.Suppressed, err = value[bool](rec, "suppressed"); err != nil {
		return c, err
	}
	id, err := value[string](rec, "identifier")
	if err != nil {
		return c, err
	}
	if id != "" {
		t, v, _ := strings.Cut(id, ":")
		c.Identifier = &idgraph.Identifier{Type: t, Value: v}
	}
	return c, changeDetailFrom(rec, &c)
}

// changeDetailFrom reads the detail column into c's lists.
func changeDetailFrom(rec *neo4j.Record, c *idgraph.Change) error {
	text, err := value[string](rec, "detail")
	if err != nil || text == "" {
		return err
	}
	var d changeDetail
	if err := json.Unmarshal([]byte(text), &d); err != nil {
		return idgraph.WrapError(idgraph.EINTERNAL, err, "change %s: bad detail", c.ID)
	}
	c.Parts, c.Identifiers = d.Parts, d.Identifiers
	return nil
}
