package conformance

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"log"
	"sync"
	"time"

	analytics "github.com/segmentio/analytics-go/v3"
)

// sendGo sends the events with Segment's Go library, one client per write
// key. The library's defaults stand but for the flush interval (5 s by
// default, which would only slow the test down): it retries a failed batch
// 10 times with exponential backoff. It drops a batch that is waiting for a
// retry when the client is closed, so this waits for the library's
// callback on every event before closing.
func sendGo(ctx context.Context, d delivery) (string, error) {
	var out lockedBuffer
	cb := &goCallback{done: make(chan struct{}), want: len(d.events)}
	clients := map[string]analytics.Client{}
	for source, key := range d.keys {
		c, err := analytics.NewWithConfig(key, analytics.Config{
			Endpoint: d.host,
			Interval: 100 * time.Millisecond,
			Logger:   analytics.StdLogger(log.New(&out, "analytics-go ", 0)),
			Callback: cb,
		})
		if err != nil {
			return "", err
		}
		clients[source] = c
	}
	defer func() {
		for _, c := range clients {
			_ = c.Close()
		}
	}()
	for _, e := range d.events {
		msg, err := goMessage(e, d.run)
		if err != nil {
			return out.String(), err
		}
		if err := clients[e.source].Enqueue(msg); err != nil {
			return out.String(), fmt.Errorf("enqueue %s: %w", e.messageID(), err)
		}
	}
	select {
	case <-cb.done:
	case <-ctx.Done():
		return out.String(), fmt.Errorf("analytics-go: %d of %d events delivered: %w", cb.delivered(), len(d.events), ctx.Err())
	}
	return out.String(), cb.err()
}

// goMessage expresses a story event as the library's message of its type.
func goMessage(e storyEvent, run string) (analytics.Message, error) {
	var m struct {
		Type, MessageID, UserID, AnonymousID, PreviousID, Event, Name string
		Timestamp                                                     time.Time
		Context                                                       *analytics.Context
		Traits                                                        analytics.Traits
		Properties                                                    analytics.Properties
	}
	b, _ := json.Marshal(e.msg)
	if err := json.Unmarshal(b, &m); err != nil {
		return nil, fmt.Errorf("story event %s: %w", e.messageID(), err)
	}
	id := run + "-" + m.MessageID
	switch m.Type {
	case "identify":
		return analytics.Identify{MessageId: id, UserId: m.UserID, AnonymousId: m.AnonymousID, Timestamp: m.Timestamp,
			Context: m.Context, Traits: m.Traits}, nil
	case "track":
		return analytics.Track{MessageId: id, UserId: m.UserID, AnonymousId: m.AnonymousID, Timestamp: m.Timestamp,
			Context: m.Context, Event: m.Event, Properties: m.Properties}, nil
	case "page":
		return analytics.Page{MessageId: id, UserId: m.UserID, AnonymousId: m.AnonymousID, Timestamp: m.Timestamp,
			Context: m.Context, Name: m.Name, Properties: m.Properties}, nil
	case "screen":
		return analytics.Screen{MessageId: id, UserId: m.UserID, AnonymousId: m.AnonymousID, Timestamp: m.Timestamp,
			Context: m.Context, Name: m.Name, Properties: m.Properties}, nil
	case "alias":
		return analytics.Alias{MessageId: id, UserId: m.UserID, PreviousId: m.PreviousID, Timestamp: m.Timestamp,
			Context: m.Context}, nil
	}
	return nil, fmt.Errorf("story event %s: no analytics-go message for type %q", e.messageID(), m.Type)
}

// goCallback counts the library's reports and closes done at the last.
type goCallback struct {
	mu       sync.Mutex
	want     int
	ok       int
	failures []error
	done     chan struct{}
}

func (c *goCallback) Success(analytics.Message) { c.report(nil) }

func (c *goCallback) Failure(m analytics.Message, err error) {
	c.report(fmt.Errorf("%T: %w", m, err))
}

func (c *goCallback) report(err error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	if err != nil {
		c.failures = append(c.failures, err)
	} else {
		c.ok++
	}
	if c.ok+len(c.failures) == c.want {
		close(c.done)
	}
}

func (c *goCallback) delivered() int {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.ok
}

func (c *goCallback) err() error {
	c.mu.Lock()
	defer c.mu.Unlock()
	if len(c.failures) > 0 {
		return fmt.Errorf("analytics-go gave up %d of %d events, first: %w", len(c.failures), c.want, c.failures[0])
	}
	return nil
}

// lockedBuffer is a bytes.Buffer the library's goroutines can log to.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}
