package graphtest

// FamilyIPad is the story of issue 10, as graph/ and sandbox/ tests send it:
// a parent logs in on the family iPad; a child browses on it anonymously;
// the child logs in, which shows the iPad shared.
var FamilyIPad = []string{
	`{"type":"identify","messageId":"mom-1","userId":"mom","anonymousId":"a-mom","traits":{"email":"mom@x.com"},"context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-01T10:00:00Z"}`,
	`{"type":"screen","name":"Home","messageId":"mom-2","userId":"mom","anonymousId":"a-mom","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-01T10:05:00Z"}`,
	`{"type":"screen","name":"Games","messageId":"kid-1","anonymousId":"a-kid","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-02T16:00:00Z"}`,
	`{"type":"track","event":"Game Played","messageId":"kid-2","anonymousId":"a-kid","context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-02T16:10:00Z"}`,
	`{"type":"identify","messageId":"kid-3","userId":"kid","anonymousId":"a-kid","traits":{"email":"kid@x.com"},"context":{"device":{"id":"ipad-1","type":"ios"}},"timestamp":"2020-01-02T16:20:00Z"}`,
}

// MomProfile and KidProfile are the identifiers of the parent's and the
// child's profiles once the story is resolved, sorted.
var (
	MomProfile = []string{"anonymous_id:a-mom", "email:mom@x.com", "user_id:mom"}
	KidProfile = []string{"anonymous_id:a-kid", "email:kid@x.com", "user_id:kid"}
)
