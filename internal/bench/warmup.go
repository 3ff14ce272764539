package bench

import (
	"context"
	"fmt"
	"math/rand/v2"
	"slices"
)

// Warm-up: before each timed series of reads, untimed requests let Neo4j
// plan the queries and both processes warm up, so that the first plans do
// not land in p99. They ask for other identifiers (or pairs) than the timed
// series: a warm-up over the very identifiers the clock then measures
// would have their nodes cached and flatter the figure.

// maxWarmUp bounds the warm-up requests before a series.
const maxWarmUp = 200

// warmUpRequests is how many untimed requests go before a timed series of n
// requests from clients clients: a tenth of n, at least one per client, at
// most maxWarmUp.
func warmUpRequests(clients, n int) int { return min(maxWarmUp, max(clients, n/10)) }

// deal shuffles a copy of xs with rng and deals it into parts of at most
// the given sizes, in order, none sharing an item. The warm-up parts should
// come first: each part takes at most what is left, so a small graph gives
// the timed parts fewer items rather than repeats.
func deal[T any](rng *rand.Rand, xs []T, sizes ...int) [][]T {
	s := slices.Clone(xs)
	rng.Shuffle(len(s), func(i, j int) { s[i], s[j] = s[j], s[i] })
	parts := make([][]T, len(sizes))
	for i, n := range sizes {
		n = min(n, len(s))
		parts[i], s = s[:n], s[n:]
	}
	return parts
}

// warmSize is how many of total items a warm-up may take: at most want,
// and at most a tenth of them, so that the timed requests keep the rest.
func warmSize(want, total int) int { return min(want, total/10) }

// warmUp sends requests untimed GET requests from clients clients over
// urls(0), urls(1), ..., urls(items-1), round and round; nothing when items
// is 0. It returns how many it sent.
func (r *runner) warmUp(ctx context.Context, sp *benchSpace, clients, requests, items int, urls func(int) string) int {
	if items == 0 {
		return 0
	}
	pctx, cancel := r.phase(ctx)
	defer cancel()
	res := readLoad(pctx, r.client, sp.token, clients, requests, func(i int) string { return urls(i % items) })
	return res.Requests
}

// warmUpText says what warm-up went before a series, for its method; what
// names the warm-up's items and says how they differ from the timed ones.
func warmUpText(requests, items int, what string) string {
	if requests == 0 {
		return fmt.Sprintf("with no warm-up (too few %s to spare some for it)", what)
	}
	return fmt.Sprintf("after an untimed warm-up of %d requests over %d other %s", requests, items, what)
}
