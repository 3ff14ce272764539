package config

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"

	"github.com/idgraph/idgraph"
)

// defaultSpacesYAML is the spaces file WriteDefaultSpaces writes: the
// default space with one source and one access token with both scopes.
const defaultSpacesYAML = `# Written by 'idgraph init': the default space and its keys, kept between
# runs so SDKs configured with them keep working. It holds secrets: keep it
# out of version control. Rotate the keys with 'idgraph init -force'.
spaces:
  - id: default
    access_tokens:
      - {name: default, token: %q, scopes: [read, admin]}
    sources:
      - {id: default, name: "Default source", write_key: %q}
`

// WriteDefaultSpaces writes a spaces file at path holding the default space
// with a fresh write key and access token, which it also returns, readable
// by its owner only. It refuses to replace an existing file unless force.
// Errors: ECONFLICT when the file exists; EINVALID when it cannot be written.
func WriteDefaultSpaces(path string, force bool) (writeKey, token string, err error) {
	_, writeKey, token, err = idgraph.DefaultSpaces()
	if err != nil {
		return "", "", err
	}
	if err := os.MkdirAll(filepath.Dir(path), 0o700); err != nil {
		return "", "", idgraph.WrapError(idgraph.EINVALID, err, "create the folder of %s", path)
	}
	flags := os.O_WRONLY | os.O_CREATE | os.O_EXCL
	if force {
		flags = os.O_WRONLY | os.O_CREATE | os.O_TRUNC
	}
	f, err := os.OpenFile(path, flags, 0o600)
	if errors.Is(err, fs.ErrExist) {
		return "", "", idgraph.Errorf(idgraph.ECONFLICT, "%s exists: its keys are in use; -force writes new ones", path)
	}
	if err != nil {
		return "", "", idgraph.WrapError(idgraph.EINVALID, err, "write %s", path)
	}
	_, werr := fmt.Fprintf(f, defaultSpacesYAML, token, writeKey)
	if cerr := f.Close(); werr == nil {
		werr = cerr
	}
	if werr != nil {
		return "", "", idgraph.WrapError(idgraph.EINVALID, werr, "write %s", path)
	}
	return writeKey, token, os.Chmod(path, 0o600)
}
