package bench

import (
	"encoding/hex"
	"encoding/json"
	"fmt"
	"strings"
	"time"

	"github.com/idgraph/idgraph"
)

// genEvent is one generated event, ready to write.
type genEvent struct {
	line    []byte
	ids     []idgraph.Identifier // what idgraph extracts from line, blocked values included
	noise   []*noiseID           // the identifiers of line that belong to nobody
	p       *person
	typ     string
	source  string
	msgID   string
	ts      time.Time
	replay  bool
	delayed bool
}

// noiseOf returns the noise identifier id is, or nil for a personal one.
func (ev *genEvent) noiseOf(id idgraph.Identifier, g *generator) *noiseID {
	for _, n := range ev.noise {
		if n.id == id {
			return n
		}
	}
	if junkValues[id.Value] {
		n := g.junk[id]
		if n == nil {
			n = &noiseID{id: id, kind: NoiseJunk}
			g.junk[id] = n
		}
		return n
	}
	return nil
}

// session plays one session of p: on one of their installs, a kiosk, or,
// for the QA team, a test phone.
func (g *generator) session(p *person) {
	t := p.next
	p.sessionsDone++
	p.sessionsLeft--
	gap := sessionGap
	if p.qa {
		gap = qaSessionEvery * g.arrivalGap
	}
	p.next = t.Add(10*time.Minute + g.exp(gap))

	switch {
	case p.qa:
		inst := pick(g, g.qa.installs)
		g.countQA(inst.dev)
		g.useInstall(p, inst, g.qa.userID, t)
	case p.kioskAt == p.sessionsDone && len(g.kiosks) > 0:
		inst := pick(g, g.kiosks)
		if !inst.dev.counted {
			inst.dev.counted = true
			g.count(NoiseKiosk).Instances++
		}
		// Kiosk mode: every visitor starts logged out, with a new anonymousId.
		inst.user = ""
		g.reset(inst)
		g.useInstall(p, inst, p.userID, t)
	default:
		inst := g.pickInstall(p)
		account := ""
		switch {
		case p.employee && g.qa != nil && inst.dev.noise == "" && inst.dev.kind != "web" && g.rng.Float64() < pQASession:
			account = g.qa.userID
			g.countQA(inst.dev)
		case p.userID == "":
		case inst.dev.noise != "", inst.user == p.userID, inst.loginAfter >= 0 && inst.sessions >= inst.loginAfter:
			account = p.userID
		}
		g.useInstall(p, inst, account, t)
	}
}

// countQA counts a device the QA account is used on.
func (g *generator) countQA(d *device) {
	if !d.counted {
		d.counted = true
		g.count(NoiseQAUser).Instances++
	}
}

// pickInstall chooses where p's session happens: the shared device now and
// then, else mostly the first install.
func (g *generator) pickInstall(p *person) *install {
	if len(p.shared) > 0 && g.rng.Float64() < pSharedSession {
		return pick(g, p.shared)
	}
	if g.rng.Float64() < 0.5 {
		return p.own[0]
	}
	return pick(g, p.own)
}

// useInstall plays a session of p on inst ending logged in as account ("":
// anonymous): a logout first when someone else is logged in, anonymous
// events, the login (identify), then activity.
func (g *generator) useInstall(p *person, inst *install, account string, t time.Time) {
	inst.sessions++
	if inst.user != "" && inst.user != account {
		inst.user = ""
		if inst.resets {
			g.reset(inst)
		}
	}
	n := 1 + g.geom(extraEvents)
	login := -1
	if account != "" && inst.user != account {
		login = g.rng.IntN(min(n, 3))
	}
	for i := range n {
		switch {
		case i == login:
			g.identify(p, inst, account, t)
			inst.user = account
			if account == p.userID && !p.loggedIn {
				p.loggedIn = true
				if g.rng.Float64() < pAlias {
					t = t.Add(time.Second)
					e := g.event(inst, idgraph.EventAlias, t)
					e.PreviousID = inst.anon
					g.finishEvent(p, inst, e, nil)
				}
			}
		case i == 0 && inst.user != "" && g.rng.Float64() < pRefresh:
			g.identify(p, inst, inst.user, t)
		default:
			g.activity(p, inst, i, t)
		}
		t = t.Add(time.Second + g.exp(eventGap))
	}
}

