package cache

import (
	"context"
	"sync/atomic"
	"time"
)

// epoch is where the spaces' fresh times count from, on the monotonic clock.
var epoch = time.Now()

// space is what the cache knows of one space: its generation, which every
// write moves on, and when its write mark was last read unchanged.
type space struct {
	gen atomic.Uint64
	// fresh is when (since epoch, 0 for never) the last read of the mark
	// that found it unchanged, or moved gen on, began.
	fresh atomic.Int64

	// The poller's own: the mark last read, and whether reading it fails.
	mark    string
	marked  bool
	failing bool
}

// current returns the space's generation and whether its mark was read
// within staleness. It reads fresh before gen: the poller moves gen on
// before it renews fresh, so a renewed fresh is never paired with the
// generation it ended.
func (s *space) current(staleness time.Duration) (uint64, bool) {
	f := s.fresh.Load()
	return s.gen.Load(), f != 0 && time.Since(epoch)-time.Duration(f) <= staleness
}

// generation returns the space's generation.
func (s *space) generation() uint64 { return s.gen.Load() }

// advance moves the space to a new generation, which no entry has yet.
func (s *space) advance() { s.gen.Add(1) }

// space returns what the cache knows of the named space, new (and its mark
// read at once) the first time the space is looked up.
func (c *Profiles) space(name string) *space {
	if sp, ok := c.spaces.Load(name); ok {
		return sp.(*space)
	}
	sp, loaded := c.spaces.LoadOrStore(name, &space{})
	if !loaded {
		select {
		case c.wake <- struct{}{}:
		default:
		}
	}
	return sp.(*space)
}

// poll reads the mark of every space looked up, every half Staleness and
// when a space is first looked up, until ctx ends.
func (c *Profiles) poll(ctx context.Context) {
	defer close(c.done)
	tick := time.NewTicker(c.staleness / 2)
	defer tick.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-tick.C:
		case <-c.wake:
		}
		c.spaces.Range(func(name, sp any) bool {
			c.check(ctx, name.(string), sp.(*space))
			return ctx.Err() == nil
		})
	}
}

// check reads the space's mark: a mark that changed moves the space to a
// new generation (the first read too, which has nothing to compare with),
// and then the space is fresh as of when the read began. A read that fails
// leaves fresh as it was, so that the space's entries stop being served
// once Staleness has passed.
func (c *Profiles) check(ctx context.Context, name string, sp *space) {
	start := time.Since(epoch)
	rctx, cancel := context.WithTimeout(ctx, c.staleness)
	mark, err := c.marks.WriteMark(rctx, name)
	cancel()
	if err != nil {
		if ctx.Err() == nil && !sp.failing {
			c.logger.Warn("profile cache: cannot read the space's write mark; lookups go to the store until it can", "space", name, "err", err)
		}
		sp.failing = ctx.Err() == nil
		return
	}
	if sp.failing {
		c.logger.Info("profile cache: the space's write mark reads again", "space", name)
		sp.failing = false
	}
	if !sp.marked || mark != sp.mark {
		sp.mark, sp.marked = mark, true
		sp.advance()
	}
	sp.fresh.Store(int64(start))
}
