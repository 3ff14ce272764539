package api

import (
	"net/http"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// metadataResponse is Segment's {"metadata": {...}}: its fields, then ours.
type metadataResponse struct {
	Metadata metadataBody `json:"metadata"`
}

type metadataBody struct {
	CreatedAt      time.Time         `json:"created_at"`
	UpdatedAt      time.Time         `json:"updated_at"`
	FirstMessageID string            `json:"first_message_id"`
	FirstSourceID  string            `json:"first_source_id"`
	LastMessageID  string            `json:"last_message_id"`
	LastSourceID   string            `json:"last_source_id"`
	ProfileID      string            `json:"profile_id"`
	MergeCount     int               `json:"merge_count"`
	Identifiers    int               `json:"identifier_count"`
	FirstEvent     *idgraph.EventRef `json:"first_event"`
	LastEvent      *idgraph.EventRef `json:"last_event"`
}

// profileMetadata answers GET .../metadata.
func (s *Server) profileMetadata(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	m, err := s.profiles.Metadata(c.Request.Context(), tokenSpace(c).ID, id)
	if err != nil {
		s.writeError(c, err)
		return
	}
	body := metadataBody{
		CreatedAt: m.CreatedAt, UpdatedAt: m.UpdatedAt, ProfileID: m.ProfileID,
		MergeCount: m.MergeCount, Identifiers: m.Identifiers, FirstEvent: m.FirstEvent, LastEvent: m.LastEvent,
	}
	if m.FirstEvent != nil {
		body.FirstMessageID, body.FirstSourceID = m.FirstEvent.MessageID, m.FirstEvent.SourceID
	}
	if m.LastEvent != nil {
		body.LastMessageID, body.LastSourceID = m.LastEvent.MessageID, m.LastEvent.SourceID
	}
	c.JSON(http.StatusOK, metadataResponse{Metadata: body})
}
