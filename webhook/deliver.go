package webhook

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"

	"github.com/idgraph/idgraph"
)

// Delivery is the body of every POST to a webhook: changes of one space,
// in feed order. A receiver checks the Idgraph-Signature header
// (idgraph.VerifyWebhook) and skips the changes whose id it has seen: a
// delivery that failed, or whose answer was lost, is sent again.
type Delivery struct {
	Space   string           `json:"space"`
	Changes []idgraph.Change `json:"changes"`
}

// deliver sends changes until the webhook answers 2xx, doubling the wait
// between attempts from MinBackoff up to MaxBackoff; only ctx's end stops
// it (and returns ctx's error).
func (w *worker) deliver(ctx context.Context, changes []idgraph.Change) error {
	body, err := json.Marshal(Delivery{Space: w.space, Changes: changes})
	if err != nil {
		return idgraph.WrapError(idgraph.EINTERNAL, err, "encode delivery")
	}
	o := w.d.opts
	backoff := o.MinBackoff
	for attempt := 1; ; attempt++ {
		err := w.post(ctx, body)
		if err == nil {
			return nil
		}
		if ctx.Err() != nil {
			return ctx.Err()
		}
		w.log.Warn("webhook delivery failed", "attempt", attempt, "changes", len(changes),
			"first_change", changes[0].ID, "error", err.Error(), "retry_in", backoff.String())
		if !sleep(ctx, backoff) {
			return ctx.Err()
		}
		backoff = min(2*backoff, o.MaxBackoff)
	}
}

// post makes one attempt at a delivery.
func (w *worker) post(ctx context.Context, body []byte) error {
	ctx, cancel := context.WithTimeout(ctx, w.d.opts.Timeout)
	defer cancel()
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, w.hook.URL, bytes.NewReader(body))
	if err != nil {
		return err
	}
	req.Header.Set("Content-Type", "application/json")
	req.Header.Set("User-Agent", "idgraph-webhook")
	req.Header.Set(idgraph.WebhookSignatureHeader, idgraph.SignWebhook(w.hook.Secret, body))
	resp, err := w.d.opts.Client.Do(req)
	if ue := (*url.Error)(nil); errors.As(err, &ue) {
		// The URL may carry credentials: say what failed, not where.
		return ue.Err
	}
	if err != nil {
		return err
	}
	defer resp.Body.Close()
	_, _ = io.Copy(io.Discard, io.LimitReader(resp.Body, 64<<10))
	if resp.StatusCode < 200 || resp.StatusCode > 299 {
		return fmt.Errorf("answered %s", resp.Status)
	}
	return nil
}
