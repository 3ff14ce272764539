package bench

import (
	"os"
	"strings"
)

// section is a generated part of a Markdown file, between two marker
// lines; the rest of the file is written by hand and kept when a section is
// written again.
type section struct {
	begin, end string
	// doc is the file to start when there is none, with the section put in
	// place of %s.
	doc string
}

// write puts body between the markers in path: in place of what they hold
// when the file has them, else at the end of the file, else in a new file.
func (s section) write(path, body string) error {
	text := s.begin + "\n" + body + s.end + "\n"
	old, err := os.ReadFile(path)
	switch {
	case os.IsNotExist(err):
		return os.WriteFile(path, []byte(strings.Replace(s.doc, "%s", text, 1)), 0o644)
	case err != nil:
		return err
	}
	doc := string(old)
	i, j := strings.Index(doc, s.begin), strings.Index(doc, s.end)
	if i >= 0 && j > i {
		return os.WriteFile(path, []byte(doc[:i]+text+strings.TrimPrefix(doc[j+len(s.end):], "\n")), 0o644)
	}
	return os.WriteFile(path, []byte(strings.TrimRight(doc, "\n")+"\n\n"+text), 0o644)
}
