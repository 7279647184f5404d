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
	"github.com/dwkit/dwkit/lib/deepwiki"
)

// TestChallengeOnAnyStatus: a challenge answered with 503 or 429 stops the
// run at once: no retry, no next repository.
func TestChallengeOnAnyStatus(t *testing.T) {
	for _, fault := range []string{"challenge503", "challenge429"} {
		s, srv := newSite(t, fault)
		code, _, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html"}, append(fast, "python/cpython", "other/repo")...)...)
		if code != cli.ExitFailure || !strings.Contains(errs, "bot challenge") || s.hits["/python/cpython"] != 1 || s.hits["/other/repo"] != 0 {
			t.Errorf("%s: exit %d, %d requests, other repo asked %d times:\n%s", fault, code, s.hits["/python/cpython"], s.hits["/other/repo"], errs)
		}
	}
}

// TestCutBodyIsRetried: a close-delimited body cut short is asked for
// again, not taken for a repository without a wiki.
func TestCutBodyIsRetried(t *testing.T) {
	s, srv := newSite(t, "closecut")
	code, stdout, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html"}, append(fast, "python/cpython")...)...)
	if code != 0 || len(pages(t, stdout)) != 24 || s.hits["/python/cpython"] != 2 || !strings.Contains(errs, "cut short; asking again") {
		t.Errorf("exit %d, %d pages after %d requests:\n%s", code, len(pages(t, stdout)), s.hits["/python/cpython"], errs)
	}
	_, srv = newSite(t, "closecut", "closecut", "closecut")
	code, stdout, errs = runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html", "--retries", "2"}, append(fast, "python/cpython")...)...)
	if code != cli.ExitFailure || stdout != "" || strings.Contains(errs, "has no wiki") {
		t.Errorf("cut three times: exit %d, %d bytes out; want 1 and a truncation error:\n%s", code, len(stdout), errs)
	}
}

// TestMCPContentsCutShort: contents cut after a page's heading are retried,
// then an error; never an empty page with exit 0.
func TestMCPContentsCutShort(t *testing.T) {
	wiki, err := deepwiki.ParseHTML(cpythonHTML(t))
	if err != nil {
		t.Fatal(err)
	}
	cut := *wiki
	cut.Pages = append([]deepwiki.Page(nil), wiki.Pages...)
	last := &cut.Pages[len(cut.Pages)-1]
	last.Markdown = "" // the answer ends at "# Page: <title>"
	mcp, calls := mcpServer(t, &cut, false)
	code, stdout, errs := runTool(t, "", append([]string{"--mcp-url", mcp.URL, "--source", "mcp", "--retries", "2"}, append(fast, "python/cpython")...)...)
	if code != cli.ExitFailure || stdout != "" || !strings.Contains(errs, "is empty: the answer is cut short") || *calls != 6 {
		t.Errorf("exit %d, %d bytes out, %d tool calls (want 3 tries of 2):\n%s", code, len(stdout), *calls, errs)
	}
}

// TestNamesFromTheNetwork: a page id or repo_name that climbs out of
// --out-dir, or a commit that is a path, writes nothing outside it.
func TestNamesFromTheNetwork(t *testing.T) {
	md := "# Overview\n\nText."
	wiki, _ := json.Marshal(map[string]any{"wiki": map[string]any{
		"metadata": map[string]string{"repo_name": "../../x", "commit_hash": "../../../escape"},
		"pages":    []map[string]any{{"page_plan": map[string]string{"id": "../../../../tmp/x", "title": "Overview"}, "content": "$1"}},
	}})
	js, _ := json.Marshal([]any{1, fmt.Sprintf("1:T%x,%s2:%s\n", len(md), md, wiki)})
	page := "<html><body><script>self.__next_f.push(" + string(js) + ")</script></body></html>"
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/a/b" {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
	defer srv.Close()
	root := t.TempDir()
	out, cache := filepath.Join(root, "deep", "er", "out"), filepath.Join(root, "deep", "er", "cache")
	code, stdout, errs := runTool(t, "", "--base-url", srv.URL, "--source", "html", "--delay", "0s", "--out-dir", out, "--cache", cache, "a/b")
	if code != 0 || len(pages(t, stdout)) != 1 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var written []string
	filepath.Walk(root, func(path string, info os.FileInfo, err error) error {
		if err == nil && !info.IsDir() {
			rel, _ := filepath.Rel(root, path)
			written = append(written, rel)
		}
		return nil
	})
	want := []string{"deep/er/cache/a/b/latest.json", "deep/er/cache/a/b/unknown-commit.json", "deep/er/out/a/b/.._.._.._.._tmp_x-overview.md"}
	if strings.Join(written, " ") != strings.Join(want, " ") {
		t.Errorf("files written: %q; want %q", written, want)
	}
	if _, err := os.Stat("/tmp/x-overview.md"); err == nil {
		t.Error("/tmp/x-overview.md exists")
	}
	for _, bad := range []string{"x/..", "../x", "./.", "a/b/../../c"} {
		if code, _, _ := runTool(t, "", bad); code != cli.ExitUsage {
			t.Errorf("%q on the command line: exit %d; want 2", bad, code)
		}
	}
}

