package api

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"time"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// readIngest authenticates an ingestion request and reads its body (at
// most limit bytes, before and after gunzip; tooLarge is the error beyond).
// The write key is the HTTP Basic username, else the body's writeKey; it
// selects the space and source, and a key over its rate limit is answered
// 429.
func (s *Server) readIngest(c *gin.Context, limit int64, tooLarge func() error) (idgraph.Space, idgraph.Source, []byte, error) {
	var (
		space  idgraph.Space
		source idgraph.Source
	)
	if s.spaces == nil || s.writer == nil {
		return space, source, nil, idgraph.Errorf(idgraph.EUNAVAILABLE, "ingestion is not configured")
	}
	key, _, basic := c.Request.BasicAuth()
	if basic && key != "" {
		var ok bool
		if space, source, ok = s.spaces.BySourceKey(key); !ok {
			return space, source, nil, unauthorized(c, "unknown write key")
		}
		// Refused before the body is read: a limited key costs little.
		if err := s.rateLimited(c, space, source); err != nil {
			return space, source, nil, err
		}
	}
	body, err := readBody(c, limit, tooLarge)
	if err != nil {
		return space, source, nil, err
	}
	if !json.Valid(body) {
		// The body decides, whatever the Content-Type says (RudderStack's
		// Node SDK sends gzipped JSON as a form): it must be JSON.
		_, err := idgraph.ParseEvent(body, time.Time{})
		return space, source, nil, idgraph.Errorf(idgraph.EINVALID, "%s (Content-Type %q)", idgraph.ErrorMessage(malformed(err)), c.GetHeader("Content-Type"))
	}
	if source.ID != "" {
		corsFor(c, idgraph.CORS.AllowsTracking, space)
		return space, source, body, nil
	}
	if key, err = idgraph.WriteKeyOf(body); err != nil {
		return space, source, nil, err
	}
	if key == "" {
		return space, source, nil, unauthorized(c, "no write key: send it as the HTTP Basic username (with an empty password) or as writeKey in the body")
	}
	var ok bool
	if space, source, ok = s.spaces.BySourceKey(key); !ok {
		return space, source, nil, unauthorized(c, "unknown write key")
	}
	corsFor(c, idgraph.CORS.AllowsTracking, space)
	return space, source, body, s.rateLimited(c, space, source)
}

// unauthorized is the 401 of ingestion; the key itself is never shown.
func unauthorized(c *gin.Context, message string) error {
	c.Header("WWW-Authenticate", `Basic realm="idgraph"`)
	return idgraph.Errorf(idgraph.EUNAUTHORIZED, "%s", message)
}

// readBody reads the request body, gunzipping it when its Content-Encoding
// is gzip, or when it starts with gzip's magic bytes whatever the headers
// say (some SDKs gzip without saying so). The body may hold at most limit bytes both as sent and once
// decompressed, so neither a large upload nor a gzip bomb is read past
// the limit; beyond it the answer is tooLarge().
func readBody(c *gin.Context, limit int64, tooLarge func() error) ([]byte, error) {
	var gzipped bool
	switch enc := strings.ToLower(strings.TrimSpace(c.GetHeader("Content-Encoding"))); enc {
	case "", "identity":
	case "gzip", "x-gzip":
		gzipped = true
	default:
		return nil, &httpError{
			status:  http.StatusUnsupportedMediaType,
			code:    "invalid_request_error",
			message: fmt.Sprintf("Content-Encoding %q: send the body as is or gzip it", enc),
		}
	}
	if c.Request.ContentLength > limit {
		return nil, tooLarge()
	}
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, limit))
	if err != nil {
		if mbe := (*http.MaxBytesError)(nil); errors.As(err, &mbe) {
			return nil, tooLarge()
		}
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "read the request body: %v", err)
	}
	if !gzipped && !bytes.HasPrefix(data, gzipMagic) {
		return data, nil
	}
	zr, err := gzip.NewReader(bytes.NewReader(data))
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "Content-Encoding is gzip but the body is not: %v", err)
	}
	data, err = io.ReadAll(io.LimitReader(zr, limit+1))
	if err != nil {
		return nil, idgraph.WrapError(idgraph.EINVALID, err, "gunzip the body: %v", err)
	}
	if int64(len(data)) > limit {
		return nil, tooLarge()
	}
	return data, nil
}

// gzipMagic starts every gzip stream; a JSON text never starts with it.
var gzipMagic = []byte{0x1f, 0x8b}
