package api

import (
	"net/http"
	"sort"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// historyResponse lists how a profile grew, oldest first, with Segment's
// cursor.
type historyResponse struct {
	Data   []idgraph.HistoryEntry `json:"data"`
	Cursor cursor                 `json:"cursor"`
}

// historyToken is the position of the last entry of a page.
type historyToken struct {
	At   time.Time `json:"at"`
	Kind string    `json:"kind"`
	Key  string    `json:"key"`
}

var historyRanks = map[string]int{
	idgraph.HistoryCreated:         0,
	idgraph.HistoryIdentifierAdded: 1,
	idgraph.HistoryMerged:          2,
}

func historyPosition(e idgraph.HistoryEntry) historyToken {
	key := e.MergedProfileID
	if e.Identifier != nil {
		key = e.Identifier.String()
	}
	return historyToken{At: e.At, Kind: e.Kind, Key: key}
}

// before orders history positions: time, then created, identifier_added,
// merged, then identifier or merged profile id.
func (a historyToken) before(b historyToken) bool {
	if !a.At.Equal(b.At) {
		return a.At.Before(b.At)
	}
	if historyRanks[a.Kind] != historyRanks[b.Kind] {
		return historyRanks[a.Kind] < historyRanks[b.Kind]
	}
	return a.Key < b.Key
}

// profileHistory answers GET .../history?limit=&next=.
func (s *Server) profileHistory(c *gin.Context) {
	var tok historyToken
	id, limit, paged, err := pageParams(c, defaultHistoryLimit, &tok)
	if err != nil {
		s.writeError(c, err)
		return
	}
	entries, err := s.history.History(c.Request.Context(), tokenSpace(c).ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	sort.SliceStable(entries, func(i, j int) bool {
		return historyPosition(entries[i]).before(historyPosition(entries[j]))
	})
	var after func(idgraph.HistoryEntry) bool
	if paged {
		after = func(e idgraph.HistoryEntry) bool { return tok.before(historyPosition(e)) }
	}
	entries, more := pageOf(entries, after, limit)
	var next any
	if more {
		next = historyPosition(entries[len(entries)-1])
	}
	if entries == nil {
		entries = []idgraph.HistoryEntry{}
	}
	c.JSON(http.StatusOK, historyResponse{Data: entries, Cursor: newCursor(c, next)})
}
