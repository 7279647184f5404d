package main

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/deepwiki"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

func cpythonHTML(t *testing.T) []byte {
	html, err := os.ReadFile(filepath.Join("..", "..", "..", "shared", "fixtures", "deepwiki", "cpython-page.html"))
	if err != nil {
		t.Skipf("fixture not available (../shared/fixtures is absent): %v", err)
	}
	return html
}

// site is a loopback stand-in for deepwiki.com: it serves the recorded
// cpython page, robots.txt, and answers scripted faults first.
type site struct {
	html   []byte
	mu     sync.Mutex
	faults []string // consumed one per request to the wiki page
	hits   map[string]int
}

func (s *site) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	s.hits[r.URL.Path]++
	var fault string
	if r.URL.Path == "/python/cpython" && len(s.faults) > 0 {
		fault, s.faults = s.faults[0], s.faults[1:]
	}
	s.mu.Unlock()
	if !strings.HasPrefix(r.UserAgent(), "dwkit/") {
		http.Error(w, "who are you?", http.StatusBadRequest)
		return
	}
	switch {
	case r.URL.Path == "/robots.txt":
		io.WriteString(w, "User-agent: *\nDisallow: /private/\n")
		return
	case fault == "503":
		http.Error(w, "busy", http.StatusServiceUnavailable)
		return
	case fault == "429":
		w.Header().Set("Retry-After", "0")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case fault == "drop":
		conn, _, _ := w.(http.Hijacker).Hijack()
		conn.Close()
		return
	case fault == "truncate":
		w.Header().Set("Content-Length", fmt.Sprint(len(s.html)))
		w.Write(s.html[:len(s.html)/2])
		return
	case fault == "challenge":
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, "<html><title>Just a moment...</title></html>")
		return
	case fault == "challenge503":
		w.Header().Set("Content-Type", "text/html")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "<html><title>Just a moment...</title></html>")
		return
	case fault == "challenge503plain": // a challenge whatever its content type
		w.Header().Set("Content-Type", "text/plain; charset=utf-8")
		w.WriteHeader(http.StatusServiceUnavailable)
		io.WriteString(w, "Just a moment...")
		return
	case fault == "challenge429":
		w.Header().Set("Cf-Mitigated", "challenge")
		w.Header().Set("Retry-After", "0")
		http.Error(w, "slow down", http.StatusTooManyRequests)
		return
	case fault == "closecut": // no Content-Length: the close ends the body, early
		conn, buf, _ := w.(http.Hijacker).Hijack()
		buf.WriteString("HTTP/1.1 200 OK\r\nContent-Type: text/html\r\nConnection: close\r\n\r\n")
		buf.Write(s.html[:len(s.html)*3/4])
		buf.Flush()
		conn.Close()
		return
	case fault == "403":
		http.Error(w, "no", http.StatusForbidden)
		return
	}
	if r.URL.Path != "/python/cpython" {
		http.NotFound(w, r)
		return
	}
	w.Header().Set("ETag", `"v1"`)
	if r.Header.Get("If-None-Match") == `"v1"` {
		w.WriteHeader(http.StatusNotModified)
		return
	}
	w.Header().Set("Content-Type", "text/html")
	w.Write(s.html)
}

func newSite(t *testing.T, faults ...string) (*site, *httptest.Server) {
	s := &site{html: cpythonHTML(t), faults: faults, hits: map[string]int{}}
	srv := httptest.NewServer(s)
	t.Cleanup(srv.Close)
	return s, srv
}

type page struct {
	ID     string
	Kind   string
	Text   string
	Source struct{ Repo, Commit, URL string }
	Doc    struct {
		Page, Title, Slug, Parent, Via string
		Depth, Order                   int
	}
}

func pages(t *testing.T, out string) []page {
	var ps []page
	for _, line := range strings.Split(strings.TrimSpace(out), "\n") {
		if line == "" {
			continue
		}
		var p page
		if err := json.Unmarshal([]byte(line), &p); err != nil {
			t.Fatalf("bad line %q: %v", line, err)
		}
		ps = append(ps, p)
	}
	return ps
}

