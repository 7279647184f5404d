package window

import (
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/dwkit/dwkit/lib/token"
)

// texts are real and awkward inputs: this module's Go sources, one long
// line, CJK and emoji (tokens that split characters), blank-line runs.
func texts(t *testing.T) map[string]string {
	out := map[string]string{
		"one-line":   strings.Repeat("let x = compute(a, b) + 42; ", 2000),
		"cjk-emoji":  strings.Repeat("日本語のテキスト🦀👩‍👩‍👧 ", 1500),
		"blank-runs": strings.Repeat("fn a() {}\n\n\n\n// c\n", 900),
		"short":      "fn main() {}\n",
	}
	files, _ := filepath.Glob("../*/*.go")
	for _, f := range files {
		src, err := os.ReadFile(f)
		if err != nil {
			t.Fatal(err)
		}
		out[f] = string(src)
	}
	return out
}

func TestCutProperties(t *testing.T) {
	tok, err := token.Open("cl100k_base")
	if err != nil {
		t.Fatal(err)
	}
	enc := tok.NewEncoder()
	for name, text := range texts(t) {
		for _, cfg := range []struct{ max, overlap int }{{300, 0}, {500, 50}, {64, 16}, {2000, 200}} {
			c := &Cutter{Enc: enc, Max: cfg.max, Overlap: cfg.overlap}
			ws := c.Cut(text)
			var joined strings.Builder
			for i, w := range ws {
				label := fmt.Sprintf("%s max %d overlap %d window %d", name, cfg.max, cfg.overlap, i)
				if got := enc.Count(text[w.Start:w.End], false); got != w.Tokens || got > cfg.max {
					t.Errorf("%s: %d tokens, recorded %d, max %d", label, got, w.Tokens, cfg.max)
				}
				for _, at := range []int{w.Start, w.OverlapEnd, w.End} {
					if at < len(text) && !utf8.RuneStart(text[at]) {
						t.Errorf("%s: boundary %d inside a UTF-8 sequence", label, at)
					}
				}
				if i > 0 {
					prev := ws[i-1]
					if w.OverlapEnd != prev.End || w.Start > prev.End || w.Start < prev.Start {
						t.Errorf("%s: starts at %d, carries to %d; previous ends at %d", label, w.Start, w.OverlapEnd, prev.End)
					}
					carried := enc.Count(text[w.Start:prev.End], false)
					// Exactly the asked overlap, unless the token boundary there
					// splits a character: then it grows to the character's start.
					ends, _ := enc.TokenEnds(text[prev.Start:prev.End], false)
					exact := len(ends) - cfg.overlap - 1
					splits := exact >= 0 && !utf8.RuneStart(text[prev.Start+ends[exact]])
					if cfg.overlap > 0 && (w.OverlapTokens != cfg.overlap) != splits {
						t.Errorf("%s: overlap %d tokens; want %d (boundary splits a character: %v)", label, w.OverlapTokens, cfg.overlap, splits)
					}
					if cfg.overlap > 0 && carried < cfg.overlap-2 {
						t.Errorf("%s: carried part has %d tokens on its own; want about %d", label, carried, cfg.overlap)
					}
				}
				joined.WriteString(text[w.OverlapEnd:w.End])
			}
			// token_start places each window in the source's tokens: from 0,
			// never back, the last ending at the source's count give or take
			// the tokens split at the cuts.
			total, last := enc.Count(text, false), ws[len(ws)-1]
			for i, w := range ws {
				if i == 0 && w.TokenStart != 0 || i > 0 && w.TokenStart < ws[i-1].TokenStart {
					t.Errorf("%s max %d window %d: token start %d", name, cfg.max, i, w.TokenStart)
				}
			}
			if end := last.TokenStart + last.Tokens; end < total-len(ws) || end > total+len(ws) {
				t.Errorf("%s max %d: last window ends at token %d of %d", name, cfg.max, end, total)
			}
			if joined.String() != text {
				t.Errorf("%s max %d: windows without overlaps do not join back into the text", name, cfg.max)
			}
		}
	}
}

// TestCutPrefersBlankLines: with room to spare, cuts fall after blank lines.
func TestCutPrefersBlankLines(t *testing.T) {
	tok, _ := token.Open("cl100k_base")
	para := "fn step() {\n    let x = 1;\n    let y = 2;\n}\n\n"
	text := strings.Repeat(para, 40)
	c := &Cutter{Enc: tok.NewEncoder(), Max: 100}
	for i, w := range c.Cut(text) {
		if w.End != len(text) && !strings.HasSuffix(text[:w.End], "}\n\n") {
			t.Errorf("window %d ends with %q; want a cut after a blank line", i, text[max(0, w.End-10):w.End])
		}
	}
}

