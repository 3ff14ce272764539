package bench

import (
	"slices"
	"strings"

	"github.com/idgraph/idgraph"
)

// NoiseKind names one kind of noise that breaks naive identity graphs.
type NoiseKind string

// The noise kinds. Shared identifiers (devices, mailboxes, the QA account,
// junk values) belong to no single person: see accuracy.go for how they are
// scored.
const (
	// NoiseSharedDevice: a family tablet used by two to four people, each
	// logging in with their own account. Its device id, advertising id and
	// push tokens are shared; so is the anonymousId of an app that does not
	// reset on logout.
	NoiseSharedDevice NoiseKind = "shared-device"
	// NoiseKiosk: a store kiosk (a web browser or an iPad) on which many
	// shoppers log in; the kiosk resets the anonymousId per session.
	NoiseKiosk NoiseKind = "kiosk"
	// NoiseJunk: null, undefined, 0, -1, [object Object] and a zeroed
	// advertising id sent as identifiers by broken integrations.
	NoiseJunk NoiseKind = "junk"
	// NoiseQAUser: one QA account (user id and email) logged in on test
	// devices and on employees' own phones.
	NoiseQAUser NoiseKind = "qa-user"
	// NoiseSharedMailbox: a small company's team@ mailbox given as the email
	// of two to five people's accounts.
	NoiseSharedMailbox NoiseKind = "shared-mailbox"
	// NoiseStickyGA: a household's web browser; the site resets the
	// anonymousId on logout but the Google Analytics client id survives it.
	NoiseStickyGA NoiseKind = "sticky-ga"
	// NoiseReplay: an event sent again, unchanged (same messageId), seconds
	// to an hour later: a client retry.
	NoiseReplay NoiseKind = "replay"
	// NoiseOutOfOrder: an event sent a minute to days after its timestamp
	// (an offline mobile queue), so it arrives after later events.
	NoiseOutOfOrder NoiseKind = "out-of-order"
)

// AllNoise lists every noise kind, in the order summaries show them.
var AllNoise = []NoiseKind{
	NoiseSharedDevice, NoiseKiosk, NoiseJunk, NoiseQAUser,
	NoiseSharedMailbox, NoiseStickyGA, NoiseReplay, NoiseOutOfOrder,
}

// NoiseSet is the set of noise kinds switched on.
type NoiseSet map[NoiseKind]bool

// ParseNoise reads a comma-separated list of noise kinds: "all", "none",
// kinds by name, and "-kind" to switch one off ("all,-replay").
func ParseNoise(s string) (NoiseSet, error) {
	set := NoiseSet{}
	for _, part := range strings.Split(s, ",") {
		part = strings.TrimSpace(part)
		off := strings.HasPrefix(part, "-")
		part = strings.TrimPrefix(part, "-")
		switch part {
		case "":
			continue
		case "none":
			clear(set)
			continue
		case "all":
			for _, k := range AllNoise {
				set[k] = !off
			}
			continue
		}
		if !slices.Contains(AllNoise, NoiseKind(part)) {
			return nil, idgraph.Errorf(idgraph.EINVALID, "unknown noise kind %q: want all, none or some of %s", part, noiseNames())
		}
		if off {
			delete(set, NoiseKind(part))
		} else {
			set[NoiseKind(part)] = true
		}
	}
	for k, on := range set {
		if !on {
			delete(set, k)
		}
	}
	return set, nil
}

func noiseNames() string {
	names := make([]string, len(AllNoise))
	for i, k := range AllNoise {
		names[i] = string(k)
	}
	return strings.Join(names, ", ")
}

// String lists the kinds switched on, in AllNoise order ("none" when empty).
func (n NoiseSet) String() string {
	var on []string
	for _, k := range AllNoise {
		if n[k] {
			on = append(on, string(k))
		}
	}
	if len(on) == 0 {
		return "none"
	}
	return strings.Join(on, ",")
}
