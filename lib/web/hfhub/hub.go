package hfhub

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"

	"github.com/dwkit/dwkit/lib/web"
)

// DefaultEndpoint is the Hub's address unless --endpoint or HF_ENDPOINT
// says otherwise.
const DefaultEndpoint = "https://huggingface.co"

// RepoID is a repository's OWNER/NAME.
var RepoID = regexp.MustCompile(`^[A-Za-z0-9][\w.-]*/[A-Za-z0-9][\w.-]*$`)

// Token finds the access token as the official clients do: HF_TOKEN, else
// the file HF_TOKEN_PATH names, else HF_HOME/token, HF_HOME being
// $XDG_CACHE_HOME/huggingface or ~/.cache/huggingface by default. It says
// where it looked when there is none.
func Token(getenv func(string) string) (string, error) {
	if t := strings.TrimSpace(getenv("HF_TOKEN")); t != "" {
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
	if t == "" || strings.ContainsAny(t, " \t\r\n") {
		return "", fmt.Errorf("the token file %s does not hold one token", path)
	}
	return t, nil
}

// Client talks to one Hub endpoint with one token.
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

// Repo is a dataset repository on the Hub.
type Repo struct{ ID string } // OWNER/NAME

func (r Repo) api() string { return "/api/datasets/" + r.ID }

func (c *Client) logf(format string, args ...any) {
	if c.Log != nil {
		c.Log(format, args...)
	}
}

// hidden replaces the token wherever it might have slipped into an error.
func (c *Client) hidden(err error) error {
	if err == nil || c.Token == "" || !strings.Contains(err.Error(), c.Token) {
		return err
	}
	return errors.New(strings.ReplaceAll(err.Error(), c.Token, "hf_***"))
}

// request is one call: to the endpoint (with the token) when url starts
// with "/", else to the absolute url (LFS storage: without it).
type request struct {
	method, url string
	header      map[string]string
	body        func() (io.Reader, int64, error) // nil: no body
}

func (c *Client) newRequest(ctx context.Context, r request) func() (*http.Request, error) {
	return func() (*http.Request, error) {
		target := r.url
		toHub := strings.HasPrefix(target, "/")
		if toHub {
			target = c.Endpoint + target
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
		if toHub && c.Token != "" {
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
		if err := jsonUnmarshal(resp.Body, out); err != nil {
			return fmt.Errorf("%s %s: %w", r.method, r.url, err)
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
	err = c.call(ctx, request{method: "POST", url: "/api/repos/create", header: jsonHeader, body: jsonBody(body)}, nil)
	if status(err) == http.StatusConflict {
		return false, nil
	}
	return err == nil, err
}

// Head is the commit a branch points to.
func (c *Client) Head(ctx context.Context, repo Repo, branch string) (string, error) {
	var info struct {
		SHA string `json:"sha"`
	}
	err := c.call(ctx, request{method: "GET", url: repo.api() + "/revision/" + url.PathEscape(branch)}, &info)
	if err != nil {
		return "", err
	}
	if info.SHA == "" {
		return "", fmt.Errorf("the Hub names no commit for branch %q of %s", branch, repo.ID)
	}
	return info.SHA, nil
}

// CreateBranch makes branch from the default branch's head unless it
// exists.
func (c *Client) CreateBranch(ctx context.Context, repo Repo, branch string) error {
	err := c.call(ctx, request{method: "POST", url: repo.api() + "/branch/" + url.PathEscape(branch), header: jsonHeader, body: jsonBody(struct{}{})}, nil)
	if status(err) == http.StatusConflict {
		return nil
	}
	return err
}
