package api

import (
	"encoding/json"
	"errors"
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// rulesPath and simulationsPath hold a space's rules versions and its
// simulations of candidate rules.
const (
	rulesPath       = "/v1/spaces/:space/rules"
	simulationsPath = "/v1/spaces/:space/simulations"
)

// simulationRoutes registers the rule sandbox: GET .../rules answers the
// active version and the history; POST .../simulations starts one (202),
// GET .../simulations/{id} answers its progress then its difference,
// .../profiles/{type}:{value} and .../explain?to= answer under the
// candidate rules, POST .../promote promotes it (202). Starting and
// promoting take the admin scope.
func (s *Server) simulationRoutes(r *gin.Engine) {
	read, admin := s.requireScope(idgraph.ScopeRead), s.requireScope(idgraph.ScopeAdmin)
	r.GET(rulesPath, s.requireToken, read, s.requireService(s.rules), s.getRules)
	g := r.Group(simulationsPath, s.requireToken)
	g.POST("", admin, s.requireService(s.simulations), s.postSimulation)
	g.GET("/:sim", read, s.requireService(s.simulations), s.getSimulation)
	g.POST("/:sim/promote", admin, s.requireService(s.simulations), s.promoteSimulation)
	g.GET("/:sim/profiles/:id", read, s.requireService(s.simulations), s.simulatedProfile)
	g.GET("/:sim/profiles/:id/explain", read, s.requireService(s.simulations), s.simulatedExplain)
}

// rulesVersionResponse is one rules version with its rules as a document.
type rulesVersionResponse struct {
	idgraph.RulesVersion
	Rules idgraph.RulesDocument `json:"rules"`
}

// rulesResponse is GET .../rules: the active version and every version,
// oldest first.
type rulesResponse struct {
	Active   rulesVersionResponse   `json:"active"`
	Versions []rulesVersionResponse `json:"versions"`
}

// getRules answers GET .../rules.
func (s *Server) getRules(c *gin.Context) {
	space := tokenSpace(c)
	active, err := s.rules.ActiveRules(c.Request.Context(), space)
	if err != nil {
		s.writeError(c, err)
		return
	}
	versions, err := s.rules.RulesVersions(c.Request.Context(), space)
	if err != nil {
		s.writeError(c, err)
		return
	}
	res := rulesResponse{Active: rulesVersionResponse{active, active.Rules.Document()}}
	for _, v := range versions {
		res.Versions = append(res.Versions, rulesVersionResponse{v, v.Rules.Document()})
	}
	c.JSON(http.StatusOK, res)
}

// simulationRequest is the body of POST .../simulations: candidate rules,
// as the spaces file writes a space's rules, and why.
type simulationRequest struct {
	Rules  json.RawMessage `json:"rules"`
	Reason string          `json:"reason"`
}

// postSimulation answers POST .../simulations: 202 with the simulation,
// running, and its address in Location.
func (s *Server) postSimulation(c *gin.Context) {
	var req simulationRequest
	if err := readJSON(c, &req); err != nil {
		s.writeError(c, err)
		return
	}
	if len(req.Rules) == 0 || string(req.Rules) == "null" {
		s.writeError(c, idgraph.Problems{{Field: "rules", Message: "missing: want the candidate rules (blocked, default_blocked, max_merges, max_identifiers, identifiers, shared, segment_compatible)"}}.Err())
		return
	}
	rules, err := idgraph.ParseRules(req.Rules)
	if err != nil {
		s.writeError(c, prefixProblems("rules", err))
		return
	}
	sim, err := s.simulations.Simulate(c.Request.Context(), tokenSpace(c), rules, tokenActor(c), req.Reason)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/v1/spaces/"+sim.Space+"/simulations/"+sim.ID)
	c.JSON(http.StatusAccepted, sim)
}

// prefixProblems names err's fields under prefix (rules.identifiers[0]).
func prefixProblems(prefix string, err error) error {
	var e *idgraph.Error
	if !errors.As(err, &e) || len(e.Problems) == 0 {
		return err
	}
	ps := make(idgraph.Problems, len(e.Problems))
	for i, p := range e.Problems {
		ps[i] = idgraph.Problem{Field: prefix, Message: p.Message}
		if p.Field != "" && p.Field != prefix {
			ps[i].Field = prefix + "." + p.Field
		}
	}
	return ps.Err()
}

// getSimulation answers GET .../simulations/{id}.
func (s *Server) getSimulation(c *gin.Context) {
	sim, err := s.simulations.Simulation(c.Request.Context(), tokenSpace(c).ID, c.Param("sim"))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, sim)
}

// promoteSimulation answers POST .../simulations/{id}/promote: 202 with the
// simulation, promoting.
func (s *Server) promoteSimulation(c *gin.Context) {
	sim, err := s.simulations.Promote(c.Request.Context(), tokenSpace(c), c.Param("sim"), tokenActor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.Header("Location", "/v1/spaces/"+sim.Space+"/simulations/"+sim.ID)
	c.JSON(http.StatusAccepted, sim)
}

// simulatedProfile answers GET .../simulations/{id}/profiles/{type}:{value}:
// the profile under the candidate rules, its identifiers and traits.
func (s *Server) simulatedProfile(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	p, err := s.simulations.SimulatedProfile(c.Request.Context(), tokenSpace(c).ID, c.Param("sim"), id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	if p.Traits == nil {
		p.Traits = idgraph.Traits{}
	}
	c.JSON(http.StatusOK, p)
}

// simulatedExplain answers GET .../simulations/{id}/profiles/{type}:{value}/explain?to=
// as the live explain does, under the candidate rules.
func (s *Server) simulatedExplain(c *gin.Context) {
	from, to, err := explainPair(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	x, err := s.simulations.SimulatedExplain(c.Request.Context(), tokenSpace(c).ID, c.Param("sim"), from, to)
	if err != nil {
		s.writeError(c, err)
		return
	}
	c.JSON(http.StatusOK, newExplainResponse(x))
}
