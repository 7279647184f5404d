package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"strings"
	"sync"
	"unicode/utf8"
)

// Errors of Checkout.Lines besides fs.ErrNotExist.
var (
	// ErrOutside is a path that leads out of the checkout.
	ErrOutside = errors.New("it leads outside the repository")
	// ErrNotSource is a path that is no source file: git's own folder (which
	// holds remote URLs, sometimes with tokens), a folder, a symlink or a
	// submodule.
	ErrNotSource = errors.New("it is not a source file (a folder, a symlink, a submodule or under .git/)")
)

// Checkout reads the files of a local git checkout, at a commit or in the
// working tree, only ever inside it. It caches what it read and is safe for
// concurrent use.
type Checkout struct {
	root string // real path

	mu      sync.Mutex
	commits map[string]bool      // whether the checkout has a commit
	files   map[string]fileLines // by commit + "\x00" + path
	lists   map[string]*fileList // the files of a commit, "" the working tree
}

type fileLines struct {
	lines   []string
	err     error
	invalid bool // the file was not UTF-8: its invalid bytes read as U+FFFD
}

// OpenCheckout opens the checkout at dir.
func OpenCheckout(dir string) (*Checkout, error) {
	root, err := filepath.Abs(dir)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return nil, err
	}
	return &Checkout{root: root, commits: map[string]bool{}, files: map[string]fileLines{}, lists: map[string]*fileList{}}, nil
}

// Holds tells whether the file name (which need not exist yet) lies inside
// the checkout, symlinks resolved: a file the checkout's readers may read.
func (c *Checkout) Holds(name string) bool {
	abs, err := filepath.Abs(name)
	if err != nil {
		return false
	}
	dir := filepath.Dir(abs)
	if real, err := filepath.EvalSymlinks(dir); err == nil {
		dir = real
	}
	return within(c.root, filepath.Join(dir, filepath.Base(abs)))
}

// HasCommit tells whether the checkout has commit.
func (c *Checkout) HasCommit(commit string) bool {
	if commit == "" || strings.HasPrefix(commit, "-") {
		return false
	}
	c.mu.Lock()
	has, ok := c.commits[commit]
	c.mu.Unlock()
	if !ok { // git runs without the lock: the other workers' cache hits go on
		has = exec.Command("git", "-C", c.root, "cat-file", "-e", commit+"^{commit}").Run() == nil
		c.mu.Lock()
		c.commits[commit] = has
		c.mu.Unlock()
	}
	return has
}

// Lines returns the lines of the file at p (slash-separated, relative to the
// checkout's root), each with its line ending, at commit, or in the working
// tree when commit is "". A path that climbs out is ErrOutside; git's
// folder, a folder, a symlink or a submodule is ErrNotSource; a missing
// file wraps fs.ErrNotExist.
func (c *Checkout) Lines(commit, p string) ([]string, error) {
	if err := CheckRelPath(p); err != nil {
		return nil, err
	}
	key := commit + "\x00" + p
	c.mu.Lock()
	f, ok := c.files[key]
	c.mu.Unlock()
	if ok {
		return f.lines, f.err
	}
	var data []byte
	var err error
	if commit != "" {
		data, err = c.atCommit(commit, p)
	} else {
		data, err = c.inWorktree(p)
	}
	f = fileLines{err: err}
	if err == nil {
		if !utf8.Valid(data) {
			data, f.invalid = bytes.ToValidUTF8(data, []byte("\uFFFD")), true
		}
		f.lines = strings.SplitAfter(string(data), "\n")
		if n := len(f.lines); n > 0 && f.lines[n-1] == "" {
			f.lines = f.lines[:n-1]
		}
	}
	c.mu.Lock()
	c.files[key] = f
	c.mu.Unlock()
	return f.lines, f.err
}

// Replaced tells whether the file Lines read at p had invalid UTF-8, which
// it gave as U+FFFD.
func (c *Checkout) Replaced(commit, p string) bool {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.files[commit+"\x00"+p].invalid
}

// CheckRelPath accepts a clean relative slash path that stays inside its
// root and does not enter git's folder. "..hidden.rs" is a fine name; ".."
// as a component is not.
func CheckRelPath(p string) error {
	if p == "" || strings.HasPrefix(p, "/") || filepath.IsAbs(p) || path.Clean(p) != p || strings.ContainsRune(p, '\\') {
		return ErrOutside
	}
	for _, part := range strings.Split(p, "/") {
		switch {
		case part == "..":
			return ErrOutside
		case strings.EqualFold(part, ".git"):
			return ErrNotSource
		}
	}
	return nil
}

// atCommit reads a blob of the commit's tree; anything else is refused.
func (c *Checkout) atCommit(commit, p string) ([]byte, error) {
	if strings.HasPrefix(commit, "-") { // never an option to git
		return nil, fs.ErrNotExist
	}
	var out bytes.Buffer
	ls := exec.Command("git", "-C", c.root, "ls-tree", "-z", commit, "--", p)
	ls.Stdout = &out
	if err := ls.Run(); err != nil {
		return nil, fmt.Errorf("git ls-tree %s: %w", commit, err)
	}
	name, object, source, ok := treeEntry(strings.TrimSuffix(out.String(), "\x00"))
	if !ok || name != p {
		return nil, fs.ErrNotExist
	}
	if !source {
		return nil, ErrNotSource
	}
	var blob bytes.Buffer
	cat := exec.Command("git", "-C", c.root, "cat-file", "blob", object)
	cat.Stdout = &blob
	if err := cat.Run(); err != nil {
		return nil, fmt.Errorf("git cat-file %s: %w", object, err)
	}
	return blob.Bytes(), nil
}

// treeEntry reads one entry of `git ls-tree -z` ("mode type object\tname"):
// a source file is a blob that is no symlink (mode 120000); folders and
// submodules are not.
func treeEntry(entry string) (name, object string, source, ok bool) {
	meta, name, ok := strings.Cut(entry, "\t")
	fields := strings.Fields(meta) // mode type object
	if !ok || len(fields) != 3 {
		return "", "", false, false
	}
	return name, fields[2], fields[1] == "blob" && fields[0] != "120000", true
}

// inWorktree reads a regular file of the working tree; a symlink, a folder
// or a path whose folders lead out of the checkout is refused.
func (c *Checkout) inWorktree(p string) ([]byte, error) {
	full := filepath.Join(c.root, filepath.FromSlash(p))
	st, err := os.Lstat(full)
	if err != nil {
		return nil, err
	}
	if !st.Mode().IsRegular() {
		return nil, ErrNotSource
	}
	real, err := filepath.EvalSymlinks(full)
	if err != nil {
		return nil, err
	}
	if !within(c.root, real) {
		return nil, ErrOutside
	}
	for dir := filepath.Dir(real); dir != c.root && within(c.root, dir); dir = filepath.Dir(dir) {
		if exists(filepath.Join(dir, ".git")) { // a submodule or nested repository: not this one's source
			return nil, ErrNotSource
		}
	}
	return os.ReadFile(real)
}
