package cypher_test

import (
	"regexp"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/cypher"
)

var (
	verbNoun = regexp.MustCompile(`^[a-z]+(_[a-z0-9]+)+$`)
	param    = regexp.MustCompile(`\$([A-Za-z_][A-Za-z0-9_]*)`)
)

// header splits a file into its leading comment block and the Cypher after it.
func header(text string) (comment, body string) {
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "//") {
		i++
	}
	return strings.Join(lines[:i], "\n"), strings.Join(lines[i:], "\n")
}

// TestQueriesFollowTheConvention checks every query file, including those
// added later: a verb_noun name, and a leading comment that lists every
// $parameter the query uses and says what it returns.
func TestQueriesFollowTheConvention(t *testing.T) {
	names := cypher.Names()
	if len(names) == 0 {
		t.Fatal("Names() is empty, want the embedded queries")
	}
	for _, name := range names {
		t.Run(name, func(t *testing.T) {
			if !verbNoun.MatchString(name) {
				t.Errorf("name %q is not verb_noun (lower case, underscores)", name)
			}
			comment, body := header(cypher.Query(name))
			if comment == "" {
				t.Fatalf("%s.cypher does not start with a // comment", name)
			}
			if !strings.Contains(strings.ToLower(comment), "return") {
				t.Errorf("%s.cypher comment does not say what it returns (\"returns ...\" or \"returns nothing\")", name)
			}
			if strings.TrimSpace(body) == "" {
				t.Errorf("%s.cypher has no statement after its comment", name)
			}
			for _, m := range param.FindAllStringSubmatch(body, -1) {
				if !strings.Contains(comment, "$"+m[1]) {
					t.Errorf("%s.cypher uses $%s but its comment does not list it", name, m[1])
				}
			}
		})
	}
}

func TestQueryReturnsTheFileText(t *testing.T) {
	got := cypher.Query("list_migrations")
	for _, want := range []string{"// Lists the schema migrations", "MATCH (m:Migration)"} {
		if !strings.Contains(got, want) {
			t.Errorf("Query(list_migrations) = %q, want it to contain %q", got, want)
		}
	}
}

func TestQueryPanicsOnUnknownName(t *testing.T) {
	defer func() {
		r := recover()
		if r == nil {
			t.Fatal("Query(no_such_query) did not panic")
		}
		if msg, _ := r.(string); !strings.Contains(msg, "no_such_query") {
			t.Errorf("panic = %v, want it to name the query", r)
		}
	}()
	cypher.Query("no_such_query")
}

func TestMigrations(t *testing.T) {
	want := []string{
		"001_identifier_key",
		"002_profile_id",
		"003_event_key",
		"004_suppressed_key",
		"005_migration_version",
		"006_profile_space",
		"007_event_time",
		"008_identifier_space_type",
	}
	ms := cypher.Migrations()
	if len(ms) < len(want) {
		t.Fatalf("Migrations() has %d entries, want at least %d", len(ms), len(want))
	}
	for i, m := range ms {
		if m.Version != i+1 {
			t.Errorf("migration %d has version %d, want %d (versions are contiguous from 1)", i, m.Version, i+1)
		}
		if i < len(want) && m.String() != want[i] {
			t.Errorf("migration %d = %s, want %s", i, m, want[i])
		}
		_, body := header(m.Statement)
		if !strings.Contains(body, "IF NOT EXISTS") {
			t.Errorf("%s: statement lacks IF NOT EXISTS: %q", m, body)
		}
		if strings.Contains(body, ";") {
			t.Errorf("%s: holds more than one statement: %q", m, body)
		}
	}
}

func TestMigrationsReturnsACopy(t *testing.T) {
	ms := cypher.Migrations()
	ms[0].Name = "changed"
	if got := cypher.Migrations()[0].Name; got == "changed" {
		t.Error("changing the slice Migrations() returned changed the package's migrations")
	}
}
