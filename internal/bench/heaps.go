package bench

import "time"

// queue is a min-heap for container/heap of what falls due soonest, ties
// broken by a sequence number: the people by their next session, the
// delayed events by when they are sent.
type queue[T interface{ due() (time.Time, int) }] []T

func (q queue[T]) Len() int { return len(q) }

func (q queue[T]) Less(i, j int) bool {
	ti, si := q[i].due()
	tj, sj := q[j].due()
	if !ti.Equal(tj) {
		return ti.Before(tj)
	}
	return si < sj
}

func (q queue[T]) Swap(i, j int) { q[i], q[j] = q[j], q[i] }

func (q *queue[T]) Push(x any) { *q = append(*q, x.(T)) }

func (q *queue[T]) Pop() any {
	old := *q
	x := old[len(old)-1]
	*q = old[:len(old)-1]
	return x
}

// due orders active people by their next session, then by arrival.
func (p *person) due() (time.Time, int) { return p.next, p.num }

// delayedEvent is an event waiting to be sent late.
type delayedEvent struct {
	at  time.Time
	seq int
	ev  *genEvent
}

func (d *delayedEvent) due() (time.Time, int) { return d.at, d.seq }
