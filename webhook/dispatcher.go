// Package webhook delivers each space's change feed to the webhooks its
// configuration names: in feed order, as signed JSON POSTs, at least once,
// keeping each webhook's place in the graph so that a restart resumes
// where the last process stopped. It depends on the root package's
// interfaces only; cmd/idgraph hands it graph.Store.
package webhook

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"log/slog"
	"net/http"
	"os"
	"sync"
	"time"

	"github.com/idgraph/idgraph"
)

// Store is what a Dispatcher reads changes from and keeps its place in.
type Store interface {
	idgraph.ChangeService
	idgraph.WebhookService
}

// Dispatcher defaults.
const (
	DefaultBatch      = 100
	DefaultLease      = 30 * time.Second
	DefaultPoll       = time.Second
	DefaultMinBackoff = time.Second
	DefaultMaxBackoff = time.Minute
	DefaultTimeout    = 10 * time.Second
)

// Options tune a Dispatcher. The zero value gives the defaults.
type Options struct {
	// Batch is how many changes one delivery carries at most.
	Batch int
	// Lease is how long a process holds a webhook's delivery without
	// renewing it; it renews every third of it. Another process takes
	// over a webhook once its holder's lease runs out.
	Lease time.Duration
	// Poll is how often the feed is read for changes other processes
	// commit; this process's own wake the deliveries at once.
	Poll time.Duration
	// MinBackoff and MaxBackoff bound the wait between attempts at a
	// failed delivery: it doubles from MinBackoff up to MaxBackoff, and
	// attempts go on until the webhook takes it.
	MinBackoff, MaxBackoff time.Duration
	// Timeout bounds one attempt.
	Timeout time.Duration
	// Client sends the deliveries; nil means one that follows no
	// redirects (a redirect is a failed attempt).
	Client *http.Client
	// Logger receives failed attempts; nothing is logged when nil.
	Logger *slog.Logger
	// Holder names this process in the graph's leases; random when empty.
	Holder string
}

func (o Options) withDefaults() Options {
	def := func(d *time.Duration, v time.Duration) {
		if *d <= 0 {
			*d = v
		}
	}
	if o.Batch <= 0 {
		o.Batch = DefaultBatch
	}
	def(&o.Lease, DefaultLease)
	def(&o.Poll, DefaultPoll)
	def(&o.MinBackoff, DefaultMinBackoff)
	def(&o.MaxBackoff, DefaultMaxBackoff)
	def(&o.Timeout, DefaultTimeout)
	if o.Client == nil {
		o.Client = &http.Client{CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	}
	if o.Logger == nil {
		o.Logger = slog.New(slog.DiscardHandler)
	}
	if o.Holder == "" {
		o.Holder = newHolder()
	}
	return o
}

// newHolder names this process: its host and a random suffix.
func newHolder() string {
	host, _ := os.Hostname()
	var b [6]byte
	_, _ = rand.Read(b[:])
	return host + "/" + hex.EncodeToString(b[:])
}

// Dispatcher delivers the change feeds of some spaces to their webhooks:
// one goroutine per webhook, which delivers only while it holds the
// webhook's lease in the graph, so that with several replicas one at a
// time delivers, in order.
type Dispatcher struct {
	store  Store
	opts   Options
	cancel context.CancelFunc
	wg     sync.WaitGroup
}

// Start starts delivering to every webhook of spaces. Close stops it.
func Start(store Store, spaces []idgraph.Space, opts Options) *Dispatcher {
	ctx, cancel := context.WithCancel(context.Background())
	d := &Dispatcher{store: store, opts: opts.withDefaults(), cancel: cancel}
	for _, sp := range spaces {
		for _, hook := range sp.Webhooks {
			w := &worker{d: d, space: sp.ID, hook: hook, key: hook.Key()}
			w.log = d.opts.Logger.With("space", sp.ID, "webhook", w.key, "host", hook.Host())
			d.wg.Add(1)
			go func() {
				defer d.wg.Done()
				w.run(ctx)
			}()
		}
	}
	return d
}

// Close stops every delivery and releases the leases, and returns once the
// goroutines have ended; calling it again does nothing. A delivery cut
// short is sent again later: at least once.
func (d *Dispatcher) Close() {
	d.cancel()
	d.wg.Wait()
}

// sleep waits for d or ctx's end; it reports whether d passed.
func sleep(ctx context.Context, d time.Duration) bool {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return true
	case <-ctx.Done():
		return false
	}
}
