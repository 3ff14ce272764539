package idgraph

import (
	"context"
	"time"
)

// RulesVersion is one version of a space's rules: version 1 is the spaces
// file's, later ones were promoted from simulations and live in the graph,
// with who made them, when and why.
type RulesVersion struct {
	Version      int       `json:"version"`
	Rules        Rules     `json:"-"`
	Actor        string    `json:"actor"`
	Reason       string    `json:"reason,omitempty"`
	CreatedAt    time.Time `json:"created_at,omitzero"`
	SimulationID string    `json:"simulation_id,omitempty"`
}

// ConfigActor is the actor of version 1: the spaces file.
const ConfigActor = "config"

// ConfigRules returns version 1 of space's rules: the spaces file's.
func ConfigRules(space Space) RulesVersion {
	return RulesVersion{Version: 1, Rules: space.Rules, Actor: ConfigActor, Reason: "the rules of the spaces file"}
}

// RulesService keeps a space's rules versions.
type RulesService interface {
	// ActiveRules returns the space's active rules: the latest version
	// promoted, else version 1 (ConfigRules).
	ActiveRules(ctx context.Context, space Space) (RulesVersion, error)

	// RulesVersions returns every version of the space's rules, oldest
	// (version 1) first.
	RulesVersions(ctx context.Context, space Space) ([]RulesVersion, error)
}

// WithRules returns space under the given rules version.
func (s Space) WithRules(v RulesVersion) Space {
	s.Rules = v.Rules
	return s
}
