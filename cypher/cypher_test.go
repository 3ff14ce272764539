package cypher_test

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/cypher"
)

var verbNoun = regexp.MustCompile(`^[a-z]+(_[a-z0-9]+)+$`)

// header splits a file into its leading comment block and the Cypher after it.
func header(text string) (comment, body string) {
	lines := strings.Split(text, "\n")
	i := 0
	for i < len(lines) && strings.HasPrefix(strings.TrimSpace(lines[i]), "//") {
		i++
	}
	return strings.Join(lines[:i], "\n"), strings.Join(lines[i:], "\n")
}

// queryFile is a Cypher file to check, by the name a failure shows.
type queryFile struct{ name, text string }

// queryFiles returns every Cypher file of the module: the embedded queries
// and migrations, the examples in examples/ and the benchmark's queries in
// internal/bench/cypher/ (read from disk: they are not embedded here).
func queryFiles(t *testing.T) []queryFile {
	t.Helper()
	var files []queryFile
	for _, name := range cypher.Names() {
		files = append(files, queryFile{name + ".cypher", cypher.Query(name)})
	}
	for _, m := range cypher.Migrations() {
		files = append(files, queryFile{"schema/" + m.String() + ".cypher", m.Statement})
	}
	for _, dir := range []string{"examples", filepath.Join("..", "internal", "bench", "cypher")} {
		paths, err := filepath.Glob(filepath.Join(dir, "*.cypher"))
		if err != nil || len(paths) == 0 {
			t.Fatalf("no Cypher files in %s (%v): update queryFiles if they moved", dir, err)
		}
		for _, path := range paths {
			data, err := os.ReadFile(path)
			if err != nil {
				t.Fatal(err)
			}
			files = append(files, queryFile{filepath.ToSlash(path), string(data)})
		}
	}
	return files
}

// TestQueriesFollowTheConvention checks every query file, including those
// added later: an embedded query has a verb_noun name, and every file
// starts with the one header format (see checkHeader).
func TestQueriesFollowTheConvention(t *testing.T) {
	names := cypher.Names()
	if len(names) == 0 {
		t.Fatal("Names() is empty, want the embedded queries")
	}
	for _, name := range names {
		if !verbNoun.MatchString(name) {
			t.Errorf("name %q is not verb_noun (lower case, underscores)", name)
		}
	}
	for _, f := range queryFiles(t) {
		t.Run(f.name, func(t *testing.T) {
			for _, p := range checkHeader(f.text) {
				t.Errorf("%s: %s", f.name, p)
			}
		})
	}
}

