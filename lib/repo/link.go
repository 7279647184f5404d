package repo

import (
	"errors"
	"fmt"
	"sort"
	"strings"
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
	Start   int    `json:"start"`
	End     int    `json:"end"`
	From    string `json:"from"` // commit or worktree
	Commit  string `json:"commit,omitempty"`
	Clamped bool   `json:"clamped,omitempty"` // a cited range ran past the file's end
	Code    string `json:"code"`
}

// LinkField is the "link" field dw-link adds to a chunk record.
type LinkField struct {
	Snippets []Snippet `json:"snippets"`
	Missing  []string  `json:"missing,omitempty"` // cited files not in the checkout
	Refused  []string  `json:"refused,omitempty"` // cited paths outside it, or not source files
}

// span is a range of lines of one file to cut.
type span struct {
	path, commit string
	start, end   int // 1-based, inclusive; 0-0 is the whole file
	cited        int // the last cited line, context aside
}

// Link cuts the cited code of one chunk: each cited range (widened by
// context lines, merged with the others of its file) from the file at the
// citation's commit, else pageCommit, else the working tree. It returns the
// warnings and how many cited ranges it had to change (reversed, before
// line 1, past the end).
func (r *Checkout) Link(pageCommit string, cites []Cite, context int) (LinkField, []string, int) {
	lf := LinkField{Snippets: []Snippet{}}
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
		case errors.Is(err, ErrOutside), errors.Is(err, ErrNotSource):
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
		for _, s := range merge(byFile[k], context, len(lines)) {
			sn := Snippet{Path: p, Start: s.start, End: s.end, From: from, Commit: at, Clamped: s.cited > len(lines)}
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
