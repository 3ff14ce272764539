package ingest

import (
	"context"

	"github.com/idgraph/idgraph"
)

// CorrectionStore is what a Corrector corrects through: graph.Store is one.
type CorrectionStore interface {
	idgraph.CorrectionService
	idgraph.LinkService
}

// Corrector runs corrections in the Writer's per-space queue
// (Writer.Exclusive), between batches of events: in one process a
// correction's transaction never contends with a batch's for the space's
// locks, so it neither waits on nor deadlocks with the stream of writes,
// and events queued after a correction are resolved after it. It
// implements idgraph.CorrectionService and idgraph.LinkService over store;
// listing decisions reads store directly.
type Corrector struct {
	writer *Writer
	store  CorrectionStore
}

// NewCorrector returns a Corrector writing through w to store.
func NewCorrector(w *Writer, store CorrectionStore) *Corrector {
	return &Corrector{writer: w, store: store}
}

var (
	_ idgraph.CorrectionService = (*Corrector)(nil)
	_ idgraph.LinkService       = (*Corrector)(nil)
)

// exclusive runs one store call alone in space's queue and returns its
// answer.
func exclusive[T any](ctx context.Context, w *Writer, space idgraph.Space, call func(context.Context) (T, error)) (T, error) {
	var out T
	err := w.Exclusive(ctx, space, func(ctx context.Context) error {
		var err error
		out, err = call(ctx)
		return err
	})
	return out, err
}

// Split splits through the queue (see idgraph.CorrectionService).
func (c *Corrector) Split(ctx context.Context, space idgraph.Space, id idgraph.Identifier, s idgraph.Split, actor string, preview bool) (idgraph.SplitPlan, error) {
	return exclusive(ctx, c.writer, space, func(ctx context.Context) (idgraph.SplitPlan, error) {
		return c.store.Split(ctx, space, id, s, actor, preview)
	})
}

// Remove takes an identifier out through the queue.
func (c *Corrector) Remove(ctx context.Context, space idgraph.Space, profile, id idgraph.Identifier, reason, actor string, suppress bool) (idgraph.Removal, error) {
	return exclusive(ctx, c.writer, space, func(ctx context.Context) (idgraph.Removal, error) {
		return c.store.Remove(ctx, space, profile, id, reason, actor, suppress)
	})
}

// Link records a decision through the queue (see idgraph.LinkService).
func (c *Corrector) Link(ctx context.Context, space idgraph.Space, d idgraph.LinkDecision, split bool) (idgraph.LinkResult, error) {
	return exclusive(ctx, c.writer, space, func(ctx context.Context) (idgraph.LinkResult, error) {
		return c.store.Link(ctx, space, d, split)
	})
}

// Links lists decisions, reading the store directly.
func (c *Corrector) Links(ctx context.Context, space string, about *idgraph.Identifier, after *idgraph.LinkCursor, limit int) ([]idgraph.LinkDecision, error) {
	return c.store.Links(ctx, space, about, after, limit)
}

// Unlink removes a decision through the queue.
func (c *Corrector) Unlink(ctx context.Context, space idgraph.Space, id, actor string) (idgraph.LinkDecision, error) {
	return exclusive(ctx, c.writer, space, func(ctx context.Context) (idgraph.LinkDecision, error) {
		return c.store.Unlink(ctx, space, id, actor)
	})
}
