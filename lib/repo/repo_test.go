package repo

import (
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"syscall"
	"testing"
)

// writeTree creates files (path → contents) under a new temp dir.
func writeTree(t *testing.T, files map[string]string) string {
	t.Helper()
	root := t.TempDir()
	for p, body := range files {
		abs := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(abs, []byte(body), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	return root
}

func rels(files []File) []string {
	var out []string
	for _, f := range files {
		out = append(out, f.Rel)
	}
	return out
}

func TestGitignoreMatches(t *testing.T) {
	tests := []struct {
		pattern, path string
		dir, want     bool
	}{
		{"*.log", "a/b/x.log", false, true},
		{"*.log", "x.log.txt", false, false},
		{"/build", "build", true, true},
		{"/build", "a/build", true, false},
		{"build/", "a/build", true, true},
		{"build/", "a/build", false, false},
		{"doc/*.txt", "doc/a.txt", false, true},
		{"doc/*.txt", "doc/x/a.txt", false, false},
		{"**/foo", "a/b/foo", false, true},
		{"**/foo", "foo", false, true},
		{"a/**/b", "a/b", false, true},
		{"a/**/b", "a/x/y/b", false, true},
		{"abc/**", "abc/x/y", false, true},
		{"file[0-9].rs", "file7.rs", false, true},
		{"file[!0-9].rs", "file7.rs", false, false},
		{"?.rs", "ab.rs", false, false},
		{`\#hash`, "#hash", false, true},
		{"trailing   ", "trailing", false, true},
	}
	for _, tt := range tests {
		s := ignoreStack{parseIgnore("", []byte(tt.pattern))}
		if got := s.ignored(tt.path, tt.dir); got != tt.want {
			t.Errorf("pattern %q on %q (dir %v) = %v; want %v", tt.pattern, tt.path, tt.dir, got, tt.want)
		}
	}
}

// TestGitignoreAgreesWithGit builds a tree with nested .gitignore files and
// compares the files Walk keeps with the untracked, non-ignored files git
// itself lists.
func TestGitignoreAgreesWithGit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	files := map[string]string{
		".gitignore": "*.log\n!keep.log\n/root-only.rs\nbuild/\ndocs/**/*.tmp\n[Tt]emp*\n\\!bang\nsrc/gen/\n# comment\n*.o\n",
		"a.log":      "x", "keep.log": "x", "root-only.rs": "x", "sub/root-only.rs": "x",
		"build/out.rs": "x", "sub/build/out.rs": "x", "build.rs": "x",
		"docs/a/b/c.tmp": "x", "docs/c.tmp": "x", "docs/c.md": "x",
		"Temp1.rs": "x", "temp2.rs": "x", "atemp.rs": "x",
		"!bang": "x", "src/gen/x.rs": "x", "src/gen.rs": "x",
		"src/lib.rs": "x", "src/a.o": "x",
		"crates/c/.gitignore": "*.rs\n!lib.rs\n/local\n",
		"crates/c/lib.rs":     "x", "crates/c/main.rs": "x", "crates/c/local/x.txt": "x",
		"crates/c/deeper/local/y": "x", "crates/c/deeper/z.rs": "x",
		"crates/d/.gitignore": "!*.log\n",
		"crates/d/again.log":  "x",
	}
	root := writeTree(t, files)
	git := exec.Command("git", "-c", "core.excludesFile=/dev/null", "ls-files", "--others", "--exclude-standard")
	git.Dir = root
	if err := exec.Command("git", "init", "-q", root).Run(); err != nil {
		t.Fatal(err)
	}
	out, err := git.Output()
	if err != nil {
		t.Fatal(err)
	}
	want := strings.Fields(string(out))
	sort.Strings(want)
	got, _, err := Walk(root, Options{})
	if err != nil {
		t.Fatal(err)
	}
	gotRels := rels(got)
	sort.Strings(gotRels)
	if !slices.Equal(gotRels, want) {
		t.Errorf("Walk kept\n  %q\ngit keeps\n  %q", gotRels, want)
	}
}

func TestWalkSkips(t *testing.T) {
	root := writeTree(t, map[string]string{
		"Cargo.toml":                "[package]\nname='x'\n",
		"src/lib.rs":                strings.Repeat("a", 200),
		"src/a/b.rs":                strings.Repeat("b", 200),
		"src/a.rs":                  strings.Repeat("c", 200),
		"src/tiny.rs":               "x",
		"src/huge.rs":               strings.Repeat("h", 5000),
		"src/notes.md":              strings.Repeat("m", 200),
		"target/debug/x.rs":         strings.Repeat("t", 200),
		"vendor/dep/lib.rs":         strings.Repeat("v", 200),
		".hidden/x.rs":              strings.Repeat("v", 200),
		"sub/target/keep.rs":        strings.Repeat("k", 200), // not next to a Cargo.toml: a module named target
		"other/target/CACHEDIR.TAG": "Signature: 8a477f597d28d172789f06886806bc55",
	})
	outside := writeTree(t, map[string]string{"secret.rs": strings.Repeat("s", 200)})
	os.Symlink(filepath.Join(outside, "secret.rs"), filepath.Join(root, "src", "escape.rs"))
	os.Symlink(outside, filepath.Join(root, "escape_dir"))
	os.Symlink("a.rs", filepath.Join(root, "src", "inside.rs"))
	os.Symlink("..", filepath.Join(root, "src", "loop"))
	if err := syscall.Mkfifo(filepath.Join(root, "src", "pipe.rs"), 0o644); err != nil {
		t.Fatal(err)
	}

	files, skips, err := Walk(root, Options{
		Match:   func(rel string) bool { return strings.HasSuffix(rel, ".rs") },
		MinSize: 100, MaxSize: 1000,
	})
	if err != nil {
		t.Fatal(err)
	}
	wantFiles := []string{"src/a/b.rs", "src/a.rs", "src/inside.rs", "src/lib.rs", "sub/target/keep.rs"}
	if got := rels(files); !slices.Equal(got, wantFiles) {
		t.Errorf("files = %q; want %q", got, wantFiles)
	}
	var gotSkips []string
	for _, s := range skips {
		gotSkips = append(gotSkips, s.Rel+" "+string(s.Reason))
	}
	wantSkips := []string{".hidden hidden", "escape_dir outside", "other/target build-dir", "src/escape.rs outside",
		"src/huge.rs too-large", "src/pipe.rs not-a-file", "src/tiny.rs too-small", "target build-dir", "vendor vendored"}
	if !slices.Equal(gotSkips, wantSkips) {
		t.Errorf("skips = %q; want %q", gotSkips, wantSkips)
	}
	if _, _, err := Walk(filepath.Join(root, "nope"), Options{}); err == nil {
		t.Error("Walk of a missing root succeeded")
	}
}

func TestCheckContent(t *testing.T) {
	tests := []struct {
		in   string
		keep bool
		want Reason
	}{
		{"fn main() {}\n", false, ""},
		{"// @generated by prost\nfn x() {}", false, Generated},
		{"// @generated\n", true, ""},
		{"a\nb\nc\nd\ne\n// DO NOT EDIT\n", false, ""}, // sixth line: too late
		{"/* automatically generated by rust-bindgen */\n", false, Generated},
		{"abc\x00def", false, Binary},
	}
	for _, tt := range tests {
		if got := CheckContent([]byte(tt.in), tt.keep); got != tt.want {
			t.Errorf("CheckContent(%q, %v) = %q; want %q", tt.in, tt.keep, got, tt.want)
		}
	}
}

func TestCommit(t *testing.T) {
	if _, err := exec.LookPath("git"); err != nil {
		t.Skip("git not installed")
	}
	root := writeTree(t, map[string]string{"a.rs": "fn a() {}"})
	if got := Commit(root); got != "" {
		t.Errorf("Commit of a non-repository = %q; want empty", got)
	}
	git := func(args ...string) string {
		cmd := exec.Command("git", append([]string{"-C", root, "-c", "user.name=t", "-c", "user.email=t@example.com"}, args...)...)
		out, err := cmd.Output()
		if err != nil {
			t.Fatalf("git %v: %v", args, err)
		}
		return strings.TrimSpace(string(out))
	}
	git("init", "-q")
	git("add", ".")
	git("commit", "-qm", "x")
	want := git("rev-parse", "HEAD")
	if got := Commit(root); got != want {
		t.Errorf("Commit (loose ref) = %q; want %q", got, want)
	}
	git("pack-refs", "--all")
	if got := Commit(root); got != want {
		t.Errorf("Commit (packed ref) = %q; want %q", got, want)
	}
	git("checkout", "-q", "--detach")
	if got := Commit(root); got != want {
		t.Errorf("Commit (detached) = %q; want %q", got, want)
	}
}
