package markdown

import (
	"bytes"
	"strings"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/text"
)

// md parses CommonMark with GitHub tables.
var md = goldmark.New(goldmark.WithExtensions(extension.Table))

func parse(src []byte) ast.Node { return md.Parser().Parse(text.NewReader(src)) }

// Options choose how a page is split.
type Options struct {
	// ByRule splits at thematic breaks ("---") instead of headings.
	ByRule bool
	// MinLevel and MaxLevel are the heading levels that start a chunk.
	MinLevel, MaxLevel int
	// MinChars: with ByRule, a section shorter than this joins the next
	// one (the original recipe dropped it; nothing is dropped here).
	MinChars int
}

// Chunk is a byte range of a page with its heading context.
type Chunk struct {
	Start, End int
	Heading    string   // the heading that opens the chunk; the page title for what comes before the first one
	Level      int      // its level; 0 when the chunk does not start with a heading
	Breadcrumb []string // the enclosing headings, outermost first, the chunk's own last
}

// heading is a heading found in the page.
type heading struct {
	start int // offset of its line
	level int
	text  string
}

// Split cuts a page into chunks.
func Split(src []byte, opt Options) []Chunk {
	doc := parse(src)
	var heads []heading
	var breaks []int // line starts of top-level thematic breaks
	fm := frontMatterEnd(src)
	for n := doc.FirstChild(); n != nil; n = n.NextSibling() {
		start := lineStart(src, n.Pos())
		switch n := n.(type) {
		case *ast.Heading:
			heads = append(heads, heading{start, n.Level, headingText(n, src)})
		case *ast.ThematicBreak:
			if start >= fm {
				breaks = append(breaks, start)
			}
		}
	}
	var cuts []int
	if opt.ByRule {
		cuts = ruleCuts(src, breaks, opt.MinChars)
	} else {
		for _, h := range heads {
			if h.level >= opt.MinLevel && h.level <= opt.MaxLevel && h.start > 0 {
				cuts = append(cuts, h.start)
			}
		}
	}
	title := ""
	for _, h := range heads {
		if h.level == 1 {
			title = h.text
			break
		}
	}
	bounds := append(append([]int{0}, cuts...), len(src))
	var chunks []Chunk
	for i := 0; i+1 < len(bounds); i++ {
		c := Chunk{Start: bounds[i], End: bounds[i+1], Heading: title}
		if c.Start == c.End {
			continue
		}
		// The chunk's heading is its first one; the breadcrumb is the
		// stack of enclosing headings there (or at the chunk's start).
		var stack []heading
		for _, h := range heads {
			if h.start >= c.End {
				break
			}
			if h.start >= c.Start && c.Level == 0 {
				c.Heading, c.Level = h.text, h.level
			} else if h.start >= c.Start {
				break
			}
			for len(stack) > 0 && stack[len(stack)-1].level >= h.level {
				stack = stack[:len(stack)-1]
			}
			stack = append(stack, h)
		}
		for _, h := range stack {
			c.Breadcrumb = append(c.Breadcrumb, h.text)
		}
		chunks = append(chunks, c)
	}
	return chunks
}

// ruleCuts turns thematic breaks into cuts: each section ends after its
// rule line; sections under minChars join the next one.
func ruleCuts(src []byte, breaks []int, minChars int) []int {
	var cuts []int
	last := 0
	for _, b := range breaks {
		end := lineEnd(src, b)
		if len(strings.TrimSpace(strings.Trim(string(src[last:b]), "\n"))) < minChars {
			continue // too short on its own: it joins the next section
		}
		cuts = append(cuts, end)
		last = end
	}
	if len(cuts) > 0 && len(strings.TrimSpace(string(src[last:]))) < minChars {
		cuts = cuts[:len(cuts)-1] // a short tail joins the section before
	}
	return cuts
}

// frontMatterEnd returns the offset after a leading "---" front matter
// block, or 0.
func frontMatterEnd(src []byte) int {
	if !bytes.HasPrefix(src, []byte("---\n")) {
		return 0
	}
	for off := 4; off < len(src); {
		end := lineEnd(src, off)
		if strings.TrimRight(string(src[off:end]), "\r\n") == "---" {
			return end
		}
		off = end
	}
	return 0
}

func lineStart(src []byte, pos int) int {
	if pos < 0 {
		return 0
	}
	return bytes.LastIndexByte(src[:pos], '\n') + 1
}

func lineEnd(src []byte, pos int) int {
	if i := bytes.IndexByte(src[pos:], '\n'); i >= 0 {
		return pos + i + 1
	}
	return len(src)
}

// headingText is a heading's plain text.
func headingText(h *ast.Heading, src []byte) string {
	var b strings.Builder
	for i := 0; i < h.Lines().Len(); i++ {
		seg := h.Lines().At(i)
		b.Write(seg.Value(src))
	}
	return strings.TrimSpace(b.String())
}