// reset gives inst a new anonymousId, as analytics' reset() does.
func (g *generator) reset(inst *install) {
	inst.anon = g.uuid(false)
	inst.anonRef = nil
	if inst.anonShared {
		inst.anonRef = &noiseID{id: idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: inst.anon}, kind: inst.dev.noise}
	}
}

// identify sends an identify for account with its traits.
func (g *generator) identify(p *person, inst *install, account string, t time.Time) {
	e := g.event(inst, idgraph.EventIdentify, t)
	e.UserID = account
	var refs []*noiseID
	switch {
	case g.qa != nil && account == g.qa.userID:
		e.Traits = map[string]any{"email": g.qa.email, "name": "QA Tester"}
		refs = append(refs, g.qa.emailRef)
	default:
		email := p.email
		if p.mailbox != nil {
			refs = append(refs, p.mailbox)
		} else if g.rng.Float64() < pMessyEmail {
			email = " " + strings.ToUpper(email[:1]) + email[1:] + " "
		}
		e.Traits = map[string]any{"email": email, "firstName": p.first, "lastName": p.last, "plan": pick(g, []string{"free", "free", "plus", "pro"})}
	}
	g.finishEvent(p, inst, e, refs)
}

var (
	mobileTracks  = []string{"Product Viewed", "Product Viewed", "Product Added", "Product Searched", "Checkout Started", "Order Completed", "Workout Started", "Push Notification Tapped"}
	webTracks     = []string{"Product Viewed", "Product Clicked", "Product Added", "Products Searched", "Checkout Started", "Order Completed", "Signup Form Viewed"}
	screens       = []string{"Home", "Product", "Cart", "Search", "Profile", "Workout", "Checkout"}
	pages         = []string{"home", "products", "product", "cart", "search", "account", "checkout", "blog"}
	iosModels     = []string{"iPhone14,2", "iPhone15,3", "iPhone16,1", "iPad13,4"}
	androidModels = []string{"Pixel 8", "SM-S918B", "SM-A546B", "moto g84"}
	userAgents    = []string{
		"Mozilla/5.0 (Macintosh; Intel Mac OS X 14_4) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.4 Safari/605.1.15",
		"Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/124.0 Safari/537.36",
		"Mozilla/5.0 (X11; Linux x86_64; rv:125.0) Gecko/20100101 Firefox/125.0",
	}
)

// activity sends one page, screen or track event: on phones an
// "Application Opened" first, then about 55% screens and 45% tracks; on the
// web about 65% pages and 35% tracks.
func (g *generator) activity(p *person, inst *install, i int, t time.Time) {
	var e idgraph.Event
	switch {
	case inst.dev.kind != "web" && i == 0:
		e = g.event(inst, idgraph.EventTrack, t)
		e.Event = "Application Opened"
		e.Properties = map[string]any{"from_background": g.rng.IntN(2) == 0}
	case inst.dev.kind != "web" && g.rng.Float64() < 0.55:
		e = g.event(inst, idgraph.EventScreen, t)
		e.Name = pick(g, screens)
	case inst.dev.kind == "web" && g.rng.Float64() < 0.65:
		e = g.event(inst, idgraph.EventPage, t)
		page := pick(g, pages)
		e.Name = page
		e.Properties = map[string]any{"path": "/" + page, "url": "https://" + inst.app.Host + "/" + page, "title": inst.app.Name + " " + page}
	default:
		e = g.event(inst, idgraph.EventTrack, t)
		if inst.dev.kind == "web" {
			e.Event = pick(g, webTracks)
		} else {
			e.Event = pick(g, mobileTracks)
		}
		e.Properties = map[string]any{"product_id": fmt.Sprintf("sku-%04d", g.rng.IntN(5000)), "price": float64(500+g.rng.IntN(20000)) / 100, "currency": "USD"}
	}
	g.finishEvent(p, inst, e, nil)
}

// appContext is context.app; name comes first, so the runner finds the
// source of a line without decoding it.
type appContext struct {
	Name      string `json:"name"`
	Version   string `json:"version"`
	Build     string `json:"build"`
	Namespace string `json:"namespace"`
}

