package web

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"
)

// ErrCutShort reports an answer that ended before the message it should
// hold: worth asking again.
var ErrCutShort = errors.New("the answer is cut short")

// MCP is a client of a Model Context Protocol server over streamable HTTP:
// initialize (keeping the Mcp-Session-Id), then tools/call; a session the
// server ended (a 404 to a request carrying its id) is started again. Answers come as
// JSON or as server-sent events. It is not safe for concurrent use.
type MCP struct {
	Client  *Client
	URL     string
	Version string // the client's version, sent in initialize

	session string
	nextID  int
}

// ToolResult is the result of an MCP tools/call.
type ToolResult struct {
	Content []struct {
		Type string `json:"type"`
		Text string `json:"text"`
	} `json:"content"`
	IsError bool `json:"isError"`
}

// Text joins the result's text parts; a result flagged isError is an error
// carrying its text.
func (r *ToolResult) Text() (string, error) {
	var b strings.Builder
	for _, c := range r.Content {
		if c.Type == "text" {
			b.WriteString(c.Text)
		}
	}
	if r.IsError {
		return "", fmt.Errorf("the MCP tool answered with an error: %s", strings.TrimSpace(b.String()))
	}
	return b.String(), nil
}

// RPCResponse is a JSON-RPC 2.0 response.
type RPCResponse struct {
	ID     json.RawMessage `json:"id"`
	Result json.RawMessage `json:"result"`
	Error  *struct {
		Code    int    `json:"code"`
		Message string `json:"message"`
	} `json:"error"`
}

// SSEMessages returns the data of the events of a text/event-stream body.
func SSEMessages(body string) []string {
	var out []string
	for _, event := range strings.Split(strings.ReplaceAll(body, "\r\n", "\n"), "\n\n") {
		var data []string
		for _, line := range strings.Split(event, "\n") {
			if d, ok := strings.CutPrefix(line, "data:"); ok {
				data = append(data, strings.TrimPrefix(d, " "))
			}
		}
		if len(data) > 0 {
			out = append(out, strings.Join(data, "\n"))
		}
	}
	return out
}

// CallTool calls a tool with its arguments and returns the text of its
// result, initializing the session first if needed. A tool's error answer
// that says "not found" wraps ErrNotFound.
func (m *MCP) CallTool(ctx context.Context, name string, args map[string]string) (string, error) {
	result, err := m.request(ctx, "tools/call", map[string]any{"name": name, "arguments": args})
	if err != nil {
		return "", fmt.Errorf("MCP %s: %w", name, err)
	}
	var tr ToolResult
	if err := json.Unmarshal(result, &tr); err != nil {
		return "", fmt.Errorf("MCP %s: %w", name, err)
	}
	text, err := tr.Text()
	if err != nil && strings.Contains(err.Error(), "not found") {
		return "", fmt.Errorf("%w: %v", ErrNotFound, err)
	}
	return text, err
}

// request sends a request in the session, starting one first if needed.
// A 404 to a request that carried a session id means the server ended the
// session (MCP streamable HTTP transport): a new one is started with a
// fresh initialize and the request sent again, once.
func (m *MCP) request(ctx context.Context, method string, params any) (json.RawMessage, error) {
	if m.session == "" {
		if err := m.initialize(ctx); err != nil {
			return nil, err
		}
	}
	_, result, err := m.call(ctx, method, params, true)
	if errors.Is(err, ErrNotFound) && m.session != "-" {
		m.Client.logf("%s: the MCP session ended (404); starting a new one", m.URL)
		m.session = ""
		if err := m.initialize(ctx); err != nil {
			return nil, err
		}
		_, result, err = m.call(ctx, method, params, true)
	}
	return result, err
}

func (m *MCP) initialize(ctx context.Context) error {
	params := map[string]any{
		"protocolVersion": "2025-03-26",
		"capabilities":    map[string]any{},
		"clientInfo":      map[string]string{"name": "dwkit", "version": m.Version},
	}
	resp, _, err := m.call(ctx, "initialize", params, true)
	if err != nil {
		return fmt.Errorf("MCP initialize: %w", err)
	}
	m.session = resp.Header.Get("Mcp-Session-Id")
	if m.session == "" {
		m.session = "-" // a server without sessions
	}
	if _, _, err = m.call(ctx, "notifications/initialized", nil, false); err != nil {
		m.session = "" // half begun: the next call starts again
		return fmt.Errorf("MCP initialized: %w", err)
	}
	return nil
}

// call posts one JSON-RPC message; a request (wantResult) gets its
// response's result, read from JSON or from the SSE stream.
func (m *MCP) call(ctx context.Context, method string, params any, wantResult bool) (*Response, json.RawMessage, error) {
	msg := map[string]any{"jsonrpc": "2.0", "method": method}
	if params != nil {
		msg["params"] = params
	}
	id := 0
	if wantResult {
		m.nextID++
		id = m.nextID
		msg["id"] = id
	}
	body, _ := json.Marshal(msg) // plain maps of strings: cannot fail
	resp, err := m.Client.Do(ctx, func() (*http.Request, error) {
		req, err := http.NewRequestWithContext(ctx, http.MethodPost, m.URL, bytes.NewReader(body))
		if err != nil {
			return nil, err
		}
		req.Header.Set("Content-Type", "application/json")
		req.Header.Set("Accept", "application/json, text/event-stream")
		if m.session != "" && m.session != "-" {
			req.Header.Set("Mcp-Session-Id", m.session)
		}
		return req, nil
	})
	if err != nil || !wantResult {
		return resp, nil, err
	}
	var messages []string
	if strings.HasPrefix(resp.Header.Get("Content-Type"), "text/event-stream") {
		messages = SSEMessages(string(resp.Body))
	} else {
		messages = []string{string(resp.Body)}
	}
	for _, msg := range messages {
		var r RPCResponse
		if json.Unmarshal([]byte(msg), &r) != nil || string(r.ID) != fmt.Sprint(id) {
			continue // notifications and other messages
		}
		if r.Error != nil {
			return resp, nil, fmt.Errorf("JSON-RPC error %d: %s", r.Error.Code, r.Error.Message)
		}
		return resp, r.Result, nil
	}
	return resp, nil, fmt.Errorf("no JSON-RPC response with id %d in the answer: %w", id, ErrCutShort)
}
