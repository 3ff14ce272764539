package idgraph

import (
	"bytes"
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// The fuzz targets of the domain's parsers. go test runs each on its seed
// corpus (every input issue 15 named among them), as plain tests; make
// fuzz runs each with the fuzzing engine for a while (README, Operations).

// hostileEvents are the event bodies issue 15 tried, and their neighbours.
func hostileEvents() []string {
	long := strings.Repeat("t", 9000)
	return []string{
		`{"type":"track","event":"x","userId":"u1","context":{"externalIds":[{"type":"` + long + `","id":"x"}]}}`,
		`{"type":"track","event":"x","userId":"u1","context":{"device":{"type":"` + long + `","id":"d1","token":"p1"}}}`,
		`{"type":"identify","userId":"u1","traits":{"email":"` + strings.Repeat("v", 2000) + `@x.io"}}`,
		`{"userId":1e3000000,"type":"track","event":"Order Completed"}`,
		`{"type":"track","event":"x","userId":"u1","messageId":1e10000000}`,
		`{"type":"track","event":"x","anonymousId":1E+999999999999,"previousId":-0.5e-30000}`,
		"{\"type\":\"identify\",\"userId\":\"caf\xe9\"}",
		"{\"type\":\"identify\",\"userId\":\"caf\xeb\"}",
		`{"type":"identify","userId":"caf\ud800","traits":{"email":"\udc00@x.io"}}`,
		`{"type":"identify","userId":"\u200b","traits":{"email":"\ufeff"}}`,
		`{"type":"identify","userId":"smile\ud83d\ude00","anonymousId":"a\\u0041"}`,
		`{"type":"page","userId":"u","timestamp":"9999-12-31T23:59:59Z","sentAt":"0001-01-01T00:00:01Z"}`,
		`{"type":"page","userId":"u","timestamp":"0001-01-01T00:00:01Z","sentAt":"9999-12-31T23:59:59Z","receivedAt":"9999-12-31T00:00:00Z"}`,
		`{"type":"track","event":"x","userId":"u1","BATCH":[],"writeKey":"a","WRITEKEY":"b"}`,
		`{"type":"alias","userId":"u1","previousId":"u0","userId":"u2"}`,
		`{"type":"group","groupId":"g1","userId":"u1","traits":{"email":"ceo@x.io"},"context":{"traits":{"email":"Me@X.io"}}}`,
		`{"type":"track","event":"x","userId":"u1","integrations":{"Google Analytics":{"clientId":12.5e3}},"properties":{"orderRef":"o1"}}`,
		`{"type":"identify","userId":"u1","traits":{"phone":"+1 555"},"context":{"integrations":{"Google Analytics":{"clientId":"c1"}}}}`,
		`[]`, `"x"`, `{"type":`, ``,
	}
}

// checkParsedEvent fails t on anything a parsed event must not hold.
func checkParsedEvent(t *testing.T, r Rules, e Event) {
	t.Helper()
	if !utf8.ValidString(e.Type) || e.MessageID == "" || utf8.RuneCountInString(e.MessageID) > MaxMessageIDLength {
		t.Fatalf("type %q, message id %q", e.Type, e.MessageID)
	}
	e.eachString(func(l leaf) {
		if !utf8.ValidString(l.get()) {
			t.Fatalf("%s = %q: not valid UTF-8", l.path, l.get())
		}
	})
	if y := e.Timestamp.Year(); y < 1 || y > 9999 {
		t.Fatalf("timestamp %v", e.Timestamp)
	}
	if _, err := json.Marshal(e); err != nil {
		t.Fatalf("the event does not marshal: %v", err)
	}
	ids, _ := r.Extract(e)
	for _, id := range ids {
		if len(id.Type) > MaxIDBytes || len(id.Value) > MaxIdentifierBytes || !utf8.ValidString(id.Type+id.Value) || Blank(id.Value) {
			t.Fatalf("identifier %.200q: out of bounds, not text or blank", id.String())
		}
	}
}

// checkInvalid fails t unless err is EINVALID with each problem named.
func checkInvalid(t *testing.T, err error) {
	t.Helper()
	e, ok := err.(*Error)
	if !ok || e.Code != EINVALID || len(e.Problems) == 0 {
		t.Fatalf("error %v: want EINVALID with problems", err)
	}
	for _, p := range e.Problems {
		if p.Field == "" || p.Message == "" {
			t.Fatalf("problem %+v without a field or a message", p)
		}
	}
}

func FuzzParseEvent(f *testing.F) {
	for _, s := range hostileEvents() {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		r := customRules(t)
		start := time.Now()
		e, err := r.ParseEvent("", data, evReceived)
		if took := time.Since(start); took > time.Second {
			t.Fatalf("ParseEvent of %d bytes took %s", len(data), took)
		}
		if err != nil {
			checkInvalid(t, err)
			return
		}
		checkParsedEvent(t, r, e)
	})
}

