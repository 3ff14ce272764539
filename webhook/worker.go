package webhook

import (
	"context"
	"errors"
	"log/slog"
	"time"

	"github.com/idgraph/idgraph"
)

// worker delivers one space's feed to one webhook.
type worker struct {
	d     *Dispatcher
	space string
	hook  idgraph.Webhook
	key   string
	log   *slog.Logger
}

// errLeaseLost ends a delivery whose lease another process has taken.
var errLeaseLost = errors.New("webhook: lease lost")

// run claims the webhook's lease and delivers while it holds it, until ctx
// ends; then it releases the lease.
func (w *worker) run(ctx context.Context) {
	o, store := w.d.opts, w.d.store
	defer func() {
		rctx, cancel := context.WithTimeout(context.Background(), 5*time.Second)
		defer cancel()
		if err := store.ReleaseWebhook(rctx, w.space, w.key, o.Holder); err != nil {
			w.log.Warn("webhook release failed", "error", err.Error())
		}
	}()
	for ctx.Err() == nil {
		seq, held, err := store.ClaimWebhook(ctx, w.space, w.key, o.Holder, o.Lease)
		if err == nil && held {
			err = w.hold(ctx, seq)
		}
		if err != nil && ctx.Err() == nil && !errors.Is(err, errLeaseLost) {
			w.log.Warn("webhook paused", "error", err.Error())
		}
		sleep(ctx, o.Lease/3)
	}
}

// hold delivers from seq on while the lease holds: a goroutine renews it
// every third of its length and, should it be lost, cancels the delivery.
func (w *worker) hold(ctx context.Context, seq int64) error {
	o, store := w.d.opts, w.d.store
	ctx, cancel := context.WithCancelCause(ctx)
	defer cancel(nil)
	renewed := make(chan struct{})
	go func() {
		defer close(renewed)
		for sleep(ctx, o.Lease/3) {
			if _, held, err := store.ClaimWebhook(ctx, w.space, w.key, o.Holder, o.Lease); err != nil || !held {
				cancel(errors.Join(errLeaseLost, err))
				return
			}
		}
	}()
	err := w.deliverFrom(ctx, seq)
	cancel(nil)
	<-renewed
	if cause := context.Cause(ctx); errors.Is(cause, errLeaseLost) {
		return cause
	}
	return err
}

// deliverFrom delivers the changes after seq, a batch at a time, saving
// the place after each, until ctx ends or the store fails.
func (w *worker) deliverFrom(ctx context.Context, seq int64) error {
	o, store := w.d.opts, w.d.store
	for {
		changes, err := idgraph.WaitChanges(ctx, store, w.space, seq, o.Batch, o.Lease/3, o.Poll)
		if err != nil {
			return err
		}
		if len(changes) == 0 {
			continue // WaitChanges returns ctx's error once it ends
		}
		if err := w.deliver(ctx, changes); err != nil {
			return err
		}
		last := changes[len(changes)-1].Seq
		held, err := w.save(ctx, last)
		if err != nil {
			return err
		}
		if !held {
			return errLeaseLost
		}
		seq = last
	}
}

// save records that the webhook took every change up to seq. It finishes
// even when ctx ends meanwhile (a shutdown): the webhook has the changes,
// and a place not saved would send them again.
func (w *worker) save(ctx context.Context, seq int64) (bool, error) {
	ctx, cancel := context.WithTimeout(context.WithoutCancel(ctx), 5*time.Second)
	defer cancel()
	o := w.d.opts
	return w.d.store.SaveWebhook(ctx, w.space, w.key, o.Holder, seq, o.Lease)
}
