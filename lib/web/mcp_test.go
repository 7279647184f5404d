package web

import "testing"

func TestSSEMessages(t *testing.T) {
	sse := "event: message\r\ndata: {\"a\":\r\ndata: 1}\r\n\r\n: comment\n\nevent: message\ndata: {\"b\":2}\n\n"
	if got := SSEMessages(sse); len(got) != 2 || got[0] != "{\"a\":\n1}" || got[1] != `{"b":2}` {
		t.Errorf("SSE %q", got)
	}
}
