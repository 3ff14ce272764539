package graph_test

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/cypher"
	"github.com/idgraph/idgraph/graph"
	"github.com/idgraph/idgraph/internal/graphtest"
)

func TestMigrateTwiceAppliesNothingTheSecondTime(t *testing.T) {
	db := graphtest.Open(t) // already migrated once by graphtest
	ctx := context.Background()
	for run := 1; run <= 2; run++ {
		applied, err := db.Migrate(ctx)
		if err != nil {
			t.Fatalf("run %d: Migrate: %v", run, err)
		}
		if len(applied) != 0 {
			t.Errorf("run %d: Migrate applied %v, want nothing (schema up to date)", run, applied)
		}
	}

	res, err := db.ReadQuery(ctx, "list migrations", cypher.Query("list_migrations"), nil)
	if err != nil {
		t.Fatalf("list migrations: %v", err)
	}
	got := map[int64]string{}
	for _, rec := range res.Records {
		v, _, err := neo4j.GetRecordValue[int64](rec, "version")
		if err != nil {
			t.Fatalf("version: %v", err)
		}
		name, _, err := neo4j.GetRecordValue[string](rec, "name")
		if err != nil {
			t.Fatalf("name: %v", err)
		}
		if _, dup := got[v]; dup {
			t.Errorf("migration %d is recorded more than once", v)
		}
		got[v] = name
	}
	for _, m := range cypher.Migrations() {
		if name, ok := got[int64(m.Version)]; !ok {
			t.Errorf("no (:Migration {version: %d}) node, want one for %s", m.Version, m)
		} else if name != m.Name {
			t.Errorf("(:Migration {version: %d}).name = %q, want %q", m.Version, name, m.Name)
		}
	}
}

func TestMigrateConcurrently(t *testing.T) {
	db := graphtest.Open(t)
	ctx := context.Background()
	var wg sync.WaitGroup
	errs := make([]error, 4)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			_, errs[i] = db.Migrate(ctx)
		}()
	}
	wg.Wait()
	for i, err := range errs {
		if err != nil {
			t.Errorf("concurrent Migrate %d: %v", i, err)
		}
	}
}

func TestSchemaIsInPlace(t *testing.T) {
	db := graphtest.Open(t)
	ctx := context.Background()
	// name -> what it covers, as "KIND Label(prop, ...)"
	have := map[string]string{}
	for _, q := range []string{
		"SHOW CONSTRAINTS YIELD name, type, labelsOrTypes, properties RETURN name, type, labelsOrTypes, properties",
		"SHOW INDEXES YIELD name, type, labelsOrTypes, properties, owningConstraint WHERE owningConstraint IS NULL AND type = 'RANGE' RETURN name, type, labelsOrTypes, properties",
	} {
		res, err := db.ReadQuery(ctx, "show schema", q, nil)
		if err != nil {
			t.Fatalf("show schema: %v", err)
		}
		for _, rec := range res.Records {
			name, _, err1 := neo4j.GetRecordValue[string](rec, "name")
			kind, _, err2 := neo4j.GetRecordValue[string](rec, "type")
			labels, _, err3 := neo4j.GetRecordValue[[]any](rec, "labelsOrTypes")
			props, _, err4 := neo4j.GetRecordValue[[]any](rec, "properties")
			if err := errors.Join(err1, err2, err3, err4); err != nil {
				t.Fatalf("schema record: %v", err)
			}
			have[name] = fmt.Sprintf("%s %v%v", kind, labels, props)
		}
	}
	want := map[string]string{
		"identifier_key":        "UNIQUENESS [Identifier][space type value]",
		"profile_id":            "UNIQUENESS [Profile][id]",
		"event_key":             "UNIQUENESS [Event][space source_id message_id]",
		"suppressed_key":        "UNIQUENESS [Suppressed][space type value]",
		"migration_version":     "UNIQUENESS [Migration][version]",
		"profile_space":         "RANGE [Profile][space]",
		"event_time":            "RANGE [Event][space timestamp]",
		"identifier_space_type": "RANGE [Identifier][space type]",
	}
	for name, w := range want {
		if got, ok := have[name]; !ok {
			t.Errorf("no constraint or index named %q, want %s", name, w)
		} else if got != w {
			t.Errorf("%s = %s, want %s", name, got, w)
		}
	}
}

func TestReady(t *testing.T) {
	t.Run("up and migrated", func(t *testing.T) {
		db := graphtest.Open(t)
		if err := db.Ready(context.Background()); err != nil {
			t.Errorf("Ready = %v, want nil", err)
		}
	})
	t.Run("unreachable", func(t *testing.T) {
		closedAddr := closedPort(t)
		db, err := graph.New(graph.Config{URI: "bolt://" + closedAddr, Username: "neo4j", Password: "x"})
		if err != nil {
			t.Fatalf("New: %v", err)
		}
		defer db.Close(context.Background())
		ctx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
		defer cancel()
		err = db.Ready(ctx)
		if got := idgraph.ErrorCode(err); got != idgraph.EUNAVAILABLE {
			t.Fatalf("Ready code = %q, want %q (error: %v)", got, idgraph.EUNAVAILABLE, err)
		}
		if msg := idgraph.ErrorMessage(err); !strings.HasPrefix(msg, "neo4j unreachable") || strings.Contains(msg, closedAddr) {
			t.Errorf("Ready message = %q, want it to start with %q and not name %s (a client sees it)", msg, "neo4j unreachable", closedAddr)
		}
		if !strings.Contains(err.Error(), closedAddr) {
			t.Errorf("Ready error = %q, want the cause, naming %s, kept for the log", err, closedAddr)
		}
	})
}
