package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"github.com/dwkit/dwkit/lib/web"
)

// DefaultEndpoint is the Hub's address unless --endpoint or HF_ENDPOINT
// says otherwise.
const DefaultEndpoint = "https://huggingface.co"

// repoPart is an owner's or a repository's name as the Hub takes them.
var repoPart = regexp.MustCompile(`^[A-Za-z0-9][\w.-]{0,95}$`)

// CheckRepoID checks a repository's OWNER/NAME as the Hub would: letters,
// digits, -, _ and ., starting with a letter or digit, not ending with -,
// . or .git, no -- or .., at most 96 characters each.
func CheckRepoID(id string) error {
	owner, name, ok := strings.Cut(id, "/")
	for _, p := range []string{owner, name} {
		if !ok || !repoPart.MatchString(p) || strings.Contains(p, "--") || strings.Contains(p, "..") || strings.HasSuffix(p, "-") || strings.HasSuffix(p, ".") || strings.HasSuffix(p, ".git") {
			return fmt.Errorf("%q: want OWNER/NAME of letters, digits, -, _ and . (no -- or .., not ending with -, . or .git, at most 96 each)", id)
		}
	}
	return nil
}

// CheckBranch checks a branch name as git would take it.
func CheckBranch(b string) error {
	bad := b == "" || len(b) > 200 || strings.ContainsAny(b, " ~^:?*[\\\x7f") || strings.Contains(b, "..") || strings.Contains(b, "@{") ||
		strings.Contains(b, "//") || strings.HasPrefix(b, "/") || strings.HasPrefix(b, "-") || strings.HasSuffix(b, "/") ||
		strings.HasSuffix(b, ".") || strings.ContainsFunc(b, func(r rune) bool { return r < 0x20 })
	for _, part := range strings.Split(b, "/") { // git: no part starts with . or ends with .lock
		bad = bad || strings.HasPrefix(part, ".") || strings.HasSuffix(part, ".lock")
	}
	if bad {
		return fmt.Errorf("%q is not a branch name git would take", b)
	}
	return nil
}

// CheckEndpoint checks the Hub's address: http(s), a host, no user, query
// or fragment.
func CheckEndpoint(endpoint string) error {
	u, err := url.Parse(endpoint)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" || u.User != nil || strings.ContainsAny(endpoint, "?#") || strings.Trim(u.Path, "/") != "" {
		return fmt.Errorf("%q: want an http(s) address like https://huggingface.co, no path, query or fragment", endpoint)
	}
	return nil
}

// Token finds the access token as the official clients do: HF_TOKEN, else
// the file HF_TOKEN_PATH names, else HF_HOME/token, HF_HOME being
// $XDG_CACHE_HOME/huggingface or ~/.cache/huggingface by default. It says
// where it looked when there is none.
func Token(getenv func(string) string) (string, error) {
	if t := strings.TrimSpace(getenv("HF_TOKEN")); t != "" {
		if !validToken(t) {
			return "", fmt.Errorf("HF_TOKEN holds spaces or control characters: not a token")
		}
		return t, nil
	}
	path := getenv("HF_TOKEN_PATH")
	if path == "" {
		home := getenv("HF_HOME")
		if home == "" {
			cache := getenv("XDG_CACHE_HOME")
			if cache == "" {
				dir, err := os.UserHomeDir()
				if err != nil {
					return "", fmt.Errorf("no token: HF_TOKEN is not set and there is no home folder to find a token file in")
				}
				cache = filepath.Join(dir, ".cache")
			}
			home = filepath.Join(cache, "huggingface")
		}
		path = filepath.Join(home, "token")
	}
	data, err := os.ReadFile(path)
	if errors.Is(err, os.ErrNotExist) {
		return "", fmt.Errorf("no token: HF_TOKEN is not set and %s does not exist (huggingface-cli login writes it)", path)
	}
	if err != nil {
		return "", fmt.Errorf("reading the token: %w", err)
	}
	t := strings.TrimSpace(string(data))
	if !validToken(t) {
		return "", fmt.Errorf("the token file %s does not hold one token", path)
	}
	return t, nil
}

// validToken: printable, without spaces (it goes into a header).
func validToken(t string) bool {
	return t != "" && !strings.ContainsFunc(t, func(r rune) bool { return r <= ' ' || r == 0x7f })
}

// Client talks to one Hub endpoint with one token. Make it with NewClient.
type Client struct {
	Endpoint string      // e.g. https://huggingface.co, no trailing slash
	Token    string      // sent as a bearer token to Endpoint only
	Web      *web.Client // retries, backoff, answer size cap
	// Progress, if not nil, is told of bytes sent to LFS storage.
	Progress func(sent, total int64)
	// Log, if not nil, is told of what the commit does besides uploading
	// (files skipped, a stale parent, a lost answer).
	Log func(format string, args ...any)
}

