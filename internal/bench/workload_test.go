package bench_test

import (
	"bufio"
	"bytes"
	"runtime"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/bench"
)

// generate runs Generate into memory.
func generate(t *testing.T, events int, seed uint64, noise string) (bench.Summary, []byte, []byte) {
	t.Helper()
	kinds, err := bench.ParseNoise(noise)
	if err != nil {
		t.Fatal(err)
	}
	var ev, truth bytes.Buffer
	sum, err := bench.Generate(bench.Workload{Events: events, Seed: seed, Noise: kinds}, &ev, &truth)
	if err != nil {
		t.Fatalf("Generate: %v", err)
	}
	return sum, ev.Bytes(), truth.Bytes()
}

func lines(b []byte) []string {
	return strings.Split(strings.TrimSuffix(string(b), "\n"), "\n")
}

// truthOwners reads a truth file: identifier -> owner ("p12" or "!kind").
func truthOwners(t *testing.T, truth []byte) map[string]string {
	t.Helper()
	owners := map[string]string{}
	for _, l := range lines(truth) {
		if strings.HasPrefix(l, "#") {
			continue
		}
		f := strings.Split(l, "\t")
		if len(f) != 3 {
			t.Fatalf("truth line %q: want 3 fields", l)
		}
		if prev, ok := owners[f[0]]; ok {
			t.Fatalf("truth names %s twice: %s and %s", f[0], prev, f[1])
		}
		owners[f[0]] = f[1]
	}
	return owners
}

func TestGenerateIsDeterministic(t *testing.T) {
	_, ev1, tr1 := generate(t, 5000, 7, "all")
	_, ev2, tr2 := generate(t, 5000, 7, "all")
	if !bytes.Equal(ev1, ev2) {
		t.Error("same seed: events differ")
	}
	if !bytes.Equal(tr1, tr2) {
		t.Error("same seed: truth differs")
	}
	_, ev3, _ := generate(t, 5000, 8, "all")
	if bytes.Equal(ev1, ev3) {
		t.Error("seeds 7 and 8 wrote the same events")
	}
}

// TestGenerateWritesValidEventsAndCompleteTruth checks that every line is an
// event idgraph accepts, that the count is exact, and that the truth names
// every identifier idgraph extracts (blocked values included).
func TestGenerateWritesValidEventsAndCompleteTruth(t *testing.T) {
	sum, ev, truth := generate(t, 20000, 1, "all")
	ls := lines(ev)
	if len(ls) != 20000 || sum.Events != 20000 {
		t.Fatalf("got %d lines, summary %d events, want 20000", len(ls), sum.Events)
	}
	owners := truthOwners(t, truth)
	rules := idgraph.DefaultRules()
	types := map[string]int{}
	sources := map[string]int{}
	for i, l := range ls {
		e, err := idgraph.ParseEvent([]byte(l), bench.DefaultStart)
		if err != nil {
			t.Fatalf("line %d: %v\n%s", i+1, err, l)
		}
		types[e.Type]++
		app, _ := e.Context["app"].(map[string]any)
		src, ok := bench.SourceOf(app["name"].(string))
		if !ok {
			t.Fatalf("line %d: context.app.name %v names no source", i+1, app["name"])
		}
		sources[src]++
		ids, blocked := rules.Extract(e)
		for _, id := range append(ids, blocked...) {
			if _, ok := owners[id.String()]; !ok {
				t.Fatalf("line %d: the truth does not name %s", i+1, id)
			}
		}
	}
	for typ, n := range sum.ByType {
		if types[typ] != n {
			t.Errorf("summary: %d %s events, file has %d", n, typ, types[typ])
		}
	}
	for src, n := range sum.BySource {
		if sources[src] != n {
			t.Errorf("summary: %d events from %s, file has %d", n, src, sources[src])
		}
	}
	// Realistic proportions: mostly page, screen and track; some identify.
	for typ, share := range map[string][2]float64{
		"track": {0.3, 0.6}, "screen": {0.15, 0.45}, "page": {0.1, 0.4}, "identify": {0.02, 0.1},
	} {
		got := float64(types[typ]) / float64(len(ls))
		if got < share[0] || got > share[1] {
			t.Errorf("%s is %.3f of events, want %.2f to %.2f", typ, got, share[0], share[1])
		}
	}
	if days := sum.Last.Sub(sum.First).Hours() / 24; days < 14 {
		t.Errorf("timestamps span %.1f days, want weeks", days)
	}
	personal := 0
	for _, o := range owners {
		if !strings.HasPrefix(o, "!") {
			personal++
		}
	}
	if personal != sum.PersonalIdentifiers || len(owners)-personal != sum.NoiseIdentifiers {
		t.Errorf("truth has %d personal and %d noise identifiers, summary says %d and %d",
			personal, len(owners)-personal, sum.PersonalIdentifiers, sum.NoiseIdentifiers)
	}
}

