package idgraph

import "fmt"

// sharedRules reads a space's `shared:` section and `segment_compatible`
// (m is the space's mapping at path) over DefaultSharedRules:
//
//	segment_compatible: false      # true: Segment's rules exactly, shared off
//	shared:
//	  enabled: true
//	  types: [ios.id, android.id, ga_client_id]  # default: all but user_id, email and anonymous_id
//	  min_people: 2                # distinct user ids (or emails) that make an identifier shared...
//	  window: ever                 # ...within this window
//	  kiosk_anonymous_ids: 6       # distinct anonymous ids on one device...
//	  kiosk_window: daily          # ...within this window; 0 ids is off
//	  account_devices: 8           # a user id on this many devices is a shared account; 0 is off
func (d *yamlDoc) sharedRules(path string, m map[string]any) SharedRules {
	rules := DefaultSharedRules()
	p := joinPath(path, "shared")
	sm := d.mapping(p, m["shared"], "enabled", "types", "min_people", "window", "kiosk_anonymous_ids", "kiosk_window", "account_devices")
	if on, set := d.boolean(joinPath(p, "enabled"), sm["enabled"]); set {
		rules.Enabled = on
	}
	if _, set := sm["types"]; set {
		rules.Types = d.strings(joinPath(p, "types"), sm["types"], false)
		for i, t := range rules.Types {
			var ps Problems
			at := fmt.Sprintf("%s.types[%d]", p, i)
			if checkID(&ps, at, t) && (t == TypeUserID || t == TypeEmail) {
				ps.Add(at, "%s names a person; it cannot be shared", t)
			}
			for _, pr := range ps {
				d.add(pr.Field, "%s", pr.Message)
			}
		}
	}
	if n, set := d.count(joinPath(p, "min_people"), sm["min_people"]); set {
		if n < 2 {
			d.add(joinPath(p, "min_people"), "want at least 2: one person is not a crowd")
		}
		rules.MinPeople = n
	}
	if n, set := d.count(joinPath(p, "kiosk_anonymous_ids"), sm["kiosk_anonymous_ids"]); set {
		rules.KioskAnonymousIDs = n
	}
	if n, set := d.count(joinPath(p, "account_devices"), sm["account_devices"]); set {
		rules.AccountDevices = n
	}
	rules.Window = d.window(joinPath(p, "window"), sm["window"], rules.Window)
	rules.KioskWindow = d.window(joinPath(p, "kiosk_window"), sm["kiosk_window"], rules.KioskWindow)
	if segment, _ := d.boolean(joinPath(path, "segment_compatible"), m["segment_compatible"]); segment {
		return SharedRules{}
	}
	return rules
}

// window reads a window at path, def when absent.
func (d *yamlDoc) window(path string, v any, def Window) Window {
	s := d.str(path, v)
	if s == "" {
		return def
	}
	w, err := ParseWindow(s)
	if err != nil {
		d.add(path, "%s", ErrorMessage(err))
		return def
	}
	return w
}
