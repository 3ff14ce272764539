package api

import (
	"github.com/prometheus/client_golang/prometheus"

	"github.com/idgraph/idgraph/cache"
)

// The result label values of idgraph_profile_cache_lookups_total.
const (
	cacheHit  = "hit"
	cacheMiss = "miss"
)

func newCacheLookups() *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "idgraph_profile_cache_lookups_total",
		Help: "Reads the profile cache answered (hit) or sent to Neo4j (miss), by kind of read: profile (a lookup by identifier: external_ids, traits) or explanation (explain).",
	}, []string{"read", "result"})
	// Every series exists from the start, at 0.
	for _, read := range []string{cache.ReadProfile, cache.ReadExplanation} {
		v.WithLabelValues(read, cacheHit)
		v.WithLabelValues(read, cacheMiss)
	}
	return v
}

// ObserveCache records one read of the profile cache, of the given kind
// (cache.ReadProfile or cache.ReadExplanation): a hit or a miss. It fits
// cache.Options.Observe.
func (m *Metrics) ObserveCache(read string, hit bool) {
	if m == nil {
		return
	}
	r := cacheMiss
	if hit {
		r = cacheHit
	}
	m.cacheLookups.WithLabelValues(read, r).Inc()
}
