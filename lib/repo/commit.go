package repo

import (
	"bufio"
	"bytes"
	"fmt"
	"io"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
)

// hashRE is a full git object name: SHA-1 or SHA-256.
var hashRE = regexp.MustCompile(`^([0-9a-f]{40}|[0-9a-f]{64})$`)

// Commit returns the commit checked out in the git repository at root, read
// from .git without running git, or "" when root is not a git work tree or
// the commit cannot be found. A .git file (worktrees, submodules) is
// followed. Only small regular files are read, only refs under refs/ are
// followed, and only a full hex object name is returned: a hostile .git
// cannot make it read or return anything else.
func Commit(root string) string {
	gitDir := filepath.Join(root, ".git")
	if st, err := os.Stat(gitDir); err == nil && st.Mode().IsRegular() { // "gitdir: <path>"
		data, err := ReadSmall(gitDir, 4<<10)
		if err != nil {
			return ""
		}
		dir := strings.TrimSpace(strings.TrimPrefix(string(data), "gitdir:"))
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		gitDir = dir
	}
	head, err := ReadSmall(filepath.Join(gitDir, "HEAD"), 4<<10)
	if err != nil {
		return ""
	}
	ref, isRef := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: ")
	if !isRef {
		return hashOrEmpty(ref) // detached HEAD
	}
	if !strings.HasPrefix(ref, "refs/") || path.Clean(ref) != ref {
		return "" // a ref outside refs/ is no branch
	}
	for _, dir := range []string{gitDir, commonDir(gitDir)} {
		if data, err := ReadSmall(filepath.Join(dir, filepath.FromSlash(ref)), 4<<10); err == nil {
			return hashOrEmpty(strings.TrimSpace(string(data)))
		}
		if data, err := ReadSmall(filepath.Join(dir, "packed-refs"), 256<<20); err == nil {
			sc := bufio.NewScanner(bytes.NewReader(data))
			for sc.Scan() {
				if hash, name, ok := strings.Cut(sc.Text(), " "); ok && name == ref {
					return hashOrEmpty(hash)
				}
			}
		}
	}
	return ""
}

func hashOrEmpty(s string) string {
	if hashRE.MatchString(s) {
		return s
	}
	return ""
}

// commonDir returns the shared git directory of a linked worktree.
func commonDir(gitDir string) string {
	data, err := ReadSmall(filepath.Join(gitDir, "commondir"), 4<<10)
	if err != nil {
		return gitDir
	}
	dir := strings.TrimSpace(string(data))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(gitDir, dir)
	}
	return dir
}

// ReadSmall reads a regular file of at most max bytes. A FIFO, a device or
// a folder is refused without blocking, and so is a larger file: a side
// file (.gitignore, HEAD, a template, a tokenizer) can hang or flood a
// tool no more than its input can.
func ReadSmall(name string, max int64) ([]byte, error) {
	f, err := os.OpenFile(name, os.O_RDONLY|syscall.O_NONBLOCK, 0)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	st, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, fmt.Errorf("%s is not a regular file", name)
	}
	if st.Size() > max {
		return nil, fmt.Errorf("%s is %d bytes, over the %d this file may have", name, st.Size(), max)
	}
	data, err := io.ReadAll(io.LimitReader(f, max+1))
	if err == nil && int64(len(data)) > max {
		err = fmt.Errorf("%s grew over %d bytes while read", name, max)
	}
	return data, err
}
