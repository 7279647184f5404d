package fim

import (
	"math/rand/v2"
	"strings"
	"sync/atomic"
)

// Field is the "fim" field of a record dw-fim writes: how its text was
// made from the source text, prefix + middle + suffix (byte ranges of the
// source, after escaping).
type Field struct {
	Mode    string `json:"mode"`           // psm, spm or plain
	Span    string `json:"span,omitempty"` // char, line or ast
	Node    string `json:"node,omitempty"` // the syntax node of an ast middle
	Prefix  [2]int `json:"prefix"`
	Middle  [2]int `json:"middle"`
	Suffix  [2]int `json:"suffix"`
	Preset  string `json:"preset"`
	Source  string `json:"source,omitempty"`  // the id of the source record
	Escaped int    `json:"escaped,omitempty"` // sentinel strings escaped in the source
}

// Options say how a Maker makes samples.
type Options struct {
	FIMRate   float64 // share of texts made into FIM samples; the rest stay plain
	SPMRate   float64 // share of those laid out SPM
	Span      string  // the middle: char, line or ast
	Preset    string  // the name of Sentinels
	Sentinels Sentinels
	Escape    bool // escape sentinel strings in a text; else skip the text
	// Nodes finds the syntax nodes of a text for ast middles; a text without
	// any gets a line middle.
	Nodes func(text string) []Node
}

// Counts are what a Maker made, safe for concurrent use. NoCode counts the
// plain samples of texts that hold no code to hide.
type Counts struct {
	PSM, SPM, Plain, Skipped, Escaped, NoCode atomic.Int64
}

// Maker makes samples with one set of Options.
type Maker struct {
	Options
	Counts Counts
}

// Make turns a text into a sample with r's choices. code lists the byte
// ranges of text that are source code (a rendered header or documentation
// is not): the middle is chosen inside one of them; nil means the whole
// text is code. skip, when not empty, says why the text makes no sample.
func (m *Maker) Make(text string, code [][2]int, r *rand.Rand) (sample string, f Field, skip string) {
	n := len(text)
	f = Field{Mode: "plain", Preset: m.Preset, Prefix: [2]int{0, n}, Middle: [2]int{n, n}, Suffix: [2]int{n, n}}
	if r.Float64() >= m.FIMRate {
		m.Counts.Plain.Add(1)
		return text, f, ""
	}
	if code != nil && len(code) == 0 {
		m.Counts.Plain.Add(1)
		m.Counts.NoCode.Add(1)
		return text, f, ""
	}
	src := text
	if Contains(text, m.Sentinels) {
		if !m.Escape {
			m.Counts.Skipped.Add(1)
			return "", f, "its text holds a " + m.Preset + " sentinel"
		}
		esc, escCode, count, ok := escapeKeeping(text, code, m.Sentinels)
		if !ok {
			m.Counts.Skipped.Add(1)
			return "", f, "its text holds an escaped sentinel already"
		}
		src, code, f.Escaped = esc, escCode, count
		m.Counts.Escaped.Add(1)
	}
	lo, hi := 0, len(src)
	if code != nil {
		c := code[r.IntN(len(code))]
		lo, hi = c[0], c[1]
	}
	sp := m.split(src[lo:hi], r, &f)
	sp.Start, sp.End = sp.Start+lo, sp.End+lo
	spm := r.Float64() < m.SPMRate
	f.Mode = "psm"
	if spm {
		f.Mode = "spm"
		m.Counts.SPM.Add(1)
	} else {
		m.Counts.PSM.Add(1)
	}
	f.Prefix, f.Middle, f.Suffix = [2]int{0, sp.Start}, [2]int{sp.Start, sp.End}, [2]int{sp.End, len(src)}
	return Format(src, sp, spm, m.Sentinels), f, ""
}

// escapeKeeping escapes text's sentinels piece by piece between the code
// ranges' edges, so the ranges can be moved with the text. A sentinel
// across an edge cannot be escaped there: ok is then false.
func escapeKeeping(text string, code [][2]int, s Sentinels) (string, [][2]int, int, bool) {
	if code == nil {
		esc, n, ok := Escape(text, s)
		return esc, nil, n, ok
	}
	edges := []int{0}
	for _, c := range code {
		edges = append(edges, c[0], c[1])
	}
	edges = append(edges, len(text))
	var b strings.Builder
	moved := make([]int, len(edges))
	total := 0
	for i := 1; i < len(edges); i++ {
		moved[i-1] = b.Len()
		esc, n, ok := Escape(text[edges[i-1]:edges[i]], s)
		if !ok {
			return "", nil, 0, false
		}
		b.WriteString(esc)
		total += n
	}
	moved[len(edges)-1] = b.Len()
	out := b.String()
	if Contains(out, s) { // a sentinel across an edge
		return "", nil, 0, false
	}
	escCode := make([][2]int, len(code))
	for i := range code {
		escCode[i] = [2]int{moved[1+2*i], moved[2+2*i]}
	}
	return out, escCode, total, true
}

// split chooses the middle; ast falls back to line for text without nodes.
func (m *Maker) split(text string, r *rand.Rand, f *Field) Split {
	switch m.Span {
	case "ast":
		if m.Nodes != nil {
			if nodes := m.Nodes(text); len(nodes) > 0 {
				sp, node := NodeSplit(nodes, r)
				f.Span, f.Node = "ast", node
				return sp
			}
		}
		f.Span = "line"
		return LineSplit(text, r)
	case "line":
		f.Span = "line"
		return LineSplit(text, r)
	}
	f.Span = "char"
	return CharSplit(text, r)
}