// TestGenerateCountsNoise checks each kind's counts against the files:
// replays are repeated message ids, out-of-order events arrive after later
// ones, noise identifiers are in the truth under their kind and in events.
func TestGenerateCountsNoise(t *testing.T) {
	sum, ev, truth := generate(t, 30000, 3, "all")
	owners := truthOwners(t, truth)
	byKind := map[string]int{}
	for _, o := range owners {
		if k, ok := strings.CutPrefix(o, "!"); ok {
			byKind[k]++
		}
	}
	for _, k := range bench.AllNoise {
		c := sum.ByNoise[k]
		if c == nil {
			t.Fatalf("noise %s on but not counted", k)
		}
		if c.Instances == 0 || c.Events == 0 {
			t.Errorf("noise %s: %+v, want instances and events", k, *c)
		}
		if c.Identifiers != byKind[string(k)] {
			t.Errorf("noise %s: summary counts %d identifiers, truth has %d", k, c.Identifiers, byKind[string(k)])
		}
	}

	rules := idgraph.DefaultRules()
	seen := map[string]bool{}
	replays, late, withKind := 0, 0, map[string]int{}
	latest := map[string]time.Time{} // by anonymousId: one app install
	for _, l := range lines(ev) {
		e, err := idgraph.ParseEvent([]byte(l), bench.DefaultStart)
		if err != nil {
			t.Fatal(err)
		}
		if seen[e.MessageID] {
			replays++
		}
		seen[e.MessageID] = true
		if e.Timestamp.Before(latest[e.AnonymousID]) {
			late++
		}
		if e.Timestamp.After(latest[e.AnonymousID]) {
			latest[e.AnonymousID] = e.Timestamp
		}
		ids, blocked := rules.Extract(e)
		kinds := map[string]bool{}
		for _, id := range append(ids, blocked...) {
			if k, ok := strings.CutPrefix(owners[id.String()], "!"); ok {
				kinds[k] = true
			}
		}
		for k := range kinds {
			withKind[k]++
		}
	}
	if got := sum.ByNoise[bench.NoiseReplay].Events; got != replays {
		t.Errorf("summary counts %d replayed events, file repeats %d message ids", got, replays)
	}
	// An install's events arrive in order, but for the delayed ones and the
	// replays (junk anonymousIds aside).
	if got := sum.ByNoise[bench.NoiseOutOfOrder].Events; late < got/2 || late > got+replays {
		t.Errorf("%d events arrive after a later event of their install; summary counts %d delayed and %d replayed", late, got, replays)
	}
	for _, k := range []bench.NoiseKind{bench.NoiseSharedDevice, bench.NoiseKiosk, bench.NoiseJunk, bench.NoiseQAUser, bench.NoiseSharedMailbox, bench.NoiseStickyGA} {
		if got, want := withKind[string(k)], sum.ByNoise[k].Events; got != want {
			t.Errorf("noise %s: %d events carry its identifiers, summary counts %d", k, got, want)
		}
	}
}

