package bench

import (
	"encoding/json"
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
