package main

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// groupEvents are two visitors' group calls for one company.
const groupEvents = `{"type":"group","messageId":"g1","anonymousId":"a1","groupId":"acme","traits":{"name":"Acme"},"timestamp":"2020-01-01T00:00:00Z"}
{"type":"group","messageId":"g2","anonymousId":"a2","groupId":"acme","timestamp":"2020-01-01T01:00:00Z"}
`

// gluedAsBefore rewrites the graph of groupEvents as versions before the
// accounts collection left it: group_id:acme is a user identifier, seen
// with both visitors, whose profiles are merged into one; no account.
const gluedAsBefore = `
MATCH (a1:Identifier {space: $space, type: 'anonymous_id', value: 'a1'})-[:IN_PROFILE]->(p1:Profile)
MATCH (a2:Identifier {space: $space, type: 'anonymous_id', value: 'a2'})-[r:IN_PROFILE]->(p2:Profile)
MATCH (e1:Event {space: $space, message_id: 'g1'}), (e2:Event {space: $space, message_id: 'g2'})
CREATE (g:Identifier {space: $space, type: 'group_id', value: 'acme', first_seen: e1.timestamp, last_seen: e2.timestamp,
                      first_source_id: 'segkicks', first_message_id: 'g1'})
CREATE (a1)-[:OBSERVED_WITH {first_seen: e1.timestamp, last_seen: e1.timestamp, count: 1, first_message_id: 'g1',
                             last_message_id: 'g1', source_ids: ['segkicks']}]->(g)
CREATE (a2)-[:OBSERVED_WITH {first_seen: e2.timestamp, last_seen: e2.timestamp, count: 1, first_message_id: 'g2',
                             last_message_id: 'g2', source_ids: ['segkicks']}]->(g)
CREATE (g)-[:IN_PROFILE]->(p1), (a2)-[:IN_PROFILE]->(p1), (e1)-[:CARRIED]->(g), (e2)-[:CARRIED]->(g)
CREATE (p2)-[:MERGED_INTO {at: e2.timestamp, message_id: 'g2', source_id: 'segkicks'}]->(p1)
SET p2.merged_into = p1.id, p2.merged_at = e2.timestamp
DELETE r
WITH DISTINCT 1 AS done
MATCH (a:Account {space: $space})
DETACH DELETE a`

func TestMigrateAccountsCommand(t *testing.T) {
	environ, space := spaceEnv(t)
	environ = append(environ, "USER=tester")
	file := filepath.Join(t.TempDir(), "groups.ndjson")
	if err := os.WriteFile(file, []byte(groupEvents), 0o600); err != nil {
		t.Fatal(err)
	}
	if code, out, errOut := idgraphCmd(t, environ, "load", "-space", space, "-source", "segkicks", file); code != 0 {
		t.Fatalf("load: exit %d\n%s%s", code, out, errOut)
	}
	db := graphtest.Open(t)
	if _, err := db.Query(context.Background(), "glue as before", gluedAsBefore, map[string]any{"space": space}); err != nil {
		t.Fatal(err)
	}
	glued := []string{"anonymous_id:a1", "anonymous_id:a2", "group_id:acme"}
	if got := profileOf(t, space, "anonymous_id:a2"); !slices.Equal(got, glued) {
		t.Fatalf("the old graph: a2's profile holds %v, want %v", got, glued)
	}
	code, out, _ := idgraphCmd(t, environ, "check", "-space", space)
	if code != 1 || !strings.Contains(out, "group_identifier: group_id:acme is a user identifier") || !strings.Contains(out, "migrate-accounts") {
		t.Errorf("check before: exit %d, want 1 naming group_id:acme and the migration:\n%s", code, out)
	}

	code, out, errOut := idgraphCmd(t, environ, "migrate-accounts", "-space", space, "-dry-run")
	if code != 0 || !strings.Contains(out, space+": group_id:acme would move out of profile ") ||
		!strings.Contains(out, "which falls into 2; account acme links 2 profiles\n") || !strings.Contains(out, "dry run, nothing written") {
		t.Errorf("dry run: exit %d\n%s%s", code, out, errOut)
	}
	if got := profileOf(t, space, "anonymous_id:a2"); !slices.Equal(got, glued) {
		t.Errorf("the dry run wrote: a2's profile holds %v", got)
	}

	code, out, errOut = idgraphCmd(t, environ, "migrate-accounts", "-space", space)
	if code != 0 || !strings.Contains(out, "group_id:acme moved out of profile ") || !strings.Contains(out, "(correction cor_") ||
		!strings.Contains(out, "space "+space+": 1 group ids moved to the accounts collection") {
		t.Errorf("migrate-accounts: exit %d\n%s%s", code, out, errOut)
	}
	for _, id := range []string{"anonymous_id:a1", "anonymous_id:a2"} {
		if got := profileOf(t, space, id); !slices.Equal(got, []string{id}) {
			t.Errorf("after the migration %s's profile holds %v, want itself alone", id, got)
		}
	}
	members, err := graph.NewStore(db).AccountMembers(context.Background(), space, "acme", "", 10)
	if err != nil || len(members) != 2 {
		t.Errorf("members of acme: %+v, %v; want a1's and a2's profiles", members, err)
	}
	if code, out, errOut := idgraphCmd(t, environ, "check", "-space", space); code != 0 {
		t.Errorf("check after: exit %d\n%s%s", code, out, errOut)
	}
	if code, _, errOut := idgraphCmd(t, environ, "migrate-accounts", "-space", space, "-actor", " "); code != 2 || !strings.Contains(errOut, "-actor") {
		t.Errorf("empty -actor: exit %d, want 2 naming -actor:\n%s", code, errOut)
	}
}
