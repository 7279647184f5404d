package render

import (
	"bytes"
	"regexp"
	"slices"
	"sort"
	"strings"

	"github.com/dwkit/dwkit/lib/markdown"
	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/text"
)

// CodeBlock is a fenced code block taken out of a doc's markdown.
type CodeBlock struct {
	Language string // the first word of the fence's info string; "text" when it has none
	Code     string // its lines, each ending in a newline
}

// md parses CommonMark.
var md = goldmark.New()

// SplitCode takes the fenced code blocks (``` or ~~~, at any depth: in
// lists and quotes too) out of a doc's markdown and returns the rest, the
// prose, with the blocks in order. The markdown is parsed, so a fence
// quoted inside a longer fence stays in its block, and a block left open
// runs to the end of its container, as CommonMark has it. Mermaid
// diagrams are documentation: they stay in the prose. An empty block is
// dropped. DeepWiki's "Relevant source files" <details> block becomes a
// plain list of its paths ("Relevant source files:" and "- path" lines),
// or nothing when it lists none; other HTML is left as it is. Blank lines
// a removed block leaves doubled are dropped. A doc with a line nested
// over MaxNesting quotes or list items deep is returned whole, without
// blocks: the parser's time grows with the square of that depth.
func SplitCode(doc string) (prose string, blocks []CodeBlock) {
	if tooDeep(doc) {
		return doc, nil
	}
	src := []byte(doc)
	root := md.Parser().Parse(text.NewReader(src))
	var fences []*ast.FencedCodeBlock
	opens := map[int]bool{} // where each fence opens
	ast.Walk(root, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if f, ok := n.(*ast.FencedCodeBlock); ok && entering {
			fences = append(fences, f)
			opens[fenceAt(src, f.Pos())] = true
			return ast.WalkSkipChildren, nil
		}
		return ast.WalkContinue, nil
	})
	type cut struct {
		start, end int
		repl       string
		block      *CodeBlock // what a fence's cut takes out (nil for an empty one)
	}
	var cuts []cut
	for _, f := range fences {
		if strings.EqualFold(string(f.Language(src)), "mermaid") {
			continue
		}
		c := cut{}
		c.start, c.end = fenceSpan(src, f, opens)
		var code strings.Builder
		for i := 0; i < f.Lines().Len(); i++ {
			seg := f.Lines().At(i)
			code.Write(seg.Value(src))
		}
		if code.Len() > 0 {
			c.block = &CodeBlock{fenceLanguage(f.Language(src)), code.String()}
		}
		cuts = append(cuts, c)
	}
	fenceCuts := len(cuts) // in document order
	for _, r := range relevantBlocks(src, root) {
		i := sort.Search(fenceCuts, func(i int) bool { return cuts[i].start >= r.start })
		if i < fenceCuts && cuts[i].start < r.end { // a fence in it: leave it whole rather than lose code
			continue
		}
		repl := ""
		if len(r.files) > 0 {
			repl = "Relevant source files:\n\n- " + strings.Join(r.files, "\n- ") + "\n"
		}
		cuts = append(cuts, cut{r.start, r.end, repl, nil})
	}
	if len(cuts) == 0 {
		return doc, nil
	}
	slices.SortStableFunc(cuts, func(a, b cut) int { return a.start - b.start })
	var b strings.Builder
	last := 0
	for _, c := range cuts {
		if c.start < last || c.end < c.start { // cuts do not overlap; were one to, it stays
			continue
		}
		b.WriteString(doc[last:c.start])
		b.WriteString(c.repl)
		last = c.end
		if c.block != nil {
			blocks = append(blocks, *c.block)
		}
		if s := b.String(); c.repl == "" && (s == "" || strings.HasSuffix(s, "\n\n")) {
			for last < len(doc) && strings.TrimSpace(doc[last:lineEnd(src, last)]) == "" {
				last = lineEnd(src, last)
			}
		}
	}
	if last == len(doc) { // a block removed at the end leaves one line break
		if p := strings.TrimRight(b.String(), "\n"); p != "" {
			return p + "\n", blocks
		}
		return "", blocks
	}
	b.WriteString(doc[last:])
	return b.String(), blocks
}

// MaxNesting is the deepest a line's quotes and list items may go for
// SplitCode to parse its doc.
const MaxNesting = 32

// tooDeep says whether a line of doc opens more than MaxNesting
// containers: block quote markers, and list markers followed by a space.
func tooDeep(doc string) bool {
	for len(doc) > 0 {
		line, rest, _ := strings.Cut(doc, "\n")
		doc = rest
		depth := 0
		for i := 0; i < len(line); i++ {
			c := line[i]
			switch {
			case c == ' ' || c == '\t':
			case c == '>':
				depth++
			case c == '-' || c == '*' || c == '+':
				if i+1 < len(line) && (line[i+1] == ' ' || line[i+1] == '\t') {
					depth++
					continue
				}
				i = len(line)
			case c >= '0' && c <= '9':
				j := i
				for j < len(line) && line[j] >= '0' && line[j] <= '9' {
					j++
				}
				if j < len(line) && (line[j] == '.' || line[j] == ')') {
					depth++
					i = j
					continue
				}
				i = len(line)
			default:
				i = len(line)
			}
		}
		if depth > MaxNesting {
			return true
		}
	}
	return false
}

