package api

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"

	"github.com/gin-gonic/gin"

	"github.com/idgraph/idgraph"
)

// maxCorrectionBytes bounds the body of a correction request: a split may
// name every identifier of a profile (at most 1,000, each at most 1 KB).
const maxCorrectionBytes = 2 << 20

// readJSON decodes the request's JSON body into dst, strictly: unknown
// fields, trailing data and a body over maxCorrectionBytes are EINVALID
// errors naming the field or the body.
func readJSON(c *gin.Context, dst any) error {
	data, err := io.ReadAll(http.MaxBytesReader(c.Writer, c.Request.Body, maxCorrectionBytes))
	if err != nil {
		return idgraph.Problems{{Field: "body", Message: fmt.Sprintf("unreadable or over %d bytes", maxCorrectionBytes)}}.Err()
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(dst); err != nil {
		return jsonProblem(err)
	}
	if dec.More() {
		return idgraph.Problems{{Field: "body", Message: "holds more than one JSON value"}}.Err()
	}
	return nil
}

// jsonProblem names the field a decoding error is about.
func jsonProblem(err error) error {
	var te *json.UnmarshalTypeError
	if errors.As(err, &te) && te.Field != "" {
		return idgraph.Problems{{Field: te.Field, Message: fmt.Sprintf("want %s, got a JSON %s", te.Type, te.Value)}}.Err()
	}
	if field, ok := strings.CutPrefix(err.Error(), "json: unknown field "); ok {
		return idgraph.Problems{{Field: strings.Trim(field, `"`), Message: "unknown field"}}.Err()
	}
	if errors.Is(err, io.EOF) {
		return idgraph.Problems{{Field: "body", Message: "empty: want a JSON object"}}.Err()
	}
	return idgraph.Problems{{Field: "body", Message: "not valid JSON: " + err.Error()}}.Err()
}

// identifierField parses "type:value" from a request field, naming the field
// when it is not one.
func identifierField(ps *idgraph.Problems, field, s string) idgraph.Identifier {
	id, err := idgraph.ParseIdentifier(s)
	if err != nil {
		ps.Add(field, "%q: want an identifier as type:value", s)
	}
	return id
}