// TestCheckHeaderCatchesDrift makes sure checkHeader fails what it should,
// so that a passing TestQueriesFollowTheConvention means something.
func TestCheckHeaderCatchesDrift(t *testing.T) {
	const good = "// Finds a thing.\n// Parameters: $space, $id.\n// Returns: id, name.\n" +
		"MATCH (n {space: $space, id: $id}) RETURN n.id AS id, n.name AS name"
	if ps := checkHeader(good); len(ps) > 0 {
		t.Fatalf("checkHeader(good) = %q, want no problem", ps)
	}
	tests := []struct{ name, text, want string }{
		{"no comment", "MATCH (n) RETURN n", "does not start with a // comment"},
		{"no description", "// Parameters: none.\n// Returns: n.\nMATCH (n) RETURN n", "first line must say what the query does"},
		{"old format", "// Finds n.\n// $space\n// returns n\nMATCH (n {space: $space}) RETURN n", "no \"// Parameters:\" line"},
		{"parameter not listed", "// Finds n.\n// Parameters: $space.\n// Returns: n.\nMATCH (n {space: $space, id: $id}) RETURN n", "uses $id"},
		{"parameter not used", "// Finds n.\n// Parameters: $space, $id.\n// Returns: n.\nMATCH (n {space: $space}) RETURN n", "lists $id"},
		{"none but used", "// Finds n.\n// Parameters: none.\n// Returns: n.\nMATCH (n {space: $space}) RETURN n", "uses $space"},
		{"description names no parameter", "// Finds n from $x.\n// Parameters: none.\n// Returns: n.\nMATCH (n) RETURN n", "description mentions $x"},
		{"column missing", "// Finds n.\n// Parameters: none.\n// Returns: id.\nMATCH (n) RETURN n.id AS id, n.name AS name", "returns [id name]"},
		{"columns out of order", "// Finds n.\n// Parameters: none.\n// Returns: name, id.\nMATCH (n) RETURN n.id AS id, n.name AS name", "returns [id name]"},
		{"nothing but returns", "// Finds n.\n// Parameters: none.\n// Returns: nothing.\nMATCH (n) RETURN n", "returns [n]"},
		{"returns but nothing", "// Sets n.\n// Parameters: none.\n// Returns: n.\nMATCH (n) SET n.x = 1", "returns []"},
		{"no Returns", "// Finds n.\n// Parameters: none.\nMATCH (n) RETURN n", "no \"// Returns:\" line"},
		{"no period", "// Finds n.\n// Parameters: none\n// Returns: n.\nMATCH (n) RETURN n", "end with a period"},
		{"continuation not indented", "// Finds n.\n// Parameters: none.\n// Returns: n,\n// m.\nMATCH (n), (m) RETURN n, m", "indent"},
		{"text after Returns", "// Finds n.\n// Parameters: none.\n// Returns: n.\n// Note.\nMATCH (n) RETURN n", "indent"},
		{"blank comment line", "// Finds n.\n//\n// Parameters: none.\n// Returns: n.\nMATCH (n) RETURN n", `want "// " and text`},
		{"Returns before Parameters", "// Finds n.\n// Returns: n.\n// Parameters: none.\nMATCH (n) RETURN n", "Returns: comes once, after Parameters:"},
		{"subquery RETURN is not the query's", "// Finds n.\n// Parameters: none.\n// Returns: c.\nCALL () { MATCH (n) RETURN count(n) AS c } SET x.c = c", "the query returns []"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			ps := checkHeader(tt.text)
			if !strings.Contains(strings.Join(ps, "\n"), tt.want) {
				t.Errorf("checkHeader = %q, want a problem containing %q", ps, tt.want)
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
		// Versions increase; gaps let work in parallel take numbers of its
		// own (020 and up, say) without two branches claiming one.
		if i > 0 && m.Version <= ms[i-1].Version {
			t.Errorf("migration %s comes after %s: versions must increase", m, ms[i-1])
		}
		if i < len(want) && m.String() != want[i] {
			t.Errorf("migration %d = %s, want %s", i, m, want[i])
		}
		_, body := header(m.Statement)
		if !strings.Contains(body, "IF NOT EXISTS") && !isBackfill(body) {
			t.Errorf("%s: statement lacks IF NOT EXISTS, and is no backfill (MATCH ... WHERE x.p IS NULL SET x.p = ...): %q", m, body)
		}
		if strings.Contains(body, ";") {
			t.Errorf("%s: holds more than one statement: %q", m, body)
		}
	}
}

// isBackfill reports whether a migration's statement fills a property in
// only where it is missing, which makes it safe to apply twice: it matches,
// keeps the rows where one property IS NULL, and sets that property; or, in
// batches (CALL ... IN TRANSACTIONS), sets that property first and others
// with it, which are then missing only where it is.
func isBackfill(body string) bool {
	if m := backfill.FindStringSubmatch(body); m != nil {
		return m[1] == m[2]
	}
	m := batchedBackfill.FindStringSubmatch(body)
	return m != nil && m[1] == m[2]
}

func TestIsBackfill(t *testing.T) {
	for body, want := range map[string]bool{
		"MATCH (a:Identifier)-[r:REJECTED]->()\nWHERE r.space IS NULL\nSET r.space = a.space":                                                     true,
		"MATCH (a:Identifier)-[r:REJECTED]->()\nSET r.space = a.space":                                                                            false,
		"MATCH (a:Identifier)-[r:REJECTED]->()\nWHERE r.space IS NULL\nSET r.rule = a.space":                                                      false,
		"MATCH (a)-[r:REJECTED]->()\nWHERE r.space IS NULL\nSET r.space = a.space, r.at = 1":                                                      false,
		"MATCH (a:Identifier) DETACH DELETE a":                                                                                                    false,
		"MATCH (e)-[c:CARRIED]->(i)\nWHERE c.at IS NULL\nCALL (e, c, i) {\n  SET c.at = e.at, c.space = i.space\n} IN TRANSACTIONS OF 10000 ROWS": true,
		"MATCH (e)-[c:CARRIED]->(i)\nWHERE c.at IS NULL\nCALL (e, c, i) {\n  SET c.space = i.space, c.at = e.at\n} IN TRANSACTIONS OF 10000 ROWS": false,
		"MATCH (e)-[c:CARRIED]->(i)\nWHERE c.at IS NULL\nCALL (e, c, i) {\n  DELETE c\n} IN TRANSACTIONS OF 10000 ROWS":                           false,
	} {
		if got := isBackfill(body); got != want {
			t.Errorf("isBackfill(%q) = %v, want %v", body, got, want)
		}
	}
}

var (
	backfill        = regexp.MustCompile(`(?s)^MATCH .*\bWHERE (\w+\.\w+) IS NULL\s+SET (\w+\.\w+) = [^,]+$`)
	batchedBackfill = regexp.MustCompile(`^MATCH [^\n]*\nWHERE (\w+\.\w+) IS NULL\nCALL \([\w, ]+\) \{\n  SET (\w+\.\w+) = [\w.]+(?:, \w+\.\w+ = [\w.]+)*\n\} IN TRANSACTIONS OF \d+ ROWS$`)
)

func TestMigrationsReturnsACopy(t *testing.T) {
	ms := cypher.Migrations()
	ms[0].Name = "changed"
	if got := cypher.Migrations()[0].Name; got == "changed" {
		t.Error("changing the slice Migrations() returned changed the package's migrations")
	}
}

// identifierByKey is a node pattern naming an identifier by its whole key.
var identifierByKey = regexp.MustCompile(`\((\w*):Identifier \{space: [^,{}]+, type: [^,{}]+, value: [^,{}]+\}\)`)

// TestIdentifierKeyLookupsSeekTheKey checks that every query that MATCHes
// an identifier by its whole key (space, type, value) tells Neo4j to seek
// the key's unique index (USING INDEX SEEK). Without the hint the planner
// may take the Identifier (space, type) index and filter on the value, which
// reads every identifier of that type in the space for each row: it did so
// for the write path's statements whenever it planned them on a store whose
// statistics made the two look alike (a fresh or small space), and the
// write benchmarks ran two to three times slower in those runs. MERGE needs
// no hint (it seeks the unique constraint's index to lock the key).
func TestIdentifierKeyLookupsSeekTheKey(t *testing.T) {
	for _, name := range cypher.Names() {
		_, body := header(cypher.Query(name))
		for _, line := range strings.Split(body, "\n") {
			if strings.HasPrefix(strings.TrimSpace(line), "MERGE") {
				continue
			}
			for _, m := range identifierByKey.FindAllStringSubmatch(line, -1) {
				if m[1] == "" {
					t.Errorf("%s: %s names no variable, so it cannot carry the index hint", name, m[0])
					continue
				}
				if hint := "USING INDEX SEEK " + m[1] + ":Identifier(space, type, value)"; !strings.Contains(body, hint) {
					t.Errorf("%s: %s without %q", name, m[0], hint)
				}
			}
		}
	}
}
