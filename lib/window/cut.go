package window

import (
	"sort"
	"strings"
	"unicode/utf8"

	"github.com/dwkit/dwkit/lib/token"
)

// Window is one cut of a text: text[Start:End], whose first bytes up to
// OverlapEnd repeat the end of the previous window.
type Window struct {
	Start, End    int // byte range in the source text
	OverlapEnd    int // text[Start:OverlapEnd] is carried over from the previous window
	Tokens        int // tokens of text[Start:End]
	OverlapTokens int // tokens of the carried-over part, counted in the previous window
	TokenStart    int // tokens of the source that end at or before Start
}

// Cutter cuts texts with one encoder; it is not safe for concurrent use.
type Cutter struct {
	Enc      *token.Encoder
	Max      int  // most tokens in a window
	Overlap  int  // tokens carried from the end of one window into the next
	Specials bool // recognize special-token strings
	// Target, when set, gives the size to aim the next window at from the
	// tokens left in the text (see Mix); windows never exceed Max.
	Target func(remaining int) int
}

// Cut returns the windows of text. A text within Max is one window, unless
// Target aims lower.
func (c *Cutter) Cut(text string) []Window {
	src := c.source(text)
	total := src.after(0)
	if total <= c.Max && (c.Target == nil || c.Target(total) >= total) || text == "" {
		return []Window{{Start: 0, End: len(text), OverlapEnd: 0, Tokens: total}}
	}
	var out []Window
	start, ovEnd, ovTokens := 0, 0, 0 // the next window: start, end of its carried part
	for ovEnd < len(text) {
		budget := c.Max - ovTokens
		if c.Target != nil {
			budget = min(budget, max(c.Target(src.after(ovEnd)+ovTokens)-ovTokens, 1))
		}
		end := c.cutPoint(src, ovEnd, budget)
		n := c.count(text[start:end])
		for n > c.Max { // joining the overlap changed the tokens: back off
			shorter := c.prefixWithin(text, ovEnd, end, budget-(n-c.Max))
			if shorter <= ovEnd || shorter == end {
				break // cannot shrink further without losing all new content
			}
			end = shorter
			n = c.count(text[start:end])
		}
		w := Window{Start: start, End: end, OverlapEnd: ovEnd, Tokens: n, OverlapTokens: ovTokens, TokenStart: src.before(start)}
		out = append(out, w)
		if end == len(text) {
			break
		}
		start, ovTokens = c.overlapStart(text, w)
		ovEnd = end
	}
	return out
}

// Head returns where to cut text so that text[:cut] has at most budget
// tokens, at the most natural boundary (as Cut chooses its windows' ends);
// 0 when not one character fits.
func (c *Cutter) Head(text string, budget int) int {
	if budget <= 0 || text == "" {
		return 0
	}
	end := c.cutPoint(c.source(text), 0, budget)
	if c.count(text[:end]) > budget {
		return 0
	}
	return end
}

// source is a text being cut. Its tokens are found once, so that the
// tokens before or after an offset cost a search rather than a count of
// the text's rest, which made cutting quadratic in the number of windows.
type source struct {
	text  string
	ends  []int // byte offset after each token; nil when the normalizer rewrites text
	lines []int // see lineEnds
	c     *Cutter
}

func (c *Cutter) source(text string) *source {
	ends, _ := c.Enc.TokenEnds(text, c.Specials)
	return &source{text: text, ends: ends, lines: lineEnds(text), c: c}
}

// before returns the number of the text's tokens that end at or before off.
func (s *source) before(off int) int {
	if s.ends == nil {
		return s.c.count(s.text[:off])
	}
	return sort.SearchInts(s.ends, off+1)
}

// after returns the number of the text's tokens that end after off: the
// tokens of text[off:], give or take the token that off splits.
func (s *source) after(off int) int {
	if s.ends == nil {
		return s.c.count(s.text[off:])
	}
	return len(s.ends) - s.before(off)
}

// restSlack is a margin of tokens for estimates made from the whole text's
// tokens: a piece cut out of it may tokenize a few tokens differently.
const restSlack = 64

// restFits reports whether text[from:] has at most budget tokens. Only a
// rest near the budget is counted on its own; a token split at from moves
// the count by a few tokens, far less than restSlack.
func (s *source) restFits(from, budget int) bool {
	if s.ends != nil && s.after(from) > budget+restSlack {
		return false
	}
	return s.c.count(s.text[from:]) <= budget
}

func (c *Cutter) count(s string) int { return c.Enc.Count(s, c.Specials) }

