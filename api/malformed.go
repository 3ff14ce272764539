package api

import (
	"bytes"
	"encoding/json"
	"fmt"
	"net"
	"net/http"
	"strconv"
)

// Listener returns ln with connections that answer a request Go's HTTP
// server cannot parse (a path with %zz, a malformed header) with the API's
// JSON error, as every other answer is, instead of net/http's plain text.
//
// net/http answers such a request itself, before any handler, by writing
// a fixed answer straight to the connection ("HTTP/1.1 400 Bad Request",
// a text/plain Content-Type, "Connection: close", and the status as the
// body), and closes it. A connection of ln recognises that exact write and
// sends the same status with a JSON body instead; nothing else it writes
// is touched.
func Listener(ln net.Listener) net.Listener { return jsonErrorListener{ln} }

type jsonErrorListener struct{ net.Listener }

func (l jsonErrorListener) Accept() (net.Conn, error) {
	c, err := l.Listener.Accept()
	if err != nil {
		return nil, err
	}
	return jsonErrorConn{c}, nil
}

type jsonErrorConn struct{ net.Conn }

// plainErrorHeaders end the header block of net/http's own error answers.
var plainErrorHeaders = []byte("\r\nContent-Type: text/plain; charset=utf-8\r\nConnection: close\r\n\r\n")

func (c jsonErrorConn) Write(p []byte) (int, error) {
	status, text, ok := plainError(p)
	if !ok {
		return c.Conn.Write(p)
	}
	body, _ := json.Marshal(errorBody{Error: errorDetail{
		Code:    "invalid_request_error",
		Message: fmt.Sprintf("malformed HTTP request (%s): check the path's %%-escapes and the headers", text),
	}})
	answer := fmt.Appendf(nil, "HTTP/1.1 %d %s\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: %d\r\nConnection: close\r\n\r\n%s",
		status, http.StatusText(status), len(body), body)
	if _, err := c.Conn.Write(answer); err != nil {
		return 0, err
	}
	return len(p), nil
}

// plainError returns the status and text of p when p is net/http's own
// answer to a request it could not parse: "HTTP/1.1 4xx ...", the fixed
// headers, and the status line's text again as the body.
func plainError(p []byte) (status int, text string, ok bool) {
	line, ok := bytes.CutPrefix(p, []byte("HTTP/1.1 "))
	if !ok {
		return 0, "", false
	}
	line, body, ok := bytes.Cut(line, plainErrorHeaders)
	if !ok || !bytes.Equal(line, body) || len(line) < 3 || bytes.ContainsAny(line, "\r\n") {
		return 0, "", false
	}
	status, err := strconv.Atoi(string(line[:3]))
	if err != nil || status < 400 || status > 499 {
		return 0, "", false
	}
	return status, string(line), true
}
