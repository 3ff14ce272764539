package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/internal/graphtest"
	"github.com/idgraph/idgraph/webhook"
)

// TestMainWatchesSpaces runs the service with a space whose webhook is a
// loopback receiver: an event's changes reach both the feed's long poll
// and the webhook, signed; Close ends a long poll in flight at once.
func TestMainWatchesSpaces(t *testing.T) {
	const secret = "main-test-webhook-secret"
	delivered := make(chan webhook.Delivery, 10)
	hook := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		body, _ := io.ReadAll(r.Body)
		var d webhook.Delivery
		if !idgraph.VerifyWebhook(secret, body, r.Header.Get(idgraph.WebhookSignatureHeader)) || json.Unmarshal(body, &d) != nil {
			t.Errorf("delivery %s does not verify", body)
		}
		delivered <- d
	}))
	defer hook.Close()

	space := graphtest.Space(t)
	file := filepath.Join(t.TempDir(), "spaces.yaml")
	yaml := fmt.Sprintf(`spaces:
  - id: %s
    access_tokens: [tok_main_feed]
    sources: [{id: app, write_key: wk_main_feed}]
    webhooks: [{url: %q, secret: %q}]
`, space, hook.URL, secret)
	if err := os.WriteFile(file, []byte(yaml), 0o600); err != nil {
		t.Fatal(err)
	}
	m, logs := runMain(t, map[string]string{"IDGRAPH_CONFIG": file})
	base := "http://" + m.Addr()
	// A new webhook starts at the feed's head: wait for the dispatcher to
	// claim it before sending the event.
	db := graphtest.Open(t)
	for deadline := time.Now().Add(20 * time.Second); ; time.Sleep(20 * time.Millisecond) {
		res, err := db.ReadQuery(context.Background(), "find webhook",
			`MATCH (w:Webhook {space: $space}) WHERE w.holder IS NOT NULL RETURN w.seq AS seq`, map[string]any{"space": space})
		if err != nil {
			t.Fatal(err)
		}
		if len(res.Records) > 0 {
			break
		}
		if time.Now().After(deadline) {
			t.Fatal("the dispatcher did not claim the webhook")
		}
	}

	poll := func(query string) (*http.Response, error) {
		req, _ := http.NewRequest("GET", base+"/v1/spaces/"+space+"/changes"+query, nil)
		req.SetBasicAuth("tok_main_feed", "")
		return http.DefaultClient.Do(req)
	}
	answered := make(chan []idgraph.Change, 1)
	go func() {
		resp, err := poll("?wait=30s")
		if err != nil {
			t.Error(err)
			answered <- nil
			return
		}
		defer resp.Body.Close()
		var page struct{ Data []idgraph.Change }
		_ = json.NewDecoder(resp.Body).Decode(&page)
		answered <- page.Data
	}()
	time.Sleep(200 * time.Millisecond)
	req, _ := http.NewRequest("POST", base+"/v1/identify", strings.NewReader(`{"userId":"u1","anonymousId":"a1","messageId":"m1"}`))
	req.SetBasicAuth("wk_main_feed", "")
	req.Header.Set("Content-Type", "application/json")
	if resp, err := http.DefaultClient.Do(req); err != nil || resp.StatusCode != 200 {
		t.Fatalf("identify: %v %v", resp, err)
	}
	kinds := func(cs []idgraph.Change) string {
		var ks []string
		for _, c := range cs {
			ks = append(ks, c.Kind)
		}
		return strings.Join(ks, " ")
	}
	const want = "profile.created identifier.added identifier.added"
	select {
	case got := <-answered:
		if kinds(got) != want {
			t.Errorf("the long poll answered %q, want %q", kinds(got), want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the long poll did not answer the event's changes")
	}
	select {
	case d := <-delivered:
		if d.Space != space || kinds(d.Changes) != want {
			t.Errorf("the webhook got %s: %q, want %q", d.Space, kinds(d.Changes), want)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("the webhook got nothing")
	}

	// A long poll in flight does not hold the shutdown up.
	go func() { _, _ = poll("?after=" + idgraph.ChangeCursor(3) + "&wait=60s") }()
	time.Sleep(200 * time.Millisecond)
	start := time.Now()
	if err := m.Close(); err != nil {
		t.Errorf("Close: %v", err)
	}
	if took := time.Since(start); took > 5*time.Second {
		t.Errorf("Close took %s with a long poll open", took)
	}
	if strings.Contains(logs.String(), secret) {
		t.Error("the log shows the webhook's secret")
	}
}
