package api

import (
	"bytes"
	"io/fs"
	"net/http"
	"path"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
	"github.com/idgraph/idgraph/ui"
)

// uiCSP is the page's Content-Security-Policy: its scripts, styles and
// data calls come from idgraph itself, nothing inline, nothing framed.
const uiCSP = "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; " +
	"connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'"

// serveUI answers GET /ui/*filepath with the page's embedded files; it
// needs no credentials (the page sends the access token with each data
// call it makes). The Neo4j Browser guide and style under /ui/neo4j/ are
// fetched across origins by Browser, so they allow any origin: they hold
// the public query pack, nothing of a space.
func (s *Server) serveUI(c *gin.Context) {
	name := strings.TrimPrefix(path.Clean("/"+c.Param("filepath")), "/")
	switch name {
	case ui.GuidePath:
		scheme := "http"
		if c.Request.TLS != nil {
			scheme = "https"
		}
		styleURL := scheme + "://" + c.Request.Host + "/ui/" + ui.StylePath
		s.serveAsset(c, "text/html; charset=utf-8", ui.Guide(styleURL))
		return
	case ui.StylePath:
		s.serveAsset(c, "text/plain; charset=utf-8", ui.Style())
		return
	case "", ".":
		name = "index.html"
	}
	data, err := fs.ReadFile(ui.Files(), name)
	if err != nil {
		s.writeError(c, idgraph.Errorf(idgraph.ENOTFOUND, "no file %s in the page", name))
		return
	}
	h := c.Writer.Header()
	h.Set("Content-Security-Policy", uiCSP)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	h.Set("Cache-Control", "no-cache")
	http.ServeContent(c.Writer, c.Request, name, time.Time{}, bytes.NewReader(data))
}

// serveAsset answers one of the Browser's files, readable from any origin.
func (s *Server) serveAsset(c *gin.Context, contentType string, data []byte) {
	h := c.Writer.Header()
	h.Set("Access-Control-Allow-Origin", "*")
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Cache-Control", "no-cache")
	c.Data(http.StatusOK, contentType, data)
}

// uiPreflight answers OPTIONS /ui/*filepath, the CORS preflight Browser
// sends before it fetches the guide or the style (its fetch adds headers of
// its own): any origin may GET them, with the headers it asks for. The
// page's own files are for idgraph's origin alone: 404.
func (s *Server) uiPreflight(c *gin.Context) {
	switch strings.TrimPrefix(path.Clean("/"+c.Param("filepath")), "/") {
	case ui.GuidePath, ui.StylePath:
		h := c.Writer.Header()
		h.Set("Access-Control-Allow-Origin", "*")
		h.Set("Access-Control-Allow-Methods", "GET")
		if req := c.GetHeader("Access-Control-Request-Headers"); req != "" {
			h.Set("Access-Control-Allow-Headers", req)
		}
		h.Set("Access-Control-Max-Age", "600")
		c.Status(http.StatusOK)
	default:
		s.writeError(c, idgraph.Errorf(idgraph.ENOTFOUND, "no cross-origin access to %s", c.Request.URL.Path))
	}
}
