package config

import (
	"fmt"
	"io"
	"os"

	"github.com/idgraph/idgraph"
)

// LoadSpaces reads and parses a spaces YAML file (see idgraph.ParseSpaces).
// Errors: EINVALID naming the file, or every problem of its content.
func LoadSpaces(path string) (*idgraph.Spaces, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "read spaces file %s", path)
	}
	return idgraph.ParseSpaces(data)
}

// Spaces returns the spaces of IDGRAPH_CONFIG, or, without it, one space
// "default" with one source and one access token generated for this run,
// which it prints to w once so a newcomer can send a first event. Keys and
// tokens are never logged.
func (c Config) Spaces(w io.Writer) (*idgraph.Spaces, error) {
	if c.SpacesFile != "" {
		return LoadSpaces(c.SpacesFile)
	}
	sp, writeKey, token, err := idgraph.DefaultSpaces()
	if err != nil {
		return nil, err
	}
	if w != nil {
		fmt.Fprintf(w, `No IDGRAPH_CONFIG: serving one space "default" with keys made for this run.
  write key (HTTP Basic username for POST /v1/...):      %s
  access token (HTTP Basic username for the Profile API): %s
`, writeKey, token)
	}
	return sp, nil
}

// Space returns the space named id, for commands that work on one.
// Errors: ENOTFOUND when the configuration has no such space.
func (c Config) Space(id string) (idgraph.Space, error) {
	sp, err := c.Spaces(nil)
	if err != nil {
		return idgraph.Space{}, err
	}
	s, ok := sp.Get(id)
	if !ok {
		return idgraph.Space{}, idgraph.Errorf(idgraph.ENOTFOUND, "no space %q in %s", id, c.spacesName())
	}
	return s, nil
}

func (c Config) spacesName() string {
	if c.SpacesFile == "" {
		return "the default configuration (set IDGRAPH_CONFIG)"
	}
	return c.SpacesFile
}
