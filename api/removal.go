package api

import (
	"net/http"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// removeIdentifier answers DELETE .../profiles/{id}/external_ids/{external_id}
// [?suppress=true&reason=]: the identifier leaves the profile, its links cut
// as evidence; the answer says what the profile split into.
func (s *Server) removeIdentifier(c *gin.Context) {
	profile, err := profileIdentifier(c)
	if err != nil {
		s.writeError(c, err)
		return
	}
	raw, err := rawParam(c, "external_id")
	if err != nil {
		s.writeError(c, err)
		return
	}
	id, err := idgraph.ParseIdentifier(raw)
	if err != nil {
		s.writeError(c, idgraph.Problems{{Field: "external_id", Message: idgraph.ErrorMessage(err)}}.Err())
		return
	}
	suppress, err := boolQuery(c, "suppress")
	if err != nil {
		s.writeError(c, err)
		return
	}
	reason := c.Query("reason")
	if len(reason) > idgraph.MaxReasonBytes {
		s.writeError(c, invalidParam("reason", "longer than 1000 bytes"))
		return
	}
	rm, err := s.corrections.Remove(c.Request.Context(), tokenSpace(c), profile, id, reason, tokenActor(c), suppress)
	if err != nil {
		s.writeError(c, err)
		return
	}
	rm.SplitPlan = rm.SplitPlan.WithEmptyLists()
	c.JSON(http.StatusOK, rm)
}
