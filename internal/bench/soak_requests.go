package bench

import (
	"bytes"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strings"
	"time"
)

// soakClient sends the soak's requests to one server.
type soakClient struct {
	base   string
	space  *benchSpace
	client *http.Client
}

// soakUsers is how many people the soak's events are about: few enough
// that profiles grow and merge, many enough that lookups miss sometimes.
const soakUsers = 2000

// soakKinds are the kinds of request, each with its weight.
var soakKinds = []struct {
	name   string
	weight int
}{
	{"track", 35}, {"batch", 10}, {"traits", 20}, {"external_ids", 5}, {"explain", 10}, {"split_preview", 3}, {"poisoned", 17},
}

// send sends one request of a kind drawn by weight and returns its kind,
// its status (0 when no answer came) and how long it took.
func (c *soakClient) send(rng *rand.Rand) (string, int, time.Duration) {
	n := rng.IntN(100)
	kind := soakKinds[len(soakKinds)-1].name
	for _, k := range soakKinds {
		if n -= k.weight; n < 0 {
			kind = k.name
			break
		}
	}
	req := c.request(kind, rng)
	start := time.Now()
	res, err := c.client.Do(req)
	took := time.Since(start)
	if err != nil {
		return kind, 0, took
	}
	_, _ = io.Copy(io.Discard, res.Body)
	res.Body.Close()
	return kind, res.StatusCode, took
}

// request builds a request of kind.
func (c *soakClient) request(kind string, rng *rand.Rand) *http.Request {
	user := func() string { return fmt.Sprintf("u%d", rng.IntN(soakUsers)) }
	source := soakSources[rng.IntN(len(soakSources))]
	event := func() string {
		u := user()
		return fmt.Sprintf(`{"type":"identify","userId":%q,"anonymousId":"a-%s-%d","traits":{"email":"%s@soak.example","plan":"p%d"},"context":{"device":{"type":"ios","id":"d-%s"}}}`,
			u, u, rng.IntN(3), u, rng.IntN(5), u)
	}
	profile := c.profile(user())
	switch kind {
	case "track":
		return c.ingest(source, "/v1/track", `{"event":"Viewed","userId":"`+user()+`","properties":{"n":1}}`)
	case "batch":
		items := make([]string, 10)
		for i := range items {
			items[i] = event()
		}
		return c.ingest(source, "/v1/batch", `{"batch":[`+strings.Join(items, ",")+`]}`)
	case "traits":
		return c.read(http.MethodGet, profile+"/traits", "")
	case "external_ids":
		return c.read(http.MethodGet, profile+"/external_ids", "")
	case "explain":
		u := user() // within one person's profile, once they have sent an identify
		return c.read(http.MethodGet, c.profile(u)+"/explain?to="+url.QueryEscape("email:"+u+"@soak.example"), "")
	case "split_preview":
		u := user()
		return c.read(http.MethodPost, c.profile(u)+"/split?preview=true",
			`{"apart":["user_id:`+u+`","email:`+u+`@soak.example"],"reason":"soak"}`)
	}
	return c.poisoned(source, rng)
}

// poisoned returns one of issue 15's hostile requests.
func (c *soakClient) poisoned(source string, rng *rand.Rand) *http.Request {
	long := strings.Repeat("t", 9000)
	bodies := []string{
		`{"event":"x","userId":"p1","context":{"externalIds":[{"type":"` + long + `","id":"x"}]}}`,
		`{"event":"x","userId":1e3000000}`,
		"{\"event\":\"x\",\"userId\":\"caf\xe9\"}",
		`{"event":"x","userId":"caf\ud800"}`,
		`{"event":"x","userId":"\u200b","anonymousId":"\ufeff"}`,
		`{"event":"x","userId":"p2","timestamp":"9999-12-31T23:59:59Z","sentAt":"0001-01-01T00:00:01Z"}`,
	}
	switch i := rng.IntN(len(bodies) + 3); {
	case i < len(bodies):
		return c.ingest(source, "/v1/track", bodies[i])
	case i == len(bodies):
		return c.ingest(source, "/v1/batch", `{"batch":[{"type":"track","event":"x","userId":"p3"}],"BATCH":[]}`)
	case i == len(bodies)+1:
		big := `{"type":"track","event":"x","userId":"p4","properties":{"blob":"` + strings.Repeat("b", 40<<10) + `"}}`
		return c.ingest(source, "/v1/batch", `{"batch":[{"type":"track","event":"x","userId":"p5"},`+big+`]}`)
	}
	req := c.read(http.MethodGet, c.base+"/", "")
	req.URL.Opaque = "/v1/spaces/" + c.space.id + "/collections/users/profiles/user_id:%zz/traits"
	return req
}

// profile is the Profile API's address of user's profile.
func (c *soakClient) profile(user string) string {
	return c.base + "/v1/spaces/" + c.space.id + "/collections/users/profiles/user_id:" + user
}

func (c *soakClient) ingest(source, path, body string) *http.Request {
	req, _ := http.NewRequest(http.MethodPost, c.base+path, bytes.NewReader([]byte(body)))
	req.Header.Set("Content-Type", "application/json")
	req.SetBasicAuth(c.space.keys[source], "")
	return req
}

func (c *soakClient) read(method, u, body string) *http.Request {
	req, _ := http.NewRequest(method, u, strings.NewReader(body))
	req.SetBasicAuth(c.space.token, "")
	return req
}
