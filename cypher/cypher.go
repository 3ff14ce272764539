// Package cypher holds idgraph's Cypher: one query per file, named verb_noun
// (merge_identifiers.cypher), and the numbered schema migrations under
// schema/ (NNN_name.cypher, one statement each). Every file, the examples
// in examples/ too, starts with the same header:
//
//	// Finds the profiles holding two identifiers (null for one no profile holds).
//	// Parameters: $space; $from_type, $from_value; $to_type, $to_value.
//	// Returns: from_profile, to_profile.
//
// what the query does, then every $parameter it uses and the columns of its
// final RETURN in order ("none." and "nothing." when so), each section
// ending with a period and going on over lines indented by two more spaces.
// The package's tests hold every file to it.
//
// The files are embedded at build time. Adding a query is adding a file:
// cypher.Query("merge_identifiers") returns the text of merge_identifiers.cypher.
package cypher

import (
	"embed"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"sort"
	"strconv"
	"strings"
)

//go:embed *.cypher schema/*.cypher
var files embed.FS

var (
	queries    = loadQueries()
	migrations = loadMigrations()
)

// Query returns the text of the query in <name>.cypher. It panics when there
// is no such file: query names are fixed at build time, so a missing one is a
// programming error that every test touching the query reveals.
func Query(name string) string {
	q, ok := queries[name]
	if !ok {
		panic(fmt.Sprintf("cypher: no query %q (want a file cypher/%s.cypher)", name, name))
	}
	return q
}

// Names returns the names of every embedded query, sorted.
func Names() []string {
	names := make([]string, 0, len(queries))
	for name := range queries {
		names = append(names, name)
	}
	sort.Strings(names)
	return names
}

// Migration is one schema change: a single statement from
// schema/NNN_name.cypher, applied once and recorded in the graph as
// (:Migration {version, name, applied_at}).
type Migration struct {
	Version   int
	Name      string
	Statement string
}

// String returns the migration's file stem, for example "003_event_key".
func (m Migration) String() string { return fmt.Sprintf("%03d_%s", m.Version, m.Name) }

// Migrations returns every schema migration, ordered by version.
func Migrations() []Migration {
	return append([]Migration(nil), migrations...)
}

func loadQueries() map[string]string {
	entries, err := fs.Glob(files, "*.cypher")
	if err != nil {
		panic(err)
	}
	m := make(map[string]string, len(entries))
	for _, p := range entries {
		m[strings.TrimSuffix(p, ".cypher")] = read(p)
	}
	return m
}

var migrationFile = regexp.MustCompile(`^([0-9]{3})_([a-z][a-z0-9_]*)\.cypher$`)

func loadMigrations() []Migration {
	entries, err := fs.Glob(files, "schema/*.cypher")
	if err != nil {
		panic(err)
	}
	var ms []Migration
	seen := map[int]string{}
	for _, p := range entries {
		base := path.Base(p)
		match := migrationFile.FindStringSubmatch(base)
		if match == nil {
			panic(fmt.Sprintf("cypher: schema file %s: want NNN_name.cypher", base))
		}
		version, _ := strconv.Atoi(match[1])
		if version == 0 {
			panic(fmt.Sprintf("cypher: schema file %s: versions start at 001", base))
		}
		if other, ok := seen[version]; ok {
			panic(fmt.Sprintf("cypher: schema files %s and %s share version %d", other, base, version))
		}
		seen[version] = base
		ms = append(ms, Migration{Version: version, Name: match[2], Statement: read(p)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].Version < ms[j].Version })
	return ms
}

// read returns a file's text without surrounding space or a final semicolon.
func read(p string) string {
	b, err := files.ReadFile(p)
	if err != nil {
		panic(err)
	}
	s := strings.TrimSpace(string(b))
	return strings.TrimSpace(strings.TrimSuffix(s, ";"))
}
