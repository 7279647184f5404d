package markdown

import (
	"errors"
	"math"
	"net/url"
	"regexp"
	"strconv"
	"strings"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
)

// Stats counts what a chunk holds.
type Stats struct {
	Words       int            `json:"words"`
	Subsections int            `json:"subsections"` // headings after the chunk's first
	CodeBlocks  map[string]int `json:"code_blocks,omitempty"`
	Mermaid     int            `json:"mermaid"`
	Tables      int            `json:"tables"`
	Lists       int            `json:"lists"`
}

// Citation is a cited source range: lines Start to End of Path, both 0 for
// a whole file. Commit is set when the citation names one (GitHub links).
// Forms: [p:10-20](), [p:260](), [p:44, 62](), [p](), [p:1-20](p:1-20) and
// [p10-20](https://github.com/o/r/blob/COMMIT/p#L10-L20).
type Citation struct {
	Path   string `json:"path"`
	Start  int    `json:"start"`
	End    int    `json:"end"`
	Commit string `json:"commit,omitempty"`
}

// Link is a link to another page of the wiki: [Title](#1.2).
type Link struct {
	Text string `json:"text"`
	Page string `json:"page"`
}

// Analysis is what Analyze finds in a chunk.
type Analysis struct {
	Stats     Stats
	Citations []Citation
	Links     []Link
}

// Analyze describes a chunk of markdown.
func Analyze(src []byte) Analysis {
	var a Analysis
	a.Stats.Words = len(strings.Fields(string(src)))
	headings := 0
	ast.Walk(parse(src), func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n := n.(type) {
		case *ast.Heading:
			headings++
		case *ast.FencedCodeBlock:
			lang := strings.ToLower(string(n.Language(src)))
			if lang == "mermaid" {
				a.Stats.Mermaid++
			} else {
				if lang == "" {
					lang = "plain"
				}
				if a.Stats.CodeBlocks == nil {
					a.Stats.CodeBlocks = map[string]int{}
				}
				a.Stats.CodeBlocks[lang]++
			}
		case *ast.CodeBlock:
			if a.Stats.CodeBlocks == nil {
				a.Stats.CodeBlocks = map[string]int{}
			}
			a.Stats.CodeBlocks["plain"]++
		case *east.Table:
			a.Stats.Tables++
		case *ast.List:
			if _, nested := n.Parent().(*ast.ListItem); !nested {
				a.Stats.Lists++
			}
		case *ast.Link:
			a.link(string(n.Destination), linkText(n, src))
		}
		return ast.WalkContinue, nil
	})
	a.Stats.Subsections = max(headings-1, 0)
	return a
}

// linkText is the literal text inside a link's brackets.
func linkText(n ast.Node, src []byte) string {
	var b strings.Builder
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		if t, ok := c.(*ast.Text); ok {
			b.Write(t.Segment.Value(src))
		} else if cs, ok := c.(*ast.CodeSpan); ok {
			b.WriteString(linkText(cs, src))
		}
	}
	return b.String()
}

var (
	// path:10-20, path:260, path:44, 62 (DeepWiki's [..]() citations)
	citeRE = regexp.MustCompile(`^([\w\-./]+?)(?::(\d+(?:-\d+)?(?:\s*,\s*\d+(?:-\d+)?)*))?$`)
	// https://github.com/OWNER/REPO/blob/COMMIT/PATH#L10-L20
	githubRE = regexp.MustCompile(`^https://github\.com/[^/]+/[^/]+/blob/([^/]+)/([^#]+)(?:#L(\d+)(?:-L(\d+))?)?$`)
)

// link records a link as a citation, a cross-page link, or nothing.
func (a *Analysis) link(dest, text string) {
	switch {
	case dest == "": // [path:10-20]() and friends
		m := citeRE.FindStringSubmatch(strings.TrimSpace(text))
		if m == nil {
			return
		}
		if m[2] == "" {
			a.Citations = append(a.Citations, Citation{Path: m[1]})
			return
		}
		for _, r := range strings.Split(m[2], ",") {
			lo, hi, _ := strings.Cut(strings.TrimSpace(r), "-")
			start := lineNumber(lo)
			end := start
			if hi != "" {
				end = lineNumber(hi)
			}
			a.Citations = append(a.Citations, Citation{Path: m[1], Start: start, End: end})
		}
	case strings.HasPrefix(dest, "#"):
		a.Links = append(a.Links, Link{Text: text, Page: strings.TrimPrefix(dest, "#")})
	case !strings.Contains(dest, "://"):
		// [p:1-20](p:1-20), the bulleted Sources form: a citation when the
		// target has lines (a bare file link belongs to the sources list).
		if m := citeRE.FindStringSubmatch(dest); m != nil && m[2] != "" {
			a.link("", dest)
		}
	default:
		m := githubRE.FindStringSubmatch(dest)
		if m == nil || m[3] == "" { // plain links, and file links of the sources list
			return
		}
		p, err := url.PathUnescape(m[2])
		if err != nil {
			p = m[2]
		}
		start := lineNumber(m[3])
		end := start
		if m[4] != "" {
			end = lineNumber(m[4])
		}
		a.Citations = append(a.Citations, Citation{Path: p, Start: start, End: end, Commit: m[1]})
	}
}

// linkRE is a markdown link's target.
var linkRE = regexp.MustCompile(`\]\(([^)\s]+)\)`)

// RelevantFiles lists the paths of a page's "Relevant source files" list,
// in the <details> block DeepWiki writes or in its rendered form.
func RelevantFiles(page []byte) []string {
	lines := strings.Split(string(page), "\n")
	var out []string
	for i, l := range lines {
		if !strings.Contains(l, "Relevant source files") {
			continue
		}
		inList := false
		for _, l := range lines[i+1:] {
			t := strings.TrimSpace(l)
			isItem := strings.HasPrefix(t, "- ") || strings.HasPrefix(t, "* ")
			if isItem {
				inList = true
				if m := linkRE.FindStringSubmatch(t); m != nil {
					p := m[1]
					if g := githubRE.FindStringSubmatch(p); g != nil {
						p, _ = url.PathUnescape(g[2])
					}
					out = append(out, p)
				}
				continue
			}
			if inList && t != "" || t == "</details>" {
				break
			}
		}
		break
	}
	return out
}

// lineNumber reads a cited line number; one too large for an int is the
// largest int (past any file's end, which dw-link clamps and reports),
// never 0, which would mean the whole file.
func lineNumber(digits string) int {
	n, err := strconv.Atoi(strings.TrimSpace(digits))
	if errors.Is(err, strconv.ErrRange) {
		return math.MaxInt
	}
	return n
}
