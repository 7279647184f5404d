package web

import (
	"bufio"
	"bytes"
	"cmp"
	"context"
	"encoding/json"
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
	// Timeout, if not nil, is the most one attempt of a request may take,
	// answer read included; 0 means no limit but HTTP's.
	Timeout func(*http.Request) time.Duration
	// Mask, if not nil, hides secrets in a server's words before they are
	// cut short into an error (a cut secret could no longer be found).
	Mask func(string) string

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
// ErrNotFound; any other refusal is a *StatusError.
func (c *Client) Do(ctx context.Context, newReq func() (*http.Request, error)) (*Response, error) {
	for attempt := 0; ; attempt++ {
		resp, err := c.Once(newReq)
		if err == nil || !Retryable(err) || attempt >= c.Retries {
			return resp, err
		}
		if err := c.Wait(ctx, err, attempt); err != nil {
			return nil, err
		}
	}
}

// Once sends a request built by newReq once. Retryable tells whether its
// error is worth another try, after Wait.
func (c *Client) Once(newReq func() (*http.Request, error)) (*Response, error) {
	req, err := newReq()
	if err != nil {
		return nil, err
	}
	req.Header.Set("User-Agent", c.UserAgent)
	return c.once(req)
}

// Retryable tells a failure worth another try: a broken transfer, 408, 429
// or 5xx.
func Retryable(err error) bool {
	var r *retryable
	return errors.As(err, &r)
}

// Wait sleeps before retry number attempt+1 of a request that failed with
// err: the server's Retry-After or rate-limit reset if it gave one, else an
// exponential backoff from c.Backoff with jitter; never longer than
// c.MaxWait.
func (c *Client) Wait(ctx context.Context, err error, attempt int) error {
	var r *retryable
	errors.As(err, &r)
	wait := c.Backoff << min(attempt, 30)
	d := wait + rand.N(wait/2+1) // jitter
	if r != nil && r.after > 0 {
		d = r.after
	}
	d = min(d, c.MaxWait)
	c.logf("%v; retrying in %s (%d of %d)", err, d.Round(time.Millisecond), attempt+1, c.Retries)
	sleep := c.Sleep
	if sleep == nil {
		sleep = Sleep
	}
	return sleep(ctx, d)
}

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// retryable marks a failure worth another try, with the wait the server
// asked for (0: none).
type retryable struct {
	err   error
	after time.Duration
}

func (r *retryable) Error() string { return r.err.Error() }
func (r *retryable) Unwrap() error { return r.err }

// StatusError is an answer of a status the client does not accept, with
// the start of its body (an API's error message).
type StatusError struct {
	URL    string
	Status int
	Body   []byte
	Mask   func(string) string // see Client.Mask
}

func (e *StatusError) Error() string {
	msg := fmt.Sprintf("%s: %d %s", e.URL, e.Status, http.StatusText(e.Status))
	if m := apiMessage(e.Body, e.Mask); m != "" {
		msg += ": " + m
	}
	return msg
}

// Is makes a 403 ErrBlocked and a 404 ErrNotFound.
func (e *StatusError) Is(target error) bool {
	return target == ErrBlocked && e.Status == http.StatusForbidden || target == ErrNotFound && e.Status == http.StatusNotFound
}

// Said is a server's words fit for a message: secrets masked (mask may be
// nil), then invalid UTF-8, line breaks and control characters made
// harmless, then cut to 300 bytes — masked before cut, so that no part of
// a secret survives the cut.
func Said(s string, mask func(string) string) string {
	if mask != nil {
		s = mask(s)
	}
	s = strings.Map(func(r rune) rune {
		if r < 0x20 || r == 0x7f {
			return ' '
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	if len(s) > 300 {
		s = strings.ToValidUTF8(s[:300], "") + "…"
	}
	return s
}

// apiMessage is the "error" or "message" of a JSON error body, else the
// body's first line, masked, then cut to at most 300 bytes, printable on
// one line.
func apiMessage(body []byte, mask func(string) string) string {
	var v struct{ Error, Message string }
	msg := ""
	if json.Unmarshal(body, &v) == nil {
		msg = cmp.Or(v.Error, v.Message)
	} else if !bytes.HasPrefix(bytes.TrimSpace(body), []byte("<")) {
		msg, _, _ = strings.Cut(string(body), "\n")
	}
	return strings.TrimSpace(Said(msg, mask))
}

func (c *Client) once(req *http.Request) (*Response, error) {
	if c.Timeout != nil {
		if d := c.Timeout(req); d > 0 {
			ctx, cancel := context.WithTimeout(req.Context(), d)
			defer cancel()
			req = req.WithContext(ctx)
		}
	}
	resp, err := c.HTTP.Do(req)
	if err != nil {
		if ctxErr := req.Context().Err(); ctxErr != nil && !errors.Is(ctxErr, context.DeadlineExceeded) || req.URL.Scheme != "http" && req.URL.Scheme != "https" {
			return nil, err // cancelled, or a request no retry can mend
		}
		return nil, &retryable{err: err}
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(io.LimitReader(resp.Body, c.MaxBytes+1))
	switch {
	case err != nil:
		return nil, &retryable{err: fmt.Errorf("%s: reading the answer: %w", req.URL.Redacted(), err)}
	case int64(len(body)) > c.MaxBytes:
		return nil, fmt.Errorf("%s: answer over %d bytes", req.URL.Redacted(), c.MaxBytes)
	case resp.ContentLength >= 0 && int64(len(body)) != resp.ContentLength && resp.StatusCode != http.StatusNotModified:
		return nil, &retryable{err: fmt.Errorf("%s: truncated answer: %d of %d bytes", req.URL.Redacted(), len(body), resp.ContentLength)}
	}
	r := &Response{resp.StatusCode, resp.Header, body}
	if isChallenge(r) { // whatever the status: a 503 or 429 challenge must not be retried
		return nil, fmt.Errorf("%w: %s answered %s with a bot challenge page", ErrBlocked, req.URL.Host, resp.Status)
	}
	if s := resp.StatusCode; s == http.StatusNotModified || s >= 200 && s < 300 {
		return r, nil
	}
	se := &StatusError{URL: req.URL.Redacted(), Status: resp.StatusCode, Body: body[:min(len(body), 4096)], Mask: c.Mask}
	if s := resp.StatusCode; s == http.StatusRequestTimeout || s == http.StatusTooManyRequests || s >= 500 {
		return nil, &retryable{err: se, after: serverWait(resp.Header)}
	}
	return nil, se
}

// serverWait is the wait a server asks for: Retry-After, else the reset
// of an exhausted rate limit (the IETF RateLimit fields, both the
// structured `RateLimit: "policy";r=0;t=30` and the older RateLimit-Reset).
func serverWait(h http.Header) time.Duration {
	if d := RetryAfter(h.Get("Retry-After")); d > 0 {
		return d
	}
	if v := h.Get("RateLimit"); v != "" {
		exhausted, reset := false, 0 // of any policy: the longest reset
		for _, param := range strings.FieldsFunc(v, func(r rune) bool { return r == ';' || r == ',' }) {
			key, val, _ := strings.Cut(strings.TrimSpace(param), "=")
			n, err := strconv.Atoi(strings.TrimSpace(val))
			switch {
			case err != nil || n < 0:
			case key == "r" || key == "remaining":
				exhausted = exhausted || n == 0
			case key == "t" || key == "reset":
				reset = max(reset, n)
			}
		}
		if exhausted && reset > 0 {
			return time.Duration(reset) * time.Second
		}
	}
	if n, err := strconv.Atoi(strings.TrimSpace(h.Get("RateLimit-Reset"))); err == nil && n > 0 {
		return time.Duration(n) * time.Second
	}
	return 0
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
