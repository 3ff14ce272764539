package idgraph

import (
	"slices"
	"strings"
	"testing"
)

func TestParseSpacesWebhooks(t *testing.T) {
	const yaml = `
spaces:
  - id: default
    access_tokens: [tok_default]
    sources: [{id: app, write_key: wk_app}]
    webhooks:
      - {url: "https://crm.example.com/idgraph", secret: "s3cret-s3cret-s3cret"}
      - {url: "http://127.0.0.1:9000/hook?token=abc", secret: "another-long-secret"}
`
	s, err := ParseSpaces([]byte(yaml))
	if err != nil {
		t.Fatal(err)
	}
	sp, _ := s.Get("default")
	want := []Webhook{
		{URL: "https://crm.example.com/idgraph", Secret: "s3cret-s3cret-s3cret"},
		{URL: "http://127.0.0.1:9000/hook?token=abc", Secret: "another-long-secret"},
	}
	if !slices.Equal(sp.Webhooks, want) {
		t.Errorf("webhooks = %+v, want %+v", sp.Webhooks, want)
	}
	if all := s.All(); len(all) != 1 || len(all[0].Webhooks) != 2 {
		t.Errorf("All() = %+v, want the one space with its two webhooks", all)
	}
}

func TestParseSpacesWebhookErrors(t *testing.T) {
	const head = `
spaces:
  - id: ok
    access_tokens: [tok_ok_secret]
    sources: [{id: app, write_key: wk_ok_secret}]
    webhooks:
`
	tests := []struct {
		name  string
		hooks string
		want  []string // "field: message" substrings, in order
	}{
		{"missing both", "      - {}\n", []string{"spaces[0].webhooks[0].url: missing", "spaces[0].webhooks[0].secret: missing"}},
		{"not a list", "      {url: x}\n", []string{"spaces[0].webhooks: want a list"}},
		{"unknown field", "      - {url: \"https://a.example\", secret: \"0123456789abcdef\", secrte: x}\n", []string{"spaces[0].webhooks[0].secrte: unknown field"}},
		{"bad URLs", "      - {url: \"ftp://a.example\", secret: \"0123456789abcdef\"}\n      - {url: \"/relative\", secret: \"0123456789abcdef\"}\n",
			[]string{"spaces[0].webhooks[0].url: want an absolute http or https URL", "spaces[0].webhooks[1].url: want an absolute http or https URL"}},
		{"duplicate URL", "      - {url: \"https://a.example\", secret: \"0123456789abcdef\"}\n      - {url: \"https://a.example\", secret: \"fedcba9876543210\"}\n",
			[]string{"spaces[0].webhooks[1].url: same URL as spaces[0].webhooks[0]"}},
		{"short secret", "      - {url: \"https://a.example\", secret: \"hunter2\"}\n", []string{"spaces[0].webhooks[0].secret: too short: want at least 16 characters"}},
		{"secret of the wrong type", "      - {url: \"https://a.example\", secret: [hunter2]}\n", []string{"spaces[0].webhooks[0].secret: want a string"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := ParseSpaces([]byte(head + tt.hooks))
			if ErrorCode(err) != EINVALID {
				t.Fatalf("err = %v, want EINVALID", err)
			}
			msg := ErrorMessage(err)
			rest := msg
			for _, w := range tt.want {
				i := strings.Index(rest, w)
				if i < 0 {
					t.Fatalf("error %q lacks %q (or has it out of order)", msg, w)
				}
				rest = rest[i+len(w):]
			}
			if strings.Contains(msg, "hunter2") {
				t.Errorf("error %q shows the secret", msg)
			}
		})
	}
}

func TestWebhookSignature(t *testing.T) {
	body := []byte(`{"space":"s","changes":[]}`)
	sig := SignWebhook("0123456789abcdef", body)
	if !strings.HasPrefix(sig, "sha256=") || len(sig) != len("sha256=")+64 {
		t.Errorf("signature %q, want sha256= and 64 hex digits", sig)
	}
	if !VerifyWebhook("0123456789abcdef", body, sig) {
		t.Error("the signature does not verify")
	}
	if VerifyWebhook("0123456789abcdeX", body, sig) || VerifyWebhook("0123456789abcdef", append(body, ' '), sig) {
		t.Error("a signature verifies under another secret or body")
	}
	a, b := Webhook{URL: "https://a.example/x"}, Webhook{URL: "https://a.example/y", Secret: "s"}
	if a.Key() == b.Key() || len(a.Key()) != 16 || a.Key() != (Webhook{URL: a.URL, Secret: "other"}).Key() {
		t.Errorf("keys %q %q: want 16 hex digits, one per URL whatever the secret", a.Key(), b.Key())
	}
}
