package bench

import (
	"bufio"
	"container/heap"
	"io"
	"math/rand/v2"
	"sort"
	"time"

	"github.com/idgraph/idgraph"
)

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
	sessions    queue[*person]
	delayed     queue[*delayedEvent]
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
