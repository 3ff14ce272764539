package test

import (
	"context"
	"os"
	"os/exec"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/log"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
)

// chromium returns the path of the browser the page tests drive: Debian's
// chromium, which scripts/test installs when it is missing.
func chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// browser is a headless Chromium tab and what its page reported: CSP
// violations, errors logged by scripts, and uncaught exceptions.
type browser struct {
	ctx      context.Context
	mu       sync.Mutex
	problems []string
}

// newBrowser starts Chromium headless, with the flags a machine that reaches
// nothing but loopback needs (no background networking, component updates,
// sync or QUIC) and a fresh profile, and returns a tab. Without a browser
// the test fails: the page tests never skip.
func newBrowser(t *testing.T) *browser {
	t.Helper()
	path := chromium()
	if path == "" {
		t.Fatal("no chromium on PATH: make test (scripts/test) installs Debian's chromium; or apt-get install chromium")
	}
	opts := []chromedp.ExecAllocatorOption{
		chromedp.ExecPath(path),
		chromedp.Headless,
		chromedp.DisableGPU,
		chromedp.NoFirstRun,
		chromedp.NoDefaultBrowserCheck,
		chromedp.Flag("disable-quic", true),
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.UserDataDir(t.TempDir()),
		chromedp.WindowSize(1440, 1100),
	}
	if os.Geteuid() == 0 {
		opts = append(opts, chromedp.NoSandbox)
	}
	allocCtx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancelTab := chromedp.NewContext(allocCtx)
	ctx, cancelTimeout := context.WithTimeout(ctx, 4*time.Minute)
	t.Cleanup(func() {
		cancelTimeout()
		cancelTab()
		cancelAlloc()
	})
	b := &browser{ctx: ctx}
	// Start the browser now, so that a missing library fails here, clearly.
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("start %s: %v", path, err)
	}
	if err := chromedp.Listen(ctx, b.record); err != nil {
		t.Fatal(err)
	}
	return b
}

// record keeps what the page reports that a test should fail on.
func (b *browser) record(ev any) {
	var problem string
	switch ev := ev.(type) {
	case *log.EventEntryAdded:
		if e := ev.Entry; e != nil && (e.Source == log.EntrySourceSecurity || e.Source == log.EntrySourceJavascript) {
			problem = string(e.Source) + ": " + e.Text
		}
	case *runtime.EventExceptionThrown:
		if d := ev.ExceptionDetails; d != nil {
			problem = "exception: " + d.Text
			if d.Exception != nil && d.Exception.Description != "" {
				problem += " " + d.Exception.Description
			}
		}
	}
	if problem != "" {
		b.mu.Lock()
		b.problems = append(b.problems, problem)
		b.mu.Unlock()
	}
}

// checkClean fails the test for every problem the page reported.
func (b *browser) checkClean(t *testing.T) {
	t.Helper()
	b.mu.Lock()
	defer b.mu.Unlock()
	for _, p := range b.problems {
		t.Errorf("the page reported %s", p)
	}
}

// do runs steps in the tab.
func (b *browser) do(t *testing.T, what string, steps ...chromedp.Action[chromedp.Void]) {
	t.Helper()
	if err := chromedp.Do(b.ctx, steps...); err != nil {
		t.Fatalf("%s: %v", what, err)
	}
}

// eval evaluates a JavaScript expression in the page.
func eval[T any](t *testing.T, b *browser, expr string) T {
	t.Helper()
	v, err := chromedp.Run(b.ctx, chromedp.Evaluate[T](expr))
	if err != nil {
		t.Fatalf("evaluate %s: %v", expr, err)
	}
	return v
}

// waitFor polls a JavaScript predicate until it is true, for at most 20 s.
func (b *browser) waitFor(t *testing.T, what, predicate string) {
	t.Helper()
	if _, err := chromedp.Run(b.ctx, chromedp.Poll[chromedp.Void](predicate,
		chromedp.WithPollingTimeout(60*time.Second), chromedp.WithPollingInterval(50*time.Millisecond))); err != nil {
		// What the page says: idgraph's status line, or the start of any other page's text.
		said, _ := chromedp.Run(b.ctx, chromedp.Evaluate[string](`document.getElementById('status') ? document.getElementById('status').textContent : document.body.innerText.slice(0, 2000)`))
		t.Fatalf("waiting for %s (%s): %v; the page says: %q", what, predicate, err, strings.TrimSpace(said))
	}
}
