// Package bench measures idgraph. It holds a workload generator with ground
// truth (workload.go, people.go, events.go), pairwise accuracy against that
// truth (accuracy.go), and the runner behind `idgraph-bench bench`, which times
// ingestion, lookups, explanations, check and rebuild against the real binary
// and a real Neo4j (runner.go and the files it uses).
package bench

import (
	"bufio"
	"container/heap"
	"encoding/json"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"sort"
	"time"

	"github.com/idgraph/idgraph"
)

// App is one brand: iOS and Android apps and a website that send to one
// Segment source. Every generated event names its app in context.app.name;
// the runner maps that name to the source's write key.
type App struct {
	Source string // source id
	Name   string // context.app.name
	Host   string // the website's host
	// ResetsOnLogout: the app calls reset() on logout, so the next user of
	// the install gets a new anonymousId.
	ResetsOnLogout bool
}

// Apps are the workload's two sources.
var Apps = []App{
	{Source: "segkicks", Name: "SegKicks", Host: "segkicks.example", ResetsOnLogout: true},
	{Source: "segruns", Name: "SegRuns", Host: "segruns.example", ResetsOnLogout: false},
}

// SourceOf returns the source id of an app name.
func SourceOf(appName string) (string, bool) {
	for _, a := range Apps {
		if a.Name == appName {
			return a.Source, true
		}
	}
	return "", false
}

// Workload says what to generate. The same Workload always gives the same
// bytes.
type Workload struct {
	Events int
	Seed   uint64
	Noise  NoiseSet
	// Start is when the first person arrives; DefaultStart when zero.
	Start time.Time
}

// DefaultStart is when the workload's first person arrives.
var DefaultStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

// TruthHeader starts every ground-truth file.
const TruthHeader = "# idgraph ground truth: identifier (type:value) TAB owner (person id, or !noise-kind) TAB linkable component (person.n, or - for noise)\n"

// Generate writes w.Events events to events, one Segment event (JSON) a
// line, and the ground truth to truth (see TruthHeader and accuracy.go). It
// streams: memory depends on how many people are active at once, not on
// w.Events.
//
// People arrive over time (about one every four minutes), live for days to
// weeks of sessions and leave; their events are written in time order, except
// the out-of-order and replayed ones. The ground truth of a person is written
// when they leave (or when the workload ends), covering only the identifiers
// their written events carried.
func Generate(w Workload, events, truth io.Writer) (Summary, error) {
	if w.Events <= 0 {
		return Summary{}, idgraph.Errorf(idgraph.EINVALID, "events: want a positive number, got %d", w.Events)
	}
	if w.Start.IsZero() {
		w.Start = DefaultStart
	}
	g := newGenerator(w, events, truth)
	if _, err := io.WriteString(g.truth, TruthHeader); err != nil {
		return Summary{}, err
	}
	g.run()
	if g.err != nil {
		return g.sum, g.err
	}
	if err := g.out.Flush(); err != nil {
		return g.sum, err
	}
	if err := g.truth.Flush(); err != nil {
		return g.sum, err
	}
	return g.sum, nil
}

// generator is one run of Generate.
type generator struct {
	w     Workload
	rng   *rand.Rand
	rules idgraph.Rules
	out   *bufio.Writer
	truth *bufio.Writer
	err   error
	sum   Summary

	clock       time.Time
	nextArrival time.Time
	arrivalGap  time.Duration // mean time between two arrivals
	people      int           // people created
	sessions    sessionHeap
	delayed     delayHeap
	delaySeq    int
	waiting     map[int]*person // finished their sessions, events still delayed

	kiosks []*install
	qa     *qaAccount
	junk   map[idgraph.Identifier]*noiseID
}

func newGenerator(w Workload, events, truth io.Writer) *generator {
	g := &generator{
		w:       w,
		rng:     rand.New(rand.NewPCG(w.Seed, 0x1d9a4f)),
		rules:   idgraph.DefaultRules(),
		out:     bufio.NewWriterSize(events, 1<<16),
		truth:   bufio.NewWriterSize(truth, 1<<16),
		clock:   w.Start,
		waiting: map[int]*person{},
		junk:    map[idgraph.Identifier]*noiseID{},
		sum: Summary{
			Seed: w.Seed, Noise: w.Noise.String(),
			ByType: map[string]int{}, BySource: map[string]int{}, ByNoise: map[NoiseKind]*NoiseCount{},
		},
	}
	for _, k := range AllNoise {
		if w.Noise[k] {
			g.sum.ByNoise[k] = &NoiseCount{}
		}
	}
	g.nextArrival = w.Start
	g.arrivalGap = max(minArrivalGap, spanTarget/time.Duration(max(1, w.Events/eventsPerPerson)))
	if g.on(NoiseKiosk) {
		g.kiosks = g.newKiosks()
	}
	if g.on(NoiseQAUser) {
		g.qa = g.newQA()
	}
	return g
}

