package main

import (
	"bytes"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path"
	"path/filepath"
	"sort"
	"strings"
	"sync"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/ndjson"
)

type command struct {
	cli.Common
	cli.Input
	Repo    string `required:"" placeholder:"DIR" help:"The local checkout the citations point into."`
	Context int    `default:"0" placeholder:"N" help:"Lines of context before and after each cited range."`
}

// snippet is one cut of a file.
type snippet struct {
	Path    string `json:"path"`
	Start   int    `json:"start"`
	End     int    `json:"end"`
	From    string `json:"from"` // commit or worktree
	Commit  string `json:"commit,omitempty"`
	Clamped bool   `json:"clamped,omitempty"`
	Code    string `json:"code"`
}

type linkField struct {
	Snippets []snippet `json:"snippets"`
	Missing  []string  `json:"missing,omitempty"`
	Refused  []string  `json:"refused,omitempty"`
}

// repo reads files of a checkout at a commit or in the working tree,
// caching what it read.
type repo struct {
	root string // real path of the checkout

	mu      sync.Mutex
	commits map[string]bool   // whether the checkout has a commit
	files   map[string]*fileV // by commit + "\x00" + path
}

type fileV struct {
	lines []string
	err   error
}

var errOutside = errors.New("outside the repository")

func (r *repo) hasCommit(commit string) bool {
	if commit == "" {
		return false
	}
	r.mu.Lock()
	defer r.mu.Unlock()
	has, ok := r.commits[commit]
	if !ok {
		has = exec.Command("git", "-C", r.root, "cat-file", "-e", commit+"^{commit}").Run() == nil
		r.commits[commit] = has
	}
	return has
}

// read returns the lines of path at commit ("" for the working tree).
func (r *repo) read(commit, p string) ([]string, error) {
	if filepath.IsAbs(p) || strings.HasPrefix(p, "/") || path.Clean(p) != p || strings.HasPrefix(p, "..") || strings.Contains(p, "/../") {
		return nil, errOutside
	}
	key := commit + "\x00" + p
	r.mu.Lock()
	f, ok := r.files[key]
	r.mu.Unlock()
	if ok {
		return f.lines, f.err
	}
	var data []byte
	var err error
	if commit != "" {
		var out, stderr bytes.Buffer
		cmd := exec.Command("git", "-C", r.root, "show", commit+":"+p)
		cmd.Stdout, cmd.Stderr = &out, &stderr
		if err = cmd.Run(); err != nil {
			err = os.ErrNotExist
		}
		data = out.Bytes()
	} else {
		full := filepath.Join(r.root, filepath.FromSlash(p))
		real, rerr := filepath.EvalSymlinks(full)
		switch {
		case rerr != nil:
			err = rerr
		case real != r.root && !strings.HasPrefix(real, r.root+string(filepath.Separator)):
			err = errOutside
		default:
			data, err = os.ReadFile(real)
		}
	}
	f = &fileV{err: err}
	if err == nil {
		f.lines = strings.SplitAfter(string(data), "\n")
		if n := len(f.lines); n > 0 && f.lines[n-1] == "" {
			f.lines = f.lines[:n-1]
		}
	}
	r.mu.Lock()
	r.files[key] = f
	r.mu.Unlock()
	return f.lines, f.err
}

func (c *command) Run(env *cli.Env) error {
	if c.Context < 0 {
		return cli.Usagef("--context must not be negative")
	}
	root, err := filepath.Abs(c.Repo)
	if err == nil {
		root, err = filepath.EvalSymlinks(root)
	}
	if err != nil {
		return fmt.Errorf("--repo: %w", err)
	}
	r := &repo{root: root, commits: map[string]bool{}, files: map[string]*fileV{}}
	var mu sync.Mutex
	var snippets, missing, refused int
	err = cli.Filter(env, &c.Input, func(rec *ndjson.Record) ([]*ndjson.Record, error) {
		var cites []markdown.Citation
		if err := rec.Decode("chunk", &struct {
			Citations *[]markdown.Citation `json:"citations"`
		}{&cites}); err != nil {
			return nil, err
		}
		src, err := rec.Source()
		if err != nil {
			return nil, err
		}
		id, err := rec.ID()
		if err != nil {
			return nil, err
		}
		lf, warnings := c.link(r, src.Commit, cites)
		for _, w := range warnings {
			env.Report.Warnf("%s: %s", id, w)
		}
		mu.Lock()
		snippets += len(lf.Snippets)
		missing += len(lf.Missing)
		refused += len(lf.Refused)
		mu.Unlock()
		return []*ndjson.Record{rec}, rec.SetValue("link", lf)
	})
	if err != nil {
		return err
	}
	env.Report.Infof("%d snippets; %d cited files missing, %d refused", snippets, missing, refused)
	return nil
}

// span is a range of lines of one file to cut.
type span struct {
	path, commit string
	start, end   int // 1-based, inclusive; 0-0 is the whole file
	cited        int // the last cited line, context aside
}

// link cuts the cited code of one chunk.
func (c *command) link(r *repo, pageCommit string, cites []markdown.Citation) (linkField, []string) {
	lf := linkField{Snippets: []snippet{}}
	var warnings []string
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
		byFile[k] = append(byFile[k], span{path: ct.Path, commit: commit, start: ct.Start, end: ct.End})
	}
	for _, k := range order {
		p, commit := k[0], k[1]
		from, at := "worktree", ""
		if r.hasCommit(commit) {
			from, at = "commit", commit
		}
		lines, err := r.read(at, p)
		switch {
		case errors.Is(err, errOutside):
			lf.Refused = append(lf.Refused, p)
			warnings = append(warnings, fmt.Sprintf("citation %s refused: it leads outside the repository", p))
			continue
		case err != nil:
			lf.Missing = append(lf.Missing, p)
			where := "the working tree"
			if at != "" {
				where = "commit " + at
			}
			warnings = append(warnings, fmt.Sprintf("cited file %s is not in %s", p, where))
			continue
		}
		for _, s := range byFile[k] {
			if s.end > len(lines) {
				warnings = append(warnings, fmt.Sprintf("%s:%d-%d runs past the file's %d lines: clamped", p, s.start, s.end, len(lines)))
			}
		}
		for _, s := range merge(byFile[k], c.Context, len(lines)) {
			sn := snippet{Path: p, Start: s.start, End: s.end, From: from, Commit: at, Clamped: s.cited > len(lines)}
			if sn.Start >= 1 && sn.Start <= sn.End {
				sn.Code = strings.Join(lines[sn.Start-1:sn.End], "")
			}
			lf.Snippets = append(lf.Snippets, sn)
		}
	}
	return lf, warnings
}

// merge widens ranges by context, keeps them within the file's n lines,
// and merges those that overlap or touch. A whole-file citation (0-0)
// becomes 1..n.
func merge(spans []span, context, n int) []span {
	for i := range spans {
		if spans[i].start == 0 && spans[i].end == 0 {
			spans[i].start, spans[i].end = 1, n
		}
		spans[i].cited = spans[i].end
		spans[i].start = min(max(spans[i].start-context, 1), n)
		spans[i].end = min(max(spans[i].end+context, spans[i].start), n)
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
