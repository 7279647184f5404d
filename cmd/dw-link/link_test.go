package main

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/cli/clitest"
	"github.com/dwkit/dwkit/lib/repo"
)

func runTool(t *testing.T, stdin string, args ...string) (int, string, string) {
	return clitest.Run(t, run, stdin, args...)
}

// gitRepo makes a repository whose first commit has lib.rs of 10 lines;
// a second commit changes line 2. It returns the folder and both commits.
func gitRepo(t *testing.T) (dir, first, second string) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir = t.TempDir()
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	var lines []string
	for i := 1; i <= 10; i++ {
		lines = append(lines, fmt.Sprintf("line %d", i))
	}
	os.MkdirAll(filepath.Join(dir, "src"), 0o755)
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "one")
	first = git("rev-parse", "HEAD")
	lines[1] = "line 2, changed"
	os.WriteFile(filepath.Join(dir, "src", "lib.rs"), []byte(strings.Join(lines, "\n")+"\n"), 0o644)
	git("commit", "-qam", "two")
	second = git("rev-parse", "HEAD")
	return dir, first, second
}

type linked struct {
	ID   string `json:"id"`
	Link repo.LinkField
}

func chunk(commit string, cites string) string {
	return fmt.Sprintf(`{"id":"c1","text":"t","source":{"commit":%q},"chunk":{"citations":%s}}`+"\n", commit, cites)
}

func TestLinkAtCommitAndWorktree(t *testing.T) {
	dir, first, _ := gitRepo(t)
	outside := filepath.Join(t.TempDir(), "secret.rs")
	os.WriteFile(outside, []byte("secret\n"), 0o644)
	os.Symlink(outside, filepath.Join(dir, "src", "escape.rs"))
	cites := `[{"path":"src/lib.rs","start":2,"end":3},{"path":"src/lib.rs","start":4,"end":4},{"path":"src/lib.rs","start":9,"end":12},` +
		`{"path":"src/gone.rs","start":1,"end":2},{"path":"../etc/passwd","start":1,"end":1},{"path":"/etc/passwd","start":0,"end":0},{"path":"src/escape.rs","start":0,"end":0}]`
	// At the wiki's commit: line 2 as it was then.
	code, out, errs := runTool(t, chunk(first, cites), "--repo", dir)
	var r linked
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	want := []repo.Snippet{
		{Path: "src/lib.rs", Start: 2, End: 4, From: "commit", Commit: first, Code: "line 2\nline 3\nline 4\n"},
		{Path: "src/lib.rs", Start: 9, End: 10, From: "commit", Commit: first, Clamped: true, Code: "line 9\nline 10\n"},
	}
	if fmt.Sprint(r.Link.Snippets) != fmt.Sprint(want) {
		t.Errorf("snippets\n %+v\nwant\n %+v", r.Link.Snippets, want)
	}
	// The symlink is refused only from the working tree; at a commit it is not a file of the tree.
	if fmt.Sprint(r.Link.Missing) != "[src/gone.rs src/escape.rs]" || fmt.Sprint(r.Link.Refused) != "[../etc/passwd /etc/passwd]" {
		t.Errorf("missing %v, refused %v", r.Link.Missing, r.Link.Refused)
	}
	for _, w := range []string{"src/lib.rs:9-12 runs past the file's 10 lines: clamped", "cited file src/gone.rs is not in commit", "../etc/passwd refused", "2 snippets; 2 cited files missing, 2 refused"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	// Unknown commit: the working tree, which has the change and the symlink.
	_, out, _ = runTool(t, chunk("feedbeef", cites), "--repo", dir, "--context", "1")
	json.Unmarshal([]byte(out), &r)
	if len(r.Link.Snippets) < 1 || r.Link.Snippets[0].From != "worktree" || r.Link.Snippets[0].Code != "line 1\nline 2, changed\nline 3\nline 4\nline 5\n" {
		t.Errorf("worktree with context: %+v", r.Link.Snippets)
	}
	if fmt.Sprint(r.Link.Refused) != "[../etc/passwd /etc/passwd src/escape.rs]" {
		t.Errorf("worktree refused %v", r.Link.Refused)
	}
}

func TestBadInputAndUsage(t *testing.T) {
	dir, _, _ := gitRepo(t)
	code, _, errs := runTool(t, "{\"id\":\"x\"}\nnope\n", "--repo", dir)
	if code != cli.ExitFailure || !strings.Contains(errs, `stdin:1: missing field "chunk"`) || !strings.Contains(errs, "stdin:2: invalid JSON") {
		t.Errorf("exit %d: %s", code, errs)
	}
	if code, _, _ := runTool(t, ""); code != cli.ExitUsage {
		t.Errorf("no --repo: exit %d; want 2", code)
	}
	if code, _, errs := runTool(t, "", "--repo", filepath.Join(dir, "nope")); code != cli.ExitFailure || !strings.Contains(errs, "--repo") {
		t.Errorf("missing repo: exit %d, %s", code, errs)
	}
}

func TestHelpIsTheManual(t *testing.T) { clitest.CheckManual(t, run, doc) }

// TestItems: with --items each snippet lists the functions its lines
// overlap, with their call graph; other kinds and other files are not
// listed.
func TestItems(t *testing.T) {
	dir, _, second := gitRepo(t)
	items := filepath.Join(t.TempDir(), "items.jsonl")
	os.WriteFile(items, []byte(`{"id":"f1","kind":"fn","text":"x","source":{"path":"src/lib.rs","start_line":1,"end_line":3},"rust":{"name":"a","path":"c::a"},"graph":{"calls":[{"id":"f2","path":"c::b","line":2,"how":"path"}],"called_by":[],"unresolved":[],"macros":[],"counts":{},"tree":"c::a\n└─→ c::b","flow":"a calls b."}}
{"id":"f2","kind":"fn","text":"y","source":{"path":"src/lib.rs","start_line":8,"end_line":9},"rust":{"name":"b","path":"c::b"}}
{"id":"s1","kind":"struct","text":"z","source":{"path":"src/lib.rs","start_line":2,"end_line":2},"rust":{"name":"S","path":"c::S"}}
{"id":"f3","kind":"fn","text":"w","source":{"path":"src/other.rs","start_line":1,"end_line":9},"rust":{"name":"o","path":"c::o"}}
`), 0o644)
	code, out, errs := runTool(t, chunk(second, `[{"path":"src/lib.rs","start":2,"end":4}]`), "--repo", dir, "--items", items)
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errs)
	}
	var got linked
	json.Unmarshal([]byte(out), &got)
	fns := got.Link.Snippets[0].Functions
	if len(fns) != 1 || fns[0].ID != "f1" || fns[0].Path != "c::a" || fns[0].Graph == nil || fns[0].Graph.Flow != "a calls b." || fns[0].Graph.Calls[0].Path != "c::b" {
		t.Errorf("functions %+v", fns)
	}
	if code, _, errs := runTool(t, chunk(second, `[]`), "--repo", dir, "--items", filepath.Join(dir, "missing")); code != cli.ExitFailure || !strings.Contains(errs, "--items") {
		t.Errorf("missing --items: exit %d: %s", code, errs)
	}
}
