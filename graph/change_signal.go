package graph

import "sync"

// changeSignals wakes those waiting for a space's next change: each space
// has one open channel, closed (and replaced) when this process commits a
// change to the space.
type changeSignals struct {
	mu    sync.Mutex
	waits map[string]chan struct{}
}

// wait returns the channel the space's next commit closes.
func (s *changeSignals) wait(space string) <-chan struct{} {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.waits == nil {
		s.waits = map[string]chan struct{}{}
	}
	ch, ok := s.waits[space]
	if !ok {
		ch = make(chan struct{})
		s.waits[space] = ch
	}
	return ch
}

// wake closes the space's channel, if anyone took it.
func (s *changeSignals) wake(space string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if ch, ok := s.waits[space]; ok {
		close(ch)
		delete(s.waits, space)
	}
}

// ChangeSignal returns a channel closed when this Store next commits a
// change to space (see idgraph.ChangeService).
func (s *Store) ChangeSignal(space string) <-chan struct{} { return s.signals.wait(space) }

// committed tells those that OnCommit registered that a write of this Store
// on space ended, and wakes those waiting for space's changes when it
// committed (err nil). Every write transaction calls it once it ends.
func (s *Store) committed(space string, err error) {
	for _, f := range s.onCommit {
		f(space)
	}
	if err == nil {
		s.signals.wake(space)
	}
}