// TestGenerateSwitchesNoiseOff checks that a kind switched off leaves no
// trace, and that the rest still appears.
func TestGenerateSwitchesNoiseOff(t *testing.T) {
	sum, ev, truth := generate(t, 20000, 5, "none")
	if len(sum.ByNoise) != 0 {
		t.Errorf("noise none: counted %v", sum.ByNoise)
	}
	for id, o := range truthOwners(t, truth) {
		if strings.HasPrefix(o, "!") {
			t.Errorf("noise none: %s is %s", id, o)
		}
	}
	ids := map[string]bool{}
	for _, l := range lines(ev) {
		e, err := idgraph.ParseEvent([]byte(l), bench.DefaultStart)
		if err != nil {
			t.Fatal(err)
		}
		if ids[e.MessageID] {
			t.Errorf("noise none: message id %s repeated", e.MessageID)
		}
		ids[e.MessageID] = true
		if _, blocked := idgraph.DefaultRules().Extract(e); len(blocked) > 0 {
			t.Errorf("noise none: junk %v in %s", blocked, l)
		}
	}

	for _, off := range bench.AllNoise {
		sum, _, truth := generate(t, 10000, 5, "all,-"+string(off))
		if sum.ByNoise[off] != nil {
			t.Errorf("all,-%s: %s counted %+v", off, off, *sum.ByNoise[off])
		}
		for id, o := range truthOwners(t, truth) {
			if o == "!"+string(off) {
				t.Errorf("all,-%s: %s is %s", off, id, o)
			}
		}
		for _, k := range bench.AllNoise {
			if k != off && (sum.ByNoise[k] == nil || sum.ByNoise[k].Events == 0) {
				t.Errorf("all,-%s: %s has no events", off, k)
			}
		}
	}
}

func TestParseNoise(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"all", "shared-device,kiosk,junk,qa-user,shared-mailbox,sticky-ga,replay,out-of-order"},
		{"none", "none"},
		{"", "none"},
		{"junk, replay", "junk,replay"},
		{"all,-replay,-junk", "shared-device,kiosk,qa-user,shared-mailbox,sticky-ga,out-of-order"},
		{"kiosk,none,qa-user", "qa-user"},
	} {
		got, err := bench.ParseNoise(tc.in)
		if err != nil {
			t.Errorf("ParseNoise(%q): %v", tc.in, err)
			continue
		}
		if got.String() != tc.want {
			t.Errorf("ParseNoise(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
	if _, err := bench.ParseNoise("all,telepathy"); err == nil || !strings.Contains(err.Error(), "telepathy") {
		t.Errorf("ParseNoise(telepathy): %v, want an error naming it", err)
	}
}

// TestGenerateStreams checks that the generator's memory does not grow with
// the workload: the live heap after a large run stays small.
func TestGenerateStreams(t *testing.T) {
	kinds, _ := bench.ParseNoise("all")
	w := bufio.NewWriter(discard{})
	small := heapAfter(t, func() { _, _ = bench.Generate(bench.Workload{Events: 20000, Seed: 1, Noise: kinds}, w, w) })
	large := heapAfter(t, func() { _, _ = bench.Generate(bench.Workload{Events: 100000, Seed: 1, Noise: kinds}, w, w) })
	if large > 4*small+(64<<20) {
		t.Errorf("peak heap %d MB for 100,000 events against %d MB for 20,000: not streaming", large>>20, small>>20)
	}
}

type discard struct{}

func (discard) Write(p []byte) (int, error) { return len(p), nil }

// heapAfter runs f and returns the largest heap in use while it ran.
func heapAfter(t *testing.T, f func()) uint64 {
	t.Helper()
	runtime.GC()
	var (
		mu   sync.Mutex
		peak uint64
		done = make(chan struct{})
		wg   sync.WaitGroup
	)
	wg.Add(1)
	go func() {
		defer wg.Done()
		tick := time.NewTicker(20 * time.Millisecond)
		defer tick.Stop()
		for {
			var m runtime.MemStats
			runtime.ReadMemStats(&m)
			mu.Lock()
			peak = max(peak, m.HeapInuse)
			mu.Unlock()
			select {
			case <-done:
				return
			case <-tick.C:
			}
		}
	}()
	f()
	close(done)
	wg.Wait()
	return peak
}
