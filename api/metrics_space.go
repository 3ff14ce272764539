package api

import (
	"github.com/prometheus/client_golang/prometheus"
	dto "github.com/prometheus/client_model/go"
)

// spaceGatherer gathers metrics as one space's access token may read them:
// the series of that space (those whose space label is its id), and the
// series of no space (requests by route, batch sizes, Neo4j transactions,
// the Go runtime), which count the whole process and name no tenant. The
// series of other spaces are left out, and so is a family left empty.
type spaceGatherer struct {
	prometheus.Gatherer
	space string
}

func (g spaceGatherer) Gather() ([]*dto.MetricFamily, error) {
	families, err := g.Gatherer.Gather()
	out := families[:0]
	for _, f := range families {
		kept := f.Metric[:0]
		for _, m := range f.Metric {
			if space, ok := labelValue(m, "space"); !ok || space == g.space {
				kept = append(kept, m)
			}
		}
		if len(kept) > 0 {
			f.Metric = kept
			out = append(out, f)
		}
	}
	return out, err
}

// labelValue returns the value of m's label name, if m has it.
func labelValue(m *dto.Metric, name string) (string, bool) {
	for _, l := range m.GetLabel() {
		if l.GetName() == name {
			return l.GetValue(), true
		}
	}
	return "", false
}
