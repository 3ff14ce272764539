package api_test

import (
	"io/fs"
	"net/http"
	"net/http/httptest"
	"regexp"
	"strings"
	"testing"

	"github.com/idgraph/idgraph/api"
	"github.com/idgraph/idgraph/ui"
)

// TestUIServesThePage checks /ui/: the embedded files without credentials,
// each under a Content-Security-Policy that allows nothing inline or from
// elsewhere; no directory listing; the Browser guide and style readable
// from any origin.
func TestUIServesThePage(t *testing.T) {
	h := api.New(api.Config{}).Handler()
	get := func(target, host string) *httptest.ResponseRecorder {
		req := httptest.NewRequest(http.MethodGet, target, nil)
		if host != "" {
			req.Host = host
		}
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		return rec
	}
	const csp = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
		"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"
	tests := []struct {
		target, contentType, body string
	}{
		{"/ui/", "text/html; charset=utf-8", `<script src="app.js" defer></script>`},
		{"/ui/app.js", "text/javascript; charset=utf-8", "sessionStorage"},
		{"/ui/style.css", "text/css; charset=utf-8", "__________cytoscape_container"},
		{"/ui/vendor/cytoscape.min.js", "text/javascript; charset=utf-8", "The Cytoscape Consortium"},
		{"/ui/vendor/cytoscape.LICENSE", "text/plain; charset=utf-8", "Permission is hereby granted"},
	}
	for _, tt := range tests {
		rec := get(tt.target, "")
		if rec.Code != http.StatusOK || rec.Header().Get("Content-Type") != tt.contentType || !strings.Contains(rec.Body.String(), tt.body) {
			t.Errorf("GET %s: %d %q, want 200 %q with %q", tt.target, rec.Code, rec.Header().Get("Content-Type"), tt.contentType, tt.body)
		}
		if got := rec.Header().Get("Content-Security-Policy"); got != csp {
			t.Errorf("GET %s: Content-Security-Policy %q, want %q", tt.target, got, csp)
		}
		if rec.Header().Get("X-Content-Type-Options") != "nosniff" || rec.Header().Get("Referrer-Policy") != "no-referrer" {
			t.Errorf("GET %s: headers %v", tt.target, rec.Header())
		}
	}
	for _, target := range []string{"/ui/vendor/", "/ui/nothing.js", "/ui/../openapi.json", "/ui/ui.go"} {
		if rec := get(target, ""); rec.Code != http.StatusNotFound || !strings.Contains(rec.Body.String(), `"not_found"`) {
			t.Errorf("GET %s: %d %s, want 404 not_found", target, rec.Code, rec.Body)
		}
	}
	if rec := get("/ui", ""); rec.Code/100 != 3 || rec.Header().Get("Location") != "/ui/" {
		t.Errorf("GET /ui: %d to %q, want a redirect to /ui/", rec.Code, rec.Header().Get("Location"))
	}

	rec := get("/ui/neo4j/guide.html", "localhost:8080")
	if rec.Code != http.StatusOK || rec.Header().Get("Access-Control-Allow-Origin") != "*" ||
		!strings.Contains(rec.Body.String(), ":style http://localhost:8080/ui/neo4j/idgraph.grass</pre>") {
		t.Errorf("GET /ui/neo4j/guide.html: %d %v\n%s", rec.Code, rec.Header(), rec.Body)
	}
	rec = get("/ui/neo4j/idgraph.grass", "")
	if rec.Code != http.StatusOK || rec.Header().Get("Access-Control-Allow-Origin") != "*" || rec.Body.String() != string(ui.Style()) {
		t.Errorf("GET /ui/neo4j/idgraph.grass: %d %v", rec.Code, rec.Header())
	}
}

// inline finds what a strict Content-Security-Policy refuses in markup:
// script elements with a body, event handler attributes, style attributes
// and elements, javascript: URLs.
var inline = regexp.MustCompile(`(?i)<script(\s[^>]*)?>\s*[^<\s]|\son[a-z]+\s*=|\sstyle\s*=|<style|javascript:`)

func TestUIPageHasNothingInline(t *testing.T) {
	page, err := fs.ReadFile(ui.Files(), "index.html")
	if err != nil {
		t.Fatal(err)
	}
	if m := inline.FindString(string(page)); m != "" {
		t.Errorf("index.html holds %q, which the page's Content-Security-Policy refuses", m)
	}
	// No input is named, so a form submitted without the script sends nothing.
	if m := regexp.MustCompile(`<input[^>]*\sname=`).FindString(string(page)); m != "" {
		t.Errorf("index.html has a named input, %q: a plain submit would put its value in the URL", m)
	}
}

func TestUIPreflightAllowsBrowserOnly(t *testing.T) {
	h := api.New(api.Config{}).Handler()
	for _, tt := range []struct {
		target string
		want   int
	}{
		{"/ui/neo4j/guide.html", http.StatusOK},
		{"/ui/neo4j/idgraph.grass", http.StatusOK},
		{"/ui/app.js", http.StatusNotFound},
		{"/ui/", http.StatusNotFound},
	} {
		req := httptest.NewRequest(http.MethodOptions, tt.target, nil)
		req.Header.Set("Origin", "http://127.0.0.1:7474")
		req.Header.Set("Access-Control-Request-Method", "GET")
		req.Header.Set("Access-Control-Request-Headers", "x-ajax-browser-auth")
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		allowed := rec.Header().Get("Access-Control-Allow-Origin") == "*" && rec.Header().Get("Access-Control-Allow-Headers") == "x-ajax-browser-auth"
		if rec.Code != tt.want || allowed != (tt.want == http.StatusOK) {
			t.Errorf("OPTIONS %s: %d %v, want %d", tt.target, rec.Code, rec.Header(), tt.want)
		}
	}
}