func (g *generator) on(k NoiseKind) bool { return g.w.Noise[k] }

// count returns the counter of a noise kind; nil when it is off.
func (g *generator) count(k NoiseKind) *NoiseCount { return g.sum.ByNoise[k] }

// run emits events until there are w.Events, taking whatever comes next in
// time: a delayed event, a session, or a new person.
func (g *generator) run() {
	for g.sum.Events < g.w.Events && g.err == nil {
		next := g.nextArrival
		what := 0 // 0 arrival, 1 session, 2 delayed
		if len(g.sessions) > 0 && g.sessions[0].next.Before(next) {
			next, what = g.sessions[0].next, 1
		}
		if len(g.delayed) > 0 && !g.delayed[0].at.After(next) {
			next, what = g.delayed[0].at, 2
		}
		if next.After(g.clock) {
			g.clock = next
		}
		switch what {
		case 0:
			g.arrive()
			g.nextArrival = g.nextArrival.Add(g.exp(g.arrivalGap))
		case 1:
			p := heap.Pop(&g.sessions).(*person)
			g.session(p)
			if p.sessionsLeft > 0 {
				heap.Push(&g.sessions, p)
			} else {
				g.leave(p)
			}
		case 2:
			d := heap.Pop(&g.delayed).(*delayedEvent)
			g.emit(d.ev)
			p := d.ev.p
			p.pending--
			if p.pending == 0 && g.waiting[p.num] != nil {
				delete(g.waiting, p.num)
				g.finish(p)
			}
		}
	}
	if g.err != nil {
		return
	}
	// The workload is complete: write the truth of everyone still active,
	// in the order they arrived.
	var rest []*person
	for _, p := range g.sessions {
		rest = append(rest, p)
	}
	for _, p := range g.waiting {
		rest = append(rest, p)
	}
	sort.Slice(rest, func(i, j int) bool { return rest[i].num < rest[j].num })
	for _, p := range rest {
		g.finish(p)
	}
}

// leave retires a person whose sessions are over, once their delayed events
// are out.
func (g *generator) leave(p *person) {
	if p.pending > 0 {
		g.waiting[p.num] = p
		return
	}
	g.finish(p)
}

// send writes an event now, or later when it is delayed (out of order), and
// may schedule a replay of it.
func (g *generator) send(ev *genEvent) {
	if g.on(NoiseOutOfOrder) && g.rng.Float64() < pOutOfOrder {
		ev.delayed = true
		g.later(ev, g.clock.Add(time.Minute+g.exp(outOfOrderDelay)))
		return
	}
	g.emit(ev)
}

func (g *generator) later(ev *genEvent, at time.Time) {
	ev.p.pending++
	g.delaySeq++
	heap.Push(&g.delayed, &delayedEvent{at: at, seq: g.delaySeq, ev: ev})
}

// emit writes one event line and records what it carried for the ground
// truth and the summary.
func (g *generator) emit(ev *genEvent) {
	if g.err != nil || g.sum.Events >= g.w.Events {
		return
	}
	if _, err := g.out.Write(ev.line); err != nil {
		g.err = err
		return
	}
	if err := g.out.WriteByte('\n'); err != nil {
		g.err = err
		return
	}
	s := &g.sum
	s.Events++
	s.ByType[ev.typ]++
	s.BySource[ev.source]++
	if s.First.IsZero() || ev.ts.Before(s.First) {
		s.First = ev.ts
	}
	if ev.ts.After(s.Last) {
		s.Last = ev.ts
	}
	touched := map[NoiseKind]bool{}
	if ev.replay {
		touched[NoiseReplay] = true
	}
	if ev.delayed {
		touched[NoiseOutOfOrder] = true
	}
	var personal []idgraph.Identifier
	for _, id := range ev.ids {
		if n := ev.noiseOf(id, g); n != nil {
			touched[n.kind] = true
			if !n.written {
				n.written = true
				g.writeNoise(n)
			}
			continue
		}
		personal = append(personal, id)
	}
	for k := range touched {
		if c := g.count(k); c != nil {
			c.Events++
		}
	}
	if ev.p.qa && len(personal) > 0 {
		g.err = idgraph.Errorf(idgraph.EINTERNAL, "bench: QA event %s carries %v, which belong to nobody", ev.msgID, personal)
		return
	}
	ev.p.events++
	ev.p.link(personal)
	if !ev.replay && g.on(NoiseReplay) && g.rng.Float64() < pReplay {
		c := *ev
		c.replay, c.delayed = true, false
		g.count(NoiseReplay).Instances++
		g.later(&c, g.clock.Add(time.Second+g.exp(replayDelay)))
	}
	if ev.delayed && !ev.replay {
		g.count(NoiseOutOfOrder).Instances++
	}
}

