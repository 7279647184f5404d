package fim

import (
	"errors"
	"math/rand/v2"
	"sort"
	"strings"
	"unicode/utf8"
)

// Sentinels are a model family's FIM tokens.
type Sentinels struct {
	Prefix, Suffix, Middle, EOT string
}

// Presets are the sentinel sets of the usual code model families.
var Presets = map[string]Sentinels{
	"starcoder":  {"<fim_prefix>", "<fim_suffix>", "<fim_middle>", "<|endoftext|>"},
	"santacoder": {"<fim-prefix>", "<fim-suffix>", "<fim-middle>", "<|endoftext|>"},
	"qwen":       {"<|fim_prefix|>", "<|fim_suffix|>", "<|fim_middle|>", "<|endoftext|>"}, // also Kwaipilot/KAT-Dev
	"codellama":  {"<PRE>", "<SUF>", "<MID>", "<EOT>"},
	"deepseek":   {"<｜fim▁begin｜>", "<｜fim▁hole｜>", "<｜fim▁end｜>", "<｜end▁of▁sentence｜>"},
}

// PresetNames lists the presets in order.
func PresetNames() []string {
	var names []string
	for n := range Presets {
		names = append(names, n)
	}
	sort.Strings(names)
	return names
}

// All returns the four sentinel strings.
func (s Sentinels) All() []string { return []string{s.Prefix, s.Suffix, s.Middle, s.EOT} }

// Split is the middle of a text: text[Start:End].
type Split struct{ Start, End int }

// Format lays a text out as a sample: PSM is prefix, suffix, middle; SPM
// (StarCoder's variant) is [PRE][SUF]suffix[MID]prefix middle.
func Format(text string, sp Split, spm bool, s Sentinels) string {
	pre, mid, suf := text[:sp.Start], text[sp.Start:sp.End], text[sp.End:]
	if spm {
		return s.Prefix + s.Suffix + suf + s.Middle + pre + mid + s.EOT
	}
	return s.Prefix + pre + s.Suffix + suf + s.Middle + mid + s.EOT
}

// ErrNotASample reports text that is not a sample of the given layout.
var ErrNotASample = errors.New("not a FIM sample of this layout")

// Parse reads a sample back into its pieces. For SPM the boundary between
// prefix and middle is not in the text: prefixLen gives it.
func Parse(sample string, spm bool, prefixLen int, s Sentinels) (prefix, middle, suffix string, err error) {
	body, ok := strings.CutPrefix(sample, s.Prefix)
	if !ok {
		return "", "", "", ErrNotASample
	}
	if body, ok = strings.CutSuffix(body, s.EOT); !ok {
		return "", "", "", ErrNotASample
	}
	if spm {
		rest, ok := strings.CutPrefix(body, s.Suffix)
		suf, pm, found := strings.Cut(rest, s.Middle)
		if !ok || !found || prefixLen > len(pm) {
			return "", "", "", ErrNotASample
		}
		return pm[:prefixLen], pm[prefixLen:], suf, nil
	}
	pre, rest, ok1 := strings.Cut(body, s.Suffix)
	suf, mid, ok2 := strings.Cut(rest, s.Middle)
	if !ok1 || !ok2 {
		return "", "", "", ErrNotASample
	}
	return pre, mid, suf, nil
}

// CharSplit chooses two character boundaries uniformly (a UTF-8 sequence
// is never cut).
func CharSplit(text string, r *rand.Rand) Split {
	bounds := make([]int, 0, len(text)+1)
	for i := range text {
		bounds = append(bounds, i)
	}
	bounds = append(bounds, len(text))
	a, b := bounds[r.IntN(len(bounds))], bounds[r.IntN(len(bounds))]
	if a > b {
		a, b = b, a
	}
	return Split{a, b}
}

// LineSplit chooses a run of whole lines as the middle.
func LineSplit(text string, r *rand.Rand) Split {
	starts := []int{0}
	for i := 0; i < len(text); i++ {
		if text[i] == '\n' && i+1 < len(text) {
			starts = append(starts, i+1)
		}
	}
	i, j := r.IntN(len(starts)), r.IntN(len(starts))
	if i > j {
		i, j = j, i
	}
	end := len(text)
	if j+1 < len(starts) {
		end = starts[j+1]
	}
	return Split{starts[i], end}
}

// Node is a syntax node a middle may be: text[Start:End], of a Type.
type Node struct {
	Start, End int
	Type       string
}

// NodeSplit chooses one of the nodes whole.
func NodeSplit(nodes []Node, r *rand.Rand) (Split, string) {
	n := nodes[r.IntN(len(nodes))]
	return Split{n.Start, n.End}, n.Type
}

// wordJoiner, put after a sentinel's first character, makes it plain text
// that no tokenizer reads as the sentinel.
const wordJoiner = "\u2060"

// Escape neutralizes the sentinel strings found in text and says how many
// there were; ok is false when text holds an escaped form already, which
// Unescape could not tell apart.
func Escape(text string, s Sentinels) (escaped string, n int, ok bool) {
	for _, t := range s.All() {
		if strings.Contains(text, escapedForm(t)) {
			return text, 0, false
		}
	}
	for _, t := range s.All() {
		n += strings.Count(text, t)
		text = strings.ReplaceAll(text, t, escapedForm(t))
	}
	return text, n, true
}

// Unescape undoes Escape.
func Unescape(text string, s Sentinels) string {
	for _, t := range s.All() {
		text = strings.ReplaceAll(text, escapedForm(t), t)
	}
	return text
}

func escapedForm(sentinel string) string {
	_, size := utf8.DecodeRuneInString(sentinel)
	return sentinel[:size] + wordJoiner + sentinel[size:]
}

// Contains reports whether text holds any of the sentinels.
func Contains(text string, s Sentinels) bool {
	for _, t := range s.All() {
		if strings.Contains(text, t) {
			return true
		}
	}
	return false
}
