package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// deleteResponse says what a DELETE removed: the profile, its identifiers
// (now suppressed: later events carrying them are ignored) and how many
// events.
type deleteResponse = idgraph.Deletion

// deleteProfile answers DELETE on the profile path with the engine's delete
// and suppression.
func (s *Server) deleteProfile(c *gin.Context) {
	id, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	d, err := s.deletion.Delete(c.Request.Context(), tokenSpace(c).ID, id, tokenActor(c))
	if err != nil {
		s.writeError(c, err)
		return
	}
	if d.Identifiers == nil {
		d.Identifiers = []idgraph.Identifier{}
	}
	c.JSON(http.StatusOK, deleteResponse(d))
}
