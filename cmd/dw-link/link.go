package main

import (
	"errors"
	"fmt"
	"sort"
	"strings"
	"sync"

	"github.com/dwkit/dwkit/lib/cli"
	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/dwkit/dwkit/lib/repo"
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

func (c *command) Run(env *cli.Env) error {
	if c.Context < 0 {
		return cli.Usagef("--context must not be negative")
	}
	r, err := repo.OpenCheckout(c.Repo)
	if err != nil {
		return fmt.Errorf("--repo: %w", err)
	}
	var mu sync.Mutex
	var snippets, missing, refused, changed int
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
		lf, warnings, nChanged := c.link(r, src.Commit, cites)
		for _, w := range warnings {
			env.Report.Warnf("%s: %s", id, w)
		}
		mu.Lock()
		snippets += len(lf.Snippets)
		missing += len(lf.Missing)
		refused += len(lf.Refused)
		changed += nChanged
		mu.Unlock()
		return []*ndjson.Record{rec}, rec.SetValue("link", lf)
	})
	if err != nil {
		return err
	}
	env.Report.Infof("%d snippets; %d cited files missing, %d refused; %d cited ranges changed to fit", snippets, missing, refused, changed)
	return nil
}

// span is a range of lines of one file to cut.
type span struct {
	path, commit string
	start, end   int // 1-based, inclusive; 0-0 is the whole file
	cited        int // the last cited line, context aside
}

// link cuts the cited code of one chunk. It returns the warnings and how
// many cited ranges it had to change (reversed, before line 1, past the end).
func (c *command) link(r *repo.Checkout, pageCommit string, cites []markdown.Citation) (linkField, []string, int) {
	lf := linkField{Snippets: []snippet{}}
	var warnings []string
	changed := 0
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
			changed++
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
		lines, err := r.Lines(at, p)
		switch {
		case errors.Is(err, repo.ErrOutside), errors.Is(err, repo.ErrNotSource):
			lf.Refused = append(lf.Refused, p)
			warnings = append(warnings, fmt.Sprintf("citation %s refused: %v", p, err))
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
				changed++
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
	return lf, warnings, changed
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
