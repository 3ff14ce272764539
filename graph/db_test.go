package graph_test

import (
	"context"
	"net"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

// closedPort returns a loopback address on which nothing listens.
func closedPort(t *testing.T) string {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatalf("listen: %v", err)
	}
	addr := ln.Addr().String()
	ln.Close()
	return addr
}

func TestOpenTranslatesFailures(t *testing.T) {
	good := graphtest.Config(t)
	tests := []struct {
		name     string
		cfg      graph.Config
		wantCode string
		wantMsg  string
		secret   string // must not appear in the error
	}{
		{
			name:     "unreachable",
			cfg:      graph.Config{URI: "bolt://" + closedPort(t), Username: "neo4j", Password: "x-password"},
			wantCode: idgraph.EUNAVAILABLE,
			wantMsg:  "neo4j unreachable",
			secret:   "x-password",
		},
		{
			name:     "unreachable with credentials in the uri",
			cfg:      graph.Config{URI: "bolt://neo4j:pw-in-uri@" + closedPort(t), Username: "neo4j"},
			wantCode: idgraph.EUNAVAILABLE,
			wantMsg:  "neo4j unreachable",
			secret:   "pw-in-uri",
		},
		{
			// A user name of its own: failed logins of the real user would
			// trip the server's rate limit for every other test.
			name:     "bad credentials",
			cfg:      graph.Config{URI: good.URI, Username: "idgraph_no_such_user", Password: "wrong-password", Database: good.Database},
			wantCode: idgraph.EUNAUTHORIZED,
			wantMsg:  "refused the credentials",
			secret:   "wrong-password",
		},
		{
			name:     "malformed uri",
			cfg:      graph.Config{URI: "http://127.0.0.1:7474", Username: "neo4j"},
			wantCode: idgraph.EINVALID,
			wantMsg:  "neo4j uri",
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
			defer cancel()
			db, err := graph.Open(ctx, tt.cfg)
			if err == nil {
				db.Close(ctx)
				t.Fatalf("Open(%s) succeeded, want a %s error", tt.cfg.URI, tt.wantCode)
			}
			if got := idgraph.ErrorCode(err); got != tt.wantCode {
				t.Errorf("Open error code = %q, want %q (error: %v)", got, tt.wantCode, err)
			}
			if got := idgraph.ErrorMessage(err); !strings.Contains(got, tt.wantMsg) {
				t.Errorf("Open error message = %q, want it to contain %q", got, tt.wantMsg)
			}
			if tt.secret != "" && strings.Contains(err.Error(), tt.secret) {
				t.Errorf("Open error %q shows the secret %q", err, tt.secret)
			}
		})
	}
}

func TestQueryNamesTheDatabaseAndTranslatesConflicts(t *testing.T) {
	db := graphtest.Open(t)
	space := graphtest.Space(t)
	ctx := context.Background()
	const create = "CREATE (:Identifier {space: $space, type: 'email', value: 'a@example.com'})"
	if _, err := db.Query(ctx, "create identifier", create, map[string]any{"space": space}); err != nil {
		t.Fatalf("first create: %v", err)
	}
	_, err := db.Query(ctx, "create identifier", create, map[string]any{"space": space})
	if got := idgraph.ErrorCode(err); got != idgraph.ECONFLICT {
		t.Errorf("second create of the same identifier: code %q, want %q (error: %v)", got, idgraph.ECONFLICT, err)
	}
	if got, want := db.Database(), graphtest.Config(t).Database; got != want {
		t.Errorf("Database() = %q, want %q", got, want)
	}
}

func TestSpaceIsDeletedAtCleanup(t *testing.T) {
	db := graphtest.Open(t)
	ctx := context.Background()
	var space string
	t.Run("writes", func(t *testing.T) {
		space = graphtest.Space(t)
		if _, err := db.Query(ctx, "create nodes",
			"UNWIND range(1, 25) AS i CREATE (:Identifier {space: $space, type: 'n', value: toString(i)})-[:OBSERVED_WITH]->(:Event {space: $space, source_id: 's', message_id: toString(i)})",
			map[string]any{"space": space}); err != nil {
			t.Fatalf("create: %v", err)
		}
	})
	res, err := db.ReadQuery(ctx, "count nodes", "MATCH (n) WHERE n.space = $space RETURN count(n) AS n", map[string]any{"space": space})
	if err != nil {
		t.Fatalf("count: %v", err)
	}
	if got := res.Records[0].Values[0]; got != int64(0) {
		t.Errorf("after the subtest's cleanup, space %s holds %v nodes, want 0", space, got)
	}
}

func TestSpaceNamesAreUnique(t *testing.T) {
	a, b := graphtest.Space(t), graphtest.Space(t)
	if a == b {
		t.Errorf("two Space calls returned the same name %q", a)
	}
	if !strings.HasPrefix(a, "testspacenamesareunique_") {
		t.Errorf("Space = %q, want it to start with the sanitised test name", a)
	}
}
