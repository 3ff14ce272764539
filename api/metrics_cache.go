package api

import "github.com/prometheus/client_golang/prometheus"

// The result label values of idgraph_profile_cache_lookups_total.
const (
	cacheHit  = "hit"
	cacheMiss = "miss"
)

func newCacheLookups() *prometheus.CounterVec {
	v := prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "idgraph_profile_cache_lookups_total",
		Help: "Profile lookups by identifier the profile cache answered (hit) or sent to Neo4j (miss).",
	}, []string{"result"})
	// Both series exist from the start, at 0.
	v.WithLabelValues(cacheHit)
	v.WithLabelValues(cacheMiss)
	return v
}

// ObserveCache records one lookup of the profile cache, a hit or a miss.
// It fits cache.Options.Observe.
func (m *Metrics) ObserveCache(hit bool) {
	if m == nil {
		return
	}
	r := cacheMiss
	if hit {
		r = cacheHit
	}
	m.cacheLookups.WithLabelValues(r).Inc()
}
