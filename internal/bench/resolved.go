package bench

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"slices"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// Resolved is the partition idgraph's rules make of the events applied in
// file order, in this process, by the pure idgraph.Resolver, batch by batch
// of 500 as a sequential idgraph load would: each batch's resolver gets the
// current state of the profiles its identifiers belong to, as graph/ reads
// them from Neo4j. No database, no concurrency: it separates what the rules
// do from what concurrent ingestion does. Replays (a message id seen before
// from the same source) are skipped as the store skips them.
func Resolved(r io.Reader, rules idgraph.Rules) (*Partition, error) {
	m := memStore{rules: rules, owner: map[idgraph.Identifier]string{}, profiles: map[string]idgraph.Profile{}, seen: map[string]bool{}}
	var batch []resolveItem
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 64*1024), ingest.MaxLineBytes)
	for sc.Scan() {
		line := bytes.TrimSpace(sc.Bytes())
		if len(line) == 0 {
			continue
		}
		e, err := idgraph.ParseEvent(line, DefaultStart)
		if err != nil {
			continue
		}
		src, _ := SourceOf(appName(line))
		key := src + "\x00" + e.MessageID
		if m.seen[key] {
			continue
		}
		m.seen[key] = true
		ids, _ := rules.Extract(e)
		e.Context, e.Properties, e.Integrations = nil, nil, nil
		batch = append(batch, resolveItem{e, src, ids})
		if len(batch) == ingest.DefaultMaxBatch {
			m.resolve(batch)
			batch = batch[:0]
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	m.resolve(batch)
	p := NewPartition()
	for id, owner := range m.owner {
		p.Add(id.String(), owner)
	}
	return p, nil
}

type resolveItem struct {
	e   idgraph.Event
	src string
	ids []idgraph.Identifier
}

// memStore keeps profiles in memory the way graph/ keeps them in Neo4j.
type memStore struct {
	rules    idgraph.Rules
	owner    map[idgraph.Identifier]string
	profiles map[string]idgraph.Profile
	seen     map[string]bool
	next     int
}

func (m *memStore) resolve(batch []resolveItem) {
	if len(batch) == 0 {
		return
	}
	var pids []string
	for _, it := range batch {
		for _, id := range it.ids {
			if pid := m.owner[id]; pid != "" {
				pids = append(pids, pid)
			}
		}
	}
	slices.Sort(pids)
	pids = slices.Compact(pids)
	ps := make([]idgraph.Profile, len(pids))
	for i, pid := range pids {
		ps[i] = m.profiles[pid]
	}
	r := idgraph.NewResolver(m.rules, ps, func() string {
		m.next++
		return fmt.Sprintf("prf_%d", m.next)
	})
	for _, it := range batch {
		r.Apply(it.e, it.src, it.ids)
	}
	out := r.Result()
	for _, p := range out.Profiles {
		if p.MergedInto != "" {
			delete(m.profiles, p.ID)
			continue
		}
		m.profiles[p.ID] = p
	}
	for _, ms := range out.Memberships {
		m.owner[ms.Identifier] = ms.ProfileID
	}
}
