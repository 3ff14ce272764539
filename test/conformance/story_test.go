package conformance

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// storyEvent is one event a client sends: the message as the Segment HTTP
// Tracking API has it (its messageId without the run id the client puts in
// front) and the source whose write key it goes with.
type storyEvent struct {
	source string // "segkicks" or "segruns"
	msg    map[string]any
}

func (e storyEvent) messageID() string { return e.msg["messageId"].(string) }

func (e storyEvent) timestamp() time.Time {
	ts, err := time.Parse(time.RFC3339, e.msg["timestamp"].(string))
	if err != nil {
		panic(err)
	}
	return ts
}

// person is what one person's events must make: exactly one profile.
type person struct {
	name        string
	identifiers []string          // every identifier of the profile, sorted
	firstSeen   map[string]string // identifier -> message id of the first event that carried it
	traits      map[string]any    // the profile's traits, exactly
	events      []storyEvent      // oldest first
}

// jane is the seed story of test/testdata/seed: Jane browses on her iPhone
// and signs up, logs in on her Android phone, then opens SegRuns there.
func jane(t *testing.T) person {
	t.Helper()
	p := person{
		name: "Jane",
		identifiers: []string{
			"android.id:and_1a2b3c4d", "anonymous_id:anon_123", "anonymous_id:anon_456", "anonymous_id:anon_789",
			"email:jane.doe@gmail.com", "ios.id:ios_abc123", "user_id:abc123def",
		},
		firstSeen: map[string]string{
			"anonymous_id:anon_123": "segkicks-1", "ios.id:ios_abc123": "segkicks-1",
			"user_id:abc123def": "segkicks-5", "email:jane.doe@gmail.com": "segkicks-5",
			"anonymous_id:anon_456": "segkicks-7", "android.id:and_1a2b3c4d": "segkicks-7",
			"anonymous_id:anon_789": "segruns-1",
		},
		traits: map[string]any{"email": "jane.doe@gmail.com", "name": "Jane Doe"},
	}
	for _, f := range []string{"1-anonymous-to-known.ndjson", "2-cross-device.ndjson", "3-cross-app.ndjson"} {
		data, err := os.ReadFile(filepath.Join("..", "testdata", "seed", f))
		if err != nil {
			t.Fatal(err)
		}
		for line := range strings.Lines(string(data)) {
			msg := decode(t, line)
			source := "segkicks"
			if strings.Contains(line, `"SegRuns"`) {
				source = "segruns"
			}
			p.events = append(p.events, storyEvent{source, msg})
		}
	}
	return p
}

// john is a little more than the seed: a page and an alias from the web, an
// identify with traits of every JSON kind (and an email to normalise), a
// screen and a later identify from a TV app, then a run of tracks long
// enough to fill more than one of any SDK's batches.
func john(t *testing.T) person {
	t.Helper()
	const tv = `"context":{"app":{"name":"SegRuns"},"device":{"id":"tv_77","type":"tvos"}}`
	p := person{
		name: "John",
		identifiers: []string{
			"anonymous_id:anon_tv_1", "anonymous_id:anon_web_1", "email:john.roe@example.com",
			"tvos.id:tv_77", "user_id:john",
		},
		firstSeen: map[string]string{
			"anonymous_id:anon_web_1": "john-1", "user_id:john": "john-2", "email:john.roe@example.com": "john-3",
			"anonymous_id:anon_tv_1": "john-4", "tvos.id:tv_77": "john-4",
		},
		traits: map[string]any{
			"email": "John.Roe@Example.com", "name": "Jöhn Røe 🏃", "plan": "enterprise",
			"logins": 42.0, "score": 9.5, "vip": true, "address": map[string]any{"city": "Zürich", "postalCode": "8001"},
		},
	}
	for _, e := range []struct{ source, json string }{
		{"segkicks", `{"type":"page","messageId":"john-1","anonymousId":"anon_web_1","name":"Pricing",
			"properties":{"path":"/pricing","url":"https://segkicks.example/pricing"},"timestamp":"2019-11-17T10:00:00Z"}`},
		{"segkicks", `{"type":"alias","messageId":"john-2","previousId":"anon_web_1","userId":"john","timestamp":"2019-11-17T10:05:00Z"}`},
		{"segkicks", `{"type":"identify","messageId":"john-3","userId":"john","timestamp":"2019-11-17T10:06:00Z",
			"traits":{"email":"John.Roe@Example.com","name":"Jöhn Røe 🏃","plan":"pro","logins":42,"score":9.5,"vip":true,
			"address":{"city":"Zürich","postalCode":"8001"}}}`},
		{"segruns", `{"type":"screen","messageId":"john-4","userId":"john","anonymousId":"anon_tv_1","name":"Player",
			"properties":{"episode":3},"timestamp":"2019-11-18T20:00:00Z",` + tv + `}`},
		{"segruns", `{"type":"identify","messageId":"john-5","userId":"john","anonymousId":"anon_tv_1",
			"traits":{"plan":"enterprise"},"timestamp":"2019-11-18T20:01:00Z",` + tv + `}`},
	} {
		p.events = append(p.events, storyEvent{e.source, decode(t, e.json)})
	}
	start := time.Date(2019, 11, 18, 20, 2, 0, 0, time.UTC)
	for i := 6; i <= 25; i++ {
		p.events = append(p.events, storyEvent{"segruns", decode(t, fmt.Sprintf(
			`{"type":"track","messageId":"john-%d","event":"Workout Streamed","userId":"john","anonymousId":"anon_tv_1",
			"properties":{"n":%d,"minutes":%g},"timestamp":%q,%s}`,
			i, i, float64(i)*1.5, start.Add(time.Duration(i)*time.Minute).Format(time.RFC3339), tv))})
	}
	return p
}

// outagePerson is what a client sends while Neo4j is down: one identify and
// nine tracks of a person of its own (user id user, anonymous id anon_user).
func outagePerson(t *testing.T, user, name string) person {
	t.Helper()
	anon, email := "anon_"+user, user+"@example.com"
	p := person{
		name:        name,
		identifiers: []string{"anonymous_id:" + anon, "email:" + email, "user_id:" + user},
		firstSeen:   map[string]string{"anonymous_id:" + anon: user + "-1", "email:" + email: user + "-1", "user_id:" + user: user + "-1"},
		traits:      map[string]any{"email": email, "name": name},
		events: []storyEvent{{"segkicks", decode(t, fmt.Sprintf(`{"type":"identify","messageId":"%s-1","userId":%q,"anonymousId":%q,
			"traits":{"email":%q,"name":%q},"timestamp":"2019-11-20T08:00:00Z"}`, user, user, anon, email, name))}},
	}
	for i := 2; i <= 10; i++ {
		p.events = append(p.events, storyEvent{"segkicks", decode(t, fmt.Sprintf(
			`{"type":"track","messageId":"%s-%d","event":"Lesson Completed","userId":%q,"anonymousId":%q,
			"properties":{"lesson":%d},"timestamp":"2019-11-20T08:%02d:00Z"}`, user, i, user, anon, i, i))})
	}
	return p
}

func decode(t *testing.T, s string) map[string]any {
	t.Helper()
	var m map[string]any
	if err := json.Unmarshal([]byte(s), &m); err != nil {
		t.Fatalf("story event %s: %v", s, err)
	}
	return m
}

// eventsOf lists the events of people, in order.
func eventsOf(people ...person) []storyEvent {
	var out []storyEvent
	for _, p := range people {
		out = append(out, p.events...)
	}
	return out
}
