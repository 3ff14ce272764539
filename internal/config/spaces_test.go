package config

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/idgraph/idgraph"
)

func TestLoadSpaces(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spaces.yaml")
	yaml := `spaces:
  - id: shop
    access_tokens: ["tok_shop"]
    sources: [{id: web, write_key: "wk_web"}]
  - id: staging
    access_tokens: ["tok_staging"]
    sources: [{id: web, write_key: "wk_staging"}]
`
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	s, err := LoadSpaces(path)
	if err != nil {
		t.Fatal(err)
	}
	for _, id := range []string{"shop", "staging"} {
		if _, ok := s.Get(id); !ok {
			t.Errorf("LoadSpaces: no space %q, want both spaces of the file", id)
		}
	}
	_, err = LoadSpaces(filepath.Join(t.TempDir(), "missing.yaml"))
	if idgraph.ErrorCode(err) != idgraph.EINVALID {
		t.Errorf("LoadSpaces(missing) = %v, want an EINVALID error", err)
	}
}

func TestSpaceNamesAMissingSpace(t *testing.T) {
	path := filepath.Join(t.TempDir(), "spaces.yaml")
	yaml := "spaces:\n  - id: shop\n    access_tokens: [\"tok_shop\"]\n    sources: [{id: web, write_key: \"wk_web\"}]\n"
	if err := os.WriteFile(path, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	cfg := Config{SpacesFile: path}
	if sp, err := cfg.Space("shop"); err != nil || sp.ID != "shop" {
		t.Errorf("Space(shop) = %q, %v; want the space", sp.ID, err)
	}
	if _, err := cfg.Space("nope"); idgraph.ErrorCode(err) != idgraph.ENOTFOUND {
		t.Errorf("Space(nope) = %v, want ENOTFOUND", err)
	}
}