func TestPacker(t *testing.T) {
	count := func(s string) int { return len(strings.Fields(s)) } // one token per word
	p := &Packer{Min: 5, Max: 8, Sep: " ", Count: count}
	var got []string
	add := func(ref int, text, group string) {
		for _, pk := range p.Add(Member{Ref: ref, Text: text, Tokens: count(text), Group: group}) {
			got = append(got, fmt.Sprintf("%q/%d/short=%v", pk.Text, pk.Tokens, pk.Short))
		}
	}
	add(1, "a b", "x")           // 2
	add(2, "c d", "x")           // 4
	add(3, "e", "x")             // 5: done
	add(4, "f g h", "x")         // 3
	add(5, "i j k l m", "x")     // 3+5=8 <= Max: 8 done
	add(6, "n o", "x")           // 2
	add(7, "p q r s t u v", "x") // 2+7 > Max: flush "n o" short, then 7 done
	add(8, "w", "y")
	add(9, "z", "q") // group change flushes "w"
	for _, pk := range p.Flush() {
		got = append(got, fmt.Sprintf("%q/%d/short=%v", pk.Text, pk.Tokens, pk.Short))
	}
	want := []string{`"a b c d e"/5/short=false`, `"f g h i j k l m"/8/short=false`, `"n o"/2/short=true`,
		`"p q r s t u v"/7/short=false`, `"w"/1/short=true`, `"z"/1/short=true`}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("packs:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestParseMix(t *testing.T) {
	m, err := ParseMix("1k-4k:25, 4k-10k:50,10k-16k:25")
	if err != nil || len(m.Buckets) != 3 || m.Shares[1] != 0.5 || m.Buckets[2].To != 16000 {
		t.Fatalf("ParseMix = %+v, %v", m, err)
	}
	for _, bad := range []string{"1k-4k", "1k-4k:x", "1k-4k:0", "4k-10k:50,1k-5k:50", "4k-1k:10", "1k-4k:NaN", "1k-4k:Inf", "1k-4k:150"} {
		if _, err := ParseMix(bad); err == nil {
			t.Errorf("ParseMix(%q) succeeded", bad)
		}
	}
}

// TestMixSteers: fed only long texts, the targets follow the deficits.
func TestMixSteers(t *testing.T) {
	m, _ := ParseMix("100-200:50,200-400:50")
	var got []int
	for range 6 {
		n := m.Target(10_000, 1000)
		got = append(got, n)
		m.Observe(n)
	}
	// Empty: both at share 0 below target, the first wins; then alternate.
	if want := "[149 299 149 299 149 299]"; fmt.Sprint(got) != want {
		t.Errorf("targets %v; want %s", got, want)
	}
	fresh, _ := ParseMix("100-200:50,200-400:50")
	for _, tt := range []struct{ remaining, max, want int }{
		{150, 1000, 150}, // fits the neediest bucket whole
		{250, 1000, 149}, // the middle of 100-200, leaving 101
		{210, 1000, 210}, // 149 would leave 61, too small for a bucket: take all
		{210, 200, 110},  // cannot take all: leave the smallest bucket's 100
		{50, 1000, 50},   // under every bucket
	} {
		if n := fresh.Target(tt.remaining, tt.max); n != tt.want {
			t.Errorf("Target(%d, %d) = %d; want %d", tt.remaining, tt.max, n, tt.want)
		}
	}
	if g := m.Goal(150); g != 100 {
		t.Errorf("Goal(150) = %d; want 100: 200-400 cannot be reached under 150", g)
	}
}

// TestCutLongLine: one long line of one pre-token piece is cut in
// time linear in its windows (each window used to count the whole rest).
// The check is on the windows; the time is in BenchmarkCutOneLine.
func TestCutLongLine(t *testing.T) {
	tok, err := token.Open("cl100k_base")
	if err != nil {
		t.Fatal(err)
	}
	text := strings.Repeat("漢", 20000)
	c := &Cutter{Enc: tok.NewEncoder(), Max: 100}
	ws := c.Cut(text)
	joined := ""
	for _, w := range ws {
		if w.Tokens > 100 {
			t.Fatalf("window of %d tokens", w.Tokens)
		}
		joined += text[w.Start:w.End]
	}
	if joined != text || len(ws) < 200 {
		t.Errorf("%d windows that join to %d bytes of %d", len(ws), len(joined), len(text))
	}
}

func BenchmarkCutOneLine(b *testing.B) {
	tok, _ := token.Open("cl100k_base")
	for _, n := range []int{25_000, 50_000, 100_000} {
		text := strings.Repeat("漢", n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			c := &Cutter{Enc: tok.NewEncoder(), Max: 100}
			for b.Loop() {
				c.Cut(text)
			}
		})
	}
}
