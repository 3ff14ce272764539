// Package test holds end-to-end tests: they build the real idgraph binary,
// start it against the test database and talk to it over HTTP.
package test

import (
	"os"
	"testing"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// binary is the idgraph binary TestMain builds for every test of the package.
var binary string

func TestMain(m *testing.M) {
	os.Exit(graphtest.MainWithBinary(m, "e2e", &binary))
}