func (g *generator) writeNoise(n *noiseID) {
	g.sum.NoiseIdentifiers++
	if c := g.count(n.kind); c != nil {
		c.Identifiers++
	}
	if _, err := fmt.Fprintf(g.truth, "%s\t!%s\t-\n", n.id, n.kind); err != nil {
		g.err = err
	}
}

// finish writes a person's ground truth: each identifier their events
// carried, with the linkable component it lies in.
func (g *generator) finish(p *person) {
	if p.qa || p.events == 0 {
		return
	}
	g.sum.Persons++
	if p.userID != "" {
		g.sum.Known++
	}
	comps := map[int]int{} // union-find root → component number, in order of first identifier
	sizes := map[int]int64{}
	for i, id := range p.order {
		root := p.find(i)
		c, ok := comps[root]
		if !ok {
			c = len(comps)
			comps[root] = c
		}
		sizes[c]++
		if _, err := fmt.Fprintf(g.truth, "%s\tp%d\tp%d.%d\n", id, p.num, p.num, c); err != nil {
			g.err = err
			return
		}
	}
	g.sum.PersonalIdentifiers += len(p.order)
	g.sum.LinkableComponents += len(comps)
	for _, n := range sizes {
		g.sum.LinkablePairs += n * (n - 1) / 2
	}
}

// exp returns an exponentially distributed duration with the given mean.
func (g *generator) exp(mean time.Duration) time.Duration {
	return time.Duration(g.rng.ExpFloat64() * float64(mean))
}

// geom returns a geometric count 0, 1, 2, ... with the given mean.
func (g *generator) geom(mean float64) int {
	p := 1 / (1 + mean)
	n := 0
	for g.rng.Float64() >= p {
		n++
	}
	return n
}

// pick returns a random element of xs.
func pick[T any](g *generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// sessionHeap orders active people by their next session.
type sessionHeap []*person

func (h sessionHeap) Len() int { return len(h) }
func (h sessionHeap) Less(i, j int) bool {
	if !h[i].next.Equal(h[j].next) {
		return h[i].next.Before(h[j].next)
	}
	return h[i].num < h[j].num
}
func (h sessionHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *sessionHeap) Push(x any)   { *h = append(*h, x.(*person)) }
func (h *sessionHeap) Pop() any {
	old := *h
	p := old[len(old)-1]
	*h = old[:len(old)-1]
	return p
}

// delayedEvent is an event waiting to be sent late.
type delayedEvent struct {
	at  time.Time
	seq int
	ev  *genEvent
}

type delayHeap []*delayedEvent

func (h delayHeap) Len() int { return len(h) }
func (h delayHeap) Less(i, j int) bool {
	if !h[i].at.Equal(h[j].at) {
		return h[i].at.Before(h[j].at)
	}
	return h[i].seq < h[j].seq
}
func (h delayHeap) Swap(i, j int) { h[i], h[j] = h[j], h[i] }
func (h *delayHeap) Push(x any)   { *h = append(*h, x.(*delayedEvent)) }
func (h *delayHeap) Pop() any {
	old := *h
	d := old[len(old)-1]
	*h = old[:len(old)-1]
	return d
}

// Files of a workload directory.
const (
	EventsFile  = "events.ndjson"
	TruthFile   = "truth.tsv"
	SummaryFile = "summary.json"
)

// WriteWorkload generates w into dir (created if needed): EventsFile,
// TruthFile and SummaryFile.
func WriteWorkload(dir string, w Workload) (Summary, error) {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", dir)
	}
	events, err := os.Create(filepath.Join(dir, EventsFile))
	if err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", EventsFile)
	}
	defer events.Close()
	truth, err := os.Create(filepath.Join(dir, TruthFile))
	if err != nil {
		return Summary{}, idgraph.WrapError(idgraph.EINVALID, err, "create %s", TruthFile)
	}
	defer truth.Close()
	sum, err := Generate(w, events, truth)
	if err != nil {
		return sum, err
	}
	b, err := json.MarshalIndent(sum, "", "  ")
	if err != nil {
		return sum, err
	}
	if err := os.WriteFile(filepath.Join(dir, SummaryFile), append(b, '\n'), 0o644); err != nil {
		return sum, err
	}
	if err := events.Close(); err != nil {
		return sum, err
	}
	return sum, truth.Close()
}
