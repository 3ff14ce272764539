package bench

import (
	"fmt"
	"io"
	"sort"
	"strings"
	"time"
)

// Summary counts what Generate wrote.
type Summary struct {
	Events int       `json:"events"`
	Seed   uint64    `json:"seed"`
	Noise  string    `json:"noise"`
	First  time.Time `json:"first_timestamp"`
	Last   time.Time `json:"last_timestamp"`
	// Persons emitted at least one event; Known of them have an account.
	Persons int `json:"persons"`
	Known   int `json:"known"`
	// PersonalIdentifiers belong to one person; NoiseIdentifiers to none.
	PersonalIdentifiers int `json:"personal_identifiers"`
	NoiseIdentifiers    int `json:"noise_identifiers"`
	// LinkableComponents: the parts of people that their own events join
	// (see accuracy.go); LinkablePairs the pairs inside them.
	LinkableComponents int                       `json:"linkable_components"`
	LinkablePairs      int64                     `json:"linkable_pairs"`
	ByType             map[string]int            `json:"by_type"`
	BySource           map[string]int            `json:"by_source"`
	ByNoise            map[NoiseKind]*NoiseCount `json:"by_noise"`
}

// NoiseCount counts one kind of noise.
type NoiseCount struct {
	// Instances: shared devices, kiosks used, mailboxes, devices the QA
	// account is used on; for junk, replays and out-of-order, the events
	// affected.
	Instances int `json:"instances"`
	// Persons involved (sharing the device, the mailbox, using the kiosk or
	// the QA account).
	Persons int `json:"persons"`
	// Events carrying a noise identifier of the kind (or replayed, delayed).
	Events int `json:"events"`
	// Identifiers of the kind in the ground truth.
	Identifiers int `json:"identifiers"`
}

// WriteText writes the summary for people.
func (s Summary) WriteText(w io.Writer) {
	fmt.Fprintf(w, "events:      %d (seed %d, noise %s)\n", s.Events, s.Seed, s.Noise)
	fmt.Fprintf(w, "time span:   %s to %s\n", s.First.Format(time.DateOnly), s.Last.Format(time.DateOnly))
	fmt.Fprintf(w, "persons:     %d (%d with an account)\n", s.Persons, s.Known)
	fmt.Fprintf(w, "identifiers: %d personal in %d linkable components (%d linkable pairs), %d noise\n",
		s.PersonalIdentifiers, s.LinkableComponents, s.LinkablePairs, s.NoiseIdentifiers)
	fmt.Fprintf(w, "by type:     %s\n", countList(s.ByType))
	fmt.Fprintf(w, "by source:   %s\n", countList(s.BySource))
	fmt.Fprintf(w, "noise:       %-15s %9s %8s %9s %11s\n", "kind", "instances", "persons", "events", "identifiers")
	for _, k := range AllNoise {
		c := s.ByNoise[k]
		if c == nil {
			fmt.Fprintf(w, "             %-15s %9s\n", k, "off")
			continue
		}
		fmt.Fprintf(w, "             %-15s %9d %8d %9d %11d\n", k, c.Instances, c.Persons, c.Events, c.Identifiers)
	}
}

func countList(m map[string]int) string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	parts := make([]string, len(keys))
	for i, k := range keys {
		parts[i] = fmt.Sprintf("%s %d", k, m[k])
	}
	return strings.Join(parts, ", ")
}
