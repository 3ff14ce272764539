package bench

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/idgraph/idgraph"
)

// The workload's proportions. Means are of exponential or geometric draws.
const (
	spanTarget      = 28 * 24 * time.Hour // people arrive over four weeks...
	minArrivalGap   = 3 * time.Minute     // ...but no faster: about 5,000 active at once
	eventsPerPerson = 30                  // on average, to spread arrivals
	sessionGap      = 2 * 24 * time.Hour  // between a person's sessions
	extraSessions   = 4.0                 // sessions per person: 1 + this, on average
	extraEvents     = 5.0                 // events per session: 1 + this, on average
	eventGap        = 40 * time.Second    // between two events of a session
	pKnown          = 0.75                // a person has an account (user id, email)
	pTracking       = 0.35                // a phone allows ad tracking (IDFA / AAID)
	pPushToken      = 0.5                 // an app install registered for push
	pSecondLogin    = 0.85                // a person logs in on an install past their first
	pRefresh        = 0.25                // a logged-in session starts with identify
	pAlias          = 0.2                 // a first login also sends alias
	pMessyEmail     = 0.1                 // an email is sent with capitals and spaces
	pSharedSession  = 0.35                // a session happens on the shared device
	pHousehold      = 0.03                // a person starts a family sharing a tablet
	pStickyGA       = 0.03                // a person starts a household sharing a browser
	pMailbox        = 0.02                // a person starts a company sharing team@
	pKiosk          = 0.03                // a person with an account uses a kiosk once
	pEmployee       = 0.01                // a person also uses the QA account on their phone
	pQASession      = 0.25                // an employee's session is a QA session
	qaSessionEvery  = 20                  // the QA team tests once per this many arrival gaps
	kiosks          = 3                   // store kiosks: one web, two iPads
	qaDevices       = 4                   // the QA team's own test phones
	pJunk           = 0.005               // an event carries a junk identifier
	pReplay         = 0.01                // an event is sent twice
	replayDelay     = 5 * time.Minute     // until the replay
	pOutOfOrder     = 0.02                // an event is sent late
	outOfOrderDelay = 6 * time.Hour       // how late, beyond a minute
)

// person is one human of the workload, or the QA team's pseudo-person.
type person struct {
	num           int
	userID, email string
	first, last   string
	mailbox       *noiseID   // the shared team@ mailbox used as the email
	own           []*install // installs on the person's own devices
	shared        []*install // installs on a shared tablet or browser
	kioskAt       int        // the session (1-based) spent at a kiosk; 0 none
	employee      bool       // also logs into the QA account on their phone
	qa            bool       // the QA team, not a person
	loggedIn      bool       // has logged in at least once

	sessionsLeft, sessionsDone int
	next                       time.Time
	pending                    int // events waiting in the delay heap
	events                     int // events written

	// Ground truth: the personal identifiers the person's written events
	// carried, and a union-find of the ones that shared an event.
	index  map[idgraph.Identifier]int
	order  []idgraph.Identifier
	parent []int
}

// link records that ids appeared together in one of p's events.
func (p *person) link(ids []idgraph.Identifier) {
	first := -1
	for _, id := range ids {
		i, ok := p.index[id]
		if !ok {
			i = len(p.order)
			p.index[id] = i
			p.order = append(p.order, id)
			p.parent = append(p.parent, i)
		}
		if first < 0 {
			first = i
			continue
		}
		if a, b := p.find(first), p.find(i); a != b {
			p.parent[max(a, b)] = min(a, b)
		}
	}
}

func (p *person) find(i int) int {
	for p.parent[i] != i {
		p.parent[i] = p.parent[p.parent[i]]
		i = p.parent[i]
	}
	return i
}

func (p *person) hasPhone() bool {
	for _, inst := range p.own {
		if inst.dev.kind != "web" {
			return true
		}
	}
	return false
}