var fast = []string{"--delay", "0s", "--backoff", "1ms", "--max-wait", "5ms", "--no-cache"}

func TestHTMLSource(t *testing.T) {
	s, srv := newSite(t)
	out := t.TempDir()
	args := append([]string{"--base-url", srv.URL, "--source", "html", "--verbose"}, fast...)
	code, stdout, errs := runTool(t, "", append(args, srv.URL+"/python/cpython", out)...)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	ps := pages(t, stdout)
	if len(ps) != 24 || s.hits["/python/cpython"] != 1 {
		t.Fatalf("%d pages after %d requests", len(ps), s.hits["/python/cpython"])
	}
	p := ps[17]
	if p.Kind != "page" || p.Source.Repo != "python/cpython" || p.Source.Commit != "ea23c897" || p.Doc.Page != "6.2" ||
		p.Doc.Slug != "cicd-pipeline" || p.Doc.Depth != 2 || p.Doc.Parent != "6" || p.Doc.Order != 17 ||
		p.Source.URL != srv.URL+"/python/cpython/6.2-cicd-pipeline" || !strings.HasPrefix(p.Text, "# CI/CD Pipeline") {
		t.Errorf("page 18: %+v", p)
	}
	files, _ := filepath.Glob(filepath.Join(out, "python", "cpython", "*.md"))
	if len(files) != 24 || !strings.Contains(strings.Join(files, " "), "6.2-cicd-pipeline.md") {
		t.Errorf("%d .md files: %v", len(files), files)
	}
	if !strings.Contains(errs, "python/cpython: 24 pages, commit ea23c897, via html") {
		t.Errorf("stderr: %s", errs)
	}
}

// TestFaults: 503, 429, a dropped connection and a truncated body are
// retried; the wiki is then fetched exactly once, whole. (Go's transport
// itself re-sends an idempotent GET whose connection dropped, so that one
// needs no retry of ours.)
func TestFaults(t *testing.T) {
	s, srv := newSite(t, "503", "429", "drop", "truncate")
	code, stdout, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html"}, append(fast, "python/cpython")...)...)
	if code != 0 || len(pages(t, stdout)) != 24 || s.hits["/python/cpython"] != 5 {
		t.Fatalf("exit %d, %d pages, %d requests: %s", code, len(pages(t, stdout)), s.hits["/python/cpython"], errs)
	}
	for _, want := range []string{"503 Service Unavailable: busy; retrying", "429 Too Many Requests: slow down; retrying", "reading the answer: unexpected EOF; retrying"} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
	// Retries run out: reported, exit 1, nothing written.
	_, srv2 := newSite(t, "503", "503", "503")
	code, stdout, errs = runTool(t, "", append([]string{"--base-url", srv2.URL, "--source", "html", "--retries", "2"}, append(fast, "python/cpython")...)...)
	if code != cli.ExitFailure || stdout != "" || !strings.Contains(errs, "error: python/cpython") {
		t.Errorf("exit %d, stdout %d bytes, stderr %s", code, len(stdout), errs)
	}
}

// TestBlocked: a challenge page or a 403 stops the run before the next
// repository is asked for.
func TestBlocked(t *testing.T) {
	for _, fault := range []string{"challenge", "403"} {
		s, srv := newSite(t, fault)
		code, _, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--mcp-url", "http://127.0.0.1:1/mcp", "--source", "auto"}, append(fast, "python/cpython", "other/repo")...)...)
		if code != cli.ExitFailure || !strings.Contains(errs, "stopping") || s.hits["/other/repo"] != 0 {
			t.Errorf("%s: exit %d, other repo asked %d times, stderr %s", fault, code, s.hits["/other/repo"], errs)
		}
	}
	_, srv := newSite(t)
	if code, _, errs := runTool(t, "", append([]string{"--base-url", srv.URL}, append(fast, "private/x")...)...); code != cli.ExitFailure || !strings.Contains(errs, "robots.txt") {
		t.Errorf("robots.txt: exit %d, %s", code, errs)
	}
}

