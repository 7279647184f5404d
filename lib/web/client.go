package web

import (
	"bufio"
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// ErrBlocked means: stop asking this site. It refused us (403), answered
// with a bot challenge, or its robots.txt disallows the page; going on
// would be impolite and useless.
var ErrBlocked = errors.New("blocked")

// ErrNotFound is a page the site does not have (404).
var ErrNotFound = errors.New("not found")

// Client is a polite HTTP client: one request at a time, a descriptive
// User-Agent, timeouts, a cap on answer sizes, retries with exponential
// backoff and jitter on 429, 5xx and broken transfers (honouring
// Retry-After), and robots.txt.
type Client struct {
	HTTP      *http.Client
	UserAgent string
	MaxBytes  int64
	Retries   int
	Backoff   time.Duration                              // first wait; doubles with each retry
	MaxWait   time.Duration                              // longest wait, Retry-After included
	Log       func(format string, args ...any)           // told of each retry; may be nil
	Sleep     func(context.Context, time.Duration) error // Sleep (the function) unless a test waits otherwise

	mu     sync.Mutex
	robots map[string]*robotsRules // by host
}

// Response is a finished request.
type Response struct {
	Status int
	Header http.Header
	Body   []byte
}

// Do sends a request built by newReq, retrying what may pass, and returns
// the answer of status 2xx or 304. 403 and challenges are ErrBlocked, 404
// ErrNotFound.
func (c *Client) Do(ctx context.Context, newReq func() (*http.Request, error)) (*Response, error) {
	wait := c.Backoff
	for attempt := 0; ; attempt++ {
		req, err := newReq()
		if err != nil {
			return nil, err
		}
		req.Header.Set("User-Agent", c.UserAgent)
		resp, retryAfter, err := c.once(req)
		if err == nil {
			return resp, nil
		}
		var retry *retryable
		if !errors.As(err, &retry) || attempt >= c.Retries {
			return nil, err
		}
		d := wait + rand.N(wait/2+1) // jitter
		if retryAfter > 0 {
			d = retryAfter
		}
		d = min(d, c.MaxWait)
		c.logf("%s: %v; retrying in %s (%d of %d)", req.URL, retry.err, d.Round(time.Millisecond), attempt+1, c.Retries)
		sleep := c.Sleep
		if sleep == nil {
			sleep = Sleep
		}
		if err := sleep(ctx, d); err != nil {
			return nil, err
		}
		wait *= 2
	}
}

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// retryable marks a failure worth another try.
type retryable struct{ err error }

func (r *retryable) Error() string { return r.err.Error() }

func (c *Client) once(req *http.Request) (*Response, time.Duration, error) {
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if req.Context().Err() != nil {
			return nil, 0, err
		}
		return nil, 0, &retryable{err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBytes+1))
	switch {
	case err != nil:
		return nil, 0, &retryable{fmt.Errorf("reading the answer: %w", err)}
	case int64(len(body)) > c.MaxBytes:
		return nil, 0, fmt.Errorf("%s: answer over %d bytes", req.URL, c.MaxBytes)
	case resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength && resp.StatusCode != http.StatusNotModified:
		return nil, 0, &retryable{fmt.Errorf("truncated answer: %d of %d bytes", len(body), resp.ContentLength)}
	}
	r := &Response{resp.StatusCode, resp.Header, body}
	if isChallenge(r) { // whatever the status: a 503 or 429 challenge must not be retried
		return nil, 0, fmt.Errorf("%w: %s answered %s with a bot challenge page", ErrBlocked, req.URL.Host, resp.Status)
	}
	switch s := resp.StatusCode; {
	case s == http.StatusForbidden:
		return nil, 0, fmt.Errorf("%w: %s answered 403 Forbidden", ErrBlocked, req.URL.Host)
	case s == http.StatusNotFound:
		return nil, 0, fmt.Errorf("%w: %s", ErrNotFound, req.URL)
	case s == http.StatusTooManyRequests || s >= 500:
		return nil, RetryAfter(resp.Header.Get("Retry-After")), &retryable{fmt.Errorf("%s", resp.Status)}
	case s == http.StatusNotModified || s >= 200 && s < 300:
		return r, 0, nil
	}
	return nil, 0, fmt.Errorf("%s: %s", req.URL, resp.Status)
}

