package idgraph

import (
	"context"
	"time"
)

// SimulationStatus is where a simulation stands.
type SimulationStatus string

// A simulation runs, then is done (its difference ready) or failed; a done
// one can be promoted, and is promoted once its promotion commits.
const (
	SimulationRunning   SimulationStatus = "running"
	SimulationDone      SimulationStatus = "done"
	SimulationFailed    SimulationStatus = "failed"
	SimulationPromoting SimulationStatus = "promoting"
	SimulationPromoted  SimulationStatus = "promoted"
)

// Simulation is a replay of a space's stored events under candidate rules:
// its progress, then the difference the rules would make.
type Simulation struct {
	ID    string           `json:"id"`
	Space string           `json:"space"`
	State SimulationStatus `json:"status"`
	// BaseVersion is the space's active rules version when the simulation
	// started; promoting is refused once another version is active.
	BaseVersion int                `json:"base_version"`
	Rules       RulesDocument      `json:"rules"`
	Actor       string             `json:"actor"`
	Reason      string             `json:"reason,omitempty"`
	StartedAt   time.Time          `json:"started_at"`
	FinishedAt  time.Time          `json:"finished_at,omitzero"`
	Progress    SimulationProgress `json:"progress"`
	Error       string             `json:"error,omitempty"`
	// Difference is what the candidate rules change, once done.
	Difference *SimulationDiff `json:"difference,omitempty"`
	// Version is the rules version the promotion made.
	Version    int        `json:"version,omitempty"`
	PromotedAt time.Time  `json:"promoted_at,omitzero"`
	Promotion  *Promotion `json:"promotion,omitempty"`
}

// Promotion is what promoting a simulation wrote.
type Promotion struct {
	// CaughtUp counts the events that arrived during the simulation,
	// replayed under the space lock before the switch.
	CaughtUp int `json:"caught_up"`
	// Profiles counts the live profiles after; Kept those that kept their
	// id, Created the new ones, Retired the old ones merged away.
	Profiles int           `json:"profiles"`
	Kept     int           `json:"kept"`
	Created  int           `json:"created"`
	Retired  int           `json:"retired"`
	Took     time.Duration `json:"took_ns"`
}

// SimulationProgress says how far a simulation or a promotion got: the
// stage, and events done of total.
type SimulationProgress struct {
	Stage string `json:"stage"`
	Done  int    `json:"done"`
	Total int    `json:"total"`
}

// SimulationService replays a space's events under candidate rules and
// promotes them.
type SimulationService interface {
	// Simulate starts a simulation of rules, acting for actor, and answers
	// it at once, running. ENOTFOUND for an unknown space.
	Simulate(ctx context.Context, space Space, rules Rules, actor, reason string) (Simulation, error)

	// Simulation answers the simulation with the given id of the space.
	// ENOTFOUND when the space has none.
	Simulation(ctx context.Context, space, id string) (Simulation, error)

	// SimulatedProfile answers the profile holding ident under the
	// simulation's rules. ENOTFOUND for an unknown simulation or when no
	// profile holds ident; ECONFLICT while the simulation still runs.
	SimulatedProfile(ctx context.Context, space, id string, ident Identifier) (Profile, error)

	// SimulatedExplain explains from and to under the simulation's rules
	// (Replay.Explain); the errors are SimulatedProfile's.
	SimulatedExplain(ctx context.Context, space, id string, from, to Identifier) (Explanation, error)

	// Promote makes the simulation's rules the space's active version,
	// acting for actor, and rebuilds the space's profiles from its replay;
	// it answers at once, promoting. ENOTFOUND for an unknown simulation;
	// ECONFLICT while it runs or failed, while a promotion of the space
	// runs, or when the space's rules changed since it started.
	Promote(ctx context.Context, space Space, id, actor string) (Simulation, error)
}