// mcpServer speaks the MCP streamable-HTTP rules DeepWiki's server does:
// the Accept header must offer JSON and SSE (else 406), initialize hands
// out a session id that later requests must carry (else 400), and
// answers come as SSE (structure) or JSON (contents).
func mcpServer(t *testing.T, wiki *deepwiki.Wiki, dropPage bool) (*httptest.Server, *int) {
	return mcpServerEnding(t, wiki, dropPage, 0)
}

// mcpServerEnding is mcpServer ending its session after every endEvery
// tool calls (0: never): a request with the ended session's id gets 404,
// and initialize hands out a new id.
func mcpServerEnding(t *testing.T, wiki *deepwiki.Wiki, dropPage bool, endEvery int) (*httptest.Server, *int) {
	calls := new(int)
	var mu sync.Mutex
	inits, live, ended := 0, "", ""
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		defer mu.Unlock()
		accept := r.Header.Get("Accept")
		if !strings.Contains(accept, "application/json") || !strings.Contains(accept, "text/event-stream") {
			http.Error(w, "Not Acceptable", http.StatusNotAcceptable)
			return
		}
		var msg struct {
			ID     any    `json:"id"`
			Method string `json:"method"`
			Params struct {
				Name      string            `json:"name"`
				Arguments map[string]string `json:"arguments"`
			} `json:"params"`
		}
		json.NewDecoder(r.Body).Decode(&msg)
		if msg.Method == "initialize" {
			inits++
			live = fmt.Sprintf("s-%d", 122+inits)
			w.Header().Set("Mcp-Session-Id", live)
			json.NewEncoder(w).Encode(map[string]any{"jsonrpc": "2.0", "id": msg.ID, "result": map[string]any{"protocolVersion": "2025-03-26"}})
			return
		}
		if id := r.Header.Get("Mcp-Session-Id"); id != live {
			if id != "" && id == ended {
				http.Error(w, "session not found", http.StatusNotFound)
				return
			}
			http.Error(w, "missing session", http.StatusBadRequest)
			return
		}
		if msg.ID == nil { // a notification
			w.WriteHeader(http.StatusAccepted)
			return
		}
		*calls++
		if endEvery > 0 && *calls%endEvery == 0 {
			defer func() { ended, live = live, "" }()
		}
		result := map[string]any{}
		text := func(s string, isErr bool) {
			result["content"] = []map[string]string{{"type": "text", "text": s}}
			result["isError"] = isErr
		}
		if msg.Params.Arguments["repoName"] != wiki.Repo {
			text("Repository not found", true)
		} else if msg.Params.Name == "read_wiki_structure" {
			var b strings.Builder
			fmt.Fprintf(&b, "Available pages for %s:\n\n", wiki.Repo)
			for _, p := range wiki.Pages {
				fmt.Fprintf(&b, "%s- %s %s\n", strings.Repeat("  ", p.Depth()-1), p.ID, p.Title)
			}
			text(b.String(), false)
		} else {
			var b strings.Builder
			for i, p := range wiki.Pages {
				if dropPage && i == 5 {
					continue
				}
				fmt.Fprintf(&b, "# Page: %s\n\n%s\n\n", p.Title, p.Markdown)
			}
			text(b.String(), false)
		}
		resp, _ := json.Marshal(map[string]any{"jsonrpc": "2.0", "id": msg.ID, "result": result})
		if msg.Params.Name == "read_wiki_structure" {
			w.Header().Set("Content-Type", "text/event-stream")
			fmt.Fprintf(w, "event: message\ndata: {\"jsonrpc\":\"2.0\",\"method\":\"notifications/progress\"}\n\nevent: message\ndata: %s\n\n", resp)
			return
		}
		w.Header().Set("Content-Type", "application/json")
		w.Write(resp)
	}))
	t.Cleanup(srv.Close)
	return srv, calls
}

