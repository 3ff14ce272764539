package test

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"image/png"
	"net/http"
	"net/http/httptest"
	"net/http/httputil"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"github.com/chromedp/chromedp"
)

// recordingProxy stands between the browser and idgraph: it records every
// request the page makes (its URL and the HTTP Basic username it sent), and
// answers the space's health report itself while health is set.
type recordingProxy struct {
	mu       sync.Mutex
	requests []proxiedRequest
	health   []byte
	next     http.Handler
}

type proxiedRequest struct{ uri, user string }

func (p *recordingProxy) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	user, _, _ := r.BasicAuth()
	p.mu.Lock()
	p.requests = append(p.requests, proxiedRequest{r.URL.RequestURI(), user})
	health := p.health
	p.mu.Unlock()
	if health != nil && strings.HasSuffix(r.URL.Path, "/health") {
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write(health)
		return
	}
	p.next.ServeHTTP(w, r)
}

func (p *recordingProxy) seen() []proxiedRequest {
	p.mu.Lock()
	defer p.mu.Unlock()
	return slices.Clone(p.requests)
}

// screenshotPath is where the page's screenshot goes: IDGRAPH_UI_SCREENSHOT
// (relative to the repository root; the README's picture is docs/ui.png),
// else a temporary directory.
func screenshotPath(t *testing.T) string {
	p := os.Getenv("IDGRAPH_UI_SCREENSHOT")
	if p == "" {
		return filepath.Join(t.TempDir(), "ui.png")
	}
	if !filepath.IsAbs(p) {
		p = filepath.Join("..", p)
	}
	return p
}

