package bench

// App is one brand: iOS and Android apps and a website that send to one
// Segment source. Every generated event names its app in context.app.name;
// the runner maps that name to the source's write key.
type App struct {
	Source string // source id
	Name   string // context.app.name
	Host   string // the website's host
	// ResetsOnLogout: the app calls reset() on logout, so the next user of
	// the install gets a new anonymousId.
	ResetsOnLogout bool
}

// Apps are the workload's two sources.
var Apps = []App{
	{Source: "segkicks", Name: "SegKicks", Host: "segkicks.example", ResetsOnLogout: true},
	{Source: "segruns", Name: "SegRuns", Host: "segruns.example", ResetsOnLogout: false},
}

// SourceOf returns the source id of an app name.
func SourceOf(appName string) (string, bool) {
	for _, a := range Apps {
		if a.Name == appName {
			return a.Source, true
		}
	}
	return "", false
}