func FuzzParseBatch(f *testing.F) {
	for _, s := range hostileEvents() {
		f.Add([]byte(`{"batch":[` + s + `,{"type":"track","event":"x","userId":"u1"}]}`))
	}
	f.Add([]byte(`{"batch":[{"type":"track","event":"x","userId":"u1"}],"BATCH":[]}`))
	f.Add([]byte(`{"batch":[],"Batch":0}`))
	f.Add([]byte(`{"b\u0061tch":[],"batch":[]}`))
	f.Add([]byte(`{"context":{"device":{"type":"ios","id":"d\ud800"}},"sentAt":"0001-01-01T00:00:00Z","batch":[{"type":"identify","userId":"u1","timestamp":"9999-01-01T00:00:00Z"}]}`))
	f.Add([]byte(`{"batch":[` + strings.Repeat(`{"type":"track","event":"x","userId":1e3000000},`, 5) + `1,"x",null,[]]}`))
	f.Add([]byte(`{"batch":[{"type":"track","event":"x","userId":"u1","properties":{"blob":"` + strings.Repeat("b", MaxEventBytes) + `"}}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r := customRules(t)
		events, invalid, err := r.ParseBatch(data, evReceived)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		seen := map[int]bool{}
		for _, iv := range invalid {
			if seen[iv.Index] {
				t.Fatalf("index %d reported twice", iv.Index)
			}
			seen[iv.Index] = true
			checkInvalid(t, iv.Problems.Err())
		}
		if len(events)+len(invalid) > MaxBatchEvents {
			t.Fatalf("%d events and %d invalid: over the batch limit", len(events), len(invalid))
		}
		for _, e := range events {
			checkParsedEvent(t, r, e)
		}
	})
}

func FuzzReadObject(f *testing.F) {
	for _, s := range hostileEvents() {
		f.Add([]byte(s))
	}
	f.Add([]byte(` { "a" : {"x":"}]\"{"} , "b":[1,[2,{"c":3}]], "\u0063" : -1.5e3 ,"d":"q\\" ,"e":null}  `))
	f.Fuzz(func(t *testing.T, data []byte) {
		o, ps := readObject(data)
		if len(ps) > 0 || !utf8.Valid(data) || mayHoldInvalidText(data) {
			return
		}
		// What the scanner read is what encoding/json reads.
		dec := json.NewDecoder(bytes.NewReader(data))
		dec.UseNumber()
		var want map[string]any
		if err := dec.Decode(&want); err != nil {
			t.Fatalf("readObject took %q, which encoding/json refuses: %v", data, err)
		}
		if got := o.decode(); !reflect.DeepEqual(got, want) || len(o.members) != len(want) {
			t.Fatalf("readObject(%q) = %v (%d members), encoding/json %v", data, got, len(o.members), want)
		}
		for _, m := range o.members {
			if items, ok := scanArray(m.raw); ok {
				if list, _ := want[m.key].([]any); len(items) != len(list) {
					t.Fatalf("%s: %d items scanned, %d decoded", m.key, len(items), len(list))
				}
			}
		}
	})
}

func FuzzExtract(f *testing.F) {
	f.Add(byte(0), "u1", "a1", []byte(`{"device":{"type":"ios","id":"d1","token":"t1","advertisingId":"x","adTrackingEnabled":true},"externalIds":[{"type":"crm_id","id":5}]}`), []byte(`{"email":"Jane@X.io","phone":"+1"}`))
	f.Add(byte(1), " ", "\u200b", []byte(`{"traits":{"email":"\ufeff"},"externalIds":[{"type":"`+strings.Repeat("t", 200)+`","id":"x"}]}`), []byte(`{"email":"`+strings.Repeat("v", 2000)+`"}`))
	f.Add(byte(2), "caf\xe9", "caf\xeb", []byte(`{"integrations":{"Google Analytics":{"clientId":1e300}}}`), []byte(`null`))
	f.Add(byte(3), "u1", "", []byte(`{"externalIds":"nope","device":[]}`), []byte(`{"phone":12}`))
	f.Fuzz(func(t *testing.T, kind byte, userID, anonymousID string, context, traits []byte) {
		types := []string{EventIdentify, EventTrack, EventGroup, EventAlias}
		e := Event{Type: types[int(kind)%len(types)], UserID: userID, AnonymousID: anonymousID, PreviousID: anonymousID, GroupID: userID}
		if json.Valid(context) {
			e.Context, _ = decodeValue(context).(map[string]any)
		}
		if json.Valid(traits) {
			e.Traits, _ = decodeValue(traits).(map[string]any)
		}
		r := customRules(t)
		ids, blocked := r.Extract(e)
		seen := map[Identifier]bool{}
		for i, id := range ids {
			switch {
			case seen[id]:
				t.Fatalf("%s extracted twice", id)
			case len(id.Type) > MaxIDBytes || len(id.Value) > MaxIdentifierBytes || Blank(id.Value):
				t.Fatalf("%.200s: out of bounds or blank", id)
			case NormalizeIdentifier(id.Type, id.Value) != id:
				t.Fatalf("%s is not normalised", id)
			case i > 0 && r.Before(id, ids[i-1]):
				t.Fatalf("%s before %s: not in priority order", ids[i-1], id)
			}
			seen[id] = true
		}
		for _, id := range blocked {
			if seen[id] {
				t.Fatalf("%s both extracted and blocked", id)
			}
		}
	})
}

func FuzzParseSpaces(f *testing.F) {
	f.Add([]byte("spaces:\n  - id: shop\n    access_tokens: [tok_1, {name: ops, token: tok_2, scopes: [admin]}]\n    sources: [{id: web, name: Web, write_key: wk_1}]\n    identifiers: [{type: phone, trait: phone, limit: 2, window: weekly}]\n    blocked: [\"/^test-/\", n/a]\n"))
	f.Add([]byte("spaces:\n  - id: " + strings.Repeat("s", 200) + "\n    access_tokens: [tok_1]\n    sources: [{id: " + strings.Repeat("w", 200) + ", write_key: wk_1}]\n"))
	f.Add([]byte("spaces:\n  - id: shop\n    access_tokens: [tok_1]\n    sources: [{id: web, write_key: wk_1}]\n    identifiers: [{type: \"" + strings.Repeat("t", 9000) + "\"}]\n    blocked: [\"/(/\"]\n"))
	f.Add([]byte("spaces: [{id: a, access_tokens: [x], sources: [{id: b, write_key: x}]}]"))
	f.Add([]byte("{{{"))
	f.Add([]byte("spaces:\n  - &a {id: a}\n  - *a\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		sp, err := ParseSpaces(data)
		if err != nil {
			checkInvalid(t, err)
			return
		}
		for _, s := range sp.All() {
			if !validID(s.ID) || len(s.ID) > MaxIDBytes {
				t.Fatalf("space id %q", s.ID)
			}
			for _, src := range s.Sources {
				if !validID(src.ID) || len(src.ID) > MaxIDBytes {
					t.Fatalf("source id %q", src.ID)
				}
				if gs, gsrc, ok := sp.BySourceKey(src.WriteKey); !ok || gs.ID != s.ID || gsrc.ID != src.ID {
					t.Fatalf("write key of %s/%s finds %s/%s", s.ID, src.ID, gs.ID, gsrc.ID)
				}
			}
			for typ := range s.Rules.Types {
				if !validID(typ) || len(typ) > MaxIDBytes {
					t.Fatalf("identifier type %q", typ)
				}
			}
		}
	})
}

func FuzzParseIdentifier(f *testing.F) {
	for _, s := range []string{"user_id:abc", "email: Jane@X.io ", "a:b:c", ":v", "t:", "t:\u200b", "user_id:caf\xe9",
		"user_id:caf\xed\xa0\x80", strings.Repeat("t", 101) + ":v", "t:" + strings.Repeat("v", 1025), "profile_id:prf_1", "%zz"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		id, err := ParseIdentifier(s)
		if err != nil {
			if ErrorCode(err) != EINVALID || len(ErrorMessage(err)) > 600 {
				t.Fatalf("ParseIdentifier(%q) = %v: want a short EINVALID", s, err)
			}
			return
		}
		if id.Type == "" || len(id.Type) > MaxIDBytes || len(id.Value) > MaxIdentifierBytes || Blank(id.Value) || !utf8.ValidString(id.String()) {
			t.Fatalf("ParseIdentifier(%q) = %q", s, id)
		}
		if again, err := ParseIdentifier(id.String()); err != nil || again != id {
			t.Fatalf("ParseIdentifier(%q) = %q, and again %q, %v: want the same", s, id, again, err)
		}
	})
}