// TestBadNamesOnStdin: a bad line of stdin is reported and skipped; the
// good ones are fetched; the run exits 1.
func TestBadNamesOnStdin(t *testing.T) {
	s, srv := newSite(t)
	stdin := "not a repo\n" + `{"name":"python/cpython"}` + "\n" + "x/..\n" + "python/cpython\n"
	code, stdout, errs := runTool(t, stdin, append([]string{"--base-url", srv.URL, "--source", "html"}, fast...)...)
	if code != cli.ExitFailure || len(pages(t, stdout)) != 24 || s.hits["/python/cpython"] != 1 {
		t.Errorf("exit %d, %d pages; want 1 and the good repository's 24:\n%s", code, len(pages(t, stdout)), errs)
	}
	for _, want := range []string{`stdin:1: "not a repo" is not a repository`, `stdin:2: a JSON line needs a "repo" field`, `stdin:3: "x/.." is not a repository`} {
		if !strings.Contains(errs, want) {
			t.Errorf("stderr lacks %q:\n%s", want, errs)
		}
	}
}

// flightHTML is a DeepWiki page whose flight stream holds w: each page's
// markdown in a text row, the wiki object in row 0.
func flightHTML(w *deepwiki.Wiki) string {
	var stream strings.Builder
	var pages []map[string]any
	for i, p := range w.Pages {
		id := fmt.Sprintf("a%x", i)
		fmt.Fprintf(&stream, "%s:T%x,%s", id, len(p.Markdown), p.Markdown)
		pages = append(pages, map[string]any{"page_plan": map[string]string{"id": p.ID, "title": p.Title}, "content": "$" + id})
	}
	wiki, _ := json.Marshal(map[string]any{"wiki": map[string]any{
		"metadata": map[string]string{"repo_name": w.Repo, "commit_hash": w.Commit}, "pages": pages}})
	fmt.Fprintf(&stream, "0:%s\n", wiki)
	js, _ := json.Marshal([]any{1, stream.String()})
	return "<html><body><script>self.__next_f.push(" + string(js) + ")</script></body></html>"
}

// wikiSite serves each wiki at /OWNER/REPO and counts the requests.
func wikiSite(t *testing.T, wikis ...*deepwiki.Wiki) (*httptest.Server, map[string]int) {
	var mu sync.Mutex
	hits := map[string]int{}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mu.Lock()
		hits[r.URL.Path]++
		mu.Unlock()
		for _, wk := range wikis {
			if r.URL.Path == "/"+wk.Repo {
				w.Header().Set("Content-Type", "text/html")
				io.WriteString(w, flightHTML(wk))
				return
			}
		}
		http.NotFound(w, r)
	}))
	t.Cleanup(srv.Close)
	return srv, hits
}

func page1(id, title string) deepwiki.Page {
	return deepwiki.Page{ID: id, Title: title, Markdown: "# " + title + "\n\nPage " + id + "."}
}

// TestLongTitlesAndClashingNames: a 300-character title makes a file name
// of at most 100 bytes of slug, not "file name too long"; page ids that
// sanitize to the same name ("1/2", "1_2") get "-2", with a warning, and
// neither file overwrites the other.
func TestLongTitlesAndClashingNames(t *testing.T) {
	long := strings.Repeat("Long title ", 27) + "end" // 300 characters
	srv, hits := wikiSite(t,
		&deepwiki.Wiki{Repo: "a/long", Commit: "abc1", Pages: []deepwiki.Page{page1("1", long)}},
		&deepwiki.Wiki{Repo: "a/clash", Commit: "abc2", Pages: []deepwiki.Page{page1("1/2", "Same"), page1("1_2", "Same")}})
	out := t.TempDir()
	code, stdout, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html", "--out-dir", out}, append(fast, "a/long", "a/clash")...)...)
	if code != 0 || len(pages(t, stdout)) != 3 || hits["/a/clash"] != 1 {
		t.Fatalf("exit %d, %d pages, a/clash asked %d times; want 0, 3, 1:\n%s", code, len(pages(t, stdout)), hits["/a/clash"], errs)
	}
	slug := strings.Repeat("long-title-", 9) + "l" // cut at 100 bytes
	want := map[string]string{
		"a/long/1-" + slug + ".md": "Page 1.",
		"a/clash/1_2-same.md":      "Page 1/2.",
		"a/clash/1_2-same-2.md":    "Page 1_2.",
	}
	for name, text := range want {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil || !strings.Contains(string(data), text) {
			t.Errorf("%s: %q, %v; want it to hold %q", name, data, err, text)
		}
	}
	if !strings.Contains(errs, `warning: a/clash: page "1_2": file name 1_2-same.md is taken by page "1/2"; writing 1_2-same-2.md`) {
		t.Errorf("no warning of the clash:\n%s", errs)
	}
}

