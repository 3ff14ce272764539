package bench

import (
	"fmt"
	"time"

	"github.com/idgraph/idgraph"
)

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
	g.tally(ev)
	personal := g.sortNoise(ev)
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

// tally counts a written event in the summary.
func (g *generator) tally(ev *genEvent) {
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
}

// sortNoise returns the personal identifiers of a written event; its noise
// identifiers go to the ground truth the first time they are written, and
// each noise kind the event shows counts it once.
func (g *generator) sortNoise(ev *genEvent) []idgraph.Identifier {
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
	return personal
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