// Options are a Client's network settings.
type Options struct {
	HTTP      *http.Client // nil: one with dial and TLS timeouts
	UserAgent string
	Retries   int
	Backoff   time.Duration // the first wait before a retry
	MaxWait   time.Duration // the longest
	Log       func(format string, args ...any)
	Sleep     func(context.Context, time.Duration) error // tests
}

// NewClient makes a client of endpoint with token. Every line it logs and
// every error it returns has the token masked; a redirect to another
// origin (scheme, host and port) loses the token; one attempt of an API
// call may take 2 minutes (a commit 10), and one of a transfer 5 minutes
// plus 8 seconds a MiB (128 KiB/s), so that a server that stalls or
// trickles cannot hold the upload forever.
func NewClient(endpoint, token string, opt Options) *Client {
	c := &Client{Endpoint: strings.TrimSuffix(endpoint, "/"), Token: token}
	var hc http.Client
	if opt.HTTP != nil {
		hc = *opt.HTTP
	} else {
		hc.Transport = &http.Transport{
			Proxy:               http.ProxyFromEnvironment,
			DialContext:         (&net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second}).DialContext,
			TLSHandshakeTimeout: 30 * time.Second,
			IdleConnTimeout:     90 * time.Second,
			ForceAttemptHTTP2:   true,
		}
	}
	hc.CheckRedirect = sameOriginToken
	log := opt.Log
	if log != nil {
		log = func(format string, args ...any) { opt.Log("%s", c.Mask(fmt.Sprintf(format, args...))) }
	}
	c.Log = log
	c.Web = &web.Client{HTTP: &hc, UserAgent: opt.UserAgent, MaxBytes: 16 << 20, Retries: opt.Retries,
		Backoff: opt.Backoff, MaxWait: opt.MaxWait, Log: log, Sleep: opt.Sleep, Timeout: attemptTimeout, Mask: c.Mask}
	return c
}

// attemptTimeout is the most one attempt may take (see NewClient).
func attemptTimeout(req *http.Request) time.Duration {
	switch {
	case req.ContentLength > 1<<20:
		return 5*time.Minute + time.Duration(req.ContentLength>>20)*8*time.Second
	case strings.Contains(req.URL.Path, "/commit/"):
		return 10 * time.Minute // the Hub checks every file of a commit
	}
	return 2 * time.Minute
}

// sameOriginToken follows up to 10 redirects, keeping the token only on
// those to the same scheme, host and port.
func sameOriginToken(req *http.Request, via []*http.Request) error {
	if len(via) >= 10 {
		return errors.New("stopped after 10 redirects")
	}
	first := via[0].URL
	if req.URL.Scheme != first.Scheme || req.URL.Host != first.Host {
		req.Header.Del("Authorization")
	}
	return nil
}

// Mask replaces the token in s.
func (c *Client) Mask(s string) string {
	if c.Token == "" {
		return s
	}
	return strings.ReplaceAll(s, c.Token, "hf_***")
}

// Repo is a dataset repository on the Hub.
type Repo struct{ ID string } // OWNER/NAME

func (r Repo) api() string { return "/api/datasets/" + r.ID }

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// hidden replaces the token wherever it might have slipped into an error;
// the error it wraps stays reachable (errors.As finds its status).
func (c *Client) hidden(err error) error {
	if err == nil || c.Token == "" || !strings.Contains(err.Error(), c.Token) {
		return err
	}
	return &masked{err: err, msg: c.Mask(err.Error())}
}

// masked is an error whose message has the token masked.
type masked struct {
	err error
	msg string
}

func (m *masked) Error() string { return m.msg }
func (m *masked) Unwrap() error { return m.err }

// request is one call: to the endpoint with the token (path, from /), or
// to LFS storage without it (storage, an absolute http(s) URL the Hub
// gave).
type request struct {
	method  string
	path    string // under the endpoint
	toStore bool   // to storage instead, at this URL
	storage string
	header  map[string]string
	body    func() (io.Reader, int64, error) // nil: no body
}

// storageURL checks an address the Hub gave for LFS storage.
func storageURL(href string) error {
	u, err := url.Parse(href)
	if err != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
		return fmt.Errorf("the Hub gave %.100q as a storage address: want an absolute http(s) URL", href)
	}
	return nil
}

func (c *Client) newRequest(ctx context.Context, r request) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		target := c.Endpoint + r.path
		if r.toStore {
			if err := storageURL(r.storage); err != nil {
				return nil, err
			}
			target = r.storage
		}
		var body io.Reader
		size := int64(0)
		if r.body != nil {
			var err error
			if body, size, err = r.body(); err != nil {
				return nil, err
			}
		}
		req, err := http.NewRequestWithContext(ctx, r.method, target, body)
		if err != nil {
			return nil, err
		}
		if r.body != nil {
			req.ContentLength = size
		}
		for k, v := range r.header {
			req.Header.Set(k, v)
		}
		if !r.toStore && c.Token != "" {
			req.Header.Set("Authorization", "Bearer "+c.Token)
		}
		return req, nil
	}
}

