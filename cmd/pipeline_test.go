package cmd_test

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"strings"
	"testing"

	"github.com/rogpeppe/go-internal/testscript"
)

var update = flag.Bool("update", false, "rewrite the expected output in testdata/script")

// binDir holds the dw-* binaries built for the pipeline scripts.
var binDir string

func TestMain(m *testing.M) {
	dir, err := os.MkdirTemp("", "dwkit-bin-")
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		os.Exit(1)
	}
	build := exec.Command("go", "build", "-o", dir+string(os.PathSeparator), "github.com/dwkit/dwkit/cmd/...")
	if out, err := build.CombinedOutput(); err != nil {
		fmt.Fprintf(os.Stderr, "building the commands: %v\n%s", err, out)
		os.Exit(1)
	}
	binDir = dir
	code := m.Run()
	os.RemoveAll(dir)
	os.Exit(code)
}

// TestPipelines runs testdata/script/*.txtar: the real binaries, piped into
// each other as the recipes do.
func TestPipelines(t *testing.T) {
	testscript.Run(t, testscript.Params{
		Dir:           "testdata/script",
		UpdateScripts: *update,
		Setup: func(env *testscript.Env) error {
			env.Setenv("PATH", binDir+string(os.PathListSeparator)+env.Getenv("PATH"))
			return nil
		},
		Cmds: map[string]func(ts *testscript.TestScript, neg bool, args []string){"serve-wiki": serveWiki},
	})
}

// serveWiki REPO PAGE.md GITDIR serves, on loopback until the script ends,
// a DeepWiki page for REPO whose flight stream holds PAGE.md as page 1,
// generated at GITDIR's HEAD commit; $SITE is its address.
func serveWiki(ts *testscript.TestScript, neg bool, args []string) {
	if neg || len(args) != 3 {
		ts.Fatalf("usage: serve-wiki REPO PAGE.md GITDIR")
	}
	repo, md := args[0], ts.ReadFile(args[1])
	commit, err := exec.Command("git", "-C", ts.MkAbs(args[2]), "rev-parse", "HEAD").Output()
	ts.Check(err)
	srv := wikiServer(repo, wikiPage(repo, strings.TrimSpace(string(commit)), md))
	ts.Defer(srv.Close)
	ts.Setenv("SITE", srv.URL)
}

// wikiPage is DeepWiki's HTML for REPO: a flight stream that holds md as
// page 1, generated at commit, broken at an arbitrary point as Next.js does.
func wikiPage(repo, commit, md string) string {
	wiki, _ := json.Marshal(map[string]any{"wiki": map[string]any{
		"metadata": map[string]string{"repo_name": repo, "commit_hash": commit, "generated_at": "2025-01-01T00:00:00"},
		"pages":    []map[string]any{{"page_plan": map[string]string{"id": "1", "title": "Overview"}, "content": "$1"}},
	}})
	stream := fmt.Sprintf("1:T%x,%s2:%s\n", len(md), md, wiki)
	var pushes strings.Builder
	for _, part := range []string{stream[:len(stream)/3], stream[len(stream)/3:]} {
		js, _ := json.Marshal([]any{1, part})
		fmt.Fprintf(&pushes, "<script>self.__next_f.push(%s)</script>", js)
	}
	return "<html><body>" + pushes.String() + "</body></html>"
}

// wikiServer serves page as REPO's wiki on loopback.
func wikiServer(repo, page string) *httptest.Server {
	return httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if r.URL.Path != "/"+repo {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "text/html")
		io.WriteString(w, page)
	}))
}