// device is a phone, a tablet or a web browser.
type device struct {
	kind      string // ios, android or web
	id        string // context.device.id (phones and tablets)
	idfa      string // advertising id
	tracking  bool   // adTrackingEnabled
	model, os string
	ga        string // Google Analytics client id (web)
	ua        string
	ip        string
	// noise is the kind of a device no single person owns; "" for a
	// person's own device. ids are its shared identifiers.
	noise   NoiseKind
	ids     []*noiseID
	counted bool // counted as an instance of its noise kind
}

// install is one app (or website) on one device.
type install struct {
	dev    *device
	app    *App
	resets bool // a logout gives a new anonymousId
	// anonShared: the anonymousId is noise, used by several people (a
	// shared install that does not reset, or the QA team's phones).
	anonShared bool
	anon       string
	anonRef    *noiseID
	token      string
	tokenRef   *noiseID
	user       string // the user id logged in, "" when logged out
	loginAfter int    // own installs: anonymous sessions before logging in; -1 never
	sessions   int
}

// noiseID is an identifier that belongs to no single person.
type noiseID struct {
	id      idgraph.Identifier
	kind    NoiseKind
	written bool // its ground-truth line is out
}

// qaAccount is the QA team's account and test phones.
type qaAccount struct {
	userID, email string
	userRef       *noiseID
	emailRef      *noiseID
	installs      []*install
}

// arrive creates the next person and, now and then, the people who share
// something with them.
func (g *generator) arrive() {
	p := g.newPerson(g.rng.Float64() < pKnown)
	group := []*person{p}
	if g.on(NoiseSharedDevice) && g.rng.Float64() < pHousehold {
		members := append([]*person{p}, g.newPeople(1+g.rng.IntN(3))...)
		g.shareDevice(NoiseSharedDevice, pick(g, []string{"ios", "ios", "android"}), members)
		group = append(group, members[1:]...)
	}
	if g.on(NoiseStickyGA) && g.rng.Float64() < pStickyGA {
		members := append([]*person{p}, g.newPeople(1+g.rng.IntN(2))...)
		g.shareDevice(NoiseStickyGA, "web", members)
		group = append(group, members[1:]...)
	}
	if g.on(NoiseSharedMailbox) && g.rng.Float64() < pMailbox {
		members := append([]*person{p}, g.newPeople(1+g.rng.IntN(4))...)
		g.shareMailbox(members)
		group = append(group, members[1:]...)
	}
	if g.on(NoiseKiosk) && p.userID != "" && g.rng.Float64() < pKiosk {
		p.kioskAt = 1 + g.rng.IntN(p.sessionsLeft)
		g.count(NoiseKiosk).Persons++
	}
	if g.on(NoiseQAUser) && p.userID != "" && p.hasPhone() && g.rng.Float64() < pEmployee {
		p.employee = true
		g.count(NoiseQAUser).Persons++
	}
	for _, q := range group {
		if q.userID == "" && (len(q.shared) > 0 || q.mailbox != nil) {
			// Everyone who shares a device or a mailbox has an account.
			g.giveAccount(q)
		}
		q.next = g.clock.Add(g.exp(30 * time.Minute))
		heap.Push(&g.sessions, q)
	}
}

func (g *generator) newPeople(n int) []*person {
	out := make([]*person, n)
	for i := range out {
		out[i] = g.newPerson(true)
	}
	return out
}