// reach returns where n tokens after from end, with a margin for a token
// split at from: as far as a window of n tokens can go. Without token ends
// (a normalizing tokenizer) it is the text's end.
func (s *source) reach(from, n int) int {
	if s.ends == nil {
		return len(s.text)
	}
	if i := s.before(from) + n + restSlack; i < len(s.ends) {
		return s.ends[i]
	}
	return len(s.text)
}

// cutPoint returns where the window whose new content starts at from ends,
// for at most budget tokens of new content: after the last blank line if
// that keeps at least half the budget, else after the last whole line, else
// between tokens.
func (c *Cutter) cutPoint(src *source, from, budget int) int {
	text := src.text
	if src.restFits(from, budget) {
		return len(text)
	}
	lastLine, lastBlank, used := -1, -1, 0
	prev := from
	for _, e := range src.lines[sort.SearchInts(src.lines, from+1):] {
		if src.ends != nil && src.before(e)-src.before(prev) > budget-used+restSlack {
			break // far over: no need to count a long line (one-line texts were quadratic)
		}
		n := c.count(text[prev:e])
		if used+n > budget {
			break
		}
		used += n
		if isBlank(text[prev:e]) {
			lastBlank = e
		}
		lastLine, prev = e, e
	}
	switch {
	case lastBlank > 0 && c.count(text[from:lastBlank]) >= budget/2:
		return lastBlank
	case lastLine > 0:
		return lastLine
	}
	// Not even one line fits: cut between tokens, looking only as far as
	// the budget can reach (the whole rest would make cutting quadratic).
	end := c.prefixWithin(text, from, src.reach(from, budget), budget)
	for end == src.reach(from, budget) && end < len(text) && c.count(text[from:end]) < budget {
		budget2 := 2 * (src.before(end) - src.before(from) + 1)
		end = c.prefixWithin(text, from, src.reach(from, budget2), budget)
	}
	if end == from { // one token over budget (budget 0 after a large overlap)
		_, size := utf8.DecodeRuneInString(text[from:])
		end = from + size
	}
	return end
}

// prefixWithin returns the largest end in (from, limit] at a token boundary
// and a character boundary such that text[from:end] has at most budget
// tokens, or from when none does.
func (c *Cutter) prefixWithin(text string, from, limit, budget int) int {
	if budget <= 0 {
		return from
	}
	seg := text[from:limit]
	if ends, ok := c.Enc.TokenEnds(seg, c.Specials); ok {
		for i := min(budget, len(ends)) - 1; i >= 0; i-- {
			if e := ends[i]; e == len(seg) || utf8.RuneStart(seg[e]) {
				return from + e
			}
		}
		return from
	}
	// The normalizer rewrites this text: search character boundaries.
	lo, hi := from, limit // count(text[from:lo]) <= budget
	for lo < hi {
		mid := lo + (hi-lo+1)/2
		for mid < hi && !utf8.RuneStart(text[mid]) {
			mid++
		}
		if c.count(text[from:mid]) <= budget {
			lo = mid
		} else {
			hi = mid - 1
			for hi > lo && !utf8.RuneStart(text[hi]) {
				hi--
			}
		}
	}
	return lo
}

// overlapStart returns where the window after w starts: Overlap tokens
// before w's end, moved back to a character boundary if a token splits a
// character there, and how many of w's tokens that carries.
func (c *Cutter) overlapStart(text string, w Window) (int, int) {
	if c.Overlap <= 0 {
		return w.End, 0
	}
	seg := text[w.Start:w.End]
	if ends, ok := c.Enc.TokenEnds(seg, c.Specials); ok && len(ends) > c.Overlap {
		i := len(ends) - c.Overlap - 1 // the overlap starts after token i
		for i >= 0 && !utf8.RuneStart(seg[ends[i]]) {
			i--
		}
		if i < 0 {
			return w.Start, len(ends)
		}
		return w.Start + ends[i], len(ends) - 1 - i
	}
	// Normalized text, or a window of at most Overlap tokens: count suffixes.
	s := w.End
	for s > w.Start {
		_, size := utf8.DecodeLastRuneInString(text[w.Start:s])
		if c.count(text[s-size:w.End]) > c.Overlap {
			break
		}
		s -= size
	}
	return s, c.count(text[s:w.End])
}

// lineEnds returns the offset after each '\n' of text, and len(text).
func lineEnds(text string) []int {
	var ends []int
	for i := 0; i < len(text); {
		j := strings.IndexByte(text[i:], '\n')
		if j < 0 {
			break
		}
		i += j + 1
		ends = append(ends, i)
	}
	if len(ends) == 0 || ends[len(ends)-1] != len(text) {
		ends = append(ends, len(text))
	}
	return ends
}

func isBlank(line string) bool { return strings.TrimSpace(line) == "" }