func TestMCPSourceAndFallback(t *testing.T) {
	wiki, err := deepwiki.ParseHTML(cpythonHTML(t))
	if err != nil {
		t.Fatal(err)
	}
	mcp, _ := mcpServer(t, wiki, false)
	_, srv := newSite(t)
	code, stdout, errs := runTool(t, "", append([]string{"--mcp-url", mcp.URL, "--source", "mcp"}, append(fast, "python/cpython")...)...)
	ps := pages(t, stdout)
	if code != 0 || len(ps) != 24 {
		t.Fatalf("mcp: exit %d, %d pages: %s", code, len(ps), errs)
	}
	for i, p := range ps {
		if p.Text != wiki.Pages[i].Markdown || p.Doc.Via != "mcp" {
			t.Errorf("mcp page %s differs from the HTML's", p.Doc.Page)
		}
	}
	// auto: the site has no wiki for this repository; MCP says not found either.
	code, _, errs = runTool(t, "", append([]string{"--base-url", srv.URL, "--mcp-url", mcp.URL}, append(fast, "nobody/nothing")...)...)
	if code != cli.ExitFailure || !strings.Contains(errs, "html source failed") || !strings.Contains(errs, "trying mcp") || !strings.Contains(errs, "Repository not found") {
		t.Errorf("fallback: exit %d, %s", code, errs)
	}
	// A partial answer (a page missing from the contents) is an error.
	partial, _ := mcpServer(t, wiki, true)
	code, stdout, errs = runTool(t, "", append([]string{"--mcp-url", partial.URL, "--source", "mcp"}, append(fast, "python/cpython")...)...)
	if code != cli.ExitFailure || stdout != "" || !strings.Contains(errs, "the page list has 24 pages but the contents hold 23") {
		t.Errorf("partial: exit %d, %d bytes out, %s", code, len(stdout), errs)
	}
}

func TestCache(t *testing.T) {
	s, srv := newSite(t)
	cache := t.TempDir()
	args := []string{"--base-url", srv.URL, "--delay", "0s", "--cache", cache, "python/cpython"}
	_, first, _ := runTool(t, "", args...)
	_, again, _ := runTool(t, "", args...)
	if first != again || s.hits["/python/cpython"] != 1 {
		t.Fatalf("second run asked the site %d times in all, same output %v", s.hits["/python/cpython"], first == again)
	}
	if _, err := os.Stat(filepath.Join(cache, "python", "cpython", "ea23c897.json")); err != nil {
		t.Errorf("cache entry by commit: %v", err)
	}
	// Past --refresh: a conditional GET answered 304, same records.
	_, third, errs := runTool(t, "", append([]string{"--refresh", "0s", "-v"}, args...)...)
	if third != first || s.hits["/python/cpython"] != 2 || !strings.Contains(errs, "unchanged since the cached copy") {
		t.Errorf("refresh: %d requests, same %v, %s", s.hits["/python/cpython"], third == first, errs)
	}
}

func TestArgsAndStdin(t *testing.T) {
	_, srv := newSite(t)
	code, stdout, errs := runTool(t, "python/cpython\n\n"+`{"repo":"https://deepwiki.com/python/cpython/2-code"}`+"\n", append([]string{"--base-url", srv.URL, "--source", "html"}, fast...)...)
	if code != 0 || len(pages(t, stdout)) != 48 {
		t.Errorf("stdin: exit %d, %d pages: %s", code, len(pages(t, stdout)), errs)
	}
	for _, bad := range [][]string{{"not a repo"}, {"https://deepwiki.com/"}} {
		if code, _, _ := runTool(t, "", bad...); code != cli.ExitUsage {
			t.Errorf("%v: exit %d; want 2", bad, code)
		}
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }
