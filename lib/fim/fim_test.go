package fim

import (
	"math/rand/v2"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dwkit/dwkit/lib/rust"
)

func TestFormatAndParse(t *testing.T) {
	s := Presets["qwen"]
	text := "fn a() {\n    b();\n}\n"
	sp := Split{9, 18}
	psm := Format(text, sp, false, s)
	if psm != "<|fim_prefix|>fn a() {\n<|fim_suffix|>}\n<|fim_middle|>    b();\n<|endoftext|>" {
		t.Errorf("PSM %q", psm)
	}
	spm := Format(text, sp, true, s)
	if spm != "<|fim_prefix|><|fim_suffix|>}\n<|fim_middle|>fn a() {\n    b();\n<|endoftext|>" {
		t.Errorf("SPM %q", spm)
	}
	for _, c := range []struct {
		sample string
		spm    bool
	}{{psm, false}, {spm, true}} {
		pre, mid, suf, err := Parse(c.sample, c.spm, sp.Start, s)
		if err != nil || pre != text[:9] || mid != text[9:18] || suf != text[18:] {
			t.Errorf("Parse(%q) = %q %q %q, %v", c.sample, pre, mid, suf, err)
		}
	}
}

// TestSplitsRoundTrip: every split of every kind rebuilds the text, and
// never cuts a UTF-8 sequence.
func TestSplitsRoundTrip(t *testing.T) {
	texts := []string{"", "x", "héllo wörld 🦀\nzweite Zeile\n", "fn f() {\n    match x { 0 => g(1), _ => {} }\n}\n", strings.Repeat("line\n", 50)}
	r := rand.New(rand.NewPCG(1, 2))
	for _, text := range texts {
		spans, _ := rust.NodeSpans([]byte(text), rust.FIMNodes, 0)
		nodes := make([]Node, len(spans))
		for i, sp := range spans {
			nodes[i] = Node(sp)
		}
		for range 200 {
			splits := []Split{CharSplit(text, r), LineSplit(text, r)}
			if len(spans) > 0 {
				sp, _ := NodeSplit(nodes, r)
				splits = append(splits, sp)
			}
			for _, sp := range splits {
				if sp.Start > sp.End || sp.End > len(text) || !utf8.ValidString(text[:sp.Start]) || !utf8.ValidString(text[sp.Start:sp.End]) {
					t.Fatalf("split %+v of %q cuts a character or runs out", sp, text)
				}
				for name, s := range Presets {
					for _, spm := range []bool{false, true} {
						pre, mid, suf, err := Parse(Format(text, sp, spm, s), spm, sp.Start, s)
						if err != nil || pre+mid+suf != text {
							t.Fatalf("%s spm=%v split %+v: rebuilt %q from %q", name, spm, sp, pre+mid+suf, text)
						}
					}
				}
			}
		}
	}
}

func TestEscape(t *testing.T) {
	s := Presets["starcoder"]
	text := "a <fim_prefix> b <|endoftext|>"
	esc, n, ok := Escape(text, s)
	if !ok || n != 2 || Contains(esc, s) || Unescape(esc, s) != text {
		t.Errorf("Escape = %q, %d, %v", esc, n, ok)
	}
	if _, _, ok := Escape(esc, s); ok {
		t.Error("an escaped text was escaped again: Unescape could not tell")
	}
}

// TestMakeInsideCode: with code ranges, every middle lies in one of them,
// also after sentinels were escaped (which moves the ranges); a text with
// no code stays plain.
func TestMakeInsideCode(t *testing.T) {
	s := Presets["qwen"]
	text := "[HEADER " + s.Prefix + "]\nfn a() { x(" + s.Middle + ") }\n[MORE]\nfn b() {}\n"
	codeA := strings.Index(text, "fn a")
	codeB := strings.Index(text, "fn b")
	code := [][2]int{{codeA, codeA + len("fn a() { x("+s.Middle+") }")}, {codeB, codeB + len("fn b() {}")}}
	m := &Maker{Options: Options{FIMRate: 1, SPMRate: 0.5, Span: "char", Preset: "qwen", Sentinels: s, Escape: true}}
	r := rand.New(rand.NewPCG(3, 4))
	for range 300 {
		sample, f, skip := m.Make(text, code, r)
		if skip != "" {
			t.Fatal(skip)
		}
		// The escaped source is the sample's pieces put back; its code is
		// where the escaped code of a or b now is.
		pre, mid, suf, err := Parse(sample, f.Mode == "spm", f.Prefix[1], s)
		if err != nil {
			t.Fatal(err)
		}
		src := pre + mid + suf
		inA := strings.Index(src, "fn a(")
		endA := strings.Index(src, ") }") + 3
		inB := strings.Index(src, "fn b")
		ok := f.Middle[0] >= inA && f.Middle[1] <= endA || f.Middle[0] >= inB && f.Middle[1] <= inB+len("fn b() {}")
		if !ok || Contains(src, s) {
			t.Fatalf("middle %v of %q is outside the code (a %d-%d, b %d)", f.Middle, src, inA, endA, inB)
		}
	}
	if sample, f, _ := m.Make("just prose", [][2]int{}, r); f.Mode != "plain" || sample != "just prose" || m.Counts.NoCode.Load() != 1 {
		t.Errorf("no code: %q %+v", sample, f)
	}
}
