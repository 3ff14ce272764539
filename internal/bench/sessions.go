package bench

import (
	"fmt"
	"strings"
	"time"

	"github.com/idgraph/idgraph"
)

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
