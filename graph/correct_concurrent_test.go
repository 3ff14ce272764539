package graph_test

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ingest"
)

// TestCorrectionsWhileWritersSend splits and links while 8 concurrent
// writers send events carrying identifiers of both parts, through the
// group-commit writer as the service does: corrections take their locks in
// the write path's order (deadlocks, if any, are retried by the driver),
// check stays clean and every never decision holds.
func TestCorrectionsWhileWritersSend(t *testing.T) {
	e := newEnv(t, idgraph.DefaultRules())
	// Eight kiosks, each gluing a shopper's session to a signed-in member.
	for k := range 8 {
		e.resolve(segkicks,
			fmt.Sprintf(`{"type":"identify","messageId":"m%d-1","userId":"member%d","context":{"device":{"id":"kiosk%d","type":"android"}},"timestamp":"2020-01-01T00:00:00Z"}`, k, k, k),
			fmt.Sprintf(`{"type":"identify","messageId":"m%d-2","userId":"member%d","context":{"device":{"id":"kiosk%d","type":"android"}},"timestamp":"2020-01-01T00:01:00Z"}`, k, k, k),
			fmt.Sprintf(`{"type":"track","event":"x","messageId":"m%d-3","anonymousId":"shopper%d","context":{"device":{"id":"kiosk%d","type":"android"}},"timestamp":"2020-01-01T00:02:00Z"}`, k, k, k),
		)
	}
	writer := ingest.NewWriter(e.store, ingest.WriterOptions{})
	defer writer.Close()
	corrector := ingest.NewCorrector(writer, e.store)
	stop := make(chan struct{})
	var writers sync.WaitGroup
	errs := make(chan error, 100)
	for w := range 8 {
		writers.Add(1)
		go func() {
			defer writers.Done()
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				var events []idgraph.Event
				for k := range 8 {
					line := fmt.Sprintf(`{"type":"track","event":"x","messageId":"w%d-%d-%d","anonymousId":"shopper%d","userId":"member%d","context":{"device":{"id":"kiosk%d","type":"android"}},"timestamp":"2020-01-02T00:00:00Z"}`, w, n, k, k, k, k)
					ev, err := idgraph.ParseEvent([]byte(line), time.Now())
					if err != nil {
						errs <- err
						return
					}
					events = append(events, ev)
				}
				if _, err := writer.Write(e.ctx, e.space, segkicks, events); err != nil {
					errs <- fmt.Errorf("writer %d: %w", w, err)
					return
				}
			}
		}()
	}
	// Meanwhile: split the even kiosks apart (remembered as never), and put a
	// never decision with split on the odd ones.
	for k := range 8 {
		member, shopper := mustID(fmt.Sprintf("user_id:member%d", k)), mustID(fmt.Sprintf("anonymous_id:shopper%d", k))
		var err error
		if k%2 == 0 {
			_, err = corrector.Split(e.ctx, e.space, member, idgraph.Split{Apart: []idgraph.Identifier{member, shopper}, Reason: "kiosk"}, "ops", false)
		} else {
			d, derr := idgraph.NewLinkDecision(member, shopper, idgraph.DecisionNever, "kiosk", "ops", time.Now().UTC())
			if derr != nil {
				t.Fatal(derr)
			}
			_, err = corrector.Link(e.ctx, e.space, d, true)
		}
		if err != nil {
			t.Errorf("kiosk %d: %v", k, err)
		}
	}
	time.Sleep(500 * time.Millisecond) // the writers keep sending after the last correction
	close(stop)
	writers.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
	for k := range 8 {
		if got := e.profileOf(fmt.Sprintf("anonymous_id:shopper%d", k)); len(got) == 0 || containsString(got, fmt.Sprintf("user_id:member%d", k)) {
			t.Errorf("kiosk %d: the shopper's profile is %v, want it apart from the member", k, got)
		}
	}
	e.mustCheck()
}

func containsString(ss []string, s string) bool {
	for _, x := range ss {
		if x == s {
			return true
		}
	}
	return false
}
