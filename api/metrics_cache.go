package api

import "github.com/prometheus/client_golang/prometheus"

// The result label values of idgraph_profile_cache_lookups_total.
const (
	cacheHit  = "hit"
	cacheMiss = "miss"
)

func newCacheLookups() *prometheus.CounterVec {
	return prometheus.NewCounterVec(prometheus.CounterOpts{
		Name: "idgraph_profile_cache_lookups_total",
		Help: "Reads the profile cache answered (hit) or sent to Neo4j (miss), by kind of read: profile (a lookup by identifier: external_ids, traits) or explanation (explain).",
	}, []string{"read", "result"})
}

// CacheReads makes the hit and miss series of each kind of read exist from
// the start, at 0 (cmd/idgraph passes the kinds the cache reports).
func (m *Metrics) CacheReads(kinds ...string) {
	if m == nil {
		return
	}
	for _, read := range kinds {
		m.cacheLookups.WithLabelValues(read, cacheHit)
		m.cacheLookups.WithLabelValues(read, cacheMiss)
	}
}

// ObserveCache records one read of the profile cache, of the given kind
// (the cache's name for it: profile or explanation): a hit or a miss. It
// fits cache.Options.Observe.
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
