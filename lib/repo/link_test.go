package repo

import (
	"encoding/json"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
)

func TestMerge(t *testing.T) {
	spans := func() []span {
		return []span{{start: 10, end: 12}, {start: 1, end: 2}, {start: 13, end: 13}, {start: 4, end: 5}}
	}
	show := func(ss []span) string {
		var b []string
		for _, s := range ss {
			b = append(b, fmt.Sprintf("%d-%d", s.start, s.end))
		}
		return strings.Join(b, " ")
	}
	if got := show(merge(spans(), 0, 20)); got != "1-2 4-5 10-13" { // 12 and 13 touch
		t.Errorf("no context: %s", got)
	}
	if got := show(merge(spans(), 1, 20)); got != "1-6 9-14" {
		t.Errorf("context 1: %s", got)
	}
	if got := show(merge(append(spans(), span{}), 0, 5)); got != "1-5" { // a whole-file citation in a 5-line file
		t.Errorf("whole file: %s", got)
	}
}

// partialRepo makes a git repository whose every file holds its own path
// as its one line, commits it, and then adds to the working tree what no
// commit has: an untracked second engine.rs, an ignored target/ folder and
// a nested repository. It returns the checkout and the commit.
func partialRepo(t *testing.T) (*Checkout, string) {
	t.Helper()
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	dir := writeTree(t, map[string]string{})
	write := func(files ...string) {
		for _, f := range files {
			abs := filepath.Join(dir, filepath.FromSlash(f))
			os.MkdirAll(filepath.Dir(abs), 0o755)
			if err := os.WriteFile(abs, []byte(f+"\n"), 0o644); err != nil {
				t.Fatal(err)
			}
		}
	}
	git := func(args ...string) string {
		out, err := exec.Command("git", append([]string{"-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...).Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	write("src/lib.rs", "src/api/database.rs", "src/engine.rs", "src/a/mod.rs", "src/b/mod.rs", "src/web/routes.rs", "tests/web/routes.rs")
	os.WriteFile(filepath.Join(dir, ".gitignore"), []byte("target/\n"), 0o644)
	os.MkdirAll(filepath.Join(dir, "lnk"), 0o755)
	if err := os.Symlink("../src/api/database.rs", filepath.Join(dir, "lnk", "database.rs")); err != nil {
		t.Fatal(err)
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "one")
	commit := git("rev-parse", "HEAD")
	write("tools/engine.rs", "target/debug/api/database.rs", "nested/api/database.rs", "nested/.git/HEAD", "src/.GIT/x/database.rs")
	c, err := OpenCheckout(dir)
	if err != nil {
		t.Fatal(err)
	}
	return c, commit
}

// TestLinkPartialPaths: a cited path that is no file is resolved through
// the page's relevant files, then by a unique path suffix, at a commit and
// in the working tree (which has an untracked second engine.rs, and
// ignored, nested-repository, symlinked and .git copies that never count).
func TestLinkPartialPaths(t *testing.T) {
	c, commit := partialRepo(t)
	tests := []struct {
		cited              string
		relevant           []string
		atCommit, worktree string // how it was found and the file, or what it is
	}{
		{"src/lib.rs", nil, "exact src/lib.rs", "exact src/lib.rs"},
		{"api/database.rs", nil, "suffix src/api/database.rs", "suffix src/api/database.rs"},
		{"database.rs", nil, "suffix src/api/database.rs", "suffix src/api/database.rs"},
		{"engine.rs", nil, "suffix src/engine.rs", "ambiguous"},
		{"engine.rs", []string{"src/engine.rs"}, "relevant src/engine.rs", "relevant src/engine.rs"},
		// A relevant file that is not in the checkout (or climbs) is no candidate.
		{"engine.rs", []string{"old/engine.rs", "../x/engine.rs"}, "suffix src/engine.rs", "ambiguous"},
		{"mod.rs", nil, "ambiguous", "ambiguous"},
		{"mod.rs", []string{"README.md", "src/b/mod.rs"}, "relevant src/b/mod.rs", "relevant src/b/mod.rs"},
		{"mod.rs", []string{"src/a/mod.rs", "src/b/mod.rs"}, "ambiguous", "ambiguous"},
		{"web/routes.rs", nil, "ambiguous", "ambiguous"},
		{"web/routes.rs", []string{"tests/web/routes.rs"}, "relevant tests/web/routes.rs", "relevant tests/web/routes.rs"},
		{"b/mod.rs", nil, "suffix src/b/mod.rs", "suffix src/b/mod.rs"},
		// Whole path segments only.
		{"base.rs", nil, "missing", "missing"},
		{"outes.rs", []string{"src/web/routes.rs"}, "missing", "missing"},
		{"i/database.rs", nil, "missing", "missing"},
		{"gone.rs", nil, "missing", "missing"},
		// Refused paths are never resolved.
		{"../engine.rs", nil, "refused", "refused"},
		{"../src/engine.rs", []string{"src/engine.rs"}, "refused", "refused"},
		{"x/../engine.rs", nil, "refused", "refused"},
		{"/engine.rs", nil, "refused", "refused"},
		{".git/HEAD", nil, "refused", "refused"},
		{"lnk/database.rs", nil, "refused", "refused"}, // a symlink, in the tree and the working tree
	}
	for _, mode := range []struct{ name, commit string }{{"commit", commit}, {"worktree", ""}} {
		for _, tt := range tests {
			lf, warnings, st := c.Link(mode.commit, []Cite{{Path: tt.cited, Start: 1, End: 1}}, tt.relevant, 0)
			var got string
			switch {
			case len(lf.Ambiguous) == 1 && lf.Ambiguous[0] == tt.cited:
				got = "ambiguous"
			case len(lf.Missing) == 1 && lf.Missing[0] == tt.cited:
				got = "missing"
			case len(lf.Refused) == 1 && lf.Refused[0] == tt.cited:
				got = "refused"
			case len(lf.Snippets) == 1:
				s := lf.Snippets[0]
				how := "exact"
				if st.ByRelevant == 1 {
					how = "relevant"
				} else if st.BySuffix == 1 {
					how = "suffix"
				}
				got = how + " " + s.Path
				if s.Code != s.Path+"\n" {
					got += fmt.Sprintf(" holding %q", s.Code)
				}
				if wantCited := map[bool]string{true: "", false: tt.cited}[s.Path == tt.cited]; s.Cited != wantCited {
					got += fmt.Sprintf(" cited %q", s.Cited)
				}
				if s.From != mode.name {
					got += " from " + s.From
				}
			default:
				got = fmt.Sprintf("%+v", lf)
			}
			want := tt.atCommit
			if mode.commit == "" {
				want = tt.worktree
			}
			if got != want {
				t.Errorf("%s: Link(%q, relevant %q) = %s; want %s (warnings %q)", mode.name, tt.cited, tt.relevant, got, want, warnings)
			}
		}
	}
}

// TestLinkPartialOutput: the resolved snippet records both paths, the
// ambiguous one its candidates, and exact paths' JSON is as before.
func TestLinkPartialOutput(t *testing.T) {
	c, commit := partialRepo(t)
	cites := []Cite{{Path: "src/lib.rs"}, {Path: "api/database.rs", Start: 1, End: 3}, {Path: "mod.rs", Start: 1, End: 1}, {Path: "base.rs"}}
	lf, warnings, st := c.Link(commit, cites, nil, 0)
	js, _ := json.Marshal(lf)
	want := `{"snippets":[` +
		`{"path":"src/lib.rs","start":1,"end":1,"from":"commit","commit":"` + commit + `","code":"src/lib.rs\n"},` +
		`{"path":"src/api/database.rs","cited":"api/database.rs","start":1,"end":1,"from":"commit","commit":"` + commit + `","clamped":true,"code":"src/api/database.rs\n"}],` +
		`"missing":["base.rs"],"ambiguous":["mod.rs"]}`
	if string(js) != want {
		t.Errorf("link field\n %s\nwant\n %s", js, want)
	}
	if st != (LinkStats{Changed: 1, BySuffix: 1}) {
		t.Errorf("stats %+v; want 1 changed, 1 by suffix", st)
	}
	for _, w := range []string{
		"src/api/database.rs (cited as api/database.rs):1-3 runs past the file's 1 lines: clamped",
		"cited file mod.rs is ambiguous in commit " + commit + ": 2 files end with it: src/a/mod.rs, src/b/mod.rs",
		"cited file base.rs is not in commit " + commit,
	} {
		if !slices.Contains(warnings, w) {
			t.Errorf("warnings lack %q:\n%q", w, warnings)
		}
	}
}

// TestAmbiguousNamesAFew: a warning names at most a few candidates.
func TestAmbiguousNamesAFew(t *testing.T) {
	files := map[string]string{}
	for i := range 8 {
		files[fmt.Sprintf("m%d/mod.rs", i)] = "x\n"
	}
	c, err := OpenCheckout(writeTree(t, files)) // no git: the working tree
	if err != nil {
		t.Fatal(err)
	}
	lf, warnings, _ := c.Link("", []Cite{{Path: "mod.rs"}}, nil, 0)
	want := "cited file mod.rs is ambiguous in the working tree: 8 files end with it: m0/mod.rs, m1/mod.rs, m2/mod.rs, m3/mod.rs, m4/mod.rs and 3 more"
	if fmt.Sprint(lf.Ambiguous) != "[mod.rs]" || len(warnings) != 1 || warnings[0] != want {
		t.Errorf("ambiguous %v, warnings %q; want %q", lf.Ambiguous, warnings, want)
	}
}

// TestLinkRefusesSubmodulesAndFlagsBadUTF8: a file inside a nested
// repository is not the checkout's source; a cited file that is not UTF-8
// is cut with U+FFFD and a warning.
func TestLinkRefusesSubmodulesAndFlagsBadUTF8(t *testing.T) {
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, "sub", ".git"), 0o755)
	os.WriteFile(filepath.Join(root, "sub", "s.rs"), []byte("fn s() {}\n"), 0o644)
	os.WriteFile(filepath.Join(root, "latin1.rs"), []byte("// caf\xe9\nfn a() {}\n"), 0o644)
	c, err := OpenCheckout(root)
	if err != nil {
		t.Fatal(err)
	}
	lf, warnings, _ := c.Link("", []Cite{{Path: "sub/s.rs"}, {Path: "latin1.rs", Start: 1, End: 1}}, nil, 0)
	if len(lf.Refused) != 1 || lf.Refused[0] != "sub/s.rs" {
		t.Errorf("refused %v; want the submodule's file", lf.Refused)
	}
	if len(lf.Snippets) != 1 || lf.Snippets[0].Code != "// caf\uFFFD\n" || !strings.Contains(strings.Join(warnings, "\n"), "latin1.rs is not valid UTF-8") {
		t.Errorf("snippets %+v, warnings %q", lf.Snippets, warnings)
	}
}
