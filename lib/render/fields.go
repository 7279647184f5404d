package render

import (
	"slices"
	"strings"
	"text/template"
)

// Field is the "render" field of a record dw-render writes.
type Field struct {
	Preset     string `json:"preset"`                // the preset's name, or the template file's
	CodeBlocks bool   `json:"code_blocks,omitempty"` // doc-code with the doc's fenced code in <code> blocks
	Part       string `json:"part,omitempty"`        // doc-code --layout separate: "doc" or "code"
}

// Message is one turn of a "messages" list (the chat preset).
type Message struct {
	Role    string `json:"role"`
	Content string `json:"content"`
}

// Layouts of a doc-code record: its doc and code in one text, in two, or
// the doc with each snippet apart.
var Layouts = []string{"interleaved", "separate", "pairs"}

// Rendered is one text a record renders to, with the byte ranges of its
// source code (see CodeIn).
type Rendered struct {
	Text string
	Code [][2]int
	Part string // "doc" or "code" in the separate layout, else ""
}

// RenderLayout renders a record in a layout: interleaved is the whole
// template (every preset but doc-code has only this layout); separate is the
// template's "doc" and "code" parts as two texts; pairs is the doc followed
// by one snippet, for each snippet of the record's link field. codeBlocks
// says the template moves the fenced code of the record's text out of its
// doc (DocCodeBlocks): those blocks are code too.
func RenderLayout(t *template.Template, rec map[string]any, layout string, codeBlocks bool) ([]Rendered, error) {
	var blocks []string // the doc's own code, when it is moved out
	if codeBlocks {
		text, _ := rec["text"].(string)
		_, bs := SplitCode(text)
		for _, b := range bs {
			blocks = append(blocks, b.Code)
		}
	}
	if layout == "interleaved" {
		s, err := Render(t, rec)
		return []Rendered{{Text: s, Code: codeRanges(s, append(blocks, codePieces(rec)...))}}, err
	}
	part := func(name string, d map[string]any) (string, error) {
		var b strings.Builder
		err := t.ExecuteTemplate(&b, name, d)
		return b.String(), err
	}
	doc, err := part("doc", rec)
	if err != nil {
		return nil, err
	}
	docCode := codeRanges(doc, blocks)
	if layout == "separate" { // a chunk that cites no code is its doc alone
		code, err := part("code", rec)
		out := []Rendered{{Text: doc, Code: docCode, Part: "doc"}}
		if code != "" {
			out = append(out, Rendered{Text: code, Code: CodeIn(code, map[string]any{"link": rec["link"]}), Part: "code"})
		}
		return out, err
	}
	link, _ := rec["link"].(map[string]any)
	snippets, _ := link["snippets"].([]any)
	var out []Rendered
	for _, s := range snippets {
		one := map[string]any{"link": map[string]any{"snippets": []any{s}}}
		code, err := part("code", one)
		if err != nil {
			return nil, err
		}
		ranges := CodeIn(code, one)
		for i := range ranges {
			ranges[i][0] += len(doc)
			ranges[i][1] += len(doc)
		}
		out = append(out, Rendered{Text: doc + code, Code: append(slices.Clone(docCode), ranges...)})
	}
	return out, nil
}

// CodeIn finds the byte ranges of source code in a record's rendered text:
// the record's own text when it is code (a dw-rustparse record, which has a
// "rust" field), and the code of each of its link snippets (doc-code).
// Headers, call graphs and documentation are not code. Code comes after the
// text that introduces it, so each piece is the last match before the next
// piece: documentation that quotes code is not taken for it. The ranges
// are in order.
func CodeIn(out string, rec map[string]any) [][2]int {
	return codeRanges(out, codePieces(rec))
}

// codePieces lists the code a record's rendering shows, in order: its
// snippets' code, then its own text when it is code (an item, a file or a
// group of them).
func codePieces(rec map[string]any) []string {
	var pieces []string
	link, _ := rec["link"].(map[string]any)
	snippets, _ := link["snippets"].([]any)
	for _, s := range snippets {
		if sn, ok := s.(map[string]any); ok {
			if c, ok := sn["code"].(string); ok {
				pieces = append(pieces, c)
			}
		}
	}
	_, item := rec["rust"]
	_, group := rec["group"]
	if item || group { // dw-rustparse's items and files, dw-group's groups
		if text, ok := rec["text"].(string); ok {
			pieces = append(pieces, text)
		}
	}
	return pieces
}

// codeRanges finds pieces of code, in order, in out: each is its last
// match before the next piece's.
func codeRanges(out string, pieces []string) [][2]int {
	code := [][2]int{}
	end := len(out)
	for i := len(pieces) - 1; i >= 0; i-- {
		p := strings.TrimRight(pieces[i], "\n") // as the templates chomp it
		if p == "" {
			continue
		}
		if at := strings.LastIndex(out[:end], p); at >= 0 {
			code = append(code, [2]int{at, at + len(p)})
			end = at
		}
	}
	slices.Reverse(code)
	return code
}
