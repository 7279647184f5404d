package repo

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"slices"
	"sort"
	"strings"
	"sync"

	"github.com/dwkit/dwkit/lib/callgraph"
)

// Cite is a cited range of lines of a file: Start to End, both 1-based and
// inclusive; 0-0 is the whole file. Commit, when set, is the commit the
// citation names.
type Cite struct {
	Path       string
	Start, End int
	Commit     string
}

// Snippet is the code cut for one or more cited ranges of a file.
type Snippet struct {
	Path    string `json:"path"`
	Cited   string `json:"cited,omitempty"` // the path as the wiki wrote it, when Path was found from it
	Start   int    `json:"start"`
	End     int    `json:"end"`
	From    string `json:"from"` // commit or worktree
	Commit  string `json:"commit,omitempty"`
	Clamped bool   `json:"clamped,omitempty"` // a cited range ran past the file's end
	Code    string `json:"code"`
	// Functions are the functions the cited lines overlap, with their call
	// graph (dw-link --items).
	Functions []Function `json:"functions,omitempty"`
}

// Function is a function a snippet overlaps: its record's id, qualified
// path and lines, and its call graph as dw-callgraph found it.
type Function struct {
	ID        string             `json:"id"`
	Path      string             `json:"path"`
	StartLine int                `json:"start_line"`
	EndLine   int                `json:"end_line"`
	Graph     *callgraph.FnGraph `json:"graph,omitempty"`
}

// LinkField is the "link" field dw-link adds to a chunk record.
type LinkField struct {
	Snippets  []Snippet `json:"snippets"`
	Missing   []string  `json:"missing,omitempty"`   // cited files not in the checkout
	Refused   []string  `json:"refused,omitempty"`   // cited paths outside it, or not source files
	Ambiguous []string  `json:"ambiguous,omitempty"` // partial cited paths that several files end with
}

// LinkStats counts what Link changed or found beyond what LinkField lists.
type LinkStats struct {
	Changed    int // cited ranges changed to fit: reversed, before line 1, past the end
	ByRelevant int // partial cited paths found among the page's relevant source files
	BySuffix   int // partial cited paths found as the one file of the checkout ending with them
}

// span is a range of lines of one file to cut.
type span struct {
	path, commit string
	start, end   int // 1-based, inclusive; 0-0 is the whole file
	cited        int // the last cited line, context aside
}

// maxCandidates is how many candidates a warning about an ambiguous path names.
const maxCandidates = 5

