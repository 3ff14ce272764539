package idgraph

import (
	"context"
	"crypto/hmac"
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"net/url"
	"strings"
	"time"
)

// Webhook is an endpoint that receives a space's changes, in feed order,
// as signed POSTs (see SignWebhook).
type Webhook struct {
	URL string `json:"url"`
	// Secret signs every delivery. It is a secret: never logged, never
	// shown.
	Secret string `json:"-"`
}

// MinWebhookSecret is the shortest webhook secret the configuration takes.
const MinWebhookSecret = 16

// Key names the webhook in the graph, where its place in the feed is kept:
// the first 16 hex digits of its URL's SHA-256, so the graph does not
// show a URL that may carry credentials. A new URL is a new webhook; a new
// secret is not.
func (w Webhook) Key() string {
	sum := sha256.Sum256([]byte(w.URL))
	return hex.EncodeToString(sum[:8])
}

// Host is the webhook's host, which logs may show.
func (w Webhook) Host() string {
	u, err := url.Parse(w.URL)
	if err != nil {
		return ""
	}
	return u.Host
}

// WebhookSignatureHeader carries a delivery's signature.
const WebhookSignatureHeader = "Idgraph-Signature"

// SignWebhook returns the signature of a delivery's body: "sha256=" and the
// hex HMAC-SHA256 of the body under the webhook's secret.
func SignWebhook(secret string, body []byte) string {
	mac := hmac.New(sha256.New, []byte(secret))
	mac.Write(body)
	return "sha256=" + hex.EncodeToString(mac.Sum(nil))
}

// VerifyWebhook reports whether signature is body's under secret, in
// constant time: what a receiver checks before trusting a delivery.
func VerifyWebhook(secret string, body []byte, signature string) bool {
	return hmac.Equal([]byte(SignWebhook(secret, body)), []byte(signature))
}

// WebhookService keeps each webhook's place in its space's feed, and the
// lease that lets one process at a time deliver to it. graph.Store is one.
type WebhookService interface {
	// ClaimWebhook takes or renews holder's lease on the webhook key of
	// space for lease, and answers seq, the number of the last change
	// delivered to it (a webhook seen for the first time starts at the
	// feed's head). held is false, and nothing changes, while another
	// holder's lease runs.
	ClaimWebhook(ctx context.Context, space, key, holder string, lease time.Duration) (seq int64, held bool, err error)

	// SaveWebhook records that every change up to seq was delivered, and
	// renews the lease; held is false, and nothing is saved, when holder
	// no longer has it.
	SaveWebhook(ctx context.Context, space, key, holder string, seq int64, lease time.Duration) (held bool, err error)

	// ReleaseWebhook ends holder's lease, so that another process may take
	// over at once.
	ReleaseWebhook(ctx context.Context, space, key, holder string) error
}

// validateWebhooks reports the problems of a space's webhooks under path
// (spaces[0].webhooks): a URL must be absolute http or https, once per
// space; a secret must be there and long enough. Secrets are named by
// position, never shown.
func validateWebhooks(ps *Problems, path string, hooks []Webhook) {
	seen := map[string]string{}
	for i, w := range hooks {
		p := fmt.Sprintf("%s[%d]", path, i)
		if w.URL == "" {
			ps.Add(p+".url", "missing")
		} else if u, err := url.Parse(w.URL); err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			ps.Add(p+".url", "want an absolute http or https URL")
		} else if first, ok := seen[w.URL]; ok {
			ps.Add(p+".url", "same URL as %s", first)
		} else {
			seen[w.URL] = p
		}
		switch {
		case w.Secret == "":
			ps.Add(p+".secret", "missing")
		case len(w.Secret) < MinWebhookSecret:
			ps.Add(p+".secret", "too short: want at least %d characters", MinWebhookSecret)
		case strings.TrimSpace(w.Secret) != w.Secret:
			ps.Add(p+".secret", "must not start or end with whitespace")
		}
	}
}
