package repo

import (
	"bufio"
	"os"
	"path/filepath"
	"strings"
)

// Commit returns the commit checked out in the git repository at root, read
// from .git without running git, or "" when root is not a git work tree or
// the commit cannot be found. A .git file (worktrees, submodules) is
// followed.
func Commit(root string) string {
	gitDir := filepath.Join(root, ".git")
	if data, err := os.ReadFile(gitDir); err == nil { // "gitdir: <path>"
		dir := strings.TrimSpace(strings.TrimPrefix(string(data), "gitdir:"))
		if !filepath.IsAbs(dir) {
			dir = filepath.Join(root, dir)
		}
		gitDir = dir
	}
	head, err := os.ReadFile(filepath.Join(gitDir, "HEAD"))
	if err != nil {
		return ""
	}
	ref, isRef := strings.CutPrefix(strings.TrimSpace(string(head)), "ref: ")
	if !isRef {
		return ref // detached HEAD
	}
	for _, dir := range []string{gitDir, commonDir(gitDir)} {
		if data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(ref))); err == nil {
			return strings.TrimSpace(string(data))
		}
		if f, err := os.Open(filepath.Join(dir, "packed-refs")); err == nil {
			defer f.Close()
			sc := bufio.NewScanner(f)
			for sc.Scan() {
				if hash, name, ok := strings.Cut(sc.Text(), " "); ok && name == ref {
					return hash
				}
			}
		}
	}
	return ""
}

// commonDir returns the shared git directory of a linked worktree.
func commonDir(gitDir string) string {
	data, err := os.ReadFile(filepath.Join(gitDir, "commondir"))
	if err != nil {
		return gitDir
	}
	dir := strings.TrimSpace(string(data))
	if !filepath.IsAbs(dir) {
		dir = filepath.Join(gitDir, dir)
	}
	return dir
}
