package web

import (
	"context"
	"errors"
	"io"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"time"
)

func TestRetryAfterHonoured(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if n++; n == 1 {
			w.Header().Set("Retry-After", "3")
			http.Error(w, "later", http.StatusTooManyRequests)
			return
		}
		io.WriteString(w, "ok")
	}))
	defer srv.Close()
	var slept []time.Duration
	c := &Client{HTTP: srv.Client(), UserAgent: "dwkit/test", MaxBytes: 1 << 20, Retries: 3, Backoff: time.Millisecond, MaxWait: time.Minute,
		Sleep: func(_ context.Context, d time.Duration) error { slept = append(slept, d); return nil }}
	resp, err := c.Do(context.Background(), func() (*http.Request, error) { return http.NewRequest("GET", srv.URL, nil) })
	if err != nil || string(resp.Body) != "ok" || len(slept) != 1 || slept[0] != 3*time.Second {
		t.Errorf("do = %v, %v; slept %v; want one wait of 3s", resp, err, slept)
	}
}

// TestIsChallenge: a challenge's marks count in any small body, whatever
// the status and content type, but a successful API answer (JSON, SSE) may
// quote them.
func TestIsChallenge(t *testing.T) {
	moment := "<html><title>Just a moment...</title></html>"
	tests := []struct {
		status      int
		contentType string
		cfMitigated string
		body        string
		want        bool
	}{
		{503, "text/html; charset=UTF-8", "", moment, true},
		{503, "text/plain", "", "Just a moment...", true},
		{503, "", "", "Just a moment...", true},
		{200, "text/plain; charset=utf-8", "", "Attention Required! | Cloudflare", true},
		{403, "application/json", "", `{"error":"Just a moment..."}`, true},
		{429, "text/plain", "challenge", "slow down", true},
		{429, "text/plain", "Challenge", "", true},
		{200, "text/html", "", "<script src=/cdn-cgi/challenge-platform/x.js></script>", true},
		{200, "text/html", "", "<html>a wiki</html>", false},
		{503, "text/plain", "", "busy", false},
		{503, "text/plain", "", strings.Repeat("x", 200_001) + "Just a moment...", false},
		{200, "application/json", "", `{"text":"Just a moment..."}`, false},
		{200, "text/event-stream", "", "data: {\"text\":\"attention required\"}\n\n", false},
		{200, "application/problem+json; charset=utf-8", "", `{"x":"just a moment..."}`, false},
	}
	for _, tt := range tests {
		r := &Response{Status: tt.status, Header: http.Header{}, Body: []byte(tt.body)}
		if tt.contentType != "" {
			r.Header.Set("Content-Type", tt.contentType)
		}
		if tt.cfMitigated != "" {
			r.Header.Set("Cf-Mitigated", tt.cfMitigated)
		}
		if got := isChallenge(r); got != tt.want {
			t.Errorf("isChallenge(%d %q cf-mitigated %q %.40q) = %v; want %v", tt.status, tt.contentType, tt.cfMitigated, tt.body, got, tt.want)
		}
	}
}

// TestPlainChallengeNotRetried: a 503 challenge sent as text/plain is
// ErrBlocked at once, not retried.
func TestPlainChallengeNotRetried(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		w.Header().Set("Content-Type", "text/plain")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "Just a moment...")
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), UserAgent: "dwkit/test", MaxBytes: 1 << 20, Retries: 5, Backoff: time.Millisecond, MaxWait: time.Millisecond}
	_, err := c.Do(context.Background(), func() (*http.Request, error) { return http.NewRequest("GET", srv.URL, nil) })
	if !errors.Is(err, ErrBlocked) || n != 1 {
		t.Errorf("do = %v after %d requests; want ErrBlocked after 1", err, n)
	}
}

// TestServerWait reads the waits a server asks for: Retry-After first,
// then an exhausted rate limit's reset in either IETF form.
func TestServerWait(t *testing.T) {
	for _, tc := range []struct {
		header map[string]string
		want   time.Duration
	}{
		{map[string]string{"Retry-After": "7", "RateLimit": `"api";r=0;t=30`}, 7 * time.Second},
		{map[string]string{"RateLimit": `"api";r=0;t=30`}, 30 * time.Second},
		{map[string]string{"RateLimit": `"api";r=5;t=30`}, 0}, // not exhausted
		{map[string]string{"RateLimit": "limit=100, remaining=0, reset=12"}, 12 * time.Second},
		{map[string]string{"RateLimit": `"a";r=3;t=5, "b";r=0;t=40`}, 40 * time.Second},
		{map[string]string{"RateLimit": "remaining=0;reset=12"}, 12 * time.Second},
		{map[string]string{"RateLimit-Reset": "9"}, 9 * time.Second},
		{map[string]string{"RateLimit": `"api";r=0;t=-4`}, 0},
		{map[string]string{}, 0},
	} {
		h := http.Header{}
		for k, v := range tc.header {
			h.Set(k, v)
		}
		if got := serverWait(h); got != tc.want {
			t.Errorf("serverWait(%v) = %s, want %s", tc.header, got, tc.want)
		}
	}
}

// TestStatusError: a refusal carries its status and the API's message; 408
// is retried, 409 is not.
func TestStatusError(t *testing.T) {
	n := 0
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n++
		if n == 1 {
			w.WriteHeader(http.StatusRequestTimeout)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.WriteHeader(http.StatusConflict)
		w.Write([]byte(`{"error":"You already created this dataset repo\nsecond line"}`))
	}))
	defer srv.Close()
	c := &Client{HTTP: srv.Client(), UserAgent: "dwkit/test", MaxBytes: 1 << 20, Retries: 3, Backoff: time.Millisecond, MaxWait: time.Millisecond}
	_, err := c.Do(context.Background(), func() (*http.Request, error) { return http.NewRequest("POST", srv.URL+"/api/repos/create", nil) })
	var se *StatusError
	if !errors.As(err, &se) || se.Status != http.StatusConflict || n != 2 {
		t.Fatalf("err = %v after %d requests; want a 409 StatusError after 2", err, n)
	}
	want := srv.URL + "/api/repos/create: 409 Conflict: You already created this dataset repo second line"
	if err.Error() != want {
		t.Errorf("message %q, want %q", err.Error(), want)
	}
}

// TestMaskBeforeCut: a secret a server quotes where the message is cut is
// masked first, so no part of it shows.
func TestMaskBeforeCut(t *testing.T) {
	secret := "hf_ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefgh"
	body := []byte(`{"error":"` + strings.Repeat("p", 280) + `you sent Bearer ` + secret + `"}`)
	e := &StatusError{URL: "u", Status: 500, Body: body, Mask: func(s string) string { return strings.ReplaceAll(s, secret, "hf_***") }}
	if msg := e.Error(); strings.Contains(msg, "hf_ABC") {
		t.Errorf("part of the secret shows: %s", msg)
	}
}
