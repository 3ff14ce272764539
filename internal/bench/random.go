package bench

import (
	"encoding/hex"
	"fmt"
	"strings"
	"time"
)

// exp returns an exponentially distributed duration with the given mean.
func (g *generator) exp(mean time.Duration) time.Duration {
	return time.Duration(g.rng.ExpFloat64() * float64(mean))
}

// geom returns a geometric count 0, 1, 2, ... with the given mean.
func (g *generator) geom(mean float64) int {
	p := 1 / (1 + mean)
	n := 0
	for g.rng.Float64() >= p {
		n++
	}
	return n
}

// pick returns a random element of xs.
func pick[T any](g *generator, xs []T) T { return xs[g.rng.IntN(len(xs))] }

// uuid returns a random version-4 UUID, upper-case as iOS writes them.
func (g *generator) uuid(upper bool) string {
	var b [16]byte
	for i := 0; i < 16; i += 8 {
		v := g.rng.Uint64()
		for j := range 8 {
			b[i+j] = byte(v >> (8 * j))
		}
	}
	b[6] = b[6]&0x0f | 0x40
	b[8] = b[8]&0x3f | 0x80
	h := hex.EncodeToString(b[:])
	s := h[:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:]
	if upper {
		return strings.ToUpper(s)
	}
	return s
}

// hex returns n random hexadecimal digits.
func (g *generator) hex(n int) string {
	var b strings.Builder
	for b.Len() < n {
		fmt.Fprintf(&b, "%016x", g.rng.Uint64())
	}
	return b.String()[:n]
}
