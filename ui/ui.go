// Package ui holds what idgraph shows people rather than programs: the page
// served at /ui/ (index.html, app.js, style.css and the vendored
// Cytoscape.js that draws its graphs, embedded at build time, so nothing is
// fetched from elsewhere at run time), and for analysts the Neo4j Browser
// guide and style built from the cypher package's query pack.
package ui

import (
	"embed"
	"io/fs"

	"github.com/idgraph/idgraph/cypher"
)

//go:embed index.html app.js style.css vendor/cytoscape.min.js vendor/cytoscape.LICENSE
var files embed.FS

// Files returns the page's files, index.html at the root.
func Files() fs.FS { return files }

// The Browser guide and style, under the page's path.
const (
	GuidePath = "neo4j/guide.html"
	StylePath = "neo4j/idgraph.grass"
)

// Guide returns the Neo4j Browser guide of the query pack; its first slide
// loads the style from styleURL.
func Guide(styleURL string) []byte { return cypher.Guide(styleURL) }

// Style returns the Neo4j Browser style (.grass) for idgraph's labels.
func Style() []byte { return cypher.Style() }