// event returns an event of inst's app and device as the Segment libraries
// (analytics-ios, analytics-android, analytics.js) send it.
func (g *generator) event(inst *install, typ string, t time.Time) idgraph.Event {
	d := inst.dev
	e := idgraph.Event{
		Type:        typ,
		MessageID:   g.uuid(false),
		UserID:      inst.user,
		AnonymousID: inst.anon,
		Timestamp:   t.Truncate(time.Millisecond),
	}
	ctx := map[string]any{
		"app":    appContext{Name: inst.app.Name, Version: "4.2.1", Build: "421", Namespace: "com." + inst.app.Source},
		"ip":     d.ip,
		"locale": "en-US",
	}
	switch d.kind {
	case "web":
		ctx["library"] = map[string]any{"name": "analytics.js", "version": "next-1.70.0"}
		ctx["userAgent"] = d.ua
		e.Integrations = map[string]any{"Google Analytics": map[string]any{"clientId": d.ga}}
	default:
		dev := map[string]any{"type": d.kind, "id": d.id, "model": d.model, "adTrackingEnabled": d.tracking}
		if d.idfa != "" {
			dev["advertisingId"] = d.idfa
		}
		if inst.token != "" {
			dev["token"] = inst.token
		}
		ctx["device"] = dev
		osName, lib := "iOS", "analytics-ios"
		if d.kind == "android" {
			osName, lib = "Android", "analytics-android"
		}
		ctx["os"] = map[string]any{"name": osName, "version": d.os}
		ctx["library"] = map[string]any{"name": lib, "version": "4.1.8"}
		ctx["network"] = map[string]any{"wifi": g.rng.IntN(3) > 0}
	}
	e.Context = ctx
	return e
}

// junkValues are the values broken integrations send as identifiers.
var junkValues = map[string]bool{
	"null": true, "undefined": true, "0": true, "-1": true, "[object Object]": true,
	"00000000-0000-0000-0000-000000000000": true,
}

// injectJunk replaces one identifier of e with a junk value.
func (g *generator) injectJunk(e *idgraph.Event, inst *install) {
	g.count(NoiseJunk).Instances++
	dev, _ := e.Context["device"].(map[string]any)
	switch r := g.rng.IntN(5); {
	case r == 0 && e.Type == idgraph.EventIdentify:
		e.Traits["email"] = pick(g, []string{"undefined", "null"})
	case r == 1 && dev != nil:
		dev["id"] = pick(g, []any{int64(0), int64(-1), "null", "undefined"})
	case r == 2 && dev != nil:
		dev["advertisingId"], dev["adTrackingEnabled"] = "00000000-0000-0000-0000-000000000000", true
	case r == 3 && e.Type != idgraph.EventAlias:
		e.AnonymousID = pick(g, []string{"[object Object]", "undefined", "null"})
	case e.Type != idgraph.EventAlias:
		e.UserID = pick(g, []string{"null", "undefined", "0", "-1"})
	default:
		e.PreviousID = "undefined"
	}
}

// finishEvent adds junk now and then, encodes e, works out the identifiers
// idgraph will extract from it and which of them are noise, and sends it.
func (g *generator) finishEvent(p *person, inst *install, e idgraph.Event, refs []*noiseID) {
	if g.err != nil {
		return
	}
	if g.on(NoiseJunk) && g.rng.Float64() < pJunk {
		g.injectJunk(&e, inst)
	}
	line, err := json.Marshal(e)
	if err != nil {
		g.err = err
		return
	}
	// Extract from the line as the server parses it, so the ground truth
	// names exactly the identifiers idgraph sees.
	parsed, err := idgraph.ParseEvent(line, e.Timestamp)
	if err != nil {
		g.err = idgraph.WrapError(idgraph.EINTERNAL, err, "bench: generated an invalid event %s", line)
		return
	}
	ids, blocked := g.rules.Extract(parsed)
	ev := &genEvent{
		line: line, ids: append(ids, blocked...), p: p,
		typ: e.Type, source: inst.app.Source, msgID: e.MessageID, ts: e.Timestamp,
	}
	ev.noise = append(ev.noise, inst.dev.ids...)
	if inst.anonRef != nil {
		ev.noise = append(ev.noise, inst.anonRef)
	}
	if inst.tokenRef != nil {
		ev.noise = append(ev.noise, inst.tokenRef)
	}
	if g.qa != nil && e.UserID == g.qa.userID {
		ev.noise = append(ev.noise, g.qa.userRef)
	}
	ev.noise = append(ev.noise, refs...)
	g.send(ev)
}

// uuid returns a random version-4 UUID, upper-case as iOS writes them.
func (g *generator) uuid(upper bool) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	s := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	if upper {
		return strings.ToUpper(s)
	}
	return s
}

// hex returns n random hexadecimal digits.
func (g *generator) hex(n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "%016x", g.rng.Uint64())
	}
	return b.String()[:n]
}
