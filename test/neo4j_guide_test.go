package test

import (
	"context"
	"fmt"
	"net/http/httptest"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"
	"github.com/neo4j/neo4j-go-driver/v5/neo4j"

	idgraphapi "github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/cypher"
)

// checkBrowserGuide plays the query pack's guide and loads the style in the
// Neo4j Browser of a server scripts/neo4j started, as an analyst would:
// connect, :guide and :style from idgraph at 127.0.0.1, which Browser
// refuses unless the server allows that host (its default list is
// guides.neo4j.com and localhost).
func checkBrowserGuide(t *testing.T, httpPort, boltPort int, password string) {
	ctx, cancel := context.WithTimeout(context.Background(), 120*time.Second)
	defer cancel()
	driver, err := neo4j.NewDriverWithContext("bolt://127.0.0.1:"+strconv.Itoa(boltPort), neo4j.BasicAuth("neo4j", password, ""))
	if err != nil {
		t.Fatal(err)
	}
	defer driver.Close(ctx)
	res, err := neo4j.ExecuteQuery(ctx, driver, "CALL dbms.clientConfig() YIELD name, value WHERE name = 'browser.remote_content_hostname_whitelist' RETURN value",
		nil, neo4j.EagerResultTransformer)
	if err != nil || len(res.Records) != 1 {
		t.Fatalf("dbms.clientConfig(): %v %v", err, res)
	}
	allow, _ := res.Records[0].Get("value")
	if hosts := strings.Split(fmt.Sprint(allow), ","); !slices.Contains(hosts, "127.0.0.1") || !slices.Contains(hosts, "localhost") {
		t.Errorf("Browser's allowlist %q, want localhost and 127.0.0.1", allow)
	}

	srv := httptest.NewServer(idgraphapi.New(idgraphapi.Config{}).Handler())
	defer srv.Close()
	b := newBrowser(t)
	browserURL := fmt.Sprintf("http://127.0.0.1:%d/browser/?dbms=neo4j://neo4j@127.0.0.1:%d", httpPort, boltPort)
	// Browser sometimes drops the first connect (the form is shown before
	// its connection logic is ready, more often on a loaded machine): the
	// page still offers the form. Load it again and connect again, as an
	// analyst would.
	connected := `document.body.innerText.includes('You are connected as user neo4j')`
	for try := 1; ; try++ {
		b.do(t, "open Browser and connect", chromedp.Navigate(browserURL),
			chromedp.WaitVisible(chromedp.CSS("input[data-testid=password]")),
			chromedp.SendKeys(chromedp.CSS("input[data-testid=password]"), password),
			chromedp.Click(chromedp.CSS("button[data-testid=connect]")))
		ok, err := chromedp.Run(b.ctx, chromedp.Poll[bool](connected,
			chromedp.WithPollingTimeout(30*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil && ok {
			break
		}
		if try == 3 {
			t.Fatalf("Browser did not connect in %d tries; the page says: %q", try, eval[string](t, b, `document.body.innerText.slice(0, 2000)`))
		}
		t.Logf("Browser did not connect within 30 s (try %d); loading it again", try)
	}
	run := func(cmd string) {
		t.Helper()
		b.do(t, "run "+cmd,
			chromedp.Click(chromedp.CSS("[data-testid=editor-discard]")),
			chromedp.Click(chromedp.CSS("textarea")),
			chromedp.SendKeys(chromedp.CSS("textarea"), cmd),
			chromedp.Click(chromedp.CSS("[data-testid=editor-Run]")))
	}

	// Browser reads the server's settings a moment after it connects; until
	// then it refuses 127.0.0.1. Ask again for a while.
	guide := ":guide " + srv.URL + "/ui/neo4j/guide.html"
	for try := 0; ; try++ {
		run(guide)
		shown, err := chromedp.Run(b.ctx, chromedp.Poll[bool](`document.querySelector('[data-testid=guideNextSlide]') !== null`,
			chromedp.WithPollingTimeout(2*time.Second), chromedp.WithPollingInterval(50*time.Millisecond)))
		if err == nil && shown {
			break
		}
		if try == 10 {
			t.Fatalf("Browser did not play %s:\n%s", guide, eval[string](t, b, `document.body.innerText.slice(0, 2000)`))
		}
	}
	if text := eval[string](t, b, `document.body.innerText`); !strings.Contains(text, ":param space => 'default'") {
		t.Errorf("the guide's first slide does not set $space:\n%s", text)
	}
	var titles []string
	for range cypher.Examples() {
		before := eval[string](t, b, `document.querySelector('h3').textContent`)
		b.do(t, "next slide", chromedp.Click(chromedp.CSS("[data-testid=guideNextSlide]")))
		b.waitFor(t, "the next slide", fmt.Sprintf(`document.querySelector('h3').textContent !== %q`, before))
		titles = append(titles, eval[string](t, b, `document.querySelector('h3').textContent`))
	}
	var want []string
	for _, e := range cypher.Examples() {
		want = append(want, e.Title())
	}
	if !slices.Equal(titles, want) {
		t.Errorf("the guide's slides after the first:\n got %q\nwant %q", titles, want)
	}

	// The last slide's query plays: a click puts it in the editor, Run runs it.
	run(":param space => 'default'")
	last := cypher.Examples()[len(cypher.Examples())-1]
	b.do(t, "click the runnable query", chromedp.Click(chromedp.CSS(`pre.runnable[data-example="`+last.Name+`"]`)))
	b.waitFor(t, "the query in the editor", fmt.Sprintf(`document.querySelector('textarea') && [...document.querySelectorAll('.view-lines')].some(v => v.innerText.replace(/\u00a0/g, ' ').includes(%q))`, strings.SplitN(last.Query, "\n", 2)[0][:20]))
	b.do(t, "run the query", chromedp.Click(chromedp.CSS("[data-testid=editor-Run]")))
	b.waitFor(t, "the query's result", `document.body.innerText.includes('(no changes, no records)') || document.body.innerText.includes('device_type')`)

	run(":style " + srv.URL + "/ui/neo4j/idgraph.grass")
	b.waitFor(t, "the style", `document.body.innerText.includes('node.Identifier')`)
	if text := eval[string](t, b, `document.body.innerText`); !strings.Contains(text, `caption: "{type}:{value}"`) || !strings.Contains(text, "#F79767") {
		t.Errorf("Browser's style lacks the identifiers' caption or the devices' colour:\n%s", text)
	}
}