// Link cuts the cited code of one chunk: each cited range (widened by
// context lines, merged with the others of its file) from the file at the
// citation's commit, else pageCommit, else the working tree.
//
// A cited path that is no file there but may be a partial one
// ("api/database.rs" for "src/api/database.rs", a bare "engine.rs") is
// resolved: to the one file of relevant (the page's relevant source files)
// that is it or ends with "/" and it, else to the one file of the checkout
// ending so. Several such files make it ambiguous, none missing. A path
// that is refused (climbing out, under .git/, not a regular file) is never
// resolved.
//
// It returns the warnings and the counts of ranges changed and paths
// resolved.
func (r *Checkout) Link(pageCommit string, cites []Cite, relevant []string, context int) (LinkField, []string, LinkStats) {
	lf := LinkField{Snippets: []Snippet{}}
	var warnings []string
	var st LinkStats
	byFile := map[[2]string][]span{}
	var order [][2]string
	for _, ct := range cites {
		commit := ct.Commit
		if commit == "" {
			commit = pageCommit
		}
		k := [2]string{ct.Path, commit}
		if _, seen := byFile[k]; !seen {
			order = append(order, k)
		}
		sp := span{path: ct.Path, commit: commit, start: ct.Start, end: ct.End}
		if why := sp.fix(); why != "" {
			st.Changed++
			warnings = append(warnings, fmt.Sprintf("%s:%d-%d %s: read as %d-%d", ct.Path, ct.Start, ct.End, why, sp.start, sp.end))
		}
		byFile[k] = append(byFile[k], sp)
	}
	for _, k := range order {
		p, commit := k[0], k[1]
		from, at := "worktree", ""
		if r.HasCommit(commit) {
			from, at = "commit", commit
		}
		where := "the working tree"
		if at != "" {
			where = "commit " + at
		}
		file := p
		lines, err := r.Lines(at, p)
		if err != nil && !errors.Is(err, ErrOutside) && !errors.Is(err, ErrNotSource) {
			found, via, candidates := r.resolve(at, p, relevant)
			switch {
			case found != "":
				file = found
				lines, err = r.Lines(at, file)
				if via == "relevant" {
					st.ByRelevant++
				} else {
					st.BySuffix++
				}
			case len(candidates) > 1:
				lf.Ambiguous = append(lf.Ambiguous, p)
				named := strings.Join(candidates[:min(len(candidates), maxCandidates)], ", ")
				if more := len(candidates) - maxCandidates; more > 0 {
					named += fmt.Sprintf(" and %d more", more)
				}
				warnings = append(warnings, fmt.Sprintf("cited file %s is ambiguous in %s: %d files end with it: %s", p, where, len(candidates), named))
				continue
			}
		}
		switch {
		case errors.Is(err, ErrOutside), errors.Is(err, ErrNotSource):
			lf.Refused = append(lf.Refused, p)
			warnings = append(warnings, fmt.Sprintf("citation %s refused: %v", p, err))
			continue
		case err != nil:
			lf.Missing = append(lf.Missing, p)
			warnings = append(warnings, fmt.Sprintf("cited file %s is not in %s", p, where))
			continue
		}
		name, cited := p, ""
		if file != p {
			name, cited = file+" (cited as "+p+")", p
		}
		if r.Replaced(at, file) {
			warnings = append(warnings, fmt.Sprintf("%s is not valid UTF-8: its invalid bytes read as U+FFFD", name))
		}
		for _, s := range byFile[k] {
			if s.end > len(lines) {
				st.Changed++
				warnings = append(warnings, fmt.Sprintf("%s:%d-%d runs past the file's %d lines: clamped", name, s.start, s.end, len(lines)))
			}
		}
		for _, s := range merge(byFile[k], context, len(lines)) {
			sn := Snippet{Path: file, Cited: cited, Start: s.start, End: s.end, From: from, Commit: at, Clamped: s.cited > len(lines)}
			if sn.Start >= 1 && sn.Start <= sn.End {
				sn.Code = strings.Join(lines[sn.Start-1:sn.End], "")
			}
			lf.Snippets = append(lf.Snippets, sn)
		}
	}
	return lf, warnings, st
}

// resolve finds the file a partial path p means, at commit ("" the working
// tree): the one file of relevant that is p or ends with "/"+p, else the
// one file of the checkout that ends with "/"+p (a whole path segment:
// "base.rs" is not "database.rs"). It returns the file and how it was
// found ("relevant" or "suffix"), or else every file ending with "/"+p,
// sorted: two or more make p ambiguous, none missing.
func (c *Checkout) resolve(commit, p string, relevant []string) (found, via string, candidates []string) {
	files := c.list(commit)
	tail := "/" + p
	var named []string
	for _, f := range relevant {
		if (f == p || strings.HasSuffix(f, tail)) && files.has[f] && !slices.Contains(named, f) {
			named = append(named, f)
		}
	}
	if len(named) == 1 {
		return named[0], "relevant", nil
	}
	for _, f := range files.byBase[path.Base(p)] {
		if strings.HasSuffix(f, tail) {
			candidates = append(candidates, f)
		}
	}
	if len(candidates) == 1 {
		return candidates[0], "suffix", nil
	}
	return "", "", candidates
}

// fileList is the files Lines would read at one commit or in the working
// tree, listed once.
type fileList struct {
	once   sync.Once
	has    map[string]bool
	byBase map[string][]string // by file name, each list sorted
}

// list returns the files of commit ("" the working tree), listing them the
// first time it is asked.
func (c *Checkout) list(commit string) *fileList {
	c.mu.Lock()
	l := c.lists[commit]
	if l == nil {
		l = &fileList{}
		c.lists[commit] = l
	}
	c.mu.Unlock()
	l.once.Do(func() {
		var paths []string
		if commit != "" {
			paths = c.treeFiles(commit)
		} else {
			paths = c.worktreeFiles()
		}
		sort.Strings(paths)
		l.has, l.byBase = map[string]bool{}, map[string][]string{}
		for _, p := range paths {
			if CheckRelPath(p) != nil || l.has[p] {
				continue
			}
			l.has[p] = true
			b := path.Base(p)
			l.byBase[b] = append(l.byBase[b], p)
		}
	})
	return l
}