// fenceAt returns where the fence of a block at pos starts: pos itself
// when it holds a fence character, else the first one on its line.
func fenceAt(src []byte, pos int) int {
	if pos < 0 || pos >= len(src) {
		return pos
	}
	if src[pos] == '`' || src[pos] == '~' {
		return pos
	}
	ls := lineStart(src, pos)
	if i := bytes.IndexAny(src[ls:lineEnd(src, ls)], "`~"); i >= 0 {
		return ls + i
	}
	return pos
}

// fenceSpan returns the bytes a fenced block takes, from its opening
// fence's line (or the fence itself, when a list marker leads the line)
// to the end of its closing fence's line (or of its last line, when it
// was left open). opens are where fences open: a fence-like line that
// opens another block does not close this one.
func fenceSpan(src []byte, f *ast.FencedCodeBlock, opens map[int]bool) (start, end int) {
	at := fenceAt(src, f.Pos())
	if at < 0 || at >= len(src) {
		return 0, 0
	}
	ls := lineStart(src, at)
	start = ls
	midLine := strings.Trim(string(src[ls:at]), " \t>") != ""
	if midLine {
		start = at
	}
	char, n := src[at], 0
	for at+n < len(src) && src[at+n] == char {
		n++
	}
	end = lineEnd(src, at)
	if k := f.Lines().Len(); k > 0 {
		end = f.Lines().At(k - 1).Stop
		if end > 0 && end <= len(src) && src[end-1] != '\n' {
			end = lineEnd(src, end)
		}
	}
	// The closing fence, if this line is one.
	next := lineEnd(src, end)
	line := string(src[end:next])
	body := strings.TrimLeft(line, " \t>")
	pos := end + len(line) - len(body)
	closing := strings.TrimRight(strings.TrimLeft(body, string(char)), " \t\r\n")
	if end < len(src) && len(body)-len(strings.TrimLeft(body, string(char))) >= n && closing == "" && !opens[pos] {
		end = next
	}
	if midLine && end > start && src[end-1] == '\n' {
		end-- // keep the line break the list marker's line needs
	}
	return start, end
}

var (
	detailsOpenRE = regexp.MustCompile(`(?i)^<details[\s>]`)                  // a line that opens one
	detailsRE     = regexp.MustCompile(`(?i)<details[\s>]`)                   // each opening
	detailsEndRE  = regexp.MustCompile(`(?i)</details\s*>`)                   // each closing
	summaryRE     = regexp.MustCompile(`(?is)<summary>\s*(.*?)\s*</summary>`) // its summary
)

// region is a "Relevant source files" <details> block: its byte range
// (whole lines, to its </details>) and the paths it lists.
type region struct {
	start, end int
	files      []string
}

// relevantBlocks finds the top-level "Relevant source files" <details>
// blocks, outermost only, in one pass: a block is an HTML block whose first
// line opens a <details> that a later HTML block's line (or its own) closes.
func relevantBlocks(src []byte, root ast.Node) []region {
	var out []region
	depth, start := 0, -1
	for n := root.FirstChild(); n != nil; n = n.NextSibling() {
		h, ok := n.(*ast.HTMLBlock)
		if !ok {
			continue
		}
		lines := h.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			line := src[seg.Start:seg.Stop]
			if depth == 0 {
				start = -1
				if i == 0 && detailsOpenRE.Match(bytes.TrimSpace(line)) {
					start = lineStart(src, seg.Start)
				}
			}
			opens, closes := len(detailsRE.FindAllIndex(line, -1)), len(detailsEndRE.FindAllIndex(line, -1))
			before := depth
			depth = max(depth+opens-closes, 0)
			if depth > 0 || before == 0 && opens == 0 || start < 0 {
				continue
			}
			end := lineEnd(src, seg.Start)
			block := src[start:end]
			if sum := summaryRE.FindSubmatch(block); sum != nil && strings.EqualFold(string(sum[1]), "Relevant source files") {
				out = append(out, region{start, end, markdown.RelevantFiles(block)})
			}
			start = -1
		}
	}
	return out
}

// langRE is what a language name may hold.
var langRE = regexp.MustCompile(`^[A-Za-z0-9_+#.-]+`)

// fenceLanguage names a fence's language from the first word of its info
// string ("rust,ignore" → rust); "text" when it names none.
func fenceLanguage(info []byte) string {
	if l := langRE.Find(info); l != nil {
		return strings.ToLower(string(l))
	}
	return "text"
}

func lineStart(src []byte, pos int) int {
	if pos <= 0 {
		return 0
	}
	return bytes.LastIndexByte(src[:pos], '\n') + 1
}

func lineEnd(src []byte, pos int) int {
	if pos >= len(src) {
		return len(src)
	}
	if i := bytes.IndexByte(src[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(src)
}