// RetryAfter reads Retry-After as seconds or an HTTP date.
func RetryAfter(v string) time.Duration {
	if v == "" {
		return 0
	}
	if s, err := strconv.Atoi(strings.TrimSpace(v)); err == nil && s >= 0 {
		return time.Duration(s) * time.Second
	}
	if t, err := http.ParseTime(v); err == nil {
		return max(time.Until(t), 0)
	}
	return 0
}

// isChallenge recognizes bot-challenge pages (Cloudflare and the like): a
// cf-mitigated header, or a challenge's marks in a small body, whatever
// its status and content type (a challenge may come as text/plain). A
// successful JSON or event-stream answer is an API's, whose text may quote
// such words, and is not searched.
func isChallenge(r *Response) bool {
	if strings.EqualFold(r.Header.Get("Cf-Mitigated"), "challenge") {
		return true
	}
	if len(r.Body) > 200_000 || r.Status/100 == 2 && isAPIType(r.Header.Get("Content-Type")) {
		return false
	}
	b := bytes.ToLower(r.Body)
	for _, mark := range challengeMarks {
		if bytes.Contains(b, mark) {
			return true
		}
	}
	return false
}

var challengeMarks = [][]byte{[]byte("just a moment..."), []byte("challenge-platform"), []byte("attention required"), []byte("_cf_chl_opt")}

// isAPIType tells a JSON or server-sent-events content type.
func isAPIType(contentType string) bool {
	t, _, _ := strings.Cut(strings.ToLower(contentType), ";")
	t = strings.TrimSpace(t)
	return t == "application/json" || strings.HasSuffix(t, "+json") || t == "text/event-stream"
}

// Sleep waits d or until ctx is done.
func Sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// robotsRules are the Disallow and Allow prefixes for our user agent.
type robotsRules struct{ allow, disallow []string }

// Allowed checks u against the host's robots.txt, fetched once per host.
// A missing robots.txt allows everything.
func (c *Client) Allowed(ctx context.Context, u *url.URL) (bool, error) {
	c.mu.Lock()
	if c.robots == nil {
		c.robots = map[string]*robotsRules{}
	}
	rules, ok := c.robots[u.Host]
	c.mu.Unlock()
	if !ok {
		robotsURL := &url.URL{Scheme: u.Scheme, Host: u.Host, Path: "/robots.txt"}
		resp, err := c.Do(ctx, func() (*http.Request, error) {
			return http.NewRequestWithContext(ctx, http.MethodGet, robotsURL.String(), nil)
		})
		switch {
		case errors.Is(err, ErrNotFound):
			rules = &robotsRules{}
		case err != nil:
			return false, fmt.Errorf("robots.txt: %w", err)
		default:
			rules = parseRobots(resp.Body, c.UserAgent)
		}
		c.mu.Lock()
		c.robots[u.Host] = rules
		c.mu.Unlock()
	}
	best, allow := -1, true // the longest matching rule wins
	for _, p := range rules.disallow {
		if strings.HasPrefix(u.Path, p) && len(p) > best {
			best, allow = len(p), false
		}
	}
	for _, p := range rules.allow {
		if strings.HasPrefix(u.Path, p) && len(p) >= best {
			best, allow = len(p), true
		}
	}
	return allow, nil
}

// parseRobots reads the groups for "*" and for our agent's product name.
func parseRobots(data []byte, userAgent string) *robotsRules {
	product := strings.ToLower(strings.SplitN(userAgent, "/", 2)[0])
	var mine, star robotsRules
	var current []*robotsRules
	inAgents := false
	sc := bufio.NewScanner(bytes.NewReader(data))
	for sc.Scan() {
		line, _, _ := strings.Cut(sc.Text(), "#")
		key, val, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key, val = strings.ToLower(strings.TrimSpace(key)), strings.TrimSpace(val)
		switch key {
		case "user-agent":
			if !inAgents {
				current = nil
			}
			inAgents = true
			switch a := strings.ToLower(val); {
			case a == "*":
				current = append(current, &star)
			case strings.Contains(a, product):
				current = append(current, &mine)
			}
		case "allow", "disallow":
			inAgents = false
			for _, g := range current {
				if val == "" {
					continue
				}
				if key == "allow" {
					g.allow = append(g.allow, val)
				} else {
					g.disallow = append(g.disallow, val)
				}
			}
		}
	}
	if len(mine.allow)+len(mine.disallow) > 0 {
		return &mine
	}
	return &star
}