// treeFiles lists the regular files of a commit's tree: no symlinks, no
// submodules. A commit git cannot list has none.
func (c *Checkout) treeFiles(commit string) []string {
	if strings.HasPrefix(commit, "-") { // never an option to git
		return nil
	}
	var out bytes.Buffer
	ls := exec.Command("git", "-C", c.root, "ls-tree", "-r", "-z", "--full-tree", commit)
	ls.Stdout = &out
	if ls.Run() != nil {
		return nil
	}
	var paths []string
	for _, entry := range strings.Split(out.String(), "\x00") {
		if name, _, source, ok := treeEntry(entry); ok && source {
			paths = append(paths, name)
		}
	}
	return paths
}

// worktreeFiles lists the regular files of the working tree as git would
// track them: no symlinks (nor folders through them), nothing under a
// .git folder or in a nested repository or submodule, nothing .gitignore
// or .git/info/exclude ignores.
func (c *Checkout) worktreeFiles() []string {
	var paths []string
	var stack ignoreStack
	if data, err := ReadSmall(filepath.Join(c.root, ".git", "info", "exclude"), maxIgnoreFile); err == nil {
		stack = append(stack, parseIgnore("", data))
	}
	var walk func(abs, rel string, stack ignoreStack)
	walk = func(abs, rel string, stack ignoreStack) {
		entries, err := os.ReadDir(abs)
		if err != nil {
			return
		}
		if data, err := ReadSmall(filepath.Join(abs, ".gitignore"), maxIgnoreFile); err == nil {
			stack = append(stack[:len(stack):len(stack)], parseIgnore(rel, data))
		}
		for _, e := range entries {
			name := e.Name()
			childAbs, childRel := filepath.Join(abs, name), path.Join(rel, name)
			switch {
			case strings.EqualFold(name, ".git"):
			case e.Type().IsDir():
				if stack.ignored(childRel, true) || exists(filepath.Join(childAbs, ".git")) {
					continue
				}
				walk(childAbs, childRel, stack)
			case e.Type().IsRegular():
				if !stack.ignored(childRel, false) {
					paths = append(paths, childRel)
				}
			}
		}
	}
	walk(c.root, "", stack)
	return paths
}

// fix makes a cited range well-formed: a reversed range is turned round, a
// start or end before line 1 becomes 1 (0-0, the whole file, stays). It
// says what it changed, "" when nothing.
func (s *span) fix() string {
	var why []string
	if s.start == 0 && s.end == 0 {
		return ""
	}
	if s.start < 1 || s.end < 1 {
		s.start, s.end = max(s.start, 1), max(s.end, 1)
		why = append(why, "starts before line 1")
	}
	if s.start > s.end {
		s.start, s.end = s.end, s.start
		why = append(why, "is reversed")
	}
	return strings.Join(why, " and ")
}

// merge widens ranges by context, keeps them within the file's n lines,
// and merges those that overlap or touch. A whole-file citation (0-0)
// becomes 1..n.
func merge(spans []span, context, n int) []span {
	context = min(context, n) // more context than the file has is the whole file: and no overflow
	for i := range spans {
		if spans[i].start == 0 && spans[i].end == 0 {
			spans[i].start, spans[i].end = 1, n
		}
		spans[i].cited = spans[i].end
		spans[i].start = min(max(spans[i].start-context, 1), n)
		spans[i].end = min(max(min(spans[i].end, n)+context, spans[i].start), n) // clamped first: no overflow
	}
	sort.Slice(spans, func(i, j int) bool { return spans[i].start < spans[j].start })
	var out []span
	for _, s := range spans {
		if len(out) > 0 && s.start <= out[len(out)-1].end+1 {
			last := &out[len(out)-1]
			last.end, last.cited = max(last.end, s.end), max(last.cited, s.cited)
			continue
		}
		out = append(out, s)
	}
	return out
}