// jsonBody is a request body of v's JSON.
func jsonBody(v any) func() (io.Reader, int64, error) {
	data, err := json.Marshal(v)
	return func() (io.Reader, int64, error) { return bytes.NewReader(data), int64(len(data)), err }
}

var jsonHeader = map[string]string{"Content-Type": "application/json"}

// call sends r with retries and decodes a JSON answer into out (if not nil).
func (c *Client) call(ctx context.Context, r request, out any) error {
	resp, err := c.Web.Do(ctx, c.newRequest(ctx, r))
	if err != nil {
		return c.hidden(err)
	}
	if out != nil {
		if err := c.decode(resp.Body, out); err != nil {
			return fmt.Errorf("%s %s: %w", r.method, r.path, err)
		}
	}
	return nil
}

// status is the HTTP status of a refusal, or 0.
func status(err error) int {
	var se *web.StatusError
	if errors.As(err, &se) {
		return se.Status
	}
	return 0
}

// CreateRepo creates the dataset repository, public or private. One that
// exists already is no error (created is then false); its visibility is
// left as it is.
func (c *Client) CreateRepo(ctx context.Context, repo Repo, private bool) (created bool, err error) {
	owner, name, _ := strings.Cut(repo.ID, "/")
	visibility := "public"
	if private {
		visibility = "private"
	}
	body := struct {
		Name         string `json:"name"`
		Visibility   string `json:"visibility"`
		Organization string `json:"organization"`
		Type         string `json:"type"`
	}{name, visibility, owner, "dataset"}
	err = c.call(ctx, request{method: "POST", path: "/api/repos/create", header: jsonHeader, body: jsonBody(body)}, nil)
	if status(err) == http.StatusConflict {
		return false, nil
	}
	return err == nil, c.hidden(err)
}

// Head is the commit a branch points to.
func (c *Client) Head(ctx context.Context, repo Repo, branch string) (string, error) {
	var info struct {
		SHA string `json:"sha"`
	}
	err := c.call(ctx, request{method: "GET", path: repo.api() + "/revision/" + url.PathEscape(branch)}, &info)
	if err != nil {
		return "", c.hidden(err)
	}
	if info.SHA == "" {
		return "", fmt.Errorf("the Hub names no commit for branch %q of %s", branch, repo.ID)
	}
	return info.SHA, nil
}

// CreateBranch makes branch from the default branch's head unless it
// exists.
func (c *Client) CreateBranch(ctx context.Context, repo Repo, branch string) error {
	err := c.call(ctx, request{method: "POST", path: repo.api() + "/branch/" + url.PathEscape(branch), header: jsonHeader, body: jsonBody(struct{}{})}, nil)
	if status(err) == http.StatusConflict {
		return nil
	}
	return c.hidden(err)
}

// ListFiles lists the files under dir (a folder path, "" for all) at the
// head of branch, following the Hub's pages; a branch or folder that does
// not exist has none.
func (c *Client) ListFiles(ctx context.Context, repo Repo, branch, dir string) ([]string, error) {
	next := repo.api() + "/tree/" + url.PathEscape(branch)
	if dir != "" {
		next += "/" + dir
	}
	next += "?recursive=true&expand=false"
	var out []string
	for page := 0; next != ""; page++ {
		if page == 10_000 {
			return nil, fmt.Errorf("listing %s: more than 10,000 pages", repo.ID)
		}
		resp, err := c.Web.Do(ctx, c.newRequest(ctx, request{method: "GET", path: next}))
		if status(err) == http.StatusNotFound {
			return nil, nil
		}
		if err != nil {
			return nil, c.hidden(fmt.Errorf("listing %s: %w", repo.ID, err))
		}
		var entries []struct {
			Type string `json:"type"`
			Path string `json:"path"`
		}
		if err := c.decode(resp.Body, &entries); err != nil {
			return nil, fmt.Errorf("listing %s: %w", repo.ID, err)
		}
		for _, e := range entries {
			if e.Type == "file" {
				out = append(out, e.Path)
			}
		}
		next = ""
		if link := nextLink(resp.Header.Get("Link")); link != "" {
			u, err := url.Parse(link)
			if err != nil || u.IsAbs() && u.Scheme+"://"+u.Host != c.Endpoint {
				return nil, fmt.Errorf("listing %s: the next page %.100q is not on %s", repo.ID, link, c.Endpoint)
			}
			next = u.RequestURI()
		}
	}
	return out, nil
}

// nextLink is the rel="next" URL of a Link header, or "".
func nextLink(h string) string {
	for _, part := range strings.Split(h, ",") {
		target, params, ok := strings.Cut(part, ";")
		if ok && strings.Contains(strings.ReplaceAll(params, " ", ""), `rel="next"`) {
			return strings.Trim(strings.TrimSpace(target), "<>")
		}
	}
	return ""
}
