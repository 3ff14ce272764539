package graphtest

import (
	"net"
	"sync"
	"testing"
)

// Silent starts a loopback server that accepts connections and never
// answers, and returns its Bolt URI: a test plays a Neo4j too slow to
// answer with it. It is closed, with every connection it accepted, when
// tb ends.
func Silent(tb testing.TB) string {
	tb.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		tb.Fatal(err)
	}
	var mu sync.Mutex
	var held []net.Conn
	tb.Cleanup(func() {
		ln.Close()
		mu.Lock()
		defer mu.Unlock()
		for _, c := range held {
			c.Close()
		}
	})
	go func() {
		for {
			c, err := ln.Accept()
			if err != nil {
				return
			}
			mu.Lock()
			held = append(held, c)
			mu.Unlock()
		}
	}()
	return "bolt://" + ln.Addr().String()
}
