package bench

import (
	"io"

	"github.com/idgraph/idgraph"
)

// Components is the baseline the issue asks for: plain connected components
// of the identifiers that co-occur in events, with the rules off. It reads
// NDJSON events as idgraph load does (invalid lines are skipped), extracts
// identifiers with rules, keeps the values the rules would block (so junk
// such as "null" becomes an identifier that joins everyone who sent it), and
// joins every identifier of an event, with no limits.
func Components(r io.Reader, rules idgraph.Rules) (*Partition, error) {
	index := map[string]int32{}
	var names []string
	var parent []int32
	find := func(i int32) int32 {
		for parent[i] != i {
			parent[i] = parent[parent[i]]
			i = parent[i]
		}
		return i
	}
	err := scanEvents(r, func(e idgraph.Event, _ string, _ []byte) error {
		ids, blocked := rules.Extract(e)
		first := int32(-1)
		for _, id := range append(ids, blocked...) {
			s := id.String()
			i, ok := index[s]
			if !ok {
				i = int32(len(names))
				index[s] = i
				names = append(names, s)
				parent = append(parent, i)
			}
			if first < 0 {
				first = i
				continue
			}
			if a, b := find(first), find(i); a != b {
				parent[max(a, b)] = min(a, b)
			}
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	p := NewPartition()
	for i, name := range names {
		p.Add(name, names[find(int32(i))])
	}
	return p, nil
}
