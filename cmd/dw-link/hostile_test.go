package main

import (
	"encoding/json"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// TestRefusesWhatIsNotSource: git's folder, folders, symlinks (even inside
// the checkout) and submodules are refused in both modes; "..hidden.rs" is
// a file name like any other.
func TestRefusesWhatIsNotSource(t *testing.T) {
	dir, _, _ := gitRepo(t)
	os.WriteFile(filepath.Join(dir, "..hidden.rs"), []byte("hidden 1\nhidden 2\n"), 0o644)
	os.Symlink("src/lib.rs", filepath.Join(dir, "alias.rs"))
	git := exec.Command("git", "-C", dir, "-c", "user.name=t", "-c", "user.email=t@example.com", "commit", "-qm", "three")
	exec.Command("git", "-C", dir, "add", ".").Run()
	if out, err := git.CombinedOutput(); err != nil {
		t.Fatalf("git commit: %v %s", err, out)
	}
	head, _ := exec.Command("git", "-C", dir, "rev-parse", "HEAD").Output()
	cites := `[{"path":".git/config","start":0,"end":0},{"path":"src","start":0,"end":0},{"path":"alias.rs","start":1,"end":2},` +
		`{"path":"src/.GIT/x","start":1,"end":1},{"path":"..hidden.rs","start":1,"end":1}]`
	for _, commit := range []string{"", strings.TrimSpace(string(head))} {
		code, out, errs := runTool(t, chunk(commit, cites), "--repo", dir)
		var r linked
		if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
			t.Fatalf("commit %q: exit %d, %v: %s", commit, code, err, errs)
		}
		if got := strings.Join(r.Link.Refused, " "); got != ".git/config src alias.rs src/.GIT/x" {
			t.Errorf("commit %q: refused %q; want .git/config, the folder, the symlink and src/.GIT/x", commit, got)
		}
		if len(r.Link.Snippets) != 1 || r.Link.Snippets[0].Code != "hidden 1\n" {
			t.Errorf("commit %q: snippets %+v; want ..hidden.rs line 1", commit, r.Link.Snippets)
		}
		for _, s := range r.Link.Snippets {
			if strings.Contains(s.Code, "[core]") || strings.HasPrefix(s.Code, "tree ") || s.Code == "src/lib.rs" {
				t.Errorf("commit %q: leaked %q", commit, s.Code)
			}
		}
	}
}

// TestOddRanges: reversed ranges, starts before line 1, huge numbers and a
// huge --context are read sensibly, each change warned about and counted.
func TestOddRanges(t *testing.T) {
	dir, first, _ := gitRepo(t)
	cites := `[{"path":"src/lib.rs","start":5,"end":3},{"path":"src/lib.rs","start":-4,"end":1},{"path":"src/lib.rs","start":9,"end":9223372036854775807}]`
	code, out, errs := runTool(t, chunk(first, cites), "--repo", dir)
	var r linked
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 {
		t.Fatalf("exit %d, %v: %s", code, err, errs)
	}
	var got []string
	for _, s := range r.Link.Snippets {
		got = append(got, strings.Join([]string{itoa(s.Start), itoa(s.End)}, "-"))
	}
	if strings.Join(got, " ") != "1-1 3-5 9-10" {
		t.Errorf("snippets %v; want 1-1 3-5 9-10", got)
	}
	for _, w := range []string{"src/lib.rs:5-3 is reversed: read as 3-5", "src/lib.rs:-4-1 starts before line 1: read as 1-1", "runs past the file's 10 lines: clamped", "3 cited ranges changed to fit"} {
		if !strings.Contains(errs, w) {
			t.Errorf("stderr lacks %q:\n%s", w, errs)
		}
	}
	code, out, errs = runTool(t, chunk(first, `[{"path":"src/lib.rs","start":5,"end":5}]`), "--repo", dir, "--context", "9223372036854775807")
	if err := json.Unmarshal([]byte(out), &r); err != nil || code != 0 || len(r.Link.Snippets) != 1 || r.Link.Snippets[0].Start != 1 || r.Link.Snippets[0].End != 10 {
		t.Errorf("--context 2^63-1: exit %d, %+v; want the whole file 1-10: %s", code, r.Link.Snippets, errs)
	}
}

func itoa(n int) string { b, _ := json.Marshal(n); return string(b) }

// TestOutputNotInTheCheckout: -o inside --repo is refused before anything is
// written: it could replace a cited file.
func TestOutputNotInTheCheckout(t *testing.T) {
	dir, first, _ := gitRepo(t)
	before, _ := os.ReadFile(filepath.Join(dir, "src", "lib.rs"))
	code, _, errs := runTool(t, chunk(first, `[{"path":"src/lib.rs","start":1,"end":2}]`), "--repo", dir, "-o", filepath.Join(dir, "src", "lib.rs"))
	after, _ := os.ReadFile(filepath.Join(dir, "src", "lib.rs"))
	if code != 2 || string(after) != string(before) || !strings.Contains(errs, "inside --repo") {
		t.Errorf("exit %d, file changed %v: %s", code, string(after) != string(before), errs)
	}
}
