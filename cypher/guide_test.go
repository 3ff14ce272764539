package cypher_test

import (
	"encoding/json"
	"html"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/cypher"
)

var (
	slideTag = regexp.MustCompile(`(?s)<slide class="row-fluid">(.*?)</slide>`)
	runnable = regexp.MustCompile(`(?s)<pre class="pre-scrollable code runnable"(?: data-example="([a-z_]+)")?>(.*?)</pre>`)
)

// TestGuidePlaysTheQueryPack checks the Browser guide: a first slide that
// sets the parameters and loads the style, then one slide per file of
// examples/, whose runnable block is that file's query, less its header.
func TestGuidePlaysTheQueryPack(t *testing.T) {
	const styleURL = "http://localhost:8080/ui/neo4j/idgraph.grass"
	g := string(cypher.Guide(styleURL))
	if !strings.Contains(g, `<article class="guide">`) || !strings.Contains(g, `<carousel class="deck container-fluid">`) {
		t.Fatalf("guide lacks the article and carousel Browser looks for:\n%s", g)
	}
	slides := slideTag.FindAllStringSubmatch(g, -1)
	files, err := filepath.Glob(filepath.Join("examples", "*.cypher"))
	if err != nil {
		t.Fatal(err)
	}
	if len(slides) != len(files)+1 {
		t.Fatalf("got %d slides, want %d: a first one and one per example", len(slides), len(files)+1)
	}
	var first []string
	for _, m := range runnable.FindAllStringSubmatch(slides[0][1], -1) {
		first = append(first, html.UnescapeString(m[2]))
	}
	want := []string{":param space => 'default'", ":param type => 'email'", ":param value => 'jane.doe@gmail.com'", ":style " + styleURL}
	if strings.Join(first, "\n") != strings.Join(want, "\n") {
		t.Errorf("first slide runs %q, want %q", first, want)
	}
	for i, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".cypher")
		text, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		slide := slides[i+1][1]
		m := runnable.FindStringSubmatch(slide)
		if m == nil || m[1] != name {
			t.Errorf("slide %d: no runnable block for %s:\n%s", i+1, name, slide)
			continue
		}
		query := html.UnescapeString(m[2])
		if strings.Contains(query, "// Parameters:") || !strings.HasSuffix(strings.TrimSpace(string(text)), query) {
			t.Errorf("slide %s runs %q, want the file's query without its header", name, query)
		}
		header := strings.SplitN(string(text), "\n", 2)[0]
		if !strings.Contains(html.UnescapeString(slide), strings.TrimPrefix(header, "// ")) {
			t.Errorf("slide %s lacks the header's first line %q", name, header)
		}
	}
}

func TestExamplesParseTheirHeaders(t *testing.T) {
	for _, e := range cypher.Examples() {
		if e.Description == "" || e.Parameters == "" || e.Returns == "" || strings.HasPrefix(e.Query, "//") {
			t.Errorf("%s: %+v: want a description, parameters, returns and a query after them", e.Name, e)
		}
	}
	var got cypher.Example
	for _, e := range cypher.Examples() {
		if e.Name == "largest_profiles" {
			got = e
		}
	}
	want := cypher.Example{
		Name:        "largest_profiles",
		Description: "The ten largest live profiles, with how many identifiers of each type they hold: a first look for over-merging.",
		Parameters:  "$space.",
		Returns:     `profile (id), identifiers (count), types (["type xN"]), merges.`,
	}
	if got.Name != want.Name || got.Description != want.Description || got.Parameters != want.Parameters || got.Returns != want.Returns {
		t.Errorf("largest_profiles:\n got %+v\nwant %+v", got, want)
	}
	if got.Title() != "Largest profiles" {
		t.Errorf("Title() = %q, want %q", got.Title(), "Largest profiles")
	}
}

// TestStyleColoursEveryLabel reads the style as Browser does (JSON first:
// selector to properties) and wants a colour for every label README.md's
// node table lists, identifiers captioned {type}:{value}.
func TestStyleColoursEveryLabel(t *testing.T) {
	var rules map[string]map[string]string
	if err := json.Unmarshal(cypher.Style(), &rules); err != nil {
		t.Fatalf("the style is not the JSON Browser parses first: %v", err)
	}
	readme, err := os.ReadFile("README.md")
	if err != nil {
		t.Fatal(err)
	}
	labels := regexp.MustCompile("(?m)^\\| `:([A-Za-z]+)` \\|").FindAllStringSubmatch(string(readme), -1)
	if len(labels) < 5 {
		t.Fatalf("README.md's node table lists %d labels", len(labels))
	}
	colours := map[string]string{}
	for _, l := range labels {
		r, ok := rules["node."+l[1]]
		if !ok || !regexp.MustCompile(`^#[0-9A-F]{6}$`).MatchString(r["color"]) || r["caption"] == "" {
			t.Errorf("label %s: rule %v, want a colour and a caption", l[1], r)
			continue
		}
		if other, ok := colours[r["color"]]; ok {
			t.Errorf("labels %s and %s share the colour %s", other, l[1], r["color"])
		}
		colours[r["color"]] = l[1]
	}
	for _, label := range []string{"Identifier", "Device", "Suppressed"} {
		if got := rules["node."+label]["caption"]; got != "{type}:{value}" {
			t.Errorf("%s caption %q, want {type}:{value}", label, got)
		}
	}
	if rules["node"] == nil || rules["relationship"] == nil {
		t.Error("no default node or relationship rule")
	}
}
