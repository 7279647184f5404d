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