// TestMarkdownNotWritten: a .md file that cannot be written is an error of
// its repository, reported and counted; its other files, its records and
// the next repositories go on.
func TestMarkdownNotWritten(t *testing.T) {
	s, srv := newSite(t)
	out := t.TempDir()
	if err := os.MkdirAll(filepath.Join(out, "python", "cpython", "1-overview.md"), 0o755); err != nil {
		t.Fatal(err)
	}
	code, stdout, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html", "--out-dir", out}, append(fast, "python/cpython", "python/cpython")...)...)
	if code != cli.ExitFailure || len(pages(t, stdout)) != 48 || s.hits["/python/cpython"] != 2 {
		t.Fatalf("exit %d, %d pages, %d requests; want 1, 48 and 2:\n%s", code, len(pages(t, stdout)), s.hits["/python/cpython"], errs)
	}
	if strings.Count(errs, "error: python/cpython: page 1: open ") != 2 || !strings.Contains(errs, "2 repositories, 48 pages, 0 failed, 2 .md files not written") {
		t.Errorf("stderr:\n%s", errs)
	}
	if files, _ := filepath.Glob(filepath.Join(out, "python", "cpython", "*.md")); len(files) != 24 { // 23 files and the folder in the way
		t.Errorf("%d .md names; want 24", len(files))
	}
	// Under --fail-fast the first such file stops the run.
	code, _, errs = runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html", "--out-dir", out, "--fail-fast"}, append(fast, "python/cpython", "python/cpython")...)...)
	if code != cli.ExitFailure || s.hits["/python/cpython"] != 3 {
		t.Errorf("--fail-fast: exit %d, %d requests in all; want 1 and 3:\n%s", code, s.hits["/python/cpython"], errs)
	}
}

// TestPlainTextChallenge: a 503 "Just a moment..." sent as text/plain is a
// challenge: not retried, no next repository.
func TestPlainTextChallenge(t *testing.T) {
	s, srv := newSite(t, "challenge503plain")
	code, _, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html"}, append(fast, "python/cpython", "other/repo")...)...)
	if code != cli.ExitFailure || !strings.Contains(errs, "bot challenge") || s.hits["/python/cpython"] != 1 || s.hits["/other/repo"] != 0 {
		t.Errorf("exit %d, %d requests, other repo asked %d times:\n%s", code, s.hits["/python/cpython"], s.hits["/other/repo"], errs)
	}
}

// TestMCPSessionEnds: when the server ends the MCP session (404 to its
// id), a new one is started and the next repositories are read.
func TestMCPSessionEnds(t *testing.T) {
	wiki, err := deepwiki.ParseHTML(cpythonHTML(t))
	if err != nil {
		t.Fatal(err)
	}
	mcp, calls := mcpServerEnding(t, wiki, false, 2) // each repository's two calls, then the session ends
	code, stdout, errs := runTool(t, "", append([]string{"--mcp-url", mcp.URL, "--source", "mcp"}, append(fast, "python/cpython", "python/cpython", "python/cpython")...)...)
	if code != 0 || len(pages(t, stdout)) != 72 || *calls != 6 {
		t.Errorf("exit %d, %d pages, %d tool calls; want 0, 72, 6:\n%s", code, len(pages(t, stdout)), *calls, errs)
	}
}

// TestHTMLEmptyPage: a page that is only its title heading is cut short
// from the HTML as from MCP: asked again, then reported.
func TestHTMLEmptyPage(t *testing.T) {
	empty := &deepwiki.Wiki{Repo: "a/b", Commit: "abc1", Pages: []deepwiki.Page{page1("1", "Overview"), {ID: "2", Title: "Details", Markdown: "# Details\n"}}}
	srv, hits := wikiSite(t, empty)
	code, stdout, errs := runTool(t, "", append([]string{"--base-url", srv.URL, "--source", "html", "--retries", "2"}, append(fast, "a/b")...)...)
	if code != cli.ExitFailure || stdout != "" || hits["/a/b"] != 3 || !strings.Contains(errs, `page 2 "Details" is empty: the answer is cut short`) {
		t.Errorf("exit %d, %d bytes out, %d requests (want 3):\n%s", code, len(stdout), hits["/a/b"], errs)
	}
}
