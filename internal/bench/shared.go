package bench

import (
	"container/heap"
	"fmt"

	"github.com/idgraph/idgraph"
)

// shareDevice gives members a device of their household: its device,
// advertising and GA ids are noise of the given kind, and so are the
// anonymousIds and push tokens of apps on it that do not reset on logout.
func (g *generator) shareDevice(kind NoiseKind, devKind string, members []*person) {
	d := g.newDevice(devKind)
	d.noise = kind
	var installs []*install
	for i := range Apps {
		if i == 0 || g.rng.Float64() < 0.5 {
			installs = append(installs, g.newInstall(d, &Apps[i]))
		}
	}
	g.markShared(d, installs)
	for _, m := range members {
		m.shared = append(m.shared, installs...)
	}
	c := g.count(kind)
	c.Instances++
	c.Persons += len(members)
}

// markShared creates the noise identifiers of a shared device's installs.
func (g *generator) markShared(d *device, installs []*install) {
	add := func(typ, value string) *noiseID {
		n := &noiseID{id: idgraph.Identifier{Type: typ, Value: value}, kind: d.noise}
		d.ids = append(d.ids, n)
		return n
	}
	if d.id != "" {
		add(d.kind+idgraph.DeviceIDSuffix, d.id)
	}
	if d.tracking {
		add(d.kind+idgraph.DeviceIDFASuffix, d.idfa)
	}
	if d.ga != "" {
		add(idgraph.TypeGAClientID, d.ga)
	}
	for _, inst := range installs {
		if inst.token != "" {
			inst.tokenRef = &noiseID{id: idgraph.Identifier{Type: d.kind + idgraph.DevicePushTokenSuffix, Value: inst.token}, kind: d.noise}
		}
		if !inst.resets {
			inst.anonShared = true
		}
		if inst.anonShared {
			inst.anonRef = &noiseID{id: idgraph.Identifier{Type: idgraph.TypeAnonymousID, Value: inst.anon}, kind: d.noise}
		}
	}
}

// shareMailbox makes members' accounts use one company's team@ mailbox.
func (g *generator) shareMailbox(members []*person) {
	addr := fmt.Sprintf("%s@%s-%s.example", pick(g, []string{"team", "info", "office", "sales"}), pick(g, lastNames), g.hex(4))
	ref := &noiseID{id: idgraph.Identifier{Type: idgraph.TypeEmail, Value: addr}, kind: NoiseSharedMailbox}
	for _, m := range members {
		m.mailbox, m.email = ref, addr
	}
	c := g.count(NoiseSharedMailbox)
	c.Instances++
	c.Persons += len(members)
}

// newKiosks creates the stores' kiosks: a web browser and two iPads running
// the first app, each resetting the anonymousId at every session.
func (g *generator) newKiosks() []*install {
	var out []*install
	for i := range kiosks {
		kind := "ios"
		if i == 0 {
			kind = "web"
		}
		d := g.newDevice(kind)
		d.noise = NoiseKiosk
		inst := g.newInstall(d, &Apps[0])
		inst.resets = true
		g.markShared(d, []*install{inst})
		out = append(out, inst)
	}
	return out
}

// newQA creates the QA account, its test phones and the pseudo-person that
// runs test sessions on them.
func (g *generator) newQA() *qaAccount {
	qa := &qaAccount{userID: "qa_tester", email: "qa@" + Apps[0].Host}
	qa.userRef = &noiseID{id: idgraph.Identifier{Type: idgraph.TypeUserID, Value: qa.userID}, kind: NoiseQAUser}
	qa.emailRef = &noiseID{id: idgraph.Identifier{Type: idgraph.TypeEmail, Value: qa.email}, kind: NoiseQAUser}
	for i := range qaDevices {
		d := g.newDevice([]string{"ios", "android"}[i%2])
		d.noise = NoiseQAUser
		var installs []*install
		for i := range Apps {
			inst := g.newInstall(d, &Apps[i])
			inst.anonShared = true
			installs = append(installs, inst)
		}
		g.markShared(d, installs)
		qa.installs = append(qa.installs, installs...)
	}
	p := &person{num: 0, qa: true, index: map[idgraph.Identifier]int{}, sessionsLeft: 1 << 30}
	p.next = g.w.Start.Add(g.exp(qaSessionEvery * g.arrivalGap))
	heap.Push(&g.sessions, p)
	return qa
}
