package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// historyResponse lists how a profile grew and was corrected, oldest
// first, with Segment's cursor.
type historyResponse struct {
	Data   []idgraph.HistoryEntry `json:"data"`
	Cursor cursor                 `json:"cursor"`
}

// historyToken is the position of the last entry of a page.
type historyToken = idgraph.HistoryPosition

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
	entries = idgraph.CompactHistory(entries)
	var after func(idgraph.HistoryEntry) bool
	if paged {
		after = func(e idgraph.HistoryEntry) bool { return tok.Before(e.Position()) }
	}
	entries, more := pageOf(entries, after, limit)
	var next any
	if more {
		next = entries[len(entries)-1].Position()
	}
	if entries == nil {
		entries = []idgraph.HistoryEntry{}
	}
	c.JSON(http.StatusOK, historyResponse{Data: entries, Cursor: newCursor(c, next)})
}
