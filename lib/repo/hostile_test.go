package repo

import (
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// TestHostileGitDir: a .git that points outside, is huge, or is a FIFO
// gives no commit, quickly, and nothing read from elsewhere.
func TestHostileGitDir(t *testing.T) {
	hash := strings.Repeat("ab", 20)
	cases := map[string]func(git string){
		"ref climbs out": func(git string) { // to a file holding a hash: only the guard refuses it
			os.WriteFile(filepath.Join(git, "..", "outside"), []byte(hash+"\n"), 0o644)
			os.WriteFile(filepath.Join(git, "HEAD"), []byte("ref: ../outside\n"), 0o644)
		},
		"ref not under refs": func(git string) {
			os.WriteFile(filepath.Join(git, "ORIG"), []byte(hash+"\n"), 0o644)
			os.WriteFile(filepath.Join(git, "HEAD"), []byte("ref: ORIG\n"), 0o644)
		},
		"detached, not a hash": func(git string) { os.WriteFile(filepath.Join(git, "HEAD"), []byte("root:x:0:0\n"), 0o644) },
		"huge HEAD": func(git string) {
			os.WriteFile(filepath.Join(git, "HEAD"), []byte(strings.Repeat(hash, 200_000)), 0o644)
		},
		"HEAD is a FIFO": func(git string) { syscall.Mkfifo(filepath.Join(git, "HEAD"), 0o644) },
		"branch file is a FIFO": func(git string) {
			os.WriteFile(filepath.Join(git, "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
			os.MkdirAll(filepath.Join(git, "refs", "heads"), 0o755)
			syscall.Mkfifo(filepath.Join(git, "refs", "heads", "main"), 0o644)
		},
		"HEAD links to a device": func(git string) { os.Symlink("/dev/zero", filepath.Join(git, "HEAD")) },
	}
	for name, setup := range cases {
		root := t.TempDir()
		git := filepath.Join(root, ".git")
		os.MkdirAll(git, 0o755)
		setup(git)
		if got := Commit(root); got != "" {
			t.Errorf("%s: Commit = %q; want none", name, got)
		}
	}
	root := t.TempDir()
	os.MkdirAll(filepath.Join(root, ".git", "refs", "heads"), 0o755)
	os.WriteFile(filepath.Join(root, ".git", "HEAD"), []byte("ref: refs/heads/main\n"), 0o644)
	os.WriteFile(filepath.Join(root, ".git", "refs", "heads", "main"), []byte(hash+"\n"), 0o644)
	if got := Commit(root); got != hash {
		t.Errorf("a plain branch: Commit = %q; want %q", got, hash)
	}
}

// TestHostileIgnoreFiles: a .gitignore that is a FIFO or a link to a device
// is not read (the walk would block or read forever); the walk goes on.
func TestHostileIgnoreFiles(t *testing.T) {
	root := writeTree(t, map[string]string{"src/lib.rs": strings.Repeat("a", 200), "src/sub/x.rs": strings.Repeat("b", 200)})
	syscall.Mkfifo(filepath.Join(root, ".gitignore"), 0o644)
	os.Symlink("/dev/zero", filepath.Join(root, "src", ".gitignore"))
	files, _, err := Walk(root, Options{Match: func(rel string) bool { return strings.HasSuffix(rel, ".rs") }})
	if err != nil || len(files) != 2 {
		t.Errorf("Walk = %d files, %v; want the 2 sources", len(files), err)
	}
}
