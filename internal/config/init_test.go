package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/idgraph/idgraph"
)

func TestWriteDefaultSpaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), ".idgraph", "spaces.yaml")
	writeKey, token, err := WriteDefaultSpaces(path, false)
	if err != nil {
		t.Fatal(err)
	}
	fi, err := os.Stat(path)
	if err != nil || fi.Mode().Perm() != 0o600 {
		t.Fatalf("stat = %v, %v; want a file readable by its owner only", fi, err)
	}
	sp, err := LoadSpaces(path)
	if err != nil {
		t.Fatalf("the written file does not load: %v", err)
	}
	space, src, ok := sp.BySourceKey(writeKey)
	if !ok || space.ID != "default" || src.ID != "default" {
		t.Errorf("the write key opens %q/%q (%v), want default/default", space.ID, src.ID, ok)
	}
	if _, tok, ok := sp.ByToken(token); !ok || !tok.Allows(idgraph.ScopeAdmin) || !tok.Allows(idgraph.ScopeRead) {
		t.Errorf("the token = %v (%v), want read and admin", tok, ok)
	}
	// Kept: a second init refuses, and -force rotates.
	if _, _, err := WriteDefaultSpaces(path, false); idgraph.ErrorCode(err) != idgraph.ECONFLICT {
		t.Errorf("a second init = %v, want ECONFLICT", err)
	}
	wk2, tok2, err := WriteDefaultSpaces(path, true)
	if err != nil || wk2 == writeKey || tok2 == token {
		t.Errorf("force = %v; want new keys", err)
	}
	sp, _ = LoadSpaces(path)
	if _, _, ok := sp.BySourceKey(writeKey); ok {
		t.Errorf("the old write key still works after rotation")
	}
}
