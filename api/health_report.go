package api

import (
	"net/http"

	"github.com/gin-gonic/gin"
	"github.com/prometheus/client_golang/prometheus"

	"github.com/idgraph/idgraph"
)

// healthReportPath is a space's health report.
const healthReportPath = "/v1/spaces/:space/health"

// healthReportRoutes registers the health report, for tokens with the read
// scope.
func (s *Server) healthReportRoutes(r *gin.Engine) {
	r.GET(healthReportPath, s.requireToken, s.requireScope(idgraph.ScopeRead), s.requireService(s.health), s.getHealthReport)
}

// getHealthReport answers GET .../health: the space's health report,
// computed from the graph for this request, and refreshes the space's
// gauges from it.
func (s *Server) getHealthReport(c *gin.Context) {
	r, err := s.health.Health(c.Request.Context(), tokenSpace(c).ID)
	if err != nil {
		s.writeError(c, err)
		return
	}
	s.metrics.observeHealth(r)
	c.JSON(http.StatusOK, r.WithEmptyLists())
}

// healthGauges hold a space's key figures from its latest health report:
// they change only when a report is computed (GET .../health), never in
// the background, so they are as fresh as the last report the process
// made for the space.
type healthGauges struct {
	profiles, identifiers, singletons, largest, storm *prometheus.GaugeVec
}

func newHealthGauges(reg prometheus.Registerer) healthGauges {
	gauge := func(name, help string) *prometheus.GaugeVec {
		g := prometheus.NewGaugeVec(prometheus.GaugeOpts{Name: name, Help: help + " Set when the space's health report is computed."}, []string{"space"})
		reg.MustRegister(g)
		return g
	}
	return healthGauges{
		profiles:    gauge("idgraph_space_profiles", "Live profiles holding an identifier, by space."),
		identifiers: gauge("idgraph_space_identifiers", "Identifiers, by space."),
		singletons:  gauge("idgraph_space_singletons", "Profiles holding exactly one identifier, by space."),
		largest:     gauge("idgraph_space_largest_profile", "Identifiers in the space's largest profile, by space."),
		storm:       gauge("idgraph_space_merge_storm", "1 when the space's merges per hour show a merge storm (its latest report's merge_storm.detected), else 0, by space."),
	}
}

// observeHealth sets the space's gauges from its health report.
func (m *Metrics) observeHealth(r idgraph.HealthReport) {
	if m == nil {
		return
	}
	largest, storm := 0, 0
	if len(r.LargestProfiles) > 0 {
		largest = r.LargestProfiles[0].Identifiers
	}
	if r.MergeStorm.Detected {
		storm = 1
	}
	g := m.health
	g.profiles.WithLabelValues(r.Space).Set(float64(r.Profiles))
	g.identifiers.WithLabelValues(r.Space).Set(float64(r.Identifiers))
	g.singletons.WithLabelValues(r.Space).Set(float64(r.Singletons))
	g.largest.WithLabelValues(r.Space).Set(float64(largest))
	g.storm.WithLabelValues(r.Space).Set(float64(storm))
}
