package idgraph

import "testing"

// TestParseIdentifierNormalizesAsExtraction checks that an identifier typed
// into a URL finds what an event carrying the same value stored.
func TestParseIdentifierNormalizesAsExtraction(t *testing.T) {
	for _, raw := range []string{" Jane.Doe@Example.COM ", "u-1 ", "Mixed Case"} {
		for _, typ := range []string{TypeEmail, TypeUserID} {
			parsed, err := ParseIdentifier(typ + ":" + raw)
			if err != nil {
				t.Fatal(err)
			}
			e := Event{Type: EventIdentify, UserID: "x", Traits: map[string]any{"email": raw}}
			if typ == TypeUserID {
				e = Event{Type: EventTrack, UserID: raw}
			}
			ids, _ := DefaultRules().Extract(e)
			var extracted Identifier
			for _, id := range ids {
				if id.Type == typ {
					extracted = id
				}
			}
			if parsed != extracted {
				t.Errorf("%s %q: ParseIdentifier gives %v, Extract %v", typ, raw, parsed, extracted)
			}
		}
	}
	if got, want := NormalizeIdentifier(TypeEmail, " A@B.C "), (Identifier{Type: TypeEmail, Value: "a@b.c"}); got != want {
		t.Errorf("NormalizeIdentifier = %v, want %v", got, want)
	}
}
