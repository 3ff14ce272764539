package bench

import (
	"container/heap"
	"fmt"
	"time"

	"github.com/idgraph/idgraph"
)

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
