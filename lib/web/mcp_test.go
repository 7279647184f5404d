package web

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestSSEMessages(t *testing.T) {
	sse := "event: message\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: comment\n\nevent: message\ndata: {\"b\":2}\n\n"
	if got := SSEMessages(sse); len(got) != 2 || got[0] != "{\"a\":\n1}" || got[1] != `{"b":2}` {
		t.Errorf("SSE %q", got)
	}
}

// sessionServer is an MCP server whose sessions end when the test says:
// a request with an ended session's id gets 404, as the streamable HTTP
// transport specifies. With sessions off it hands out no id at all.
type sessionServer struct {
	sessions bool
	inits    int    // initialize requests
	live     string // the session id in force; "" when none is
	calls    []string
	notFound bool // answer 404 to every tool call
}

func (s *sessionServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	var msg struct {
		ID     any    `json:"id"`
		Method string `json:"method"`
	}
	json.NewDecoder(r.Body).Decode(&msg)
	switch {
	case msg.Method == "initialize":
		s.inits++
		if s.sessions {
			s.live = fmt.Sprintf("s-%d", s.inits)
			w.Header().Set("Mcp-Session-Id", s.live)
		}
		json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": msg.ID, "result": map[string]any{}})
		return
	case s.sessions && (r.Header.Get("Mcp-Session-Id") != s.live || s.live == ""):
		http.Error(w, "session not found", http.StatusNotFound)
		return
	case msg.ID == nil:
		w.WriteHeader(http.StatusAccepted)
		return
	case s.notFound:
		http.NotFound(w, r)
		return
	}
	s.calls = append(s.calls, r.Header.Get("Mcp-Session-Id"))
	json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": msg.ID,
		"result": map[string]any{"content": []map[string]string{{"type": "text", "text": "ok"}}}})
}

func newMCP(t *testing.T, s *sessionServer) (*MCP, *[]string) {
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	var log []string
	c := &Client{HTTP: srv.Client(), UserAgent: "dwkit/test", MaxBytes: 1 << 20, Retries: 2, Backoff: time.Millisecond, MaxWait: time.Millisecond,
		Log: func(f string, a ...any) { log = append(log, fmt.Sprintf(f, a...)) }}
	return &MCP{Client: c, URL: srv.URL, Version: "test"}, &log
}

// TestMCPSessionEnded: a 404 to a call carrying the session id starts a
// new session, once, and the call is sent again in it; later calls use
// the new session.
func TestMCPSessionEnded(t *testing.T) {
	s := &sessionServer{sessions: true}
	m, log := newMCP(t, s)
	ctx := context.Background()
	for i := range 4 {
		if i == 2 {
			s.live = "" // the server forgets the session
		}
		if text, err := m.CallTool(ctx, "read_wiki_structure", map[string]string{"repoName": "a/b"}); err != nil || text != "ok" {
			t.Fatalf("call %d: %q, %v", i+1, text, err)
		}
	}
	if want := "s-1 s-1 s-2 s-2"; s.inits != 2 || strings.Join(s.calls, " ") != want {
		t.Errorf("%d initializes, calls in sessions %q; want 2 and %q", s.inits, s.calls, want)
	}
	if !strings.Contains(strings.Join(*log, "\n"), "MCP session ended (404); starting a new one") {
		t.Errorf("log %q", *log)
	}
}

// TestMCPNotFoundIsNotALoop: a 404 that a new session does not cure is
// "not found" after one new initialize; a server without sessions is not
// initialized again at all.
func TestMCPNotFoundIsNotALoop(t *testing.T) {
	for _, sessions := range []bool{true, false} {
		s := &sessionServer{sessions: sessions, notFound: true}
		m, _ := newMCP(t, s)
		_, err := m.CallTool(context.Background(), "read_wiki_structure", nil)
		want := 1
		if sessions {
			want = 2
		}
		if !errors.Is(err, ErrNotFound) || s.inits != want {
			t.Errorf("sessions %v: %v after %d initializes; want not found after %d", sessions, err, s.inits, want)
		}
	}
}
