package cypher

import (
	"bytes"
	"embed"
	"html/template"
	"io/fs"
	"path"
	"strings"
)

//go:embed examples/*.cypher
var examples embed.FS

//go:embed browser/idgraph.grass
var style []byte

// Example is one query of the analysts' pack in examples/: its file stem,
// its header (what it does, its parameters, its columns) and its Cypher
// without the header.
type Example struct {
	Name        string
	Description string
	Parameters  string
	Returns     string
	Query       string
}

// Title is the example's name as words: "profile_of_identifier" is
// "Profile of identifier".
func (e Example) Title() string {
	t := strings.ReplaceAll(e.Name, "_", " ")
	return strings.ToUpper(t[:1]) + t[1:]
}

// Examples returns the query pack, ordered by file name.
func Examples() []Example {
	paths, err := fs.Glob(examples, "examples/*.cypher")
	if err != nil {
		panic(err)
	}
	out := make([]Example, 0, len(paths))
	for _, p := range paths {
		b, err := examples.ReadFile(p)
		if err != nil {
			panic(err)
		}
		out = append(out, parseExample(strings.TrimSuffix(path.Base(p), ".cypher"), string(b)))
	}
	return out
}

// parseExample splits a file into its header's three sections (every file
// has them: the package's tests hold it to that) and the query after it.
func parseExample(name, text string) Example {
	e := Example{Name: name}
	section := &e.Description
	lines := strings.Split(strings.TrimSpace(text), "\n")
	i := 0
	for ; i < len(lines) && strings.HasPrefix(lines[i], "//"); i++ {
		l := strings.TrimSpace(strings.TrimPrefix(lines[i], "//"))
		switch {
		case strings.HasPrefix(l, "Parameters:"):
			section, l = &e.Parameters, strings.TrimSpace(strings.TrimPrefix(l, "Parameters:"))
		case strings.HasPrefix(l, "Returns:"):
			section, l = &e.Returns, strings.TrimSpace(strings.TrimPrefix(l, "Returns:"))
		}
		if *section != "" {
			*section += " "
		}
		*section += l
	}
	e.Query = strings.TrimSpace(strings.Join(lines[i:], "\n"))
	return e
}

// Style returns the Neo4j Browser style (a .grass file) for idgraph's
// graph: a colour per label, identifiers captioned type:value. It is in the
// JSON form of the format, which Browser's parser tries first: the CSS-like
// form drops any declaration whose value holds a colon, as {type}:{value}
// does.
func Style() []byte { return bytes.Clone(style) }

// Guide returns a Neo4j Browser guide (":guide URL" or ":play URL" plays
// it): a first slide that sets the parameters the queries take and loads
// the style from styleURL, then one slide per example of the query pack,
// each query runnable from the slide.
func Guide(styleURL string) []byte {
	var b bytes.Buffer
	if err := guide.Execute(&b, struct {
		StyleURL string
		Examples []Example
	}{styleURL, Examples()}); err != nil {
		panic(err) // the template and its data are fixed at build time
	}
	return b.Bytes()
}

// guide is the format Neo4j Browser plays: one <slide> per page, and
// <pre class="runnable"> blocks that a click puts in the editor.
var guide = template.Must(template.New("guide").Parse(`<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>idgraph: the identity graph</title></head>
<body>
<article class="guide">
<carousel class="deck container-fluid">
<slide class="row-fluid">
<div class="col-sm-12">
<h3>idgraph: the identity graph</h3>
<p class="lead">Every identifier is an <code>:Identifier</code> node (devices are also <code>:Device</code>);
<code>OBSERVED_WITH</code> edges hold the evidence; each connected component is one <code>:Profile</code>.
<code>REJECTED</code> links are the joins the rules refused, <code>CUT</code> links the ones people cut.</p>
<p>Every query of the pack starts from a space. Set the parameters first (click, then run):</p>
<pre class="pre-scrollable code runnable">:param space => 'default'</pre>
<pre class="pre-scrollable code runnable">:param type => 'email'</pre>
<pre class="pre-scrollable code runnable">:param value => 'jane.doe@gmail.com'</pre>
<p>Colour the graph by label and caption identifiers <code>type:value</code>:</p>
<pre class="pre-scrollable code runnable">:style {{.StyleURL}}</pre>
</div>
</slide>
{{range .Examples}}<slide class="row-fluid">
<div class="col-sm-12">
<h3>{{.Title}}</h3>
<p class="lead">{{.Description}}</p>
<p><strong>Parameters:</strong> {{.Parameters}} <strong>Returns:</strong> {{.Returns}}</p>
<pre class="pre-scrollable code runnable" data-example="{{.Name}}">{{.Query}}</pre>
<p>From <code>cypher/examples/{{.Name}}.cypher</code>.</p>
</div>
</slide>
{{end}}</carousel>
</article>
</body>
</html>
`))