// TestUIShowsJaneDoe drives the page at /ui/ in headless Chromium against
// the real binary and the seed story, as a support person would: sign in,
// see the space's health, find Jane Doe, see her seven identifiers drawn,
// click two of them to see the two links that join them highlighted with
// their events, read her history; then two user ids the rules kept apart,
// and the health report drawn from an answer of the route's documented
// shape. A screenshot is written (screenshotPath). The proxy in front of
// idgraph checks that the token only ever travels as the HTTP Basic
// username of data calls.
func TestUIShowsJaneDoe(t *testing.T) {
	a := startAPI(t)
	a.sendSeed()
	for _, body := range []string{
		`{"messageId":"l1","userId":"abc123","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-01T00:00:00Z"}`,
		`{"messageId":"l2","userId":"abc456","traits":{"email":"jane@example1.com"},"timestamp":"2020-01-02T00:00:00Z"}`,
	} {
		if code, out := a.do(http.MethodPost, "/v1/identify", a.kicksKey, []byte(body)); code != http.StatusOK {
			t.Fatalf("POST /v1/identify: %d %s", code, out)
		}
	}
	target, _ := url.Parse(a.base)
	proxy := &recordingProxy{next: httputil.NewSingleHostReverseProxy(target)}
	srv := httptest.NewServer(proxy)
	defer srv.Close()

	b := newBrowser(t)
	b.do(t, "open /ui/", chromedp.Navigate(srv.URL+"/ui/"), chromedp.WaitVisible(chromedp.CSS("#signin")))
	if title := eval[string](t, b, `document.title`); title != "idgraph" {
		t.Errorf("title %q, want idgraph", title)
	}
	b.waitFor(t, "Cytoscape.js loaded", `typeof window.cytoscape === 'function'`)

	// Sign in: the token goes to sessionStorage, not to the URL.
	b.do(t, "sign in",
		chromedp.SendKeys(chromedp.CSS("#token"), a.token),
		chromedp.SetValue(chromedp.CSS("#space"), a.space),
		chromedp.Click(chromedp.CSS(`#signin button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS("#session")))
	if got := eval[string](t, b, `sessionStorage.getItem('idgraph.token')`); got != a.token {
		t.Errorf("sessionStorage holds token %q, want the one typed", got)
	}
	if got := eval[string](t, b, `document.getElementById('token').value`); got != "" {
		t.Errorf("the token field still holds %q after signing in", got)
	}

	// The space's health, as the route answers today: its figures, or a
	// plain word that there is no report.
	b.waitFor(t, "the health panel", `!document.getElementById('health-body').textContent.includes('Loading')`)
	code, body := a.do(http.MethodGet, "/v1/spaces/"+a.space+"/health", a.token, nil)
	panel := eval[string](t, b, `document.getElementById('health-body').textContent`)
	switch code {
	case http.StatusNotFound:
		if !strings.Contains(panel, "No health report") || !strings.Contains(panel, "404") {
			t.Errorf("health answered 404; the panel says %q, want it to say there is no report", panel)
		}
	case http.StatusOK:
		var h struct{ Profiles, Identifiers, Singletons int }
		if err := json.Unmarshal(body, &h); err != nil {
			t.Fatal(err)
		}
		checkFigures(t, b, h.Profiles, h.Identifiers, h.Singletons)
	default:
		t.Errorf("GET health: %d %s", code, body)
	}

	// An unknown identifier is said plainly.
	b.do(t, "find nobody", chromedp.SetValue(chromedp.CSS("#identifier"), "user_id:nobody"), chromedp.Click(chromedp.CSS("#search button")))
	b.waitFor(t, "the not-found status", `document.getElementById('status').classList.contains('error')`)
	if s := eval[string](t, b, `document.getElementById('status').textContent`); !strings.Contains(s, "404") || !strings.Contains(s, "user_id:nobody") {
		t.Errorf("status after an unknown identifier: %q", s)
	}

	// Jane Doe: her seven identifiers, coloured by type, links weighted by
	// evidence.
	b.do(t, "find Jane", chromedp.SetValue(chromedp.CSS("#identifier"), "user_id:abc123def"), chromedp.Click(chromedp.CSS("#search button")))
	b.waitFor(t, "Jane's graph", `window.idgraph.cy && window.idgraph.cy.nodes().length === 7`)
	drawn := eval[[]string](t, b, `window.idgraph.cy.nodes().map(n => n.id())`)
	sort.Strings(drawn)
	if !slices.Equal(drawn, jane) {
		t.Errorf("drawn identifiers:\n got %v\nwant %v", drawn, jane)
	}
	var g struct {
		Links []struct {
			Source, Target string
			Count          int
		}
	}
	a.get("user_id:abc123def", "graph", &g)
	type drawnEdge struct {
		Source, Target string
		Count          int
		Width          float64
	}
	edges := eval[[]drawnEdge](t, b, `window.idgraph.cy.edges().map(e => ({Source: e.source().id(), Target: e.target().id(), Count: e.data('count'), Width: parseFloat(e.style('width'))}))`)
	if len(edges) != len(g.Links) {
		t.Errorf("drawn %d links, the graph route has %d", len(edges), len(g.Links))
	}
	for _, e := range edges {
		for _, f := range edges {
			if e.Count > f.Count && e.Width <= f.Width {
				t.Errorf("link %s-%s (%d events) is drawn %.1fpx wide, no wider than %s-%s (%d events, %.1fpx)",
					e.Source, e.Target, e.Count, e.Width, f.Source, f.Target, f.Count, f.Width)
			}
		}
	}
	colours := eval[map[string]string](t, b, `Object.fromEntries(window.idgraph.cy.nodes().map(n => [n.id(), n.style('background-color')]))`)
	byType := map[string]string{}
	for id, c := range colours {
		typ := id[:strings.Index(id, ":")]
		if prev, ok := byType[typ]; ok && prev != c {
			t.Errorf("type %s drawn in two colours, %s and %s", typ, prev, c)
		}
		byType[typ] = c
	}
	seen := map[string]string{}
	for typ, c := range byType {
		if other, ok := seen[c]; ok {
			t.Errorf("types %s and %s share the colour %s", typ, other, c)
		}
		seen[c] = typ
	}
	legend := eval[[]string](t, b, `[...document.querySelectorAll('#legend li')].map(li => li.dataset.type)`)
	if want := []string{"android.id", "anonymous_id", "email", "ios.id", "user_id"}; !slices.Equal(legend, want) {
		t.Errorf("legend %v, want %v", legend, want)
	}

	// Her history, as a timeline.
	var hist struct {
		Data []struct{ Kind string }
	}
	a.get("user_id:abc123def", "history?limit=100", &hist)
	b.waitFor(t, "the timeline", fmt.Sprintf(`document.querySelectorAll('#timeline li').length === %d`, len(hist.Data)))
	kinds := eval[[]string](t, b, `[...document.querySelectorAll('#timeline li')].map(li => li.dataset.kind)`)
	if len(kinds) == 0 || kinds[0] != "created" || slices.Index(kinds, "identifier_added") < 0 {
		t.Errorf("timeline kinds %v, want created first, then identifiers added", kinds)
	}
	if times := eval[[]string](t, b, `[...document.querySelectorAll('#timeline time')].map(e => e.getAttribute('datetime'))`); !slices.IsSorted(times) {
		t.Errorf("timeline out of order: %v", times)
	}

	// Click anon_123, then the Android phone: the two links between them
	// are highlighted, and each names the event that made it.
	var ex struct {
		Path []struct {
			From, To   struct{ Type, Value string }
			FirstEvent struct {
				MessageID string `json:"message_id"`
			} `json:"first_event"`
		}
	}
	a.get("anonymous_id:anon_123", "explain?to="+url.QueryEscape("android.id:and_1a2b3c4d"), &ex)
	if len(ex.Path) != 2 {
		t.Fatalf("explain anon_123 to and_1a2b3c4d: %d hops, want the seed story's two", len(ex.Path))
	}
	// Tap the two nodes as a click on them does (cytoscape's tap event,
	// which the page listens to): a click at computed coordinates missed
	// whenever the health panel above moved the graph while it rendered.
	for _, id := range []string{"anonymous_id:anon_123", "android.id:and_1a2b3c4d"} {
		eval[bool](t, b, fmt.Sprintf(`(() => { window.idgraph.cy.getElementById(%q).emit('tap'); return true; })()`, id))
	}
	b.waitFor(t, "the explanation", `document.querySelectorAll('#explanation .hops li').length === 2`)
	if from, to := eval[string](t, b, `document.getElementById('explain-from').value`), eval[string](t, b, `document.getElementById('explain-to').value`); from != "anonymous_id:anon_123" || to != "android.id:and_1a2b3c4d" {
		t.Errorf("clicks picked %q and %q", from, to)
	}
	highlighted := eval[[]string](t, b, `window.idgraph.cy.edges('.path').map(e => [e.source().id(), e.target().id()].sort().join(' '))`)
	var want []string
	for _, h := range ex.Path {
		want = append(want, strings.Join(sorted(h.From.Type+":"+h.From.Value, h.To.Type+":"+h.To.Value), " "))
	}
	sort.Strings(highlighted)
	sort.Strings(want)
	if !slices.Equal(highlighted, want) {
		t.Errorf("highlighted links %v, want the explanation's %v", highlighted, want)
	}
	hops := eval[[]string](t, b, `[...document.querySelectorAll('#explanation .hops li')].map(li => li.textContent)`)
	for i, h := range ex.Path {
		if !strings.Contains(hops[i], h.FirstEvent.MessageID) {
			t.Errorf("hop %d reads %q, want its event %s", i, hops[i], h.FirstEvent.MessageID)
		}
	}
	if faded := eval[int](t, b, `window.idgraph.cy.nodes('.faded').length`); faded != 4 {
		t.Errorf("%d identifiers faded, want the 4 off the path", faded)
	}

	shot, err := chromedp.Run(b.ctx, chromedp.FullScreenshot(100))
	if err != nil {
		t.Fatal(err)
	}
	if img, err := png.Decode(bytes.NewReader(shot)); err != nil || img.Bounds().Dx() < 1000 {
		t.Fatalf("screenshot: not a page-wide PNG (%v)", err)
	}
	path := screenshotPath(t)
	if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(path, shot, 0o644); err != nil {
		t.Fatal(err)
	}
	t.Logf("screenshot: %s", path)

	// Two user ids the user_id limit kept apart: the refused link, its rule.
	b.do(t, "find abc123", chromedp.SetValue(chromedp.CSS("#identifier"), "user_id:abc123"), chromedp.Click(chromedp.CSS("#search button")))
	b.waitFor(t, "abc123's graph", `window.idgraph.cy && window.idgraph.cy.nodes().length === 2`)
	b.do(t, "explain abc123 and abc456",
		chromedp.SetValue(chromedp.CSS("#explain-to"), "user_id:abc456"),
		chromedp.Click(chromedp.CSS("#explain-form button")))
	b.waitFor(t, "the refusal", `document.querySelectorAll('#explanation .refusals li').length > 0`)
	if rule := eval[string](t, b, `document.querySelector('#explanation .refusals li').dataset.rule`); rule != "limit:user_id" {
		t.Errorf("refusal rule %q, want limit:user_id", rule)
	}
	if s := eval[string](t, b, `document.querySelector('#explanation .refusals li').textContent`); !strings.Contains(s, "l2") {
		t.Errorf("refusal reads %q, want its event l2", s)
	}
	refused := eval[[]string](t, b, `window.idgraph.cy.edges('.refused').map(e => e.data('label') + ' ' + [e.source().id(), e.target().id()].sort().join(' '))`)
	if len(refused) != 1 || !strings.HasPrefix(refused[0], "limit:user_id ") || !strings.Contains(refused[0], "user_id:abc456") {
		t.Errorf("refused links drawn %v, want one limit:user_id link to user_id:abc456", refused)
	}

	// The health report, from an answer of the documented shape: figures,
	// the largest profiles and a merge storm. Reloading keeps the session.
	proxy.mu.Lock()
	proxy.health = []byte(`{"space":"` + a.space + `","generated_at":"2026-01-02T03:04:05Z","took_ms":12,
	  "profiles":1234,"identifiers":5678,"singletons":90,
	  "size_distribution":[{"min":1,"max":1,"profiles":90},{"min":2,"max":5,"profiles":1100},{"min":6,"max":10,"profiles":43},{"min":1001,"max":0,"profiles":1}],
	  "largest_profiles":[{"profile_id":"prf_big","identifiers":10,"merge_count":7},{"profile_id":"prf_next","identifiers":9,"merge_count":3}],
	  "hubs":[],"shared_identifiers":[],"refusals_by_rule":[],"merges_per_hour":[{"hour":"2026-01-02T02:00:00Z","merges":400}],
	  "merge_storm":{"detected":true,"hour":"2026-01-02T02:00:00Z","merges":400,"trailing_median":12}}`)
	proxy.mu.Unlock()
	b.do(t, "reload", chromedp.Reload())
	b.waitFor(t, "the health figures", `document.querySelector('#health-body [data-figure]') !== null`)
	checkFigures(t, b, 1234, 5678, 90)
	if s := eval[string](t, b, `document.querySelector('#health-body [data-storm]').textContent`); !strings.Contains(s, "Merge storm") || !strings.Contains(s, "400") || !strings.Contains(s, "12") {
		t.Errorf("merge storm line %q, want the hour's 400 merges against a median of 12", s)
	}
	if rows := eval[[]string](t, b, `[...document.querySelectorAll('#health-body table.largest tr')].slice(1).map(r => r.textContent)`); len(rows) != 2 || !strings.HasPrefix(rows[0], "prf_big107") {
		t.Errorf("largest profiles rows %q", rows)
	}

	if rows := eval[[]string](t, b, `[...document.querySelectorAll('#health-body table.sizes tr')].slice(1).map(r => r.textContent)`); !slices.Equal(rows, []string{"190", "2–51100", "6–1043", "1001+1"}) {
		t.Errorf("size distribution rows %q, want 1, 2–5, 6–10 and 1001+ (no upper bound) with their counts", rows)
	}

	// Signing out forgets the token.
	b.do(t, "sign out", chromedp.Click(chromedp.CSS("#signout")), chromedp.WaitVisible(chromedp.CSS("#signin")))
	if got := eval[bool](t, b, `sessionStorage.getItem('idgraph.token') === null`); !got {
		t.Error("the token is still in sessionStorage after signing out")
	}

	b.checkClean(t)
	// The token went only as the Basic username of data calls; static
	// files went without it; no URL and no log line holds it.
	var data int
	for _, r := range proxy.seen() {
		if strings.Contains(r.uri, a.token) || strings.Contains(r.uri, url.QueryEscape(a.token)) || strings.Contains(r.uri, base64.StdEncoding.EncodeToString([]byte(a.token))) {
			t.Errorf("request %s carries the token in its URL", r.uri)
		}
		switch {
		case strings.HasPrefix(r.uri, "/v1/"):
			data++
			if r.user != a.token {
				t.Errorf("data call %s sent Basic username %q, want the token", r.uri, r.user)
			}
		case r.user != "":
			t.Errorf("%s sent credentials", r.uri)
		}
	}
	if data < 6 {
		t.Errorf("the proxy saw %d data calls, want at least graph, history, explain and health ones", data)
	}
	if strings.Contains(a.proc.logs(), a.token) {
		t.Error("idgraph's log holds the access token")
	}
}

func checkFigures(t *testing.T, b *browser, profiles, identifiers, singletons int) {
	t.Helper()
	got := eval[map[string]string](t, b, `Object.fromEntries([...document.querySelectorAll('#health-body [data-figure]')].map(d => [d.dataset.figure, d.querySelector('dd').textContent]))`)
	want := map[string]string{"profiles": fmt.Sprint(profiles), "identifiers": fmt.Sprint(identifiers), "singletons": fmt.Sprint(singletons)}
	for k, v := range want {
		if got[k] != v {
			t.Errorf("health figure %s: got %q, want %s", k, got[k], v)
		}
	}
}

func sorted(s ...string) []string {
	sort.Strings(s)
	return s
}
