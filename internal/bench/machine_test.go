package bench

import (
	"os"
	"path/filepath"
	"testing"
)

// TestStoreSize sums the files under a data directory's databases and
// transactions, and says nothing when it cannot read them.
func TestStoreSize(t *testing.T) {
	data := t.TempDir()
	for path, size := range map[string]int{
		"databases/neo4j/neostore.nodestore.db":        1 << 29,
		"databases/system/neostore":                    1 << 27,
		"transactions/neo4j/neostore.transaction.db.0": 1 << 29,
		"dbms/auth.ini":                                1 << 30, // not the store
	} {
		p := filepath.Join(data, path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		f, err := os.Create(p)
		if err != nil {
			t.Fatal(err)
		}
		if err := f.Truncate(int64(size)); err != nil { // sparse: no disk used
			t.Fatal(err)
		}
		f.Close()
	}
	if got := storeSize(data); got != "1.1 GiB" {
		t.Errorf("storeSize = %q, want 1.1 GiB (1.125 GiB of databases and transactions)", got)
	}
	for _, dir := range []string{"", filepath.Join(data, "nowhere")} {
		if got := storeSize(dir); got != "" {
			t.Errorf("storeSize(%q) = %q, want nothing", dir, got)
		}
	}
}
