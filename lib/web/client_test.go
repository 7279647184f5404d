package web

import (
	"context"
	"io"
	"net/http"
	"net/http/httptest"
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
