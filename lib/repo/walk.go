package repo

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"strings"
)

// maxIgnoreFile is the largest .gitignore read; a larger one is ignored.
const maxIgnoreFile = 1 << 20

// Reason says why a path was skipped.
type Reason string

// Reasons for skipping a path.
const (
	Ignored    Reason = "ignored"    // matched by a .gitignore or .git/info/exclude
	Hidden     Reason = "hidden"     // a directory whose name starts with "."
	BuildDir   Reason = "build-dir"  // cargo's target/ folder
	Vendored   Reason = "vendored"   // vendor/, third_party/, node_modules/ ...
	Generated  Reason = "generated"  // a generated-code marker in its first lines
	Binary     Reason = "binary"     // a NUL byte in its first 8 KiB
	TooSmall   Reason = "too-small"  // under Options.MinSize
	TooLarge   Reason = "too-large"  // over Options.MaxSize
	OutsideDir Reason = "outside"    // a symlink that leads out of the root
	Unreadable Reason = "unreadable" // could not be listed, stat'ed or read
	NotFile    Reason = "not-a-file" // a FIFO, socket or device
)

// Options tune a walk.
type Options struct {
	// Match selects the files to return by their slash-separated path
	// relative to the root; other files are neither returned nor counted.
	Match func(rel string) bool
	// MinSize and MaxSize bound the size of returned files (MaxSize 0: no
	// upper bound). Files outside are returned as skips.
	MinSize, MaxSize int64
	// Unsized selects matching files the size window does not apply to
	// (e.g. manifests); nil means none.
	Unsized func(rel string) bool
	// NoIgnore disregards .gitignore files; Vendored keeps vendored folders.
	NoIgnore, Vendored bool
}

// File is a file found by Walk.
type File struct {
	Rel  string // slash-separated path relative to the root
	Abs  string // path to open
	Size int64
}

// Skip is a path Walk passed over, with the reason.
type Skip struct {
	Rel    string
	Reason Reason
	Err    error // for Unreadable
}

// vendoredDirs are folder names holding other people's code.
var vendoredDirs = map[string]bool{"vendor": true, "vendored": true, "third_party": true, "third-party": true, "node_modules": true}

// Walk lists the matching files under root in sorted path order (each
// directory's entries by name, depth first) and the paths it skipped.
// It fails only when root itself cannot be read.
func Walk(root string, opt Options) ([]File, []Skip, error) {
	realRoot, err := filepath.EvalSymlinks(root)
	if err != nil {
		return nil, nil, err
	}
	if st, err := os.Stat(realRoot); err != nil {
		return nil, nil, err
	} else if !st.IsDir() {
		return nil, nil, fmt.Errorf("%s: not a directory", root)
	}
	w := &walker{opt: opt, realRoot: realRoot, visited: map[string]bool{realRoot: true}}
	var stack ignoreStack
	if !opt.NoIgnore {
		if data, err := ReadSmall(filepath.Join(root, ".git", "info", "exclude"), maxIgnoreFile); err == nil {
			stack = append(stack, parseIgnore("", data))
		}
	}
	w.dir(root, "", stack)
	return w.files, w.skips, nil
}

type walker struct {
	opt      Options
	realRoot string
	visited  map[string]bool // real paths of directories entered, against symlink loops
	files    []File
	skips    []Skip
}

func (w *walker) skip(rel string, r Reason, err error) {
	w.skips = append(w.skips, Skip{rel, r, err})
}

