// Package conformance drives real tracking SDKs against the real idgraph
// binary: Segment's Node, Go and Python libraries and RudderStack's Node SDK
// each send the Jane Doe story (test/testdata/seed) and more through their
// ordinary API, and the profiles that result are checked exactly through the
// Profile API. Each client also meets a Neo4j outage (idgraph answers 503
// with Retry-After), retries, and its events land once.
//
// The Node and Python SDKs are installed by test/conformance/install, which
// scripts/test runs before go test; the Go library is a module dependency.
package conformance

import (
	"os"
	"testing"

	"github.com/idgraph/idgraph/internal/graphtest"
)

// binary is the idgraph binary TestMain builds for every test.
var binary string

func TestMain(m *testing.M) {
	os.Exit(graphtest.MainWithBinary(m, "conformance", &binary))
}