// newPerson creates a person with one to three devices (a phone, then a
// web browser or a tablet), one or two apps, and, when known, an account.
func (g *generator) newPerson(known bool) *person {
	g.people++
	p := &person{num: g.people, index: map[idgraph.Identifier]int{}, sessionsLeft: 1 + g.geom(extraSessions)}
	phone := "ios"
	if g.rng.Float64() < 0.45 {
		phone = "android"
	}
	// First device: the web for 40% of people, else a phone. Then, for 45%,
	// a second one (a phone after the web; the web or a tablet after a
	// phone), and for 15% a third.
	kinds := []string{phone}
	if g.rng.Float64() < 0.4 {
		kinds[0] = "web"
	}
	switch r := g.rng.Float64(); {
	case r < 0.15 && kinds[0] == "web":
		kinds = append(kinds, phone, phone)
	case r < 0.15:
		kinds = append(kinds, "web", phone)
	case r < 0.45 && kinds[0] == "web":
		kinds = append(kinds, phone)
	case r < 0.45:
		kinds = append(kinds, pick(g, []string{"web", "web", phone}))
	}
	apps := []*App{&Apps[0]}
	switch r := g.rng.Float64(); {
	case r < 0.3:
		apps = []*App{&Apps[0], &Apps[1]}
	case r < 0.58:
		apps = []*App{&Apps[1]}
	}
	for i, kind := range kinds {
		d := g.newDevice(kind)
		n := len(p.own)
		for _, a := range apps {
			if i == 0 || g.rng.Float64() < 0.7 {
				p.own = append(p.own, g.newInstall(d, a))
			}
		}
		if len(p.own) == n {
			p.own = append(p.own, g.newInstall(d, pick(g, apps)))
		}
	}
	if known {
		g.giveAccount(p)
	}
	return p
}

var (
	firstNames = []string{"jane", "john", "maria", "wei", "aisha", "lukas", "sofia", "omar", "yuki", "liam", "emma", "noah", "ana", "ivan", "fatima", "lea"}
	lastNames  = []string{"doe", "smith", "garcia", "chen", "khan", "muller", "rossi", "haddad", "tanaka", "brown", "silva", "novak", "kowalski", "martin"}
	domains    = []string{"gmail.com", "yahoo.com", "outlook.com", "icloud.com", "proton.me", "example.org"}
)

// giveAccount gives p a user id and an email, and decides when p logs in on
// each of their installs: after a few anonymous sessions on the first, at
// the first or second session on the others (or never).
func (g *generator) giveAccount(p *person) {
	p.userID = "usr_" + g.hex(16)
	p.first, p.last = pick(g, firstNames), pick(g, lastNames)
	if p.mailbox == nil {
		p.email = fmt.Sprintf("%s.%s.%d@%s", p.first, p.last, p.num, pick(g, domains))
	}
	for i, inst := range p.own {
		switch {
		case i == 0:
			inst.loginAfter = g.geom(1)
		case g.rng.Float64() < pSecondLogin:
			inst.loginAfter = g.rng.IntN(2)
		}
	}
}

func (g *generator) newDevice(kind string) *device {
	d := &device{kind: kind, ip: fmt.Sprintf("%d.%d.%d.%d", 11+g.rng.IntN(200), g.rng.IntN(256), g.rng.IntN(256), 1+g.rng.IntN(254))}
	switch kind {
	case "ios":
		d.id = g.uuid(true)
		d.model, d.os = pick(g, iosModels), pick(g, []string{"17.4.1", "17.5", "18.0", "18.1"})
		d.tracking = g.rng.Float64() < pTracking
		d.idfa = "00000000-0000-0000-0000-000000000000"
		if d.tracking {
			d.idfa = g.uuid(true)
		}
	case "android":
		d.id = g.hex(16)
		d.model, d.os = pick(g, androidModels), pick(g, []string{"13", "14", "15"})
		d.tracking = g.rng.Float64() < pTracking
		if d.tracking {
			d.idfa = g.uuid(false)
		}
	case "web":
		d.ga = fmt.Sprintf("GA1.2.%d.%d", 100000000+g.rng.IntN(900000000), g.clock.Unix())
		d.ua = pick(g, userAgents)
	}
	return d
}

func (g *generator) newInstall(d *device, a *App) *install {
	inst := &install{dev: d, app: a, resets: d.kind == "web" || a.ResetsOnLogout, anon: g.uuid(false), loginAfter: -1}
	if d.kind != "web" && g.rng.Float64() < pPushToken {
		inst.token = g.hex(64)
	}
	return inst
}
