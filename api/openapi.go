package api

import (
	_ "embed"
	"encoding/json"
	"net/http"

	"github.com/gin-gonic/gin"
)

// openapiDoc is the OpenAPI 3 document of every route of the server. A test
// walks the engine's routes and the document's paths both ways, so neither
// can change without the other.
//
//go:embed openapi.json
var openapiDoc []byte

func init() {
	if !json.Valid(openapiDoc) {
		panic("api: openapi.json is not valid JSON")
	}
}

// openapi answers GET /openapi.json with the document.
func (s *Server) openapi(c *gin.Context) {
	c.Data(http.StatusOK, "application/json", openapiDoc)
}
