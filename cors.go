package idgraph

import (
	"fmt"
	"net/url"
	"slices"
	"strings"
)

// CORS says which web origins may read a space's answers in a browser.
// Tracking nil means any origin, as Segment's own servers allow, since
// browser SDKs send from the customer's sites; Profiles nil means none: the
// Profile API is for servers and the access token must not reach a page
// unless the space says so.
type CORS struct {
	Tracking []string `json:"tracking,omitempty"`
	Profiles []string `json:"profiles,omitempty"`
}

// AnyOrigin in a list of origins allows every origin.
const AnyOrigin = "*"

// AllowsTracking reports whether origin may read the tracking routes'
// answers.
func (c CORS) AllowsTracking(origin string) bool {
	return origin != "" && (c.Tracking == nil || allowsOrigin(c.Tracking, origin))
}

// AllowsProfiles reports whether origin may read the Profile API's answers.
func (c CORS) AllowsProfiles(origin string) bool { return allowsOrigin(c.Profiles, origin) }

func allowsOrigin(origins []string, origin string) bool {
	if origin == "" {
		return false
	}
	return slices.Contains(origins, AnyOrigin) || slices.Contains(origins, strings.ToLower(origin))
}

// validateOrigins reports each entry that is neither "*" nor a bare origin
// (scheme://host[:port], no path, query or user).
func validateOrigins(ps *Problems, path string, origins []string) {
	for i, o := range origins {
		if o == AnyOrigin {
			continue
		}
		u, err := url.Parse(o)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" ||
			(u.Path != "" && u.Path != "/") || u.RawQuery != "" || u.User != nil || u.Fragment != "" {
			ps.Add(fmt.Sprintf("%s[%d]", path, i), "%q: want \"*\" or an origin such as https://shop.example.com", o)
		}
	}
}

// normalizeOrigins lower-cases origins and drops a trailing slash, as
// browsers send them.
func normalizeOrigins(origins []string) []string {
	if origins == nil {
		return nil
	}
	out := make([]string, len(origins))
	for i, o := range origins {
		out[i] = strings.TrimSuffix(strings.ToLower(o), "/")
	}
	return out
}