// dir walks the directory abs, whose path relative to the root is rel.
func (w *walker) dir(abs, rel string, stack ignoreStack) {
	entries, err := os.ReadDir(abs)
	if err != nil {
		w.skip(orDot(rel), Unreadable, err)
		return
	}
	if !w.opt.NoIgnore {
		if data, err := ReadSmall(filepath.Join(abs, ".gitignore"), maxIgnoreFile); err == nil {
			stack = append(stack[:len(stack):len(stack)], parseIgnore(rel, data))
		}
	}
	hasManifest := false
	for _, e := range entries {
		if e.Name() == "Cargo.toml" {
			hasManifest = true
		}
	}
	for _, e := range entries {
		name := e.Name()
		childAbs := filepath.Join(abs, name)
		childRel := path.Join(rel, name)
		mode := e.Type()
		if mode&fs.ModeSymlink != 0 {
			real, err := filepath.EvalSymlinks(childAbs)
			if err != nil {
				w.skip(childRel, Unreadable, err)
				continue
			}
			if !within(w.realRoot, real) {
				w.skip(childRel, OutsideDir, nil)
				continue
			}
			st, err := os.Stat(real)
			if err != nil {
				w.skip(childRel, Unreadable, err)
				continue
			}
			mode = st.Mode().Type()
		}
		if mode.IsDir() {
			switch {
			case name == ".git":
				continue // git's own store, not part of the tree
			case strings.HasPrefix(name, "."):
				w.skip(childRel, Hidden, nil)
			case name == "target" && (hasManifest || exists(filepath.Join(childAbs, "CACHEDIR.TAG"))):
				w.skip(childRel, BuildDir, nil)
			case !w.opt.Vendored && vendoredDirs[name]:
				w.skip(childRel, Vendored, nil)
			case !w.opt.NoIgnore && stack.ignored(childRel, true):
				w.skip(childRel, Ignored, nil)
			default:
				real, err := filepath.EvalSymlinks(childAbs)
				if err != nil || w.visited[real] {
					continue // a loop back into a directory already walked
				}
				w.visited[real] = true
				w.dir(childAbs, childRel, stack)
			}
			continue
		}
		if w.opt.Match != nil && !w.opt.Match(childRel) {
			continue
		}
		if !mode.IsRegular() { // a FIFO, socket or device with a matching name
			w.skip(childRel, NotFile, fmt.Errorf("not a regular file (%s)", mode))
			continue
		}
		if !w.opt.NoIgnore && stack.ignored(childRel, false) {
			w.skip(childRel, Ignored, nil)
			continue
		}
		st, err := os.Stat(childAbs)
		if err != nil {
			w.skip(childRel, Unreadable, err)
			continue
		}
		switch size := st.Size(); {
		case w.opt.Unsized != nil && w.opt.Unsized(childRel):
			w.files = append(w.files, File{childRel, childAbs, size})
		case size < w.opt.MinSize:
			w.skip(childRel, TooSmall, nil)
		case w.opt.MaxSize > 0 && size > w.opt.MaxSize:
			w.skip(childRel, TooLarge, fmt.Errorf("%d bytes, over the %d-byte maximum", size, w.opt.MaxSize))
		default:
			w.files = append(w.files, File{childRel, childAbs, size})
		}
	}
}

// CheckContent looks at a file's first bytes and returns Binary for a NUL
// byte in the first 8 KiB, Generated for a generated-code marker in the
// first five lines (unless keepGenerated), and "" otherwise.
func CheckContent(data []byte, keepGenerated bool) Reason {
	head := data[:min(len(data), 8<<10)]
	if bytes.IndexByte(head, 0) >= 0 {
		return Binary
	}
	if keepGenerated {
		return ""
	}
	end := 0
	for range 5 {
		i := bytes.IndexByte(head[end:], '\n')
		if i < 0 {
			end = len(head)
			break
		}
		end += i + 1
	}
	first := head[:end]
	for _, marker := range generatedMarkers {
		if bytes.Contains(first, marker) {
			return Generated
		}
	}
	return ""
}

// generatedMarkers are the phrases code generators put at the top of files
// (Go's "Code generated ... DO NOT EDIT.", @generated of Meta/rustfmt, bindgen's
// "automatically generated by rust-bindgen", prost and others).
var generatedMarkers = [][]byte{
	[]byte("@generated"),
	[]byte("DO NOT EDIT"),
	[]byte("Do not edit"),
	[]byte("do not edit"),
	[]byte("automatically generated"),
	[]byte("Automatically generated"),
	[]byte("auto-generated"),
	[]byte("Auto-generated"),
}

// within reports whether path p is root or lies under it (both real paths).
func within(root, p string) bool {
	rel, err := filepath.Rel(root, p)
	return err == nil && rel != ".." && !strings.HasPrefix(rel, "../") && !filepath.IsAbs(rel)
}

func exists(p string) bool {
	_, err := os.Stat(p)
	return !errors.Is(err, fs.ErrNotExist)
}

func orDot(rel string) string {
	if rel == "" {
		return "."
	}
	return rel
}
